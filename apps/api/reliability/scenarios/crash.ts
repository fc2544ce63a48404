import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort, repoRoot, type ScenarioEnv, type ScenarioResult } from '../lib.js';

/**
 * Scenario 3, crash consistency (issue 15). A client writes Turns, Mirror messages and Lens
 * actions, one Idempotency-Key per logical write, and retries every failure (refused, reset,
 * timeout, 5xx, "key in use") with the same key until it gets an answer. Meanwhile the built API
 * (`node apps/api/dist/server.js`, on a fresh PostgreSQL database and Redis) is killed with
 * SIGKILL three times and started again on the same port. Afterwards: every acknowledged write is
 * readable, no key made two rows, a replay of every key returns the row it first answered, and
 * the daily quota counters equal the rows. Then the embedded case: PGlite in a temporary
 * KALEI_DATA_DIR, killed under load, must reopen within READY_BOUND_MS with its writes.
 *
 * Needs `npm run build` first (it runs the built server).
 */

export const name = 'crash';

type Row = ScenarioResult['rows'][number];
type Env = ScenarioEnv;

const serverJs = path.join(repoRoot, 'apps/api/dist/server.js');
const KILLS = 3;
const WORKERS = 6;
/** A restart slower than this is a failure (the embedded restart takes over a killed holder's lock at once). */
const READY_BOUND_MS = 20_000;
/** A logical write with no answer after this long is reported, not waited for forever. */
const WRITE_DEADLINE_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 4_000;
const GOALS = 20;
const ACTIONS_PER_GOAL = 20;
const SESSIONS = 10;
const MESSAGES_PER_SESSION = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------ the API process

interface Server {
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 from GET /ready. */
  readyMs: number;
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>, port: number): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, [serverJs], {
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
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  const deadline = Date.now() + READY_BOUND_MS * 3;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`API exited before /ready: ${tail.trim()}`);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await signal('SIGKILL');
      throw new Error(`API not ready within ${READY_BOUND_MS * 3} ms: ${tail.trim()}`);
    }
    await sleep(25);
  }
  return { child, readyMs: Math.round(performance.now() - started), output: () => tail, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

function runCli(script: string, args: string[], env: Record<string, string>): string {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'apps/api/dist', script), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`${script} ${args[0] ?? ''} failed: ${result.stderr || result.stdout}`);
  return result.stdout.trim();
}

// ------------------------------------------------------------------ the client

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies read field by field
type Json = Record<string, any>;
interface Answer {
  status: number;
  json: Json | null;
  replayed: boolean;
}

function client(baseUrl: string) {
  let auth: Record<string, string> = {};
  const call = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    const text = await res.text();
    let json: Json | null = null;
    try {
      json = text ? (JSON.parse(text) as Json) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, replayed: res.headers.get('idempotent-replayed') === 'true' };
  };
  /** Worth another try with the same key: no answer, a server error, a rate limit, or the key still held. */
  const retryable = (answer: Answer | null) =>
    answer === null || answer.status >= 500 || answer.status === 429 || (answer.status === 409 && answer.json?.code === 'idempotency_key_in_use');
  return {
    call,
    setToken(token: string) {
      auth = { authorization: `Bearer ${token}` };
    },
    /** Setup calls: retried like writes, but must end in `expect`. */
    async must(method: string, route: string, body: unknown, expect: number, key?: string): Promise<Json> {
      const deadline = Date.now() + WRITE_DEADLINE_MS;
      for (;;) {
        const answer = await call(method, route, body, key ? { 'idempotency-key': key } : {}).catch(() => null);
        if (!retryable(answer)) {
          if (answer!.status !== expect) throw new Error(`${method} ${route}: ${answer!.status} ${JSON.stringify(answer!.json)}`);
          return answer!.json ?? {};
        }
        if (Date.now() > deadline) throw new Error(`${method} ${route}: no answer`);
        await sleep(100);
      }
    },
    /** The retrying writer: same key until an answer; counts attempts. */
    async write(route: string, body: unknown, key: string, onAttempt: () => void): Promise<{ answer: Answer | null; attempts: number }> {
      const deadline = Date.now() + WRITE_DEADLINE_MS;
      let attempts = 0;
      for (;;) {
        attempts += 1;
        onAttempt();
        const answer = await call('POST', route, body, { 'idempotency-key': key }).catch(() => null);
        if (!retryable(answer)) return { answer, attempts };
        if (Date.now() > deadline) return { answer: null, attempts };
        await sleep(50 + Math.random() * 100);
      }
    },
  };
}
type Client = ReturnType<typeof client>;

