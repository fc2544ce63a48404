import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../../test/fake-openai-server.js';
import { createProcessEnvironment, startApiProcess, type ApiProcess, type ProcessEnvironment } from '../../test/process.js';

// Idempotency-Key across kill -9: a real API process, killed and started again on the same data.

const reply = {
  reframes: [
    { text: 'One rough meeting does not decide every meeting that follows.', technique: 'evidence_check' },
    { text: 'Even if it goes badly, you have handled hard days before and will again.', technique: 'decatastrophize' },
    { text: 'A friend in your place would get kindness from you; you can offer yourself the same.', technique: 'compassionate_reframe' },
  ],
  microAction: { text: 'Write down one thing that went fine today.', minutes: 3 },
  traps: ['overgeneralization'],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies read field by field
type Json = Record<string, any>;

let fake: FakeOpenAi;
let environment: ProcessEnvironment;
let api: ApiProcess | null = null;
let hang = false;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeOpenAi({
    fallback: () => (hang ? { kind: 'hang' } : { kind: 'reply', content: JSON.stringify(reply), usage: { prompt_tokens: 1, completion_tokens: 1 } }),
  });
  environment = await createProcessEnvironment();
  const deployment = { name: 'fake', provider: 'openai-compatible', baseUrl: fake.baseUrl, model: 'fake-1', maxRetries: 0 };
  env = { ...environment.env, AI_ROUTING: JSON.stringify({ lanes: { quality: [deployment], economy: [deployment] } }), SAFETY_STAGE2: 'false' };
}, 60_000);
afterAll(async () => {
  await api?.kill9();
  await fake?.close();
  await environment?.cleanup();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${api!.baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Json) : null };
}

/** The client a crash matters to: it retries with the same key until it gets an answer that is not "busy". */
async function retryTurn(auth: Record<string, string>, key: string, thought: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await call('POST', '/v1/turns', { thought }, { ...auth, 'idempotency-key': key }).catch(() => null);
    if (res && res.status !== 409 && res.status < 500) return res;
    if (Date.now() > deadline) throw new Error(`no answer for ${key}: ${res?.status} ${JSON.stringify(res?.json)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const turnsUsed = async (auth: Record<string, string>) =>
  ((await call('GET', '/v1/billing/entitlements', undefined, auth)).json!.quotas as { feature: string; used: number }[]).find((q) => q.feature === 'turns')!.used;
const turnIds = async (auth: Record<string, string>) =>
  ((await call('GET', '/v1/turns?limit=50', undefined, auth)).json!.items as { id: string }[]).map((t) => t.id);

describe('POST /v1/turns with Idempotency-Key across kill -9', () => {
  test('killed mid-call, the retry runs once and holds the same quota unit; killed after the answer, the retry replays it from the database', async () => {
    api = await startApiProcess(env);
    const registered = await call('POST', '/v1/auth/register', { email: `crash-${Date.now()}@example.test`, password: 'Correct horse battery 1' });
    expect(registered.status).toBe(201);
    const auth = { authorization: `Bearer ${registered.json!.tokens.accessToken}` };

    // 1. Killed while the model call is in flight: quota reserved, nothing written.
    hang = true;
    const seen = fake.requests.length;
    const inFlight = call('POST', '/v1/turns', { thought: 'I always mess up at work.' }, { ...auth, 'idempotency-key': 'crash-mid' }).catch(() => null);
    while (fake.requests.length === seen) await new Promise((resolve) => setTimeout(resolve, 20));
    await api.kill9();
    expect(await inFlight).toBeNull();
    hang = false;
    api = await startApiProcess(env);
    const mid = await retryTurn(auth, 'crash-mid', 'I always mess up at work.');
    expect(mid.status).toBe(201);
    expect(await turnIds(auth)).toEqual([mid.json!.turn.id]);
    expect(await turnsUsed(auth)).toBe(1);

    // 2. Killed after the answer was sent; started again with an empty cache (a flushed or lost Redis).
    const done = await call('POST', '/v1/turns', { thought: 'Nobody liked my talk.' }, { ...auth, 'idempotency-key': 'crash-after' });
    expect(done.status).toBe(201);
    await api.kill9();
    const freshCache: Record<string, string> = env.REDIS_URL ? { REDIS_KEY_PREFIX: `${env.REDIS_KEY_PREFIX}after:` } : {};
    api = await startApiProcess({ ...env, ...freshCache });
    const usedBefore = await turnsUsed(auth);
    const replayed = await retryTurn(auth, 'crash-after', 'Nobody liked my talk.');
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.json).toEqual(done.json);
    expect(await turnsUsed(auth)).toBe(usedBefore);
    expect((await turnIds(auth)).sort()).toEqual([mid.json!.turn.id, done.json!.turn.id].sort());
  }, 180_000);
});
