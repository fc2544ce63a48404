import path from 'node:path';
import type { Config } from '../config.js';
import type { Cache } from './cache.js';
import { createMemoryCache } from './cache-memory.js';
import { createRedisCache } from './cache-redis.js';
import { openPglite, openPostgres, type DatabaseHandle } from './db.js';
import type PgBoss from 'pg-boss';
import { createBoss } from './queue.js';
import { loadSecrets, type Secrets } from './secrets.js';

/** Everything buildApp needs from the outside world; tests build their own. */
export interface Infra {
  config: Config;
  database: DatabaseHandle;
  cache: Cache;
  /** pg-boss on the same database; started by server.ts / worker.ts (or the test app), not by buildApp. */
  boss: PgBoss;
  secrets: Secrets;
  /** The raw environment, only for secrets named by configuration (AI deployments' apiKeyEnv). */
  env: Readonly<Record<string, string | undefined>>;
  /** The clock; tests inject their own. */
  now: () => Date;
}

/** The embedded PGlite directory inside KALEI_DATA_DIR. */
export function pgliteDataDir(config: Config): string {
  return path.resolve(config.KALEI_DATA_DIR, 'pgdata');
}

/**
 * Opens the database and cache the configuration names: PostgreSQL and Redis when their URLs
 * are set, embedded PGlite and an in-process cache otherwise.
 */
export async function openInfra(config: Config, env: Readonly<Record<string, string | undefined>> = {}): Promise<Infra> {
  const secrets = await loadSecrets(config);
  const database = config.DATABASE_URL
    ? openPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX)
    : await openPglite(pgliteDataDir(config));
  const cache = config.REDIS_URL ? createRedisCache(config.REDIS_URL, config.REDIS_KEY_PREFIX) : createMemoryCache();
  // The embedded server runs jobs in-process; with PostgreSQL, worker.ts supervises and runs them.
  const boss = createBoss(database, { supervise: database.kind === 'pglite' });
  return { config, database, cache, boss, secrets, env, now: () => new Date() };
}

/** Closes what openInfra opened. */
export async function closeInfra(infra: Infra): Promise<void> {
  await infra.boss.stop({ graceful: true, wait: true, timeout: 5_000 }).catch(() => {});
  await Promise.allSettled([infra.cache.close(), infra.database.close()]);
}
