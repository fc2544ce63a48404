import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Cache } from '../infra/cache.js';
import { createTestCache } from '../test/app.js';
import { errorsPlugin } from './errors.js';
import { idempotencyPlugin } from './idempotency.js';

// A minimal app around the plugin: a write route that counts its real executions.
let cache: Cache;
let executions = 0;
let release: (() => void) | null = null;
const app = Fastify();

beforeAll(async () => {
  cache = createTestCache();
  await app.register(errorsPlugin);
  await app.register(idempotencyPlugin, { cache });
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const user = request.headers['x-test-user'];
    request.auth = typeof user === 'string' ? { userId: user, sessionId: 's' } : null;
  });
  app.post('/things', { preHandler: [app.idempotent] }, async (request, reply) => {
    executions += 1;
    const body = request.body as { name?: string; slow?: boolean; fail?: number };
    if (body.slow) await new Promise<void>((resolve) => (release = resolve));
    if (body.fail) return reply.code(body.fail).send({ failed: true });
    return reply.code(201).send({ id: `thing-${executions}`, name: body.name });
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await cache.close();
});

const post = (key: string | undefined, payload: object, user = 'u1') =>
  app.inject({
    method: 'POST',
    url: '/things',
    payload,
    headers: { 'x-test-user': user, ...(key === undefined ? {} : { 'idempotency-key': key }) },
  });

describe('Idempotency-Key', () => {
  test('a replay returns the stored status and body without running the handler again', async () => {
    const before = executions;
    const first = await post('key-replay', { name: 'a' });
    const second = await post('key-replay', { name: 'a' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(executions - before).toBe(1);
  });

  test('the same body with keys in another order is the same request', async () => {
    const first = await post('key-order', { name: 'a', extra: { x: 1, y: 2 } });
    const second = await post('key-order', { extra: { y: 2, x: 1 }, name: 'a' });
    expect(second.json()).toEqual(first.json());
  });

  test('the same key with a different body is 422', async () => {
    await post('key-mismatch', { name: 'a' });
    const res = await post('key-mismatch', { name: 'b' });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('idempotency_key_reused');
  });

  test('a concurrent duplicate is 409 while the first is running', async () => {
    const first = post('key-concurrent', { name: 'a', slow: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const duplicate = await post('key-concurrent', { name: 'a', slow: true });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('idempotency_key_in_use');
    release?.();
    expect((await first).statusCode).toBe(201);
  });

  test('keys are scoped per user', async () => {
    const mine = await post('key-shared', { name: 'a' }, 'u1');
    const theirs = await post('key-shared', { name: 'a' }, 'u2');
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().id).not.toBe(mine.json().id);
  });

  test('server errors are not kept, so a retry runs again', async () => {
    const before = executions;
    await post('key-5xx', { name: 'a', fail: 503 });
    await post('key-5xx', { name: 'a', fail: 503 });
    expect(executions - before).toBe(2);
  });

  test('without the header every request runs', async () => {
    const before = executions;
    await post(undefined, { name: 'a' });
    await post(undefined, { name: 'a' });
    expect(executions - before).toBe(2);
  });

  test('a malformed key is 400 problem+json', async () => {
    const res = await post('bad key with spaces', { name: 'a' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });
});
