import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const contractsSrc = fileURLToPath(new URL('./packages/contracts/src/', import.meta.url));

export default defineConfig({
  resolve: {
    // Tests read the contracts from source so a change there needs no build step.
    alias: [{ find: /^@kalei\/contracts\/(.*)$/, replacement: `${contractsSrc}$1.ts` }],
  },
  test: {
    include: ['apps/api/src/**/*.test.ts', 'packages/contracts/src/**/*.test.ts', 'deploy/**/*.test.ts'],
    globalSetup: ['apps/api/src/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
