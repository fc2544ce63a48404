import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AiTaskName, AiTaskOutput, TurnReframeOutput } from '@kalei/contracts/ai-tasks';
import type { Cache } from '../../infra/cache.js';
import { createMemoryCache } from '../../infra/cache-memory.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../test/fake-openai-server.js';
import { AiUnavailableError } from './errors.js';
import type { LocalEngine } from './providers/local.js';
import { parseRouting } from './routing.js';
import { createAiGateway, type AiGateway, type AiGatewayDeps, type AiStreamEvent, type AiUsageEvent } from './service.js';

const validTurn: TurnReframeOutput = {
  reframes: [
    { text: 'Exams feel huge right now, and one result is one moment, not your whole path.', technique: 'decatastrophize' },
    { text: 'You have prepared before and got through; that is evidence too.', technique: 'evidence_check' },
    { text: 'If a friend said this, you would remind them how hard they have worked.', technique: 'compassionate_reframe' },
  ],
  microAction: { text: 'Write down three topics you already know well.', minutes: 5 },
  traps: ['catastrophizing', 'fortune_telling'],
};
const turnInput = { thought: 'I will fail the exam and everything will be ruined.' };

// A stand-in with the local engine's shape: these tests are about the gateway, not the engine's rules.
const localOutputs: { [T in AiTaskName]: AiTaskOutput<T> } = {
  'turn.reframe': {
    reframes: [
      { text: 'Local reframe one.', technique: 'balanced_thinking' },
      { text: 'Local reframe two.', technique: 'impermanence' },
      { text: 'Local reframe three.', technique: 'perspective_shift' },
    ],
    microAction: { text: 'Take three slow breaths.', minutes: 1 },
    traps: [],
  },
  'mirror.detectFragments': { fragments: [] },
  'mirror.reframeFragment': { reframe: 'Local.', technique: 'balanced_thinking' },
  'mirror.reflect': { reflection: 'Local reflection.', themes: [] },
  'lens.affirmation': { affirmation: 'I can take one small step.' },
  'lens.focus': { focus: 'One small step today.' },
  'spectrum.narrative': { headline: 'A steady week.', insights: ['You showed up.'] },
  'safety.confirm': { crisis: false, category: null, confidence: 0.9 },
};
const localEngine: LocalEngine = {
  version: 'test-1',
  run: ((task: AiTaskName) => localOutputs[task]) as LocalEngine['run'],
};

const PRICE = { input: 0.5, output: 1.5 };

let serverA: FakeOpenAi;
let serverB: FakeOpenAi;
const gateways: AiGateway[] = [];

beforeEach(async () => {
  serverA = await startFakeOpenAi();
  serverB = await startFakeOpenAi();
});

afterEach(async () => {
  for (const gateway of gateways.splice(0)) gateway.close();
  await Promise.all([serverA.close(), serverB.close()]);
});

function deployment(name: string, server: FakeOpenAi, extra: Record<string, unknown> = {}) {
  return {
    name,
    provider: 'openai-compatible',
    baseUrl: server.baseUrl,
    model: `${name}-model`,
    timeoutMs: 2_000,
    maxRetries: 1,
    pricePerMillion: PRICE,
    ...extra,
  };
}

function setup(
  lanes: { quality?: unknown[]; economy?: unknown[] },
  options: { cache?: Cache; breaker?: AiGatewayDeps['breaker']; retry?: AiGatewayDeps['retry'] } = {},
) {
  const events: AiUsageEvent[] = [];
  const sleeps: number[] = [];
  const cache = options.cache ?? createMemoryCache();
  const gateway = createAiGateway({
    routing: parseRouting({ lanes }, {}),
    cache,
    recordUsage: (event) => {
      events.push(event);
    },
    localEngine,
    logger: pino({ level: 'silent' }),
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    breaker: { volumeThreshold: 100, ...options.breaker },
    retry: { baseMs: 200, maxMs: 3_000, ...options.retry },
  });
  gateways.push(gateway);
  return { gateway, events, sleeps, cache };
}

const ctx = { userId: 'user-1', feature: 'turn', requestId: 'req-1' };

async function collect<T extends AiTaskName>(stream: AsyncIterable<AiStreamEvent<T>>): Promise<AiStreamEvent<T>[]> {
  const seen: AiStreamEvent<T>[] = [];
  for await (const event of stream) seen.push(event);
  return seen;
}

const brief = (events: AiUsageEvent[]) => events.map((e) => `${e.deployment}:${e.outcome}`);

