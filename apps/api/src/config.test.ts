import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { testDatabaseUrl } from './test/env.js';

/**
 * Runs an entry point (server.ts, worker.ts) in its own process with only `env` and a throwaway
 * KALEI_DATA_DIR; resolves to its exit code and stderr.
 */
async function runEntryPoint(file: string, env: (dataDir: string) => Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-config-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', PORT: '0', KALEI_DATA_DIR: dataDir, ...env(dataDir) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { code, stderr };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('configuration', () => {
  test('an empty environment gives the embedded defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.KALEI_DATA_DIR).toBe('./.kalei');
  });

  test('empty strings count as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(8080);
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
  ])('a wrong value is named: %o', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  test('comma lists are split and trimmed', () => {
    expect(loadConfig({ GOOGLE_CLIENT_IDS: ' a.apps , b.apps ,' }).GOOGLE_CLIENT_IDS).toEqual(['a.apps', 'b.apps']);
  });

  test('CORS origins are normalised as browsers send them; a path, a wildcard or garbage is refused', () => {
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://App.Example.com:443, http://localhost:8081' }).CORS_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:8081',
    ]);
    for (const bad of ['https://app.example.com/', 'https://*.example.com', '*', 'app.example.com', 'https://host:port']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow('CORS_ORIGINS');
    }
  });

  test.each([
    [{ APPLE_BUNDLE_ID: 'app.kalei', APPLE_ENVIRONMENTS: 'Sandbox' }, 'APPLE_ROOT_CERTIFICATES'],
    [{ APPLE_BUNDLE_ID: 'app.kalei', APPLE_ROOT_CERTIFICATES: '/root.cer' }, 'APPLE_APP_APPLE_ID'],
    [{ APPLE_API_KEY_ID: 'K', APPLE_API_PRIVATE_KEY_FILE: '/key.p8' }, 'APPLE_API_ISSUER_ID'],
    [{ GOOGLE_PLAY_PACKAGE_NAME: 'app.kalei' }, 'GOOGLE_PLAY_SERVICE_ACCOUNT_FILE or GOOGLE_PLAY_SERVICE_ACCOUNT_JSON'],
    [{ GOOGLE_PUBSUB_AUDIENCE: 'https://kalei.app/push' }, 'GOOGLE_PUBSUB_SERVICE_ACCOUNT'],
    [{ GOOGLE_PUBSUB_SERVICE_ACCOUNT: 'push@kalei.iam.gserviceaccount.com' }, 'GOOGLE_PUBSUB_AUDIENCE'],
  ])('a variable another one requires is named on one line: %o', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(`Invalid configuration: ${name}: `);
    expect(() => loadConfig(env)).not.toThrow(/\n/);
  });

  test('variables that go together are accepted together', () => {
    const config = loadConfig({
      APPLE_BUNDLE_ID: 'app.kalei',
      APPLE_ROOT_CERTIFICATES: '/root.cer',
      APPLE_APP_APPLE_ID: '123',
      APPLE_API_KEY_ID: 'K',
      APPLE_API_ISSUER_ID: 'I',
      APPLE_API_PRIVATE_KEY_FILE: '/key.p8',
      GOOGLE_PLAY_PACKAGE_NAME: 'app.kalei',
      GOOGLE_PLAY_SERVICE_ACCOUNT_FILE: '/sa.json',
      GOOGLE_PUBSUB_AUDIENCE: 'https://kalei.app/push',
      GOOGLE_PUBSUB_SERVICE_ACCOUNT: 'push@kalei.iam.gserviceaccount.com',
    });
    expect(config.APPLE_ROOT_CERTIFICATES).toEqual(['/root.cer']);
  });

  test('several wrong variables are all named, still on one line', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/^Invalid configuration: PORT: .*; LOG_LEVEL: [^\n]*$/);
  });
});

describe('a wrong configuration at start', () => {
  test.each([['./server.ts'], ['./worker.ts']])('%s exits 1 with one line naming the variable, no stack trace', async (file) => {
    const { code, stderr } = await runEntryPoint(file, () => ({ APPLE_BUNDLE_ID: 'app.kalei', APPLE_ENVIRONMENTS: 'Sandbox' }));
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: APPLE_ROOT_CERTIFICATES: must list/)]);
  }, 30_000);

  // The spawned server always runs embedded, whatever the pass: one run (the embedded pass) is enough.
  test.skipIf(testDatabaseUrl() !== undefined)(
    'a configured file that cannot be read, found after the database opened, also ends in one line',
    async () => {
      const { code, stderr } = await runEntryPoint('./server.ts', (dataDir) => ({
        APPLE_BUNDLE_ID: 'app.kalei',
        APPLE_ENVIRONMENTS: 'Sandbox',
        APPLE_ROOT_CERTIFICATES: path.join(dataDir, 'missing-root.cer'),
      }));
      expect(code).toBe(1);
      expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^APPLE_ROOT_CERTIFICATES: cannot read a certificate/)]);
    },
    90_000,
  );
});