// ------------------------------------------------------------------ the load

type Kind = 'turn' | 'mirror' | 'lens';
interface LogicalWrite {
  kind: Kind;
  key: string;
  route: string;
  body: unknown;
  /** Text that names the write in what GET returns (the thought, the message, the action title). */
  marker: string;
  /** Kills that happened while this write was unanswered. */
  killedDuring: Set<number>;
  answered: boolean;
  status: number | null;
  id: string | null;
  attempts: number;
}

interface Fixture {
  sessions: string[];
  goals: string[];
}

async function prepareUser(c: Client, grant: ((email: string) => void) | null, goals: number, sessions: number): Promise<Fixture> {
  const email = `crash-${randomBytes(4).toString('hex')}@example.test`;
  const registered = await c.must('POST', '/v1/auth/register', { email, password: 'Correct horse battery 1' }, 201);
  c.setToken(registered.tokens.accessToken as string);
  grant?.(email);
  const fixture: Fixture = { sessions: [], goals: [] };
  for (let i = 0; i < sessions; i += 1) fixture.sessions.push((await c.must('POST', '/v1/mirror/sessions', {}, 201, `setup-session-${i}`)).id as string);
  for (let i = 0; i < goals; i += 1) fixture.goals.push((await c.must('POST', '/v1/lens/goals', { title: `Steadier mornings ${i}` }, 201, `setup-goal-${i}`)).id as string);
  return fixture;
}

/** The next logical write, cycling Turn, Mirror, Lens; Mirror and Lens stop when their fixtures are full. */
function planner(fixture: Fixture, prefix: string) {
  const counts = { turn: 0, mirror: 0, lens: 0 };
  let n = 0;
  return (): LogicalWrite => {
    let kind: Kind = (['turn', 'mirror', 'lens'] as const)[n % 3]!;
    n += 1;
    if (kind === 'lens' && counts.lens >= fixture.goals.length * ACTIONS_PER_GOAL) kind = 'turn';
    if (kind === 'mirror' && counts.mirror >= fixture.sessions.length * MESSAGES_PER_SESSION) kind = 'turn';
    const i = counts[kind]++;
    const key = `${prefix}-${kind}-${i}`;
    const base = { kind, key, killedDuring: new Set<number>(), answered: false, status: null, id: null, attempts: 0 };
    if (kind === 'turn') {
      const marker = `Write ${key}: I always mess up at work.`;
      return { ...base, route: '/v1/turns', body: { thought: marker }, marker };
    }
    if (kind === 'mirror') {
      const marker = `Write ${key}: the meeting went badly and now I think everyone noticed.`;
      return { ...base, route: '/v1/mirror/messages', body: { sessionId: fixture.sessions[i % fixture.sessions.length], text: marker }, marker };
    }
    const marker = `Walk ten minutes ${key}`;
    return { ...base, route: `/v1/lens/goals/${fixture.goals[i % fixture.goals.length]}/actions`, body: { title: marker }, marker };
  };
}

function idOf(kind: Kind, json: Json | null): string | null {
  if (!json) return null;
  if (kind === 'turn') return (json.turn?.id as string | undefined) ?? null;
  if (kind === 'mirror') return (json.message?.id as string | undefined) ?? null;
  return (json.id as string | undefined) ?? null;
}

/** Runs `workers` writers until `stop()` resolves, then lets every started write finish. */
async function load(c: Client, next: () => LogicalWrite, workers: number, until: Promise<void>) {
  const writes: LogicalWrite[] = [];
  const open = new Set<LogicalWrite>();
  let stopping = false;
  void until.then(() => {
    stopping = true;
  });
  const worker = async () => {
    while (!stopping) {
      const w = next();
      writes.push(w);
      open.add(w);
      const { answer, attempts } = await c.write(w.route, w.body, w.key, () => {});
      open.delete(w);
      w.attempts = attempts;
      w.answered = answer !== null;
      w.status = answer?.status ?? null;
      w.id = answer && answer.status >= 200 && answer.status < 300 ? idOf(w.kind, answer.json) : null;
    }
  };
  const done = Promise.all(Array.from({ length: workers }, worker));
  return {
    writes,
    /** Marks every unanswered write as crossing kill `k`. */
    markKill(k: number) {
      for (const w of open) w.killedDuring.add(k);
      return open.size;
    },
    acked: () => writes.filter((w) => w.id !== null).length,
    done,
  };
}

