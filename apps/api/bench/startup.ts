// Time from starting the server process to /ready on embedded defaults: a fresh data directory
// (PGlite created and migrated) and an existing one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './lib.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function startOnce(dataDir: string, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn('node', [path.join(root, 'apps/api/dist/server.js')], {
    env: { ...process.env, KALEI_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
    stdio: 'ignore',
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/ready`);
    return Math.round(performance.now() - started);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Median-free, honest single measurements: fresh then existing, twice each. */
export async function runStartupBench(): Promise<{ freshMs: number[]; existingMs: number[] }> {
  const freshMs: number[] = [];
  const existingMs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'kalei-startup-'));
    try {
      freshMs.push(await startOnce(dir, 18_900 + i));
      existingMs.push(await startOnce(dir, 18_910 + i));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { freshMs, existingMs };
}
