import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from '../db/schema.js';
import { lockDataDir } from './data-dir-lock.js';

export type Schema = typeof schema;
/** The one database type every repo takes: both drivers share drizzle's PostgreSQL dialect. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** A repo function runs on the database or inside a transaction the service started. */
export type Executor = Database | Transaction;

// Resolves to apps/api/src/db/migrations from both src/infra and dist/infra.
export const migrationsFolder = fileURLToPath(new URL('../../src/db/migrations', import.meta.url));

export interface DatabaseHandle {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Database;
  /** Raw access for pg-boss: a pg pool (PostgreSQL) or the PGlite instance. */
  readonly raw: { kind: 'postgres'; pool: pg.Pool } | { kind: 'pglite'; client: PGlite };
  ping(): Promise<void>;
  /**
   * Calls `listener` with the seconds each statement sent outside a transaction took (PostgreSQL
   * only: the embedded database is in-process, and moving it off the node is not its next step).
   * Returns the function that stops the calls.
   */
  observeQueries(listener: (seconds: number) => void): () => void;
  migrate(): Promise<void>;
  /** Number of migrations in the repository that the database has not applied. */
  pendingMigrations(): Promise<number>;
  close(): Promise<void>;
}

export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
}

function journalEntryCount(): number {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** Runs `work` in a transaction; inside one already, drizzle nests it as a savepoint. */
export function withTransaction<T>(executor: Executor, work: (tx: Executor) => Promise<T>): Promise<T> {
  return (executor as Database).transaction(work);
}

/** Rows of a raw `db.execute`: both drivers answer with `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

async function appliedMigrationCount(db: Database): Promise<number> {
  const exists = rowsOf<{ present: boolean }>(
    await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`),
  );
  if (!exists[0]?.present) return 0;
  const result = rowsOf<{ count: string | number }>(await db.execute(sql`select count(*) as count from drizzle.__drizzle_migrations`));
  return Number(result[0]?.count ?? 0);
}

/** Opens PostgreSQL at `url` with a connection pool. */
export function openPostgres(url: string, poolMax: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolMax });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const listeners = new Set<(seconds: number) => void>();
  // Timed at the pool: drizzle sends every statement outside a transaction through pool.query.
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const started = performance.now();
    const result = query(...args);
    if (listeners.size > 0 && result instanceof Promise) {
      const done = () => {
        const seconds = (performance.now() - started) / 1000;
        for (const listener of listeners) listener(seconds);
      };
      result.then(done, done);
    }
    return result;
  };
  const db = drizzlePg({ client: pool, schema }) as unknown as Database;
  return {
    kind: 'postgres',
    db,
    raw: { kind: 'postgres', pool },
    async ping() {
      await pool.query('select 1');
    },
    observeQueries(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async migrate() {
      await migratePg(drizzlePg({ client: pool, schema }), { migrationsFolder });
    },
    async pendingMigrations() {
      return journalEntryCount() - (await appliedMigrationCount(db));
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * Opens embedded PGlite in `dataDir`. PGlite is one session in one process and a second process
 * on the same directory can corrupt it, so the directory is locked for as long as it is open
 * (a lock whose holder was killed is taken over at once: data-dir-lock.ts).
 */
export async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  mkdirSync(dataDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockDataDir(dataDir);
  } catch (error) {
    throw new DatabaseLockedError(
      `The embedded database at ${dataDir} is in use by another Kalei process (${(error as Error).message}). Stop it, or set KALEI_DATA_DIR to another directory.`,
    );
  }
  const client = new PGlite(dataDir);
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return {
    kind: 'pglite',
    db,
    raw: { kind: 'pglite', client },
    async ping() {
      await client.query('select 1');
    },
    observeQueries: () => () => {},
    async migrate() {
      await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder });
    },
    async pendingMigrations() {
      return journalEntryCount() - (await appliedMigrationCount(db));
    },
    async close() {
      await client.close();
      await release();
    },
  };
}
