import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { inject } from 'vitest';
import { buildApp, type KaleiApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import type { Cache } from '../infra/cache.js';
import { createMemoryCache } from '../infra/cache-memory.js';
import { createRedisCache } from '../infra/cache-redis.js';
import { openPglite, openPostgres, type DatabaseHandle } from '../infra/db.js';
import type { Infra } from '../infra/infra.js';
import { createBoss } from '../infra/queue.js';
import { loadSecrets } from '../infra/secrets.js';
import { copyTemplate } from './global-setup.js';
import { testDatabaseUrl, testRedisUrl } from './env.js';

export interface TestDatabase {
  handle: DatabaseHandle;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the run's migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('databaseTemplate');
  if (template.kind === 'postgres') {
    const url = testDatabaseUrl();
    if (!url) throw new Error('KALEI_TEST_DATABASE_URL vanished between global setup and the test file');
    const name = `kalei_t_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template.name}`);
    const fileUrl = new URL(url);
    fileUrl.pathname = `/${name}`;
    const handle = openPostgres(fileUrl.toString(), 5);
    return {
      handle,
      async drop() {
        await handle.close();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const parent = mkdtempSync(path.join(tmpdir(), 'kalei-test-'));
  const dir = path.join(parent, 'pgdata');
  copyTemplate(template.dir, dir);
  const handle = await openPglite(dir);
  return {
    handle,
    async drop() {
      await handle.close();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** A cache for one test file: Redis with a unique prefix when configured, else in-process. */
export function createTestCache(): Cache {
  const url = testRedisUrl();
  return url ? createRedisCache(url, `kalei-test:${randomBytes(5).toString('hex')}:`) : createMemoryCache();
}

export interface TestContext {
  app: KaleiApp;
  infra: Infra;
  /** Moves the injected clock. */
  clock: { now: Date; advance(ms: number): void };
  close(): Promise<void>;
}

/**
 * Builds the real app on a fresh database and cache. Call once per file (beforeAll) and close
 * it in afterAll. Overrides are environment-style values, parsed by the real config schema.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestContext> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-test-data-'));
  // Request rate limits stay on (every request goes through them) but far above what a test file
  // sends from one address; rate-limit tests set their own.
  const config: Config = loadConfig({
    KALEI_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_USER_PER_MINUTE: '1000000',
    ...overrides,
  });
  const database = await createTestDatabase();
  const cache = createTestCache();
  const secrets = await loadSecrets(config);
  const clock = {
    now: new Date(),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  // Jobs are not worked here unless a test starts workers itself; sending works once started.
  const boss = createBoss(database.handle, { supervise: false });
  boss.on('error', () => {});
  await boss.start();
  const infra: Infra = { config, database: database.handle, cache, boss, secrets, env: overrides, now: () => clock.now };
  const app = await buildApp(infra, { logger: pino({ level: 'silent' }) });
  await app.ready();
  return {
    app,
    infra,
    clock,
    async close() {
      await app.close();
      await boss.stop({ graceful: false, wait: true, close: true });
      await cache.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