describe('run', () => {
  test('happy path: request shape, validated output, usage and cost', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA)] });
    serverA.enqueue({ kind: 'reply', content: JSON.stringify(validTurn), usage: { prompt_tokens: 1_000, completion_tokens: 2_000 } });

    const result = await gateway.run('turn.reframe', turnInput, ctx);

    expect(result).toEqual({
      output: validTurn,
      engine: { engine: 'model', model: 'a-model', promptVersion: 'turn.reframe@1' },
      usage: { inputTokens: 1_000, outputTokens: 2_000, costMicros: 3_500 },
      deployment: 'a',
    });
    const [request] = serverA.requests;
    expect(request?.body.model).toBe('a-model');
    expect(request?.body.stream).toBeFalsy();
    expect(request?.body.max_tokens).toBe(900);
    expect(request?.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'turn_reframe', strict: true } });
    expect(request?.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request?.body.messages?.[1]?.content).toContain(turnInput.thought);
    expect(events).toEqual([
      {
        userId: 'user-1',
        feature: 'turn',
        task: 'turn.reframe',
        promptVersion: 'turn.reframe@1',
        lane: 'quality',
        provider: 'openai-compatible',
        deployment: 'a',
        model: 'a-model',
        inputTokens: 1_000,
        outputTokens: 2_000,
        costMicros: 3_500,
        latencyMs: expect.any(Number),
        outcome: 'ok',
        attempt: 1,
        estimated: false,
        requestId: 'req-1',
      },
    ]);
  });

  test('429 with Retry-After in seconds: waits exactly that long, then succeeds', async () => {
    const { gateway, events, sleeps } = setup({ quality: [deployment('a', serverA)] });
    serverA.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '2' } }, { kind: 'reply', content: JSON.stringify(validTurn) });

    const result = await gateway.run('turn.reframe', turnInput, ctx);

    expect(result.deployment).toBe('a');
    expect(sleeps).toEqual([2_000]);
    expect(brief(events)).toEqual(['a:error', 'a:ok']);
    expect(events.map((e) => e.attempt)).toEqual([1, 2]);
  });

  test('429 with Retry-After as an HTTP date', async () => {
    const { gateway, sleeps } = setup({ quality: [deployment('a', serverA)] });
    const at = new Date(Date.now() + 3_000).toUTCString();
    serverA.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': at } }, { kind: 'reply', content: JSON.stringify(validTurn) });

    await gateway.run('turn.reframe', turnInput, ctx);

    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(1_000);
    expect(sleeps[0]).toBeLessThanOrEqual(3_000);
  });

  test('a Retry-After longer than the limit moves on to the next deployment without waiting', async () => {
    const { gateway, events, sleeps } = setup({ quality: [deployment('a', serverA), deployment('b', serverB)] });
    serverA.enqueue({ kind: 'error', status: 503, headers: { 'retry-after': '120' } });
    serverB.enqueue({ kind: 'reply', content: JSON.stringify(validTurn) });

    const result = await gateway.run('turn.reframe', turnInput, ctx);

    expect(result.deployment).toBe('b');
    expect(sleeps).toEqual([]);
    expect(brief(events)).toEqual(['a:error', 'b:ok']);
  });

  test('500 then success after a jittered exponential backoff', async () => {
    const { gateway, events, sleeps } = setup({ quality: [deployment('a', serverA, { maxRetries: 2 })] });
    serverA.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 502 }, { kind: 'reply', content: JSON.stringify(validTurn) });

    await gateway.run('turn.reframe', turnInput, ctx);

    // base 200, random 0.5: retry 1 waits 100 + 50, retry 2 waits 200 + 100.
    expect(sleeps).toEqual([150, 300]);
    expect(brief(events)).toEqual(['a:error', 'a:error', 'a:ok']);
    expect(events.slice(0, 2).map((e) => e.costMicros)).toEqual([0, 0]);
  });

  test('other 4xx are not retried: straight to the next deployment', async () => {
    const { gateway, events, sleeps } = setup({ quality: [deployment('a', serverA, { maxRetries: 3 }), deployment('b', serverB)] });
    serverA.enqueue({ kind: 'error', status: 400 });
    serverB.enqueue({ kind: 'reply', content: JSON.stringify(validTurn) });

    await gateway.run('turn.reframe', turnInput, ctx);

    expect(serverA.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(brief(events)).toEqual(['a:error', 'b:ok']);
  });

  test('a slow answer times out, is retried, and then falls back to the local engine', async () => {
    const { gateway, events, sleeps } = setup({ quality: [deployment('a', serverA, { timeoutMs: 150, maxRetries: 1 })] });
    serverA.enqueue({ kind: 'hang' }, { kind: 'reply', content: JSON.stringify(validTurn), delayMs: 1_000 });

    const started = Date.now();
    const result = await gateway.run('turn.reframe', turnInput, ctx);

    expect(Date.now() - started).toBeLessThan(900);
    expect(result.engine).toEqual({ engine: 'local', model: 'local', promptVersion: 'local@test-1' });
    expect(result.output).toEqual(localOutputs['turn.reframe']);
    expect(sleeps).toHaveLength(1);
    expect(brief(events)).toEqual(['a:timeout', 'a:timeout', 'local:ok']);
    expect(events[0]?.latencyMs).toBeGreaterThanOrEqual(140);
    expect(events[2]).toMatchObject({ provider: 'local', costMicros: 0, estimated: true, attempt: 3 });
    expect(events[2]?.inputTokens).toBeGreaterThan(0);
  });

  test('falls back through the lane: next deployment, then the local engine', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA, { maxRetries: 0 }), deployment('b', serverB, { maxRetries: 0 })] });
    serverA.enqueue({ kind: 'error', status: 500 }, { kind: 'destroy' });
    serverB.enqueue({ kind: 'reply', content: JSON.stringify(validTurn) }, { kind: 'error', status: 503 });

    const first = await gateway.run('turn.reframe', turnInput, ctx);
    expect(first.deployment).toBe('b');
    expect(brief(events)).toEqual(['a:error', 'b:ok']);

    events.length = 0;
    const second = await gateway.run('turn.reframe', turnInput, ctx);
    expect(second.deployment).toBe('local');
    expect(second.engine.engine).toBe('local');
    expect(brief(events)).toEqual(['a:error', 'b:error', 'local:ok']);
    expect(events.map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  test('schema-invalid output gets one repair attempt with the problems sent back', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA)] });
    const invalid = JSON.stringify({ ...validTurn, reframes: validTurn.reframes.slice(0, 1) });
    serverA.enqueue(
      { kind: 'reply', content: invalid, usage: { prompt_tokens: 100, completion_tokens: 50 } },
      { kind: 'reply', content: JSON.stringify(validTurn), usage: { prompt_tokens: 200, completion_tokens: 100 } },
    );

    const result = await gateway.run('turn.reframe', turnInput, ctx);

    expect(result.output).toEqual(validTurn);
    const repair = serverA.requests[1]?.body.messages ?? [];
    expect(repair.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair[2]?.content).toBe(invalid);
    expect(repair[3]?.content).toMatch(/reframes/);
    expect(brief(events)).toEqual(['a:invalid_output', 'a:ok']);
    expect(events.map((e) => e.costMicros)).toEqual([100 * 0.5 + 50 * 1.5, 200 * 0.5 + 100 * 1.5]);
    expect(result.usage).toEqual({ inputTokens: 300, outputTokens: 150, costMicros: 375 });
  });

  test('output still invalid after the repair falls back', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA), deployment('b', serverB)] });
    serverA.enqueue({ kind: 'reply', content: 'Sure! Here are some reframes.' }, { kind: 'reply', content: '{"reframes": []}' });
    serverB.enqueue({ kind: 'reply', content: '```json\n' + JSON.stringify(validTurn) + '\n```' });

    const result = await gateway.run('turn.reframe', turnInput, ctx);

    expect(result.deployment).toBe('b');
    expect(brief(events)).toEqual(['a:invalid_output', 'a:invalid_output', 'b:ok']);
  });

  test('usage for every attempt, with cost only where tokens were used', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA, { maxRetries: 1 })] });
    serverA.enqueue(
      { kind: 'error', status: 500 },
      { kind: 'reply', content: '{"reframes": 3}', usage: { prompt_tokens: 100, completion_tokens: 50 } },
      { kind: 'reply', content: JSON.stringify(validTurn), usage: { prompt_tokens: 200, completion_tokens: 100 } },
    );

    const result = await gateway.run('turn.reframe', turnInput, ctx);

    expect(events.map((e) => [e.attempt, e.outcome, e.inputTokens, e.outputTokens, e.costMicros, e.estimated])).toEqual([
      [1, 'error', 0, 0, 0, false],
      [2, 'invalid_output', 100, 50, 125, false],
      [3, 'ok', 200, 100, 250, false],
    ]);
    expect(result.usage).toEqual({ inputTokens: 300, outputTokens: 150, costMicros: 375 });
    expect(new Set(events.map((e) => e.requestId))).toEqual(new Set(['req-1']));
  });

  test('a server that reports no usage gets an estimate', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA)] });
    serverA.enqueue({ kind: 'reply', content: JSON.stringify(validTurn), usage: null });

    await gateway.run('turn.reframe', turnInput, ctx);

    expect(events[0]).toMatchObject({ outcome: 'ok', estimated: true, outputTokens: Math.ceil(JSON.stringify(validTurn).length / 4) });
    expect(events[0]?.costMicros).toBeGreaterThan(0);
  });

  test('degrade hooks: forceLocal skips every model; a lane override reroutes', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA)], economy: [deployment('b', serverB)] });

    const forced = await gateway.run('turn.reframe', turnInput, { ...ctx, forceLocal: true });
    expect(forced.engine.engine).toBe('local');
    expect(serverA.requests).toHaveLength(0);
    expect(brief(events)).toEqual(['local:ok']);

    serverA.enqueue({ kind: 'reply', content: JSON.stringify({ focus: 'Drink a glass of water before lunch.' }) });
    const rerouted = await gateway.run('lens.focus', { goals: ['sleep better'], recentTraps: [], localDate: '2026-03-01' }, { ...ctx, feature: 'lens', lane: 'quality' });
    expect(rerouted.deployment).toBe('a');
    expect(events.at(-1)).toMatchObject({ lane: 'quality', task: 'lens.focus', promptVersion: 'lens.focus@1' });
    expect(serverB.requests).toHaveLength(0);
  });

  test('no routing at all: the local engine answers every lane', async () => {
    const { gateway, events } = setup({});
    const result = await gateway.run('spectrum.narrative', { period: 'weekly', trapCounts: { labeling: 2 }, turns: 3, mirrorSessions: 1 }, { feature: 'spectrum' });
    expect(result.output).toEqual(localOutputs['spectrum.narrative']);
    expect(events).toMatchObject([{ deployment: 'local', lane: 'economy', userId: null, requestId: null, outcome: 'ok' }]);
  });

  test('the caller cancelling stops the call without falling back', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA)] });
    serverA.enqueue({ kind: 'hang' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);

    await expect(gateway.run('turn.reframe', turnInput, { ...ctx, signal: abort.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(brief(events)).toEqual(['a:cancelled']);
  });

  test('the local engine failing too is AiUnavailableError with a Retry-After', async () => {
    const broken: LocalEngine = {
      version: 'broken',
      run: (() => {
        throw new Error('rules missing');
      }) as LocalEngine['run'],
    };
    const events: AiUsageEvent[] = [];
    const gateway = createAiGateway({
      routing: parseRouting({ lanes: { quality: [deployment('a', serverA, { maxRetries: 0 })] } }, {}),
      cache: createMemoryCache(),
      recordUsage: (event) => {
        events.push(event);
      },
      localEngine: broken,
      logger: pino({ level: 'silent' }),
      sleep: async () => {},
    });
    gateways.push(gateway);
    serverA.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '7' } });

    const error = await gateway.run('turn.reframe', turnInput, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiUnavailableError);
    expect(error).toMatchObject({ code: 'ai_unavailable', retryAfterSeconds: 7 });
    expect(brief(events)).toEqual(['a:error', 'local:error']);
  });
});

