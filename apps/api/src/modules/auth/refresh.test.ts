import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditEvents, authSessions, refreshTokens } from '../../db/schema.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, uniqueIp } from '../../test/factories.js';
import { hashRefreshToken } from './tokens.js';

/** Refresh-token rotation, families (one per device session), the grace window, reuse detection and session lifetimes. */

const DAY = 86_400_000;

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const db = () => ctx.infra.database.db;

function refresh(refreshToken: string, app = ctx.app) {
  return app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken }, remoteAddress: uniqueIp() });
}

function me(accessToken: string, app = ctx.app) {
  return app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${accessToken}` } });
}

async function family(sessionId: string, database = db()) {
  const [session] = await database.select().from(authSessions).where(eq(authSessions.id, sessionId));
  const tokens = await database.select().from(refreshTokens).where(eq(refreshTokens.sessionId, sessionId)).orderBy(refreshTokens.createdAt, refreshTokens.id);
  return { session, tokens };
}

function expectProblem(res: Awaited<ReturnType<typeof refresh>>, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status, code });
}

describe('rotation', () => {
  test('each refresh returns a new token pair in the same session and marks the old token used', async () => {
    const user = await registerUser(ctx.app);
    ctx.clock.advance(60_000);
    const res = await refresh(user.refreshToken);
    expect(res.statusCode, res.body).toBe(200);
    const tokens = res.json();
    expect(tokens).toMatchObject({ tokenType: 'Bearer', sessionId: user.sessionId, expiresIn: 900 });
    expect(tokens.refreshToken).not.toBe(user.refreshToken);
    expect(tokens.accessToken).not.toBe(user.accessToken);
    expect((await me(tokens.accessToken)).statusCode).toBe(200);

    const { session, tokens: rows } = await family(user.sessionId);
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(first?.tokenHash).toBe(hashRefreshToken(user.refreshToken));
    expect(first?.rotatedAt?.getTime()).toBe(ctx.clock.now.getTime());
    expect(first?.replacedById).toBe(second?.id);
    expect(second?.tokenHash).toBe(hashRefreshToken(tokens.refreshToken));
    expect(second?.rotatedAt).toBeNull();
    expect(session?.lastUsedAt.getTime()).toBe(ctx.clock.now.getTime());

    // The chain goes on.
    const next = await refresh(tokens.refreshToken);
    expect(next.statusCode).toBe(200);
  });

  test('an unknown or malformed refresh token is 401 invalid_token and rotates nothing', async () => {
    const user = await registerUser(ctx.app);
    const before = await family(user.sessionId);
    expectProblem(await refresh('A'.repeat(43)), 401, 'invalid_token');
    expectProblem(await refresh(user.refreshToken.slice(0, -1)), 401, 'invalid_token');
    expectProblem(await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: '' } }), 400, 'validation_failed');
    expectProblem(await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: 42 } }), 400, 'validation_failed');
    expectProblem(
      await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: user.refreshToken, sessionId: user.sessionId } }),
      400,
      'validation_failed',
    );
    expect(await family(user.sessionId)).toEqual(before);
  });
});

describe('reuse detection', () => {
  test('a rotated token used after the grace window revokes the whole family and is audited', async () => {
    const user = await registerUser(ctx.app);
    const second = (await refresh(user.refreshToken)).json();
    const third = (await refresh(second.refreshToken)).json();
    ctx.clock.advance((ctx.infra.config.REFRESH_REUSE_GRACE_SECONDS + 1) * 1000);

    // Someone replays the first token.
    expectProblem(await refresh(user.refreshToken), 401, 'refresh_token_reused');

    const { session } = await family(user.sessionId);
    expect(session?.revokedAt).not.toBeNull();
    expect(session?.revokedReason).toBe('refresh_reuse');
    // Every token of the family is now useless, including the newest one, and so is the access token.
    expectProblem(await refresh(third.refreshToken), 401, 'session_revoked');
    expectProblem(await refresh(second.refreshToken), 401, 'session_revoked');
    expectProblem(await me(third.accessToken), 401, 'session_revoked');

    const audits = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.userId, user.userId), eq(auditEvents.action, 'refresh_reuse')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: 'system', targetType: 'session', targetId: user.sessionId });
    expect(JSON.stringify(audits[0]?.metadata)).not.toContain(user.refreshToken);
  });

  test("reuse in one session leaves the user's other sessions alone", async () => {
    const user = await registerUser(ctx.app);
    const other = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: user.password }, remoteAddress: uniqueIp() });
    const otherTokens = other.json().tokens;
    await refresh(user.refreshToken);
    ctx.clock.advance((ctx.infra.config.REFRESH_REUSE_GRACE_SECONDS + 1) * 1000);
    expectProblem(await refresh(user.refreshToken), 401, 'refresh_token_reused');
    expect((await me(otherTokens.accessToken)).statusCode).toBe(200);
    expect((await refresh(otherTokens.refreshToken)).statusCode).toBe(200);
  });

  test('within the grace window a second use gets the same successor back: one chain, nobody logged out', async () => {
    const user = await registerUser(ctx.app);
    const first = await refresh(user.refreshToken);
    ctx.clock.advance(ctx.infra.config.REFRESH_REUSE_GRACE_SECONDS * 1000 - 1000);
    const second = await refresh(user.refreshToken);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().refreshToken).toBe(first.json().refreshToken);
    expect(second.json().refreshTokenExpiresAt).toBe(first.json().refreshTokenExpiresAt);
    expect(second.json().sessionId).toBe(user.sessionId);
    expect((await me(second.json().accessToken)).statusCode).toBe(200);
    const { session, tokens } = await family(user.sessionId);
    expect(session?.revokedAt).toBeNull();
    expect(tokens).toHaveLength(2);
    expect((await refresh(first.json().refreshToken)).statusCode).toBe(200);
  });

  test('replays inside the window never fork the family: the successor used once, a replayed copy later is reuse', async () => {
    const user = await registerUser(ctx.app);
    const replies = [];
    for (let i = 0; i < 3; i++) {
      replies.push(await refresh(user.refreshToken));
      ctx.clock.advance(3_000);
    }
    for (const reply of replies) expect(reply.statusCode, reply.body).toBe(200);
    expect(new Set(replies.map((reply) => reply.json().refreshToken)).size).toBe(1);
    expect((await family(user.sessionId)).tokens).toHaveLength(2);
    // The owner moves on with the one successor; a thief's copy of it, used after the window, ends the session.
    const next = await refresh(replies[0]!.json().refreshToken);
    expect(next.statusCode).toBe(200);
    ctx.clock.advance((ctx.infra.config.REFRESH_REUSE_GRACE_SECONDS + 1) * 1000);
    expectProblem(await refresh(replies[2]!.json().refreshToken), 401, 'refresh_token_reused');
    expect((await family(user.sessionId)).session?.revokedAt).not.toBeNull();
  });

  test('a concurrent double refresh (Promise.all) succeeds twice with the same successor and one rotation', async () => {
    const user = await registerUser(ctx.app);
    const [a, b] = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.statusCode, b.body).toBe(200);
    expect(a.json().refreshToken).toBe(b.json().refreshToken);
    const { session, tokens } = await family(user.sessionId);
    expect(session?.revokedAt).toBeNull();
    const original = tokens.find((row) => row.tokenHash === hashRefreshToken(user.refreshToken));
    expect(original?.rotatedAt).not.toBeNull();
    expect(tokens).toHaveLength(2);
    for (const res of [a, b]) expect((await me(res.json().accessToken)).statusCode).toBe(200);
    expect((await refresh(a.json().refreshToken)).statusCode).toBe(200);
  });
});

describe('session lifetimes', () => {
  test('an idle session ends after SESSION_IDLE_TTL_DAYS without use; the refresh changes nothing', async () => {
    const user = await registerUser(ctx.app);
    ctx.clock.advance(ctx.infra.config.SESSION_IDLE_TTL_DAYS * DAY - 60_000);
    const kept = await refresh(user.refreshToken);
    expect(kept.statusCode, kept.body).toBe(200);

    ctx.clock.advance(ctx.infra.config.SESSION_IDLE_TTL_DAYS * DAY);
    const before = await family(user.sessionId);
    expectProblem(await refresh(kept.json().refreshToken), 401, 'session_revoked');
    expect(await family(user.sessionId)).toEqual(before);
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/auth/sessions', headers: user.auth });
    expect(list.statusCode).toBe(401);
  });
});

describe('absolute session lifetime', () => {
  let short: TestContext;
  beforeAll(async () => {
    short = await createTestApp({ SESSION_ABSOLUTE_TTL_DAYS: '3', SESSION_IDLE_TTL_DAYS: '2' });
  });
  afterAll(async () => short?.close());

  test('a session in constant use still ends at SESSION_ABSOLUTE_TTL_DAYS', async () => {
    const user = await registerUser(short.app);
    const sessionEnd = (await family(user.sessionId, short.infra.database.db)).session?.expiresAt.getTime() ?? 0;
    expect(sessionEnd - short.clock.now.getTime()).toBe(3 * DAY);
    let token = user.refreshToken;
    for (let i = 0; i < 2; i++) {
      short.clock.advance(1.5 * DAY - 1000);
      const res = await refresh(token, short.app);
      expect(res.statusCode, res.body).toBe(200);
      token = res.json().refreshToken;
      // The refresh token never outlives the session.
      expect(new Date(res.json().refreshTokenExpiresAt).getTime()).toBeLessThanOrEqual(sessionEnd);
    }
    short.clock.advance(2000);
    const before = await family(user.sessionId, short.infra.database.db);
    expectProblem(await refresh(token, short.app), 401, 'session_revoked');
    expect(await family(user.sessionId, short.infra.database.db)).toEqual(before);
  });
});
