import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';

/**
 * Who holds a data-directory lock. proper-lockfile alone only knows a lock by its mtime, so a
 * holder killed with SIGKILL blocks every restart until the lock goes stale; the owner record lets
 * the next process see at once that the holder is gone.
 */
interface LockOwner {
  pid: number;
  hostname: string;
  /** Start time of the process in clock ticks since boot (Linux), to tell a reused pid apart. */
  startTicks: number | null;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

function processStat(pid: number): { state: string; startTicks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', startTicks: Number(fields[19]) };
  } catch {
    return null;
  }
}

function currentOwner(): LockOwner {
  return { pid: process.pid, hostname: hostname(), startTicks: processStat(process.pid)?.startTicks ?? null };
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.hostname !== 'string') return null;
    return { pid: owner.pid, hostname: owner.hostname, startTicks: typeof owner.startTicks === 'number' ? owner.startTicks : null };
  } catch {
    return null;
  }
}

/** True only when the owner certainly no longer runs; another host's process cannot be checked. */
function ownerIsGone(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists under another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const stat = processStat(owner.pid);
  if (!stat) return false;
  if (stat.state === 'Z' || stat.state === 'X') return true;
  return owner.startTicks !== null && stat.startTicks !== owner.startTicks;
}

/**
 * Removes the lock of a holder that no longer runs. The owner record is first renamed to a name
 * of this process's own: only one of several processes starting at once wins that rename, so only
 * one of them removes the lock and none removes a lock a live process has just taken.
 */
function takeOverFromGoneOwner(lockPath: string, ownerPath: string): boolean {
  const owner = readOwner(ownerPath);
  if (!owner || !ownerIsGone(owner)) return false;
  const claimed = `${ownerPath}.${process.pid}`;
  try {
    renameSync(ownerPath, claimed);
  } catch {
    return false;
  }
  const claimedOwner = readOwner(claimed);
  if (!claimedOwner || !ownerIsGone(claimedOwner)) {
    renameSync(claimed, ownerPath);
    return false;
  }
  rmSync(lockPath, { recursive: true, force: true });
  rmSync(claimed, { force: true });
  return true;
}

/**
 * Locks `dir` for this process (`<dir>.lock`, owner record in `<dir>.lock-owner.json`). A lock
 * held by a live process is refused; one whose holder is gone is taken over at once. Resolves to
 * the release function.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockPath = `${dir}.lock`;
  const ownerPath = `${dir}.lock-owner.json`;
  const lock = () => lockfile.lock(dir, { lockfilePath: lockPath, stale: 15_000, update: 5_000 });
  let release: () => Promise<void>;
  try {
    release = await lock();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED' || !takeOverFromGoneOwner(lockPath, ownerPath)) {
      throw new DataDirLockedError((error as Error).message);
    }
    try {
      release = await lock();
    } catch (retryError) {
      throw new DataDirLockedError((retryError as Error).message);
    }
  }
  writeFileSync(ownerPath, JSON.stringify(currentOwner()));
  return async () => {
    // The record goes first: once the lock is released it may belong to the next holder.
    if (readOwner(ownerPath)?.pid === process.pid) rmSync(ownerPath, { force: true });
    await release();
  };
}
