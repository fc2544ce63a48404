import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { refreshTokens } from '../../db/schema.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, uniqueEmail, uniqueIp } from '../../test/factories.js';
import { hashRefreshToken } from './tokens.js';

/** Login, refresh and register are rate limited per account and per client address (429 + Retry-After). */

const WINDOW = 60;
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({
    LOGIN_RATE_LIMIT_PER_ACCOUNT: '3',
    LOGIN_RATE_LIMIT_PER_IP: '5',
    LOGIN_RATE_LIMIT_PER_ACCOUNT_ANY_ADDRESS: '8',
    RATE_LIMIT_WINDOW_SECONDS: String(WINDOW),
  });
});
afterAll(async () => ctx?.close());

function expectRateLimited(res: { statusCode: number; headers: Record<string, unknown>; json: () => Record<string, unknown> }) {
  expect(res.statusCode).toBe(429);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status: 429, code: 'rate_limited' });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW);
  expect(res.json().retryAfterSeconds).toBe(retryAfter);
}

const login = (email: string, password: string, remoteAddress: string) =>
  ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password }, remoteAddress });

describe('login', () => {
  test('per account and address: after the limit the guesser waits, while the owner signs in from their own address', async () => {
    const user = await registerUser(ctx.app);
    const stranger = uniqueIp();
    for (let i = 0; i < 3; i++) expect((await login(user.email, 'wrong password here', stranger)).statusCode).toBe(401);
    expectRateLimited(await login(user.email, user.password, stranger));
    // The account key is the normalised email.
    expectRateLimited(await login(` ${user.email.toUpperCase()}`, user.password, stranger));
    // The owner is not locked out by the stranger's guesses.
    expect((await login(user.email, user.password, uniqueIp())).statusCode).toBe(200);
    // Another account is not affected either.
    const other = await registerUser(ctx.app);
    expect((await login(other.email, other.password, uniqueIp())).statusCode).toBe(200);
  });

  test('per account from any address: guessing spread over many addresses meets the wider ceiling', async () => {
    const user = await registerUser(ctx.app);
    for (let i = 0; i < 8; i++) expect((await login(user.email, 'wrong password here', uniqueIp())).statusCode).toBe(401);
    expectRateLimited(await login(user.email, user.password, uniqueIp()));
  });

  test('per address: many accounts from one address', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect((await login(uniqueEmail('spray'), 'wrong password here', ip)).statusCode).toBe(401);
    expectRateLimited(await login(uniqueEmail('spray'), 'wrong password here', ip));
    expect((await login(uniqueEmail('spray'), 'wrong password here', uniqueIp())).statusCode).toBe(401);
  });
});

describe('refresh', () => {
  test('per address: guessing refresh tokens from one address', async () => {
    const ip = uniqueIp();
    const guess = () => ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: 'guess'.repeat(9) }, remoteAddress: ip });
    for (let i = 0; i < 5; i++) expect((await guess()).statusCode).toBe(401);
    expectRateLimited(await guess());
  });

  test('per account: the limited refresh rotates nothing', async () => {
    const user = await registerUser(ctx.app);
    let token = user.refreshToken;
    for (let i = 0; i < 3; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: token }, remoteAddress: uniqueIp() });
      expect(res.statusCode, res.body).toBe(200);
      token = res.json().refreshToken;
    }
    expectRateLimited(await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: token }, remoteAddress: uniqueIp() }));
    const [row] = await ctx.infra.database.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashRefreshToken(token)));
    expect(row?.rotatedAt).toBeNull();
  });
});

test('register: per address', async () => {
  const ip = uniqueIp();
  const register = () =>
    ctx.app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email: uniqueEmail(), password: 'violet kettle orbit' }, remoteAddress: ip });
  for (let i = 0; i < 5; i++) expect((await register()).statusCode).toBe(201);
  expectRateLimited(await register());
});