// ------------------------------------------------------------------ the checks

interface Stored {
  /** marker → ids stored with it */
  byMarker: Map<string, string[]>;
  ids: Set<string>;
}

async function readBack(c: Client, fixture: Fixture): Promise<Record<Kind, Stored>> {
  const empty = (): Stored => ({ byMarker: new Map(), ids: new Set() });
  const stored: Record<Kind, Stored> = { turn: empty(), mirror: empty(), lens: empty() };
  const add = (kind: Kind, marker: string, id: string) => {
    stored[kind].ids.add(id);
    stored[kind].byMarker.set(marker, [...(stored[kind].byMarker.get(marker) ?? []), id]);
  };
  let cursor: string | null = null;
  do {
    const page: Json = await c.must('GET', `/v1/turns?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, 200);
    for (const turn of page.items as Json[]) add('turn', turn.thought as string, turn.id as string);
    cursor = page.nextCursor as string | null;
  } while (cursor);
  for (const id of fixture.sessions) {
    const session = await c.must('GET', `/v1/mirror/sessions/${id}`, undefined, 200);
    for (const message of session.messages as Json[]) add('mirror', message.text as string, message.id as string);
  }
  const goals = await c.must('GET', '/v1/lens/goals', undefined, 200);
  for (const goal of goals.goals as Json[]) for (const action of goal.actions as Json[]) add('lens', action.title as string, action.id as string);
  return stored;
}

interface Verdict {
  lost: LogicalWrite[];
  duplicated: LogicalWrite[];
  /** A replay of the key answered another row, or not 2xx. */
  replayMismatch: LogicalWrite[];
  unanswered: LogicalWrite[];
  rejected: LogicalWrite[];
  stored: Record<Kind, Stored>;
  quota: { turns: number; mirror: number };
}

async function verify(c: Client, writes: LogicalWrite[], fixture: Fixture, replay: boolean): Promise<Verdict> {
  const stored = await readBack(c, fixture);
  const verdict: Verdict = { lost: [], duplicated: [], replayMismatch: [], unanswered: [], rejected: [], stored, quota: { turns: -1, mirror: -1 } };
  for (const w of writes) {
    if (!w.answered) verdict.unanswered.push(w);
    else if (w.id === null) verdict.rejected.push(w);
    if (w.id !== null && !stored[w.kind].ids.has(w.id)) verdict.lost.push(w);
    if ((stored[w.kind].byMarker.get(w.marker)?.length ?? 0) > 1) verdict.duplicated.push(w);
  }
  if (replay) {
    for (const w of writes.filter((x) => x.id !== null)) {
      const answer = await c.call('POST', w.route, w.body, { 'idempotency-key': w.key }).catch(() => null);
      if (!answer || answer.status >= 300 || idOf(w.kind, answer.json) !== w.id) verdict.replayMismatch.push(w);
    }
  }
  const entitlements = await c.must('GET', '/v1/billing/entitlements', undefined, 200);
  const used = (feature: string) => ((entitlements.quotas as Json[]).find((q) => q.feature === feature)?.used as number | undefined) ?? -1;
  verdict.quota = { turns: used('turns'), mirror: used('mirror_messages') };
  return verdict;
}

const keysOf = (writes: LogicalWrite[]) =>
  writes
    .slice(0, 5)
    .map((w) => w.key)
    .join(', ') + (writes.length > 5 ? ` and ${writes.length - 5} more` : '');

/** Failure lines for a verdict; `countQuota` is false where counters live in the process (embedded). */
function failuresOf(label: string, v: Verdict, countQuota: boolean): string[] {
  const failures: string[] = [];
  if (v.lost.length) failures.push(`${label}: ${v.lost.length} acknowledged write(s) not readable: ${keysOf(v.lost)}`);
  if (v.duplicated.length) failures.push(`${label}: ${v.duplicated.length} key(s) stored more than once: ${keysOf(v.duplicated)}`);
  if (v.replayMismatch.length) failures.push(`${label}: ${v.replayMismatch.length} key(s) replayed to another answer: ${keysOf(v.replayMismatch)}`);
  if (v.unanswered.length) failures.push(`${label}: ${v.unanswered.length} write(s) unanswered after ${WRITE_DEADLINE_MS} ms: ${keysOf(v.unanswered)}`);
  if (v.rejected.length) {
    const statuses = [...new Set(v.rejected.map((w) => w.status))].join('/');
    failures.push(`${label}: ${v.rejected.length} write(s) refused (${statuses}): ${keysOf(v.rejected)}`);
  }
  if (countQuota) {
    if (v.quota.turns !== v.stored.turn.ids.size) failures.push(`${label}: turns quota counts ${v.quota.turns}, ${v.stored.turn.ids.size} turns stored`);
    if (v.quota.mirror !== v.stored.mirror.ids.size) failures.push(`${label}: mirror quota counts ${v.quota.mirror}, ${v.stored.mirror.ids.size} messages stored`);
  }
  return failures;
}

// ------------------------------------------------------------------ the two cases

async function postgresCase(env: Env, rows: Row[], failures: string[]) {
  const suffix = randomBytes(4).toString('hex');
  const dbName = `kalei_crash_${suffix}`;
  const admin = new pg.Client({ connectionString: env.databaseUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const dbUrl = new URL(env.databaseUrl);
  dbUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-crash-'));
  const prefix = `kalei-crash:${suffix}:`;
  const serverEnv: Record<string, string> = {
    DATABASE_URL: dbUrl.toString(),
    DATABASE_POOL_MAX: '5',
    REDIS_URL: env.redisUrl,
    REDIS_KEY_PREFIX: prefix,
    KALEI_DATA_DIR: dataDir,
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    // prism_plus (granted below) times 20: 2000 turns and 10000 Mirror messages today, far above the load.
    QUOTA_SCALE: '20',
    SAFETY_STAGE2: 'false',
  };
  let server: Server | null = null;
  try {
    env.log(`crash/postgres: migrating ${dbName}`);
    runCli('migrate.js', [], serverEnv);
    const port = await freePort();
    server = await startServer(serverEnv, port);
    env.log(`crash/postgres: API ready in ${server.readyMs} ms on port ${port}`);
    const c = client(`http://127.0.0.1:${port}`);
    const fixture = await prepareUser(c, (email) => env.log(`crash/postgres: ${runCli('plans-cli.js', ['grant', email, 'prism_plus', '--reason', 'reliability'], serverEnv)}`), GOALS, SESSIONS);

    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    const started = performance.now();
    const run = await load(c, planner(fixture, `pg${suffix}`), WORKERS, until);
    const kills: { k: number; atMs: number; inFlight: number; ackedBefore: number; readyMs: number }[] = [];
    while (run.acked() < 30) await sleep(20);
    for (let k = 1; k <= KILLS; k += 1) {
      await sleep(1200 + Math.random() * 1200);
      const inFlight = run.markKill(k);
      const ackedBefore = run.acked();
      const atMs = Math.round(performance.now() - started);
      await server.kill9();
      server = null;
      server = await startServer(serverEnv, port);
      kills.push({ k, atMs, inFlight, ackedBefore, readyMs: server.readyMs });
      env.log(`crash/postgres: kill ${k} at ${atMs} ms with ${inFlight} write(s) in flight; /ready ${server.readyMs} ms after restart`);
    }
    await sleep(1500);
    release();
    await run.done;
    const loadMs = Math.round(performance.now() - started);
    const verdict = await verify(c, run.writes, fixture, true);

    for (const kill of kills) {
      const crossing = run.writes.filter((w) => w.killedDuring.has(kill.k));
      const inSet = (list: LogicalWrite[]) => list.filter((w) => w.killedDuring.has(kill.k)).length;
      rows.push({
        case: 'postgres+redis',
        kill: kill.k,
        'killed at ms': kill.atMs,
        'ready after restart ms': kill.readyMs,
        'in flight': kill.inFlight,
        'acknowledged (of in flight)': crossing.filter((w) => w.id !== null).length,
        lost: inSet(verdict.lost),
        duplicates: inSet(verdict.duplicated) + inSet(verdict.replayMismatch),
        'turns quota / turns': '',
      });
    }
    const byKind = (kind: Kind) => run.writes.filter((w) => w.kind === kind && w.id !== null).length;
    rows.push({
      case: 'postgres+redis',
      kill: 'all',
      'killed at ms': `load ${loadMs} ms`,
      'ready after restart ms': Math.max(...kills.map((k) => k.readyMs)),
      'in flight': kills.reduce((sum, k) => sum + k.inFlight, 0),
      'acknowledged (of in flight)': `${run.acked()} of ${run.writes.length} (turn ${byKind('turn')}, mirror ${byKind('mirror')}, lens ${byKind('lens')})`,
      lost: verdict.lost.length,
      duplicates: verdict.duplicated.length + verdict.replayMismatch.length,
      'turns quota / turns': `${verdict.quota.turns}/${verdict.stored.turn.ids.size}; mirror ${verdict.quota.mirror}/${verdict.stored.mirror.ids.size}`,
    });
    failures.push(...failuresOf('postgres+redis', verdict, true));
    for (const kill of kills) {
      if (kill.readyMs > READY_BOUND_MS) failures.push(`postgres+redis: restart ${kill.k} took ${kill.readyMs} ms to /ready (bound ${READY_BOUND_MS} ms)`);
    }
  } catch (error) {
    failures.push(`postgres+redis: ${(error as Error).message}`);
  } finally {
    await server?.kill9();
    await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
    await dropRedisPrefix(env.redisUrl, prefix).catch(() => {});
  }
}

async function pgliteCase(env: Env, rows: Row[], failures: string[]) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-crash-pglite-'));
  const serverEnv: Record<string, string> = {
    DATABASE_URL: '',
    REDIS_URL: '',
    KALEI_DATA_DIR: dataDir,
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    // Free plan (a plan grant would open the locked directory) times 50: 250 turns, 1000 messages, 3 goals.
    QUOTA_SCALE: '50',
    SAFETY_STAGE2: 'false',
  };
  let server: Server | null = null;
  try {
    const port = await freePort();
    server = await startServer(serverEnv, port);
    const firstMs = server.readyMs;
    env.log(`crash/pglite: new data directory migrated and ready in ${firstMs} ms`);
    const c = client(`http://127.0.0.1:${port}`);
    const fixture = await prepareUser(c, null, 3, 2);
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    const run = await load(c, planner(fixture, `pgl${randomBytes(3).toString('hex')}`), 4, until);
    while (run.acked() < 20) await sleep(20);
    await sleep(1000 + Math.random() * 1000);
    const inFlight = run.markKill(1);
    await server.kill9();
    server = null;
    server = await startServer(serverEnv, port);
    const readyMs = server.readyMs;
    env.log(`crash/pglite: killed with ${inFlight} write(s) in flight; the directory reopened, /ready ${readyMs} ms after restart`);
    await sleep(1000);
    release();
    await run.done;
    // The embedded cache is in-process: quota counters (and key claims) start again at 0 after a
    // crash, so the counter is reported, not compared. Answers to keys are in the database.
    const verdict = await verify(c, run.writes, fixture, true);
    rows.push({
      case: 'pglite (embedded)',
      kill: 1,
      'killed at ms': '',
      'ready after restart ms': readyMs,
      'in flight': inFlight,
      'acknowledged (of in flight)': `${run.acked()} of ${run.writes.length}`,
      lost: verdict.lost.length,
      duplicates: verdict.duplicated.length + verdict.replayMismatch.length,
      'turns quota / turns': `${verdict.quota.turns}/${verdict.stored.turn.ids.size} (in-process counter, restarts at 0)`,
    });
    failures.push(...failuresOf('pglite', verdict, false));
    if (readyMs > READY_BOUND_MS) failures.push(`pglite: restart took ${readyMs} ms to /ready (bound ${READY_BOUND_MS} ms)`);
  } catch (error) {
    failures.push(`pglite: ${(error as Error).message}`);
  } finally {
    await server?.kill9();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function dropRedisPrefix(url: string, prefix: string) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export default async function run(env: Env): Promise<ScenarioResult> {
  const rows: Row[] = [];
  const failures: string[] = [];
  if (!existsSync(serverJs)) return { rows, failures: [`${path.relative(repoRoot, serverJs)} is missing: run npm run build first`] };
  await postgresCase(env, rows, failures);
  await pgliteCase(env, rows, failures);
  return { rows, failures };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const databaseUrl = process.env.KALEI_TEST_DATABASE_URL;
  const redisUrl = process.env.KALEI_TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    process.stderr.write('crash: set KALEI_TEST_DATABASE_URL and KALEI_TEST_REDIS_URL\n');
    process.exit(2);
  }
  const started = performance.now();
  const result = await run({ databaseUrl, redisUrl, log: (line) => process.stdout.write(`${line}\n`) });
  for (const row of result.rows) process.stdout.write(`${Object.entries(row).map(([k, v]) => `${k}: ${v}`).join(' | ')}\n`);
  process.stdout.write(`crash: ${Math.round((performance.now() - started) / 1000)} s, ${result.failures.length} failure(s)\n`);
  for (const failure of result.failures) process.stdout.write(`FAIL ${failure}\n`);
  process.exit(result.failures.length > 0 ? 1 : 0);
}
