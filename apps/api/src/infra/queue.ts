import PgBoss from 'pg-boss';
import { sql, type SQL } from 'drizzle-orm';
import type { DatabaseHandle, Executor } from './db.js';
import { rowsOf } from './db.js';

/**
 * Turns pg-boss's `(text, $n values)` calls into a drizzle query on any executor, so a job can be
 * inserted inside the same transaction as the data that causes it.
 */
export function executorAdapter(executor: Executor): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parts = text.split(/\$(\d+)/);
      const chunks: SQL[] = [];
      parts.forEach((part, index) => {
        if (index % 2 === 0) chunks.push(sql.raw(part));
        else chunks.push(sql`${values[Number(part) - 1] ?? null}`);
      });
      return { rows: rowsOf(await executor.execute(sql.join(chunks, sql.raw('')))) };
    },
  };
}

/** PGlite runs several statements only through exec() and parameters only through query(). */
function pgliteAdapter(handle: DatabaseHandle): PgBoss.Db {
  if (handle.raw.kind !== 'pglite') throw new Error('not a PGlite handle');
  const client = handle.raw.client;
  return {
    async executeSql(text: string, values: unknown[] = []) {
      if (values.length > 0) return { rows: (await client.query(text, values)).rows };
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}

export interface QueueOptions {
  /** Run cron schedules and maintenance here (the worker process, or the embedded server). */
  supervise: boolean;
  pollingIntervalSeconds?: number;
}

/** pg-boss on the same database as the data: PostgreSQL through its own small pool, PGlite through an adapter. */
export function createBoss(handle: DatabaseHandle, options: QueueOptions): PgBoss {
  const common = {
    schema: 'pgboss',
    supervise: options.supervise,
    schedule: options.supervise,
    migrate: true,
    ...(options.pollingIntervalSeconds ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {}),
  };
  if (handle.raw.kind === 'postgres') {
    const poolOptions = handle.raw.pool.options;
    return new PgBoss({ ...common, connectionString: poolOptions.connectionString, max: 4 });
  }
  return new PgBoss({ ...common, db: pgliteAdapter(handle) });
}
