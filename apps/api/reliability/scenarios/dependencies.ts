import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { startFakeOpenAi, type FakeBehaviour } from '../../src/test/fake-openai-server.js';
import { freePort, isProblem, registerUser, send, startApi, type Answer, type ScenarioEnv, type ScenarioResult } from '../lib.js';

/**
 * Scenario 4, dependencies failing (issue 15). One API process (the built server) on its own
 * throwaway Redis, on PostgreSQL through a TCP proxy the scenario can cut, and on a fake model
 * server. Each fault in turn: Redis stopped, then started again; PostgreSQL cut (every connection
 * destroyed, new ones refused), then restored; the model answering 500s, hanging, and gone. During
 * each fault a few requests measure what users get; after it, the same requests must be 2xx again
 * within RECOVERY_BOUND_MS, without restarting the API.
 *
 * Failures: a request without an answer within CLIENT_TIMEOUT_MS (a hang), a 500 whose body is
 * not problem+json, /ready saying ready while a dependency is down, no recovery within the bound,
 * and a Turn during a model fault that is not a 201 from the local engine. Every other answer is
 * recorded as the documented degradation (docs/operations.md, Dependency failures).
 *
 * Needs `npm run build` first (it runs the built server).
 */

export const name = 'dependencies';

type Row = ScenarioResult['rows'][number];

const CLIENT_TIMEOUT_MS = 10_000;
const RECOVERY_BOUND_MS = 15_000;
/** Each fault lasts at least this long, so clients' reconnect backoff and the pool's errors get going. */
const FAULT_MS = 3_000;
/** Per model attempt: a hanging model costs a Turn this long before the local engine answers. */
const MODEL_TIMEOUT_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------ the dependencies

