import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { DatabaseLockedError, openPglite, rowsOf } from './db.js';

const dbModule = fileURLToPath(new URL('./db.ts', import.meta.url));

/** A separate Node process that opens the embedded database, writes a row and stays open. */
function startHolder(dataDir: string): Promise<ChildProcess> {
  const code = `
    const { openPglite } = await import(${JSON.stringify(dbModule)});
    const handle = await openPglite(${JSON.stringify(dataDir)});
    await handle.raw.client.exec("create table if not exists marks (note text); insert into marks values ('before the kill')");
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`holder exited (${code}): ${stderr}`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('embedded database lock', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function tempDataDir(): string {
    const root = mkdtempSync(path.join(tmpdir(), 'kalei-lock-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    return path.join(root, 'pglite');
  }

  test('a live holder in another process is refused; once it is killed with SIGKILL the next open takes over at once', async () => {
    const dataDir = tempDataDir();
    const holder = await startHolder(dataDir);
    cleanups.push(() => {
      if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
    });

    await expect(openPglite(dataDir)).rejects.toThrow(DatabaseLockedError);

    await killHard(holder);
    // proper-lockfile does not retry here: this open either takes the lock now or throws.
    const reopened = await openPglite(dataDir);
    cleanups.push(() => reopened.close());
    const rows = rowsOf<{ note: string }>(await reopened.db.execute(sql`select note from marks`));
    expect(rows).toEqual([{ note: 'before the kill' }]);
  }, 60_000);

  test('a second open in the same, live process is refused, and a closed database opens again', async () => {
    const dataDir = tempDataDir();
    const first = await openPglite(dataDir);
    await expect(openPglite(dataDir)).rejects.toThrow(/in use by another Kalei process/);
    await first.close();
    const second = await openPglite(dataDir);
    await second.close();
  }, 60_000);
});