describe('circuit breaker', () => {
  const breaker = { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 300, rollingWindowMs: 10_000 };
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test('opens after failures, is shared through the cache, and a half-open probe closes it', async () => {
    const lanes = { quality: [deployment('a', serverA, { maxRetries: 0 })] };
    const { gateway, events, cache } = setup(lanes, { breaker });
    const other = setup(lanes, { breaker, cache });
    serverA.setFallback({ kind: 'error', status: 500 });

    await gateway.run('turn.reframe', turnInput, ctx);
    await gateway.run('turn.reframe', turnInput, ctx);
    expect(gateway.breakerState('a')).toBe('open');
    expect(serverA.requests).toHaveLength(2);

    events.length = 0;
    const skipped = await gateway.run('turn.reframe', turnInput, ctx);
    expect(skipped.deployment).toBe('local');
    expect(brief(events)).toEqual(['a:circuit_open', 'local:ok']);
    expect(events[0]).toMatchObject({ inputTokens: 0, costMicros: 0, latencyMs: 0 });
    expect(serverA.requests).toHaveLength(2);

    // Another process that never saw a failure still skips the deployment.
    await other.gateway.run('turn.reframe', turnInput, ctx);
    expect(brief(other.events)).toEqual(['a:circuit_open', 'local:ok']);
    expect(serverA.requests).toHaveLength(2);

    // After the reset timeout one probe goes through; it fails, so the breaker opens again.
    await wait(350);
    expect(gateway.breakerState('a')).toBe('halfOpen');
    events.length = 0;
    await gateway.run('turn.reframe', turnInput, ctx);
    expect(brief(events)).toEqual(['a:error', 'local:ok']);
    expect(gateway.breakerState('a')).toBe('open');

    // The next probe succeeds and closes it.
    await wait(350);
    serverA.setFallback({ kind: 'reply', content: JSON.stringify(validTurn) });
    events.length = 0;
    const probed = await gateway.run('turn.reframe', turnInput, ctx);
    expect(probed.deployment).toBe('a');
    expect(gateway.breakerState('a')).toBe('closed');
    expect(await cache.get('ai:breaker:a')).toBeNull();

    other.events.length = 0;
    await other.gateway.run('turn.reframe', turnInput, ctx);
    expect(brief(other.events)).toEqual(['a:ok']);
  });

  test('another process reads the shared state at most once per refresh interval', async () => {
    const lanes = { quality: [deployment('a', serverA, { maxRetries: 0 })] };
    const { gateway, cache } = setup(lanes, { breaker: { ...breaker, resetTimeoutMs: 5_000 } });
    const other = setup(lanes, { breaker: { ...breaker, resetTimeoutMs: 5_000, sharedStateRefreshMs: 200 }, cache });
    serverA.setFallback({ kind: 'reply', content: JSON.stringify(validTurn) });
    await other.gateway.run('turn.reframe', turnInput, ctx);

    serverA.setFallback({ kind: 'error', status: 500 });
    await gateway.run('turn.reframe', turnInput, ctx);
    await gateway.run('turn.reframe', turnInput, ctx);
    expect(gateway.breakerState('a')).toBe('open');
    expect(await cache.get('ai:breaker:a')).not.toBeNull();

    // Within the interval the other process still trusts its last read; after it, it sees the mark.
    other.events.length = 0;
    await other.gateway.run('turn.reframe', turnInput, ctx);
    expect(brief(other.events)).toEqual(['a:error', 'local:ok']);
    await wait(250);
    other.events.length = 0;
    await other.gateway.run('turn.reframe', turnInput, ctx);
    expect(brief(other.events)).toEqual(['a:circuit_open', 'local:ok']);
  });

  test('refused requests (4xx) do not trip the breaker', async () => {
    const { gateway } = setup({ quality: [deployment('a', serverA, { maxRetries: 0 })] }, { breaker });
    serverA.setFallback({ kind: 'error', status: 422 });
    for (let i = 0; i < 4; i += 1) await gateway.run('turn.reframe', turnInput, ctx);
    expect(gateway.breakerState('a')).toBe('closed');
    expect(serverA.requests).toHaveLength(4);
  });
});