interface ThrowawayRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A Redis of the scenario's own, without persistence, that it can stop and start on one port. */
async function startRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    child = proc;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (up) return;
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
      await sleep(50);
    }
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}/0`, stop, start };
}

interface CuttableProxy {
  address: string;
  /** Destroys every connection and refuses new ones, as a stopped server would. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP proxy to `target` (host:port) that can lose the server without stopping it. */
async function startProxy(targetHost: string, targetPort: number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      cut = false;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const modelReply = JSON.stringify({
  reframes: [
    { text: 'One rough meeting does not decide every meeting that follows.', technique: 'evidence_check' },
    { text: 'Even if it goes badly, you have handled hard days before and will again.', technique: 'decatastrophize' },
    { text: 'A friend in your place would get kindness from you; you can offer yourself the same.', technique: 'compassionate_reframe' },
  ],
  microAction: { text: 'Write down one thing that went fine today.', minutes: 3 },
  traps: ['overgeneralization'],
});

// ------------------------------------------------------------------ the scenario

interface Probe {
  label: string;
  answer: Answer;
  ms: number;
}

export default async function dependencies(env: ScenarioEnv): Promise<ScenarioResult> {
  const rows: Row[] = [];
  const failures: string[] = [];
  const target = new URL(env.databaseUrl);
  const redis = await startRedis();
  const proxy = await startProxy(target.hostname, Number(target.port || 5432));
  const healthy: FakeBehaviour = { kind: 'reply', content: modelReply, usage: { prompt_tokens: 1, completion_tokens: 1 } };
  const fake = await startFakeOpenAi({ fallback: healthy });
  const deployment = { name: 'fake', provider: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-1', maxRetries: 0, timeoutMs: MODEL_TIMEOUT_MS };
  let api: Awaited<ReturnType<typeof startApi>> | null = null;
  try {
    api = await startApi(
      { ...env, redisUrl: redis.url },
      {
        REDIS_URL: redis.url,
        AI_ROUTING: JSON.stringify({ lanes: { quality: [deployment], economy: [deployment] } }),
        SAFETY_STAGE2: 'false',
        QUOTA_SCALE: '100',
        // A breaker opened by the model faults closes again within the recovery bound.
        AI_BREAKER_RESET_MS: '3000',
        // Every faulty Turn reaches the model (the breaker would skip it after a few), so each fault is measured.
        AI_BREAKER_MIN_REQUESTS: '1000',
      },
      { databaseAddress: proxy.address },
    );
    const baseUrl = api.baseUrl;
    const user = await registerUser(baseUrl, 'deps');
    const auth = { authorization: `Bearer ${user.token}` };
    let turnNo = 0;

    const timed = async (label: string, method: string, path: string, body?: unknown): Promise<Probe> => {
      const started = performance.now();
      // The probe, like the edge proxy's, carries no token.
      const headers: Record<string, string> = path === '/ready' ? {} : { ...auth };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['idempotency-key'] = `deps-${randomBytes(6).toString('hex')}`;
      }
      const answer = await send(baseUrl, { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: CLIENT_TIMEOUT_MS });
      return { label, answer, ms: Math.round(performance.now() - started) };
    };
    const turn = () => timed('turn', 'POST', '/v1/turns', { thought: `Turn ${++turnNo}: I always mess up at work.` });
    /** One round, one request at a time so each latency is its own: the two reads, a Turn, /ready. */
    const round = async (): Promise<Probe[]> => [
      await timed('me', 'GET', '/v1/me'),
      await timed('turns', 'GET', '/v1/turns?limit=5'),
      await turn(),
      await timed('ready', 'GET', '/ready'),
    ];

    /** The hang and bare-500 checks every answer is held to. */
    const judge = (fault: string, probes: Probe[]) => {
      for (const p of probes) {
        if (p.answer.status === 0) failures.push(`${fault}: ${p.label} got no answer within ${CLIENT_TIMEOUT_MS} ms (${p.answer.text.slice(0, 120)})`);
        else if (p.answer.status >= 500 && p.answer.status !== 503 && !isProblem(p.answer))
          failures.push(`${fault}: ${p.label} answered ${p.answer.status} without problem+json: ${p.answer.text.slice(0, 200)}`);
        else if (p.answer.status === 503 && p.label !== 'ready' && !isProblem(p.answer))
          failures.push(`${fault}: ${p.label} answered 503 without problem+json: ${p.answer.text.slice(0, 200)}`);
      }
    };
    const summary = (probes: Probe[]) => {
      const byLabel = new Map<string, number[]>();
      for (const p of probes) byLabel.set(p.label, [...(byLabel.get(p.label) ?? []), p.answer.status]);
      return [...byLabel].map(([label, codes]) => `${label} ${[...new Set(codes)].join('/')}`).join(', ');
    };
    /** Rounds during a fault: at least three, for at least FAULT_MS. */
    const during = async (fault: string, wantNotReady: boolean) => {
      const probes: Probe[] = [];
      const started = performance.now();
      for (let i = 0; i < 3 || performance.now() - started < FAULT_MS; i += 1) {
        probes.push(...(await round()));
        await sleep(250);
      }
      judge(fault, probes);
      const readyProbes = probes.filter((p) => p.label === 'ready');
      if (wantNotReady && readyProbes.some((p) => p.answer.status === 200)) failures.push(`${fault}: /ready answered 200 while the dependency was down`);
      return { probes };
    };
    /** Polls until reads, a Turn and /ready are all 2xx; the milliseconds it took, or null. */
    const recovery = async (fault: string, extra?: (p: Probe) => boolean): Promise<{ ms: number | null; probes: Probe[] }> => {
      const started = performance.now();
      const probes: Probe[] = [];
      while (performance.now() - started < RECOVERY_BOUND_MS) {
        const answers = await round();
        probes.push(...answers);
        if (answers.every((p) => p.answer.status >= 200 && p.answer.status < 300) && (!extra || extra(answers[2]!)))
          return { ms: Math.round(performance.now() - started), probes };
        await sleep(250);
      }
      failures.push(`${fault}: not all 2xx again within ${RECOVERY_BOUND_MS} ms after recovery; last: ${summary(probes.slice(-4))}`);
      return { ms: null, probes };
    };
    const engineOf = (p: Probe) => ((p.answer.json as { turn?: { engine?: { engine?: string } } } | undefined)?.turn?.engine?.engine ?? '-');
    /** The problem codes of the failed answers, e.g. `internal_error`. */
    const codes = (probes: Probe[]) => {
      const seen = new Set(probes.filter((p) => p.answer.status >= 400 && p.label !== 'ready').map((p) => (p.answer.json as { code?: string } | undefined)?.code ?? '-'));
      return seen.size > 0 ? `codes ${[...seen].join('/')}` : '';
    };
    const row = (fault: string, probes: Probe[], recoveredMs: number | null | string, note = codes(probes)) => {
      rows.push({
        fault,
        during: summary(probes),
        'max ms': Math.max(...probes.map((p) => p.ms)),
        'recovered ms': recoveredMs === null ? 'NO' : recoveredMs,
        note,
      });
    };

    // Baseline: everything answers, the Turn from the model.
    const base = await round();
    judge('baseline', base);
    if (!base.every((p) => p.answer.status >= 200 && p.answer.status < 300)) failures.push(`baseline not all 2xx: ${summary(base)}`);
    row('baseline', base, '-', `turn engine ${engineOf(base[2]!)}`);

    // Redis stopped, then started again (empty: it kept nothing).
    await redis.stop();
    const redisDown = await during('redis stopped', true);
    await redis.start();
    const redisBack = await recovery('redis restarted');
    judge('redis restarted', redisBack.probes);
    row('redis stopped', redisDown.probes, redisBack.ms);

    // PostgreSQL lost: every connection cut, new ones refused; then reachable again.
    proxy.cut();
    const pgDown = await during('postgres cut', true);
    proxy.restore();
    const pgBack = await recovery('postgres restored');
    judge('postgres restored', pgBack.probes);
    row('postgres cut', pgDown.probes, pgBack.ms);

    // The model: 500s, hanging, gone. A Turn must still be a 201 from the local engine.
    const modelFault = async (fault: string, behaviour: FakeBehaviour | null) => {
      if (behaviour) fake.setFallback(behaviour);
      else await fake.close();
      const probes: Probe[] = [];
      for (let i = 0; i < 3; i += 1) probes.push(await turn());
      judge(fault, probes);
      for (const p of probes) {
        if (p.answer.status !== 201 || engineOf(p) !== 'local')
          failures.push(`${fault}: Turn answered ${p.answer.status} engine ${engineOf(p)}, not 201 from the local engine`);
      }
      return probes;
    };
    const model500 = await modelFault('model 500s', { kind: 'error', status: 500 });
    row('model 500s', model500, '-', `engines ${[...new Set(model500.map(engineOf))].join('/')}`);
    const modelHang = await modelFault('model hangs', { kind: 'hang' });
    fake.setFallback(healthy);
    const modelBack = await recovery('model back', (p) => engineOf(p) === 'model');
    row('model hangs', modelHang, modelBack.ms, `engines ${[...new Set(modelHang.map(engineOf))].join('/')}; recovered = model again`);
    const modelGone = await modelFault('model gone', null);
    row('model gone', modelGone, '-', `engines ${[...new Set(modelGone.map(engineOf))].join('/')}`);
  } finally {
    await api?.stop().catch((error: Error) => failures.push(`stopping the API: ${error.message}`));
    await fake.close().catch(() => {});
    await proxy.close();
    await redis.stop();
  }
  return { rows, failures };
}
