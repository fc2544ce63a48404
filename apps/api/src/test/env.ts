import { fileURLToPath } from 'node:url';

/** The repository root, from apps/api/src/test. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The suite runs on embedded defaults unless these are set: `npm test` sets them for its
 * second pass when CI provides real PostgreSQL and Redis (see scripts/test.mjs).
 */
export function testDatabaseUrl(): string | undefined {
  return process.env.KALEI_TEST_DATABASE_URL || undefined;
}

export function testRedisUrl(): string | undefined {
  return process.env.KALEI_TEST_REDIS_URL || undefined;
}