describe('stream', () => {
  test('partials grow reframe by reframe, then one final; usage counted once from the usage chunk', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA)] });
    serverA.enqueue({ kind: 'reply', content: JSON.stringify(validTurn), chunkSize: 12, usage: { prompt_tokens: 800, completion_tokens: 300 } });

    const seen = await collect(gateway.stream('turn.reframe', turnInput, ctx));

    const partials = seen.filter((e) => e.type === 'partial');
    const counts = partials.map((e) => (e.type === 'partial' ? (e.output.reframes?.length ?? 0) : 0));
    expect(counts).toContain(1);
    expect(counts).toContain(2);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
    const firstWithOne = partials.find((e) => e.type === 'partial' && e.output.reframes?.length === 1);
    expect(firstWithOne?.type === 'partial' && firstWithOne.output.reframes?.[0]).toEqual(validTurn.reframes[0]);

    const final = seen.at(-1);
    expect(final).toMatchObject({ type: 'final', output: validTurn, deployment: 'a', usage: { inputTokens: 800, outputTokens: 300, costMicros: 850 } });
    expect(seen.filter((e) => e.type === 'final')).toHaveLength(1);

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'ok', inputTokens: 800, outputTokens: 300, costMicros: 850, estimated: false });
    const body = serverA.requests[0]?.body;
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true }, response_format: { type: 'json_schema' } });
  });

  test('a stream broken before the first token fails over', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA, { maxRetries: 0 }), deployment('b', serverB)] });
    serverA.enqueue({ kind: 'breakStream', content: JSON.stringify(validTurn), afterChars: 0 });
    serverB.enqueue({ kind: 'reply', content: JSON.stringify(validTurn) });

    const seen = await collect(gateway.stream('turn.reframe', turnInput, ctx));

    expect(seen.at(-1)).toMatchObject({ type: 'final', deployment: 'b', output: validTurn });
    expect(brief(events)).toEqual(['a:error', 'b:ok']);
    expect(events[0]).toMatchObject({ inputTokens: 0, outputTokens: 0, estimated: false });
  });

  test('a stream cut after a few bytes but before any partial still fails over, metering an estimate', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA, { maxRetries: 0 })] });
    serverA.enqueue({ kind: 'breakStream', content: JSON.stringify(validTurn), afterChars: 14, how: 'end' });

    const seen = await collect(gateway.stream('turn.reframe', turnInput, ctx));

    expect(seen.at(-1)).toMatchObject({ type: 'final', deployment: 'local' });
    expect(brief(events)).toEqual(['a:error', 'local:ok']);
    expect(events[0]).toMatchObject({ estimated: true, outputTokens: Math.ceil(14 / 4) });
  });

  test('a stream broken after the first partial is an error, with estimated usage and no failover', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA), deployment('b', serverB)] });
    const content = JSON.stringify(validTurn);
    const afterChars = content.indexOf('},') + 20;
    serverA.enqueue({ kind: 'breakStream', content, afterChars });

    const seen: AiStreamEvent<'turn.reframe'>[] = [];
    const error = await (async () => {
      for await (const event of gateway.stream('turn.reframe', turnInput, ctx)) seen.push(event);
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AiUnavailableError);
    expect((error as AiUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.type === 'partial')).toBe(true);
    expect(serverB.requests).toHaveLength(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ deployment: 'a', outcome: 'error', estimated: true, outputTokens: Math.ceil(afterChars / 4) });
    expect(events[0]?.inputTokens).toBeGreaterThan(0);
    expect(events[0]?.costMicros).toBeGreaterThan(0);
  });

  test('a stream that goes silent times out before the first token and fails over', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA, { timeoutMs: 150, maxRetries: 0 }), deployment('b', serverB)] });
    serverA.enqueue({ kind: 'hang' });
    serverB.enqueue({ kind: 'reply', content: JSON.stringify(validTurn) });

    const seen = await collect(gateway.stream('turn.reframe', turnInput, ctx));

    expect(seen.at(-1)).toMatchObject({ type: 'final', deployment: 'b' });
    expect(brief(events)).toEqual(['a:timeout', 'b:ok']);
  });

  test('a consumer that stops reading cancels the model call and meters what it produced', async () => {
    const { gateway, events } = setup({ quality: [deployment('a', serverA)] });
    serverA.enqueue({ kind: 'reply', content: JSON.stringify(validTurn), chunkSize: 8, chunkDelayMs: 5 });

    for await (const event of gateway.stream('turn.reframe', turnInput, ctx)) {
      if (event.type === 'partial') break;
    }

    expect(brief(events)).toEqual(['a:cancelled']);
    expect(events[0]?.estimated).toBe(true);
    expect(events[0]?.outputTokens).toBeGreaterThan(0);
  });

  test('tasks whose model reply differs from the output stream only the final', async () => {
    const { gateway } = setup({ quality: [deployment('a', serverA)] });
    const text = 'Nobody ever listens to me.';
    serverA.enqueue({
      kind: 'reply',
      content: JSON.stringify({ fragments: [{ quote: 'Nobody ever listens', trap: 'overgeneralization', confidence: 0.8, explanation: 'This might be a rule from a few moments.' }] }),
    });

    const seen = await collect(gateway.stream('mirror.detectFragments', { text }, { feature: 'mirror' }));

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'final', output: { fragments: [{ start: 0, end: 19, trap: 'overgeneralization' }] } });
  });

  test('the local engine answers a stream with a final only', async () => {
    const { gateway } = setup({});
    const seen = await collect(gateway.stream('turn.reframe', turnInput, ctx));
    expect(seen).toEqual([
      {
        type: 'final',
        output: localOutputs['turn.reframe'],
        engine: { engine: 'local', model: 'local', promptVersion: 'local@test-1' },
        usage: expect.objectContaining({ costMicros: 0 }),
        deployment: 'local',
      },
    ]);
  });
});
