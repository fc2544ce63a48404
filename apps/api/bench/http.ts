// HTTP benchmarks against real PostgreSQL + Redis: the API's routes beside bare Fastify routes
// doing the same database work, measured in one run so the ratios hold on a noisy machine.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import pg from 'pg';
import { load, median, paced, spawnWithFirstLine, waitFor, type LoadResult, type PacedRequest } from './lib.js';

const report = (round: number, result: LoadResult) =>
  console.error(
    `round ${round + 1} ${result.name}: ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, server CPU ${result.cpuMsPerRequest ?? '?'} ms/req, errors ${result.errors}, non-2xx ${result.non2xx}`,
  );

const root = fileURLToPath(new URL('../../../', import.meta.url));
const apiServer = path.join(root, 'apps/api/dist/server.js');
const migrateScript = path.join(root, 'apps/api/dist/migrate.js');
const tsx = path.join(root, 'node_modules/.bin/tsx');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function json(url: string, init: RequestInit & { body?: string } = {}) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

export interface HttpBenchResult {
  rounds: number;
  runs: LoadResult[];
  summary: Record<string, { rps: number; p50: number; p99: number; cpuMsPerRequest: number }>;
  ratios: { meVsBareSelect: number; turnsVsBareInsert: number; mirrorVsBareInsert: number; turnsVsBareTurn: number; mirrorVsBareTurn: number };
  /** Capacity with two API processes behind the same database and Redis, against one (same run). */
  twoProcesses: { meRps: number; meRpsOne: number; meScale: number; turnsRps: number; turnsRpsOne: number; turnsScale: number };
  modelP50: number;
  /** API latency minus the model's, both at the same fixed offered rate over 50 connections. */
  overhead: { ratePerSecond: number; turns: { p50: number; p99: number }; mirror: { p50: number; p99: number } };
}

// The model's median is taken off both percentiles: taking its p99 off the API's p99 would assume
// the slowest model answers and the slowest API requests are the same ones, and flatter the tail.
const overheadOf = (api: { p50: number; p99: number }, model: { p50: number }) => ({
  p50: Math.round(Math.max(0, api.p50 - model.p50) * 100) / 100,
  p99: Math.round(Math.max(0, api.p99 - model.p50) * 100) / 100,
});

