import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestContext } from '../test/app.js';
import { startFakeOpenAi, type FakeOpenAi } from '../test/fake-openai-server.js';
import { registerUser } from '../test/factories.js';

// A stand-in OTLP/HTTP collector (JSON encoding, as @opentelemetry/exporter-trace-otlp-http sends)
// and the fake model server: a Turn's trace, from the HTTP request through the AI gateway task and
// its attempt to the traceparent header the model server receives.
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

const THOUGHT = 'I always ruin every presentation and everyone must think I am useless.';
const reply = {
  reframes: [
    { text: 'One rough presentation does not decide the next one.', technique: 'evidence_check' },
    { text: 'You have recovered from hard days before.', technique: 'decatastrophize' },
    { text: 'A friend would get kindness from you; so can you.', technique: 'compassionate_reframe' },
  ],
  microAction: { text: 'Write down one thing that went fine.', minutes: 3 },
  traps: ['overgeneralization'],
};

let collector: Server;
let collectorUrl: string;
const received: { path: string; contentType: string | undefined; spans: OtlpSpan[] }[] = [];
let fake: FakeOpenAi;

beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const parsed = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      received.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        spans: parsed.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  fake = await startFakeOpenAi({ fallback: { kind: 'reply', content: JSON.stringify(reply) } });
});
afterAll(async () => {
  await fake?.close();
  await new Promise((resolve) => collector?.close(resolve));
});

describe('tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
  let ctx: TestContext | undefined;
  afterAll(async () => ctx?.close());

  test('a Turn is one trace: the request, the AI task, its attempt, and the model server gets the context', async () => {
    ctx = await createTestApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
      AI_ROUTING: JSON.stringify({ lanes: { quality: [{ name: 'fake-quality', provider: 'openai-compatible', baseUrl: fake.baseUrl, model: 'm-1', maxRetries: 0 }] } }),
    });
    const user = await registerUser(ctx.app);
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/turns?source=test', headers: user.auth, payload: { thought: THOUGHT } });
    expect(res.statusCode).toBe(201);
    // Closing the app exports what is pending.
    await ctx.close();
    ctx = undefined;

    expect(received.every((batch) => batch.path === '/v1/traces' && batch.contentType?.includes('application/json'))).toBe(true);
    const spans = received.flatMap((batch) => batch.spans);
    const attribute = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;
    const request = spans.find((span) => span.name === 'request' && attribute(span, 'http.route')?.stringValue === '/v1/turns');
    expect(request).toBeDefined();
    expect(attribute(request!, 'url.path')).toEqual({ stringValue: '/v1/turns' });
    const task = spans.find((span) => span.name === 'ai.task turn.reframe');
    expect(task).toMatchObject({ traceId: request!.traceId });
    expect(attribute(task!, 'kalei.ai.deployment')).toEqual({ stringValue: 'fake-quality' });
    const attempt = spans.find((span) => span.name === 'ai.attempt' && span.parentSpanId === task!.spanId);
    expect(attempt).toMatchObject({ traceId: request!.traceId, kind: 3 });
    expect(attribute(attempt!, 'kalei.ai.outcome')).toEqual({ stringValue: 'ok' });

    // The task span hangs under the request's trace, and the model server was told which trace it serves.
    const traceparent = fake.requests.at(-1)?.headers.traceparent;
    expect(traceparent).toMatch(new RegExp(`^00-${request!.traceId}-${task!.spanId}-01$`));

    // Nothing the user wrote, and no token, is in any span.
    const exported = JSON.stringify(received);
    for (const secret of ['ruin', 'presentation', user.accessToken, user.email]) expect(exported).not.toContain(secret);
  });
});

describe('tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is unset', () => {
  test('nothing is exported and the model server gets no trace context', async () => {
    const before = received.length;
    const requestsBefore = fake.requests.length;
    const ctx = await createTestApp({
      AI_ROUTING: JSON.stringify({ lanes: { quality: [{ name: 'fake-quality', provider: 'openai-compatible', baseUrl: fake.baseUrl, model: 'm-1', maxRetries: 0 }] } }),
    });
    try {
      const user = await registerUser(ctx.app);
      expect((await ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: user.auth, payload: { thought: THOUGHT } })).statusCode).toBe(201);
    } finally {
      await ctx.close();
    }
    expect(received.length).toBe(before);
    expect(fake.requests.length).toBeGreaterThan(requestsBefore);
    expect(fake.requests.at(-1)?.headers.traceparent).toBeUndefined();
  });
});
