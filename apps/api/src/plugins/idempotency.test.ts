import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { users } from '../db/schema.js';
import type { Cache } from '../infra/cache.js';
import { createColumnCipher, generateDataKey, parseDataKeys } from '../infra/crypto.js';
import { rowsOf, type Database } from '../infra/db.js';
import { createTestCache, createTestDatabase, type TestDatabase } from '../test/app.js';
import { errorsPlugin } from './errors.js';
import { idempotencyPlugin } from './idempotency.js';

// A minimal app around the plugin: write routes that count their real executions, on a real
// database (the kept answers) and cache (claims and the fast path).
let database: TestDatabase;
let db: Database;
let cache: Cache;
let executions = 0;
let release: (() => void) | null = null;
const cipher = createColumnCipher(parseDataKeys(generateDataKey('t1')));
const U1 = randomUUID();
const U2 = randomUUID();
let app: FastifyInstance;

/** An app like the real one: the same database, its own cache (a restart, or a flushed Redis, when `cache` is new). */
async function buildPluginApp(appCache: Cache): Promise<FastifyInstance> {
  const instance = Fastify();
  await instance.register(errorsPlugin);
  await instance.register(idempotencyPlugin, { cache: appCache, db, cipher });
  instance.decorateRequest('auth', null);
  instance.addHook('onRequest', async (request) => {
    const user = request.headers['x-test-user'];
    request.auth = typeof user === 'string' ? { userId: user, sessionId: 's' } : null;
  });
  // No preHandler of its own: every write route gets Idempotency-Key.
  instance.post('/things', async (request, reply) => {
    executions += 1;
    const body = request.body as { name?: string; slow?: boolean; fail?: number };
    if (body.slow) await new Promise<void>((resolve) => (release = resolve));
    if (body.fail) return reply.code(body.fail).send({ failed: true });
    return reply.code(201).send({ id: `thing-${executions}`, name: body.name });
  });
  // A write that keeps its answer in its own transaction; `abort` rolls the transaction back after the commit.
  instance.post('/in-tx', async (request, reply) => {
    executions += 1;
    const body = request.body as { abort?: boolean };
    const answer = { id: `tx-${executions}` };
    await db
      .transaction(async (tx) => {
        await request.idempotency?.commit(tx, 201, answer);
        if (body.abort) throw new Error('rolled back');
      })
      .catch((error: Error) => {
        if (error.message !== 'rolled back') throw error;
      });
    return reply.code(201).send(answer);
  });
  instance.delete('/things/:id', async (_request, reply) => {
    executions += 1;
    return reply.code(204).send();
  });
  instance.post('/opted-out', { config: { idempotency: false } }, async () => {
    executions += 1;
    return { id: executions };
  });
  await instance.ready();
  return instance;
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.handle.db;
  await db.insert(users).values([
    { id: U1, email: `${U1}@example.test` },
    { id: U2, email: `${U2}@example.test` },
  ]);
  cache = createTestCache();
  app = await buildPluginApp(cache);
});
afterAll(async () => {
  await app.close();
  await cache.close();
  await database.drop();
});

const post = (key: string | undefined, payload: object, user = U1, on: FastifyInstance = app, url = '/things') =>
  on.inject({
    method: 'POST',
    url,
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
    const mine = await post('key-shared', { name: 'a' }, U1);
    const theirs = await post('key-shared', { name: 'a' }, U2);
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

  test('an answer outlives the cache: after a restart with an empty cache the retry replays from the database', async () => {
    const before = executions;
    const first = await post('key-durable', { name: 'kept' });
    const freshCache = createTestCache();
    const restarted = await buildPluginApp(freshCache);
    try {
      const retry = await post('key-durable', { name: 'kept' }, U1, restarted);
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
      expect(executions - before).toBe(1);
      // The other body is still refused from the database.
      expect((await post('key-durable', { name: 'other' }, U1, restarted)).statusCode).toBe(422);
    } finally {
      await restarted.close();
      await freshCache.close();
    }
  });

  test('the stored body is encrypted at rest', async () => {
    await post('key-secret', { name: 'a private thought' });
    const rows = rowsOf<{ body_enc: string }>(await db.execute(sql`select body_enc from idempotency_keys where user_id = ${U1}::uuid`));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.body_enc.startsWith('enc1.')).toBe(true);
      expect(row.body_enc).not.toContain('private');
    }
  });

  test('a key claimed by a process that died is taken over at once, not after the claim expires', async () => {
    const before = executions;
    // A claim like the plugin's, by a process that no longer says it is alive.
    const first = await post(undefined, { name: 'probe' });
    expect(first.statusCode).toBe(201);
    const keyOf = 'key-dead-owner';
    const { createHash } = await import('node:crypto');
    const fingerprint = createHash('sha256').update(`POST /things\n${JSON.stringify({ name: 'a' })}`).digest('base64url');
    const cacheKey = `idem:${U1}:POST:/things:${createHash('sha256').update(keyOf).digest('base64url')}`;
    await cache.set(cacheKey, JSON.stringify({ state: 'pending', fingerprint, owner: randomUUID() }), 120_000);
    const retry = await post(keyOf, { name: 'a' });
    expect(retry.statusCode).toBe(201);
    expect(executions - before).toBe(2);
  });

  test('a write that keeps its answer in its transaction: rolled back, nothing is kept and a retry runs', async () => {
    const before = executions;
    await post('key-tx-abort', { abort: true }, U1, app, '/in-tx');
    const freshCache = createTestCache();
    const restarted = await buildPluginApp(freshCache);
    try {
      const retry = await post('key-tx-abort', { abort: true }, U1, restarted, '/in-tx');
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(executions - before).toBe(2);
      // Committed: replayed after a restart.
      const kept = await post('key-tx-kept', {}, U1, restarted, '/in-tx');
      const again = await post('key-tx-kept', {}, U1, app, '/in-tx');
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(kept.json());
    } finally {
      await restarted.close();
      await freshCache.close();
    }
  });

  test('every write route takes the key (a DELETE replays its 204), unless it opts out', async () => {
    const before = executions;
    const first = await app.inject({ method: 'DELETE', url: '/things/1', headers: { 'x-test-user': U1, 'idempotency-key': 'del-1' } });
    const second = await app.inject({ method: 'DELETE', url: '/things/1', headers: { 'x-test-user': U1, 'idempotency-key': 'del-1' } });
    expect(first.statusCode).toBe(204);
    expect(second.statusCode).toBe(204);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe('');
    expect(executions - before).toBe(1);
    await post('opt-1', {}, U1, app, '/opted-out');
    const optedOut = await post('opt-1', {}, U1, app, '/opted-out');
    expect(optedOut.headers['idempotent-replayed']).toBeUndefined();
    expect(executions - before).toBe(3);
  });

  test('anonymous requests (auth POSTs) take keys too, kept without a user', async () => {
    const first = await app.inject({ method: 'POST', url: '/things', payload: { name: 'anon' }, headers: { 'idempotency-key': 'anon-1' } });
    const second = await app.inject({ method: 'POST', url: '/things', payload: { name: 'anon' }, headers: { 'idempotency-key': 'anon-1' } });
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
  });
});
