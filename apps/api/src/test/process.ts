import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { testDatabaseUrl, testRedisUrl, repoRoot } from './env.js';
import { copyTemplate } from './global-setup.js';

/**
 * Real API processes for tests that kill, restart or run several of them: `node server.ts` on a
 * loopback port, on a database cloned from the run's template (PostgreSQL) or a copy of the
 * template directory (PGlite), and Redis under a prefix of its own when the run has Redis.
 */

export interface ProcessEnvironment {
  /** Environment for startApiProcess: database, cache, data directory (secrets survive restarts). */
  env: Record<string, string>;
  kind: 'postgres' | 'pglite';
  /** The database URL when PostgreSQL, for the test's own reads. */
  databaseUrl: string | null;
  cleanup(): Promise<void>;
}

export async function createProcessEnvironment(): Promise<ProcessEnvironment> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-proc-'));
  const redisUrl = testRedisUrl();
  const cacheEnv: Record<string, string> = redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `kalei-proc:${randomBytes(5).toString('hex')}:` } : {};
  const template = inject('databaseTemplate');
  if (template.kind === 'postgres') {
    const url = testDatabaseUrl()!;
    const name = `kalei_p_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template.name}`);
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    return {
      kind: 'postgres',
      databaseUrl: dbUrl.toString(),
      env: { KALEI_DATA_DIR: dataDir, DATABASE_URL: dbUrl.toString(), DATABASE_POOL_MAX: '5', ...cacheEnv },
      async cleanup() {
        await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
        await admin.end();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  copyTemplate(template.dir, path.join(dataDir, 'pgdata'));
  return {
    kind: 'pglite',
    databaseUrl: null,
    env: { KALEI_DATA_DIR: dataDir, ...cacheEnv },
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ApiProcess {
  baseUrl: string;
  child: ChildProcess;
  /** The last output lines, for failure messages. */
  output(): string;
  /** SIGKILL: no shutdown hook runs. */
  kill9(): Promise<void>;
  /** SIGTERM, the graceful path. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts `apps/api/src/server.ts` and waits until GET /ready answers 200. */
export async function startApiProcess(env: Record<string, string>, options: { readyTimeoutMs?: number } = {}): Promise<ApiProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/api/src/server.ts')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`API exited before /ready: ${tail}`);
    const ready = await fetch(`${baseUrl}/ready`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`API not ready in time: ${tail}`);
    }
    await sleep(100);
  }
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { baseUrl, child, output: () => tail, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