/** Runs the HTTP benchmarks; `adminUrl` is a PostgreSQL superuser URL, `redisUrl` a Redis URL. */
export async function runHttpBench(adminUrl: string, redisUrl: string, rounds = 2): Promise<HttpBenchResult> {
  const name = `kalei_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-bench-'));
  const children: { kill(): boolean }[] = [];
  try {
    const baseEnv = { ...process.env, DATABASE_URL: dbUrl.toString(), REDIS_URL: redisUrl, KALEI_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    await new Promise<void>((resolve, reject) => {
      void spawnWithFirstLine('node', [migrateScript], baseEnv).then(({ child }) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error('migrate failed')))), reject);
    });

    const fake = await spawnWithFirstLine(tsx, [path.join(root, 'apps/api/bench/fake-model.ts')], process.env);
    children.push(fake.child);
    const modelUrl = fake.line;
    const deployment = { name: 'bench', provider: 'openai-compatible', baseUrl: modelUrl, model: 'bench-model', timeoutMs: 5000, maxRetries: 0, pricePerMillion: { input: 0.1, output: 0.4 } };
    const apiEnv = {
      ...baseEnv,
      QUOTA_SCALE: '10000',
      LOGIN_RATE_LIMIT_PER_IP: '100000',
      // The load comes from one address and a few users: the request limits run but never refuse.
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_USER_PER_MINUTE: '100000000',
      AI_MONTHLY_SPEND_CAP: '0',
      AI_ROUTING: JSON.stringify({ lanes: { quality: [deployment], economy: [deployment] } }),
    };
    const startApi = async (apiPort: number) => {
      const started = await spawnWithFirstLine('node', [apiServer], { ...apiEnv, PORT: String(apiPort) }).catch(async () => {
        throw new Error('the API did not start');
      });
      children.push(started.child);
      await waitFor(`http://127.0.0.1:${apiPort}/ready`);
      return started;
    };
    const port = await freePort();
    const api = await startApi(port);
    // A second process on the same database and Redis: what one more core's worth of API buys.
    const secondPort = await freePort();
    const second = await startApi(secondPort);
    const base = `http://127.0.0.1:${port}`;
    const secondBase = `http://127.0.0.1:${secondPort}`;

    const bare = await spawnWithFirstLine(tsx, [path.join(root, 'apps/api/bench/bare-server.ts')], { ...baseEnv, MODEL_URL: modelUrl });
    children.push(bare.child);
    const bareBase = `http://127.0.0.1:${bare.line}`;

    const registered = await json(`${base}/v1/auth/register`, {
      method: 'POST',
      body: JSON.stringify({ email: `bench-${randomBytes(4).toString('hex')}@example.test`, password: 'Benchmark password 2026!' }),
    });
    const userId = (registered.user as { id: string }).id;
    const token = (registered.tokens as { accessToken: string }).accessToken;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const sessions: string[] = [];
    for (let i = 0; i < 300; i++) sessions.push((await json(`${base}/v1/mirror/sessions`, { method: 'POST', headers: auth, body: '{}' })).id as string);
    let next = 0;

    // A fresh access token lasts 15 minutes: long enough for every round.
    const modelRequestBody = JSON.stringify({ model: 'bench', messages: [], response_format: { type: 'json_schema', json_schema: { name: 'turn_reframe' } } });
    const turnBody = JSON.stringify({ thought: 'I always ruin everything at work and they will fire me.' });
    // 300 sessions of 100 messages leave room for every request of the run.
    const mirrorBody = () =>
      JSON.stringify({ sessionId: sessions[Math.floor(next++ / 100) % sessions.length], text: 'Long day. I always ruin everything, and tomorrow will be worse.' });
    const scenarios: Record<string, autocannon.Options & { server: number | undefined }> = {
      model: {
        server: fake.child.pid,
        url: `${modelUrl}/chat/completions`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: modelRequestBody,
      },
      bareSelect: { server: bare.child.pid, url: `${bareBase}/bare/select/${userId}` },
      me: { server: api.child.pid, url: `${base}/v1/me`, headers: auth },
      bareInsert: { server: bare.child.pid, url: `${bareBase}/bare/insert`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'x'.repeat(120) }) },
      // The fair anchor for Turn: the same model call and insert, without anything else a Turn does.
      bareTurn: { server: bare.child.pid, url: `${bareBase}/bare/turn`, method: 'POST', headers: { 'content-type': 'application/json' }, body: turnBody },
      turns: { server: api.child.pid, url: `${base}/v1/turns`, method: 'POST', headers: auth, body: turnBody },
      mirror: {
        server: api.child.pid,
        url: `${base}/v1/mirror/messages`,
        method: 'POST',
        headers: auth,
        requests: [
          {
            setupRequest: (request) => ({ ...request, body: mirrorBody() }),
          },
        ],
      },
    };
    // Closed-loop at saturation, latency is queueing (50 connections / req/s), not what a request
    // costs. The overhead goal is read at a fixed offered rate under capacity: the model alone and
    // through the API at the same rate, open-loop over a pool of 50 connections.
    const rate = Number(process.env.BENCH_RATE ?? 200);
    const pacedScenarios: Record<string, { server: number | undefined; request: PacedRequest }> = {
      modelAtRate: {
        server: fake.child.pid,
        request: { url: `${modelUrl}/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body: () => modelRequestBody },
      },
      turnsAtRate: { server: api.child.pid, request: { url: `${base}/v1/turns`, method: 'POST', headers: auth, body: () => turnBody } },
      mirrorAtRate: { server: api.child.pid, request: { url: `${base}/v1/mirror/messages`, method: 'POST', headers: auth, body: mirrorBody } },
    };
    // BENCH_ONLY=bareInsert,turns narrows a run while working on one path; ratios need both sides.
    const only = process.env.BENCH_ONLY?.split(',');
    if (only) for (const table of [scenarios, pacedScenarios]) for (const key of Object.keys(table)) if (!only.includes(key)) delete table[key];
    // Warm every path, then alternate rounds so drift hits every scenario alike.
    for (const [key, { server: _server, ...options }] of Object.entries(scenarios)) await load(key, { ...options, duration: 2 });
    for (const [key, { request }] of Object.entries(pacedScenarios)) await paced(key, request, rate, 2);
    const runs: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const [key, { server, ...options }] of Object.entries(scenarios)) {
        const result = await load(key, options, server);
        runs.push(result);
        report(round, result);
      }
      for (const [key, { server, request }] of Object.entries(pacedScenarios)) {
        const result = await paced(key, request, rate, 10, server);
        runs.push(result);
        report(round, result);
      }
    }
    // One process and two at 50 connections in all, alternating; the two are loaded at once, 25 each.
    const pairs: Record<string, { one: number[]; two: number[] }> = { me: { one: [], two: [] }, turns: { one: [], two: [] } };
    // Each round's turns come from a fresh user, so the daily quota (QUOTA_SCALE is capped) never answers instead.
    const freshAuth = async () => {
      const user = await json(`${base}/v1/auth/register`, {
        method: 'POST',
        body: JSON.stringify({ email: `bench-${randomBytes(4).toString('hex')}@example.test`, password: 'Benchmark password 2026!' }),
      });
      return { authorization: `Bearer ${(user.tokens as { accessToken: string }).accessToken}`, 'content-type': 'application/json' };
    };
    const refused: string[] = [];
    const counted = (result: LoadResult) => {
      if (result.errors > 0 || result.non2xx > 0) refused.push(`${result.name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
      return result.rps;
    };
    if (!only || only.includes('twoProcesses')) {
      for (let round = 0; round < rounds; round++) {
        for (const key of ['me', 'turns'] as const) {
          const headers = await freshAuth();
          const first: autocannon.Options = key === 'me' ? { url: `${base}/v1/me`, headers } : { url: `${base}/v1/turns`, method: 'POST', headers, body: turnBody };
          const other: autocannon.Options = { ...first, url: String(first.url).replace(base, secondBase), headers: key === 'me' ? headers : await freshAuth() };
          const one = counted(await load(`${key}OneProcess`, first, api.child.pid));
          const both = await Promise.all([load(`${key}TwoProcesses`, { ...first, connections: 25, headers: key === 'me' ? headers : await freshAuth() }, api.child.pid), load(`${key}TwoProcesses`, { ...other, connections: 25 }, second.child.pid)]);
          pairs[key]!.one.push(one);
          pairs[key]!.two.push(counted(both[0]) + counted(both[1]));
          console.error(`round ${round + 1} ${key}: one process ${one} req/s, two processes ${both[0].rps} + ${both[1].rps} req/s`);
        }
      }
      if (refused.length > 0) throw new Error(`two-process runs had refused requests: ${refused.join('; ')}`);
    }
    const scale = (key: string) => {
      const pair = pairs[key]!;
      const one = median(pair.one);
      const two = median(pair.two);
      return { one, two, ratio: Math.round((two / one) * 100) / 100 };
    };
    const summary: HttpBenchResult['summary'] = {};
    for (const key of [...Object.keys(scenarios), ...Object.keys(pacedScenarios)]) {
      const mine = runs.filter((r) => r.name === key);
      summary[key] = {
        rps: median(mine.map((r) => r.rps)),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        cpuMsPerRequest: median(mine.map((r) => r.cpuMsPerRequest ?? Number.NaN)),
      };
    }
    const s = (key: string) => summary[key] ?? { rps: Number.NaN, p50: Number.NaN, p99: Number.NaN, cpuMsPerRequest: Number.NaN };
    const modelP50 = s('model').p50;
    return {
      rounds,
      runs,
      summary,
      ratios: {
        meVsBareSelect: Math.round((s('me').rps / s('bareSelect').rps) * 1000) / 1000,
        turnsVsBareInsert: Math.round((s('turns').rps / s('bareInsert').rps) * 1000) / 1000,
        mirrorVsBareInsert: Math.round((s('mirror').rps / s('bareInsert').rps) * 1000) / 1000,
        turnsVsBareTurn: Math.round((s('turns').rps / s('bareTurn').rps) * 1000) / 1000,
        mirrorVsBareTurn: Math.round((s('mirror').rps / s('bareTurn').rps) * 1000) / 1000,
      },
      twoProcesses: {
        meRps: scale('me').two,
        meRpsOne: scale('me').one,
        meScale: scale('me').ratio,
        turnsRps: scale('turns').two,
        turnsRpsOne: scale('turns').one,
        turnsScale: scale('turns').ratio,
      },
      modelP50,
      overhead: {
        ratePerSecond: rate,
        turns: overheadOf(s('turnsAtRate'), s('modelAtRate')),
        mirror: overheadOf(s('mirrorAtRate'), s('modelAtRate')),
      },
    };
  } finally {
    for (const child of children) child.kill();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
