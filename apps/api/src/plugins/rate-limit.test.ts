import Fastify from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp, type KaleiApp } from '../app.js';
import type { Cache } from '../infra/cache.js';
import { createMemoryCache } from '../infra/cache-memory.js';
import { createTestApp, type TestContext } from '../test/app.js';
import { registerUser, uniqueIp, type RegisteredUser } from '../test/factories.js';
import { errorsPlugin } from './errors.js';
import { requestRateLimitPlugin } from './rate-limit.js';

// Low limits on the real app, on whichever cache this run uses (in-process, or Redis with
// KALEI_TEST_REDIS_URL): 8 requests a minute per address, 3 per signed-in user.
const PER_ADDRESS = 8;
const PER_USER = 3;

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(PER_ADDRESS),
    RATE_LIMIT_PER_USER_PER_MINUTE: String(PER_USER),
    CORS_ORIGINS: 'https://app.example.com',
  });
});
afterAll(async () => ctx?.close());

const get = (app: Pick<KaleiApp, 'inject'>, url: string, address: string, user?: RegisteredUser) =>
  app.inject({ url, remoteAddress: address, headers: user?.auth ?? {} });

function expectRateLimited(res: Awaited<ReturnType<typeof get>>) {
  expect(res.statusCode, res.body).toBe(429);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = res.json();
  expect(body).toMatchObject({ status: 429, code: 'rate_limited', type: 'https://kalei.app/problems/rate_limited', retryAfterSeconds: retryAfter });
  return body as { detail: string };
}

describe('request rate limits', () => {
  test('one address gets its limit a minute, then 429 problem+json with Retry-After; another address is unaffected', async () => {
    const address = uniqueIp();
    for (let i = 0; i < PER_ADDRESS; i += 1) expect((await get(ctx.app, '/v1/safety/resources?country=us', address)).statusCode).toBe(200);
    const refused = await get(ctx.app, '/v1/safety/resources?country=us', address);
    expect(expectRateLimited(refused).detail).toContain('address');
    // Every route, unknown ones too.
    expectRateLimited(await get(ctx.app, '/v1/nothing-here', address));
    // A page on an allowed origin can read the refusal and its Retry-After.
    const cross = await ctx.app.inject({ url: '/v1/me', remoteAddress: address, headers: { origin: 'https://app.example.com' } });
    expectRateLimited(cross);
    expect(cross.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(cross.headers['access-control-expose-headers'])).toContain('retry-after');
    expect(cross.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(ctx.app, '/v1/safety/resources?country=us', uniqueIp())).statusCode).toBe(200);
  });

  test('probes and metrics are never limited', async () => {
    const address = uniqueIp();
    for (let i = 0; i <= PER_ADDRESS; i += 1) await get(ctx.app, '/v1/nothing-here', address);
    expectRateLimited(await get(ctx.app, '/v1/nothing-here', address));
    for (let i = 0; i < 3 * PER_ADDRESS; i += 1) {
      expect((await get(ctx.app, '/health', address)).statusCode).toBe(200);
      expect((await get(ctx.app, '/ready', address)).statusCode).toBe(200);
      // Not configured here: a 404, but not a 429.
      expect((await get(ctx.app, '/metrics', address)).statusCode).not.toBe(429);
    }
  });

  test('signed-in users are counted each on their own: two users behind one address, one user over two addresses', async () => {
    const [alice, bob] = [await registerUser(ctx.app), await registerUser(ctx.app)];
    const shared = uniqueIp();
    for (let i = 0; i < PER_USER; i += 1) expect((await get(ctx.app, '/v1/me', shared, alice)).statusCode).toBe(200);
    expect(expectRateLimited(await get(ctx.app, '/v1/me', shared, alice)).detail).toContain('account');
    // Bob, from the same address, has his own count (the address has 4 of 8 used).
    for (let i = 0; i < PER_USER; i += 1) expect((await get(ctx.app, '/v1/me', shared, bob)).statusCode).toBe(200);
    expectRateLimited(await get(ctx.app, '/v1/me', shared, bob));
    // Alice's count follows her to another address.
    expectRateLimited(await get(ctx.app, '/v1/me', uniqueIp(), alice));
    // The address limit still applies to everyone behind it: 8 used, the 9th is refused.
    expect(expectRateLimited(await get(ctx.app, '/v1/safety/resources?country=us', shared)).detail).toContain('address');
  });

  test('the counts live in the app cache (Redis when configured), so every API instance on it shares them', async () => {
    const replica = await buildApp(ctx.infra, { logger: pino({ level: 'silent' }) });
    await replica.ready();
    try {
      const address = uniqueIp();
      for (let i = 0; i < PER_ADDRESS / 2; i += 1) {
        expect((await get(ctx.app, '/v1/safety/resources?country=us', address)).statusCode).toBe(200);
        expect((await get(replica, '/v1/safety/resources?country=us', address)).statusCode).toBe(200);
      }
      expectRateLimited(await get(replica, '/v1/safety/resources?country=us', address));
      expectRateLimited(await get(ctx.app, '/v1/safety/resources?country=us', address));
      // Kept under a keyed hash of the address, never the address itself.
      expect(await ctx.infra.cache.get(`rl:req:a:${ctx.app.hashUserId(address)}`)).toBe(String(PER_ADDRESS + 2));
      expect(await ctx.infra.cache.get(`rl:req:a:${address}`)).toBeNull();
    } finally {
      await replica.close();
    }
  });
});

describe('the rate limit plugin on its own', () => {
  async function appWith(cache: Cache, perAddress: number, perUser: number) {
    const app = Fastify();
    await app.register(errorsPlugin);
    await app.register(requestRateLimitPlugin, { cache, perAddress, perUser, hashAddress: (address) => `h(${address})` });
    app.get('/thing', async () => ({ ok: true }));
    await app.ready();
    return app;
  }

  test('0 turns a limit off', async () => {
    const app = await appWith(createMemoryCache(), 0, 0);
    for (let i = 0; i < 50; i += 1) expect((await app.inject({ url: '/thing' })).statusCode).toBe(200);
    await app.close();
  });

  test('a failing cache lets requests through rather than failing them', async () => {
    const broken: Cache = { ...createMemoryCache(), hit: () => Promise.reject(new Error('connection refused')) };
    const app = await appWith(broken, 1, 1);
    for (let i = 0; i < 5; i += 1) expect((await app.inject({ url: '/thing' })).statusCode).toBe(200);
    await app.close();
  });
});
