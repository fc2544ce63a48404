import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from './config.js';
import { loadSecrets } from './infra/secrets.js';
import { repoRoot } from './test/env.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-secrets-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Reads `NAME='value'` lines as an environment file reader (systemd, a shell) would. */
const parseEnvFile = (text: string) =>
  Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const match = /^([A-Z_]+)='([^']*)'$/.exec(line);
        if (!match) throw new Error(`not an environment line: ${line.slice(0, 20)}`);
        return [match[1]!, match[2]!];
      }),
  );

describe('npm run secrets', () => {
  test('prints a complete set the config accepts, so nothing is generated at start', async () => {
    const output = execFileSync(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'apps/api/src/secrets-cli.ts')], { encoding: 'utf8' });
    const env = parseEnvFile(output);
    expect(Object.keys(env).sort()).toEqual(['AUTH_SIGNING_KEYS', 'KALEI_DATA_KEYS', 'LOG_HASH_KEY', 'METRICS_TOKEN']);
    const config = loadConfig({ ...env, KALEI_DATA_DIR: dataDir });
    const secrets = await loadSecrets(config);
    expect(secrets.generated).toEqual([]);
    expect(secrets.signingKeys).toHaveLength(1);
    expect(readdirSync(dataDir)).toEqual([]);

    // Two runs never print the same secrets.
    const again = parseEnvFile(execFileSync(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'apps/api/src/secrets-cli.ts')], { encoding: 'utf8' }));
    for (const name of Object.keys(env)) expect(again[name]).not.toBe(env[name]);
  });
});
