import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { Pool } from 'undici';

/** Starts a child process and resolves with the first line it prints. */
export function spawnWithFirstLine(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve({ child, line: line.trim() }));
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)));
  });
}

/** Polls a URL until it answers 200, returning the milliseconds it took. */
export async function waitFor(url: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

export interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU the server under test (with its child processes) spent per request, when its pid was given. */
  cpuMsPerRequest?: number;
}

// Linux's USER_HZ: /proc reports CPU time in these ticks.
const TICKS_PER_SECOND = 100;

/**
 * CPU milliseconds (user + system) used so far by a process and its descendants, from /proc.
 * Latency on a shared two-core box swings from run to run; CPU per request is the steadier
 * measure of what one request costs the server.
 */
export function cpuMsOfTree(rootPid: number): number {
  const stats = new Map<number, { parent: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we read
    }
  }
  const inTree = (pid: number): boolean => {
    for (let current = pid, depth = 0; current > 1 && depth < 20; current = stats.get(current)?.parent ?? 0, depth++) if (current === rootPid) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, stat] of stats) if (inTree(pid)) ticks += stat.ticks;
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** One autocannon run: requests per second (mean), latency percentiles in ms, and server CPU per request. */
export async function load(name: string, options: autocannon.Options, serverPid?: number): Promise<LoadResult> {
  const cpuBefore = serverPid ? cpuMsOfTree(serverPid) : 0;
  const result = await autocannon({ connections: 50, duration: 10, ...options });
  const cpuMs = serverPid ? cpuMsOfTree(serverPid) - cpuBefore : 0;
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    ...(serverPid && result.requests.total > 0 ? { cpuMsPerRequest: Math.round((cpuMs / result.requests.total) * 1000) / 1000 } : {}),
  };
}

export interface PacedRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh body for each request. */
  body?: () => string;
}

/**
 * Open-loop load: requests start on a fixed schedule (`ratePerSecond`, evenly spaced) whether or
 * not earlier ones have finished, over a pool of up to 50 keep-alive connections; latency is timed
 * per request with sub-millisecond resolution. autocannon's rate limit releases every connection
 * on the same tick, so its latencies at a fixed rate measure the bursts it makes, not the server.
 */
export async function paced(name: string, request: PacedRequest, ratePerSecond: number, durationSeconds = 10, serverPid?: number): Promise<LoadResult> {
  const target = new URL(request.url);
  const pool = new Pool(target.origin, { connections: 50, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const send = async () => {
    const started = performance.now();
    try {
      const response = await pool.request({
        path: target.pathname + target.search,
        method: request.method ?? 'GET',
        headers: request.headers ?? {},
        body: request.body?.(),
      });
      await response.body.dump();
      if (response.statusCode >= 300) non2xx++;
      latencies.push(performance.now() - started);
    } catch {
      errors++;
    }
  };
  const cpuBefore = serverPid ? cpuMsOfTree(serverPid) : 0;
  const total = Math.round(ratePerSecond * durationSeconds);
  const interval = 1000 / ratePerSecond;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send());
  }
  await Promise.all(inFlight);
  const elapsedSeconds = (performance.now() - start) / 1000;
  const cpuMs = serverPid ? cpuMsOfTree(serverPid) - cpuBefore : 0;
  await pool.close();
  const sorted = latencies.sort((a, b) => a - b);
  const percentile = (p: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN) * 100) / 100;
  return {
    name,
    rps: Math.round(latencies.length / elapsedSeconds),
    p50: percentile(50),
    p99: percentile(99),
    errors,
    non2xx,
    ...(serverPid && latencies.length > 0 ? { cpuMsPerRequest: Math.round((cpuMs / (latencies.length + errors)) * 1000) / 1000 } : {}),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
