import { hash as argon2Hash, parseOptions } from '@node-rs/argon2';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditEvents, authSessions, profiles, refreshTokens, users } from '../../db/schema.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, uniqueEmail, uniqueIp, type RegisteredUser } from '../../test/factories.js';
import { expectForeignOwnedNotFound } from '../../test/ownership.js';
import { hashRefreshToken } from './tokens.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const db = () => ctx.infra.database.db;

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, code: string) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status, code });
}

async function auditActions(userId: string) {
  const rows = await db().select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.userId, userId));
  return rows;
}

async function userCount() {
  const [row] = await db().select({ n: count() }).from(users);
  return row?.n ?? 0;
}

function login(email: string, password: string, extra: Record<string, unknown> = {}, remoteAddress = uniqueIp()) {
  return ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password, ...extra }, remoteAddress });
}

describe('register', () => {
  test('creates the account, profile and a device session, and stores no secret in the clear', async () => {
    const email = uniqueEmail('ada');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: {
        email: `  ${email.toUpperCase()} `,
        password: 'violet kettle orbit',
        displayName: '  Ada ',
        locale: 'en-gb',
        timezone: 'europe/london',
        country: 'gb',
        device: { name: 'Ada’s phone', platform: 'ios' },
      },
      headers: { 'user-agent': 'Kalei/1.0 (iPhone)' },
      remoteAddress: uniqueIp(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      isNewUser: true,
      user: {
        email,
        hasPassword: true,
        identities: [],
        profile: { displayName: 'Ada', locale: 'en-GB', timezone: 'Europe/London', country: 'GB' },
      },
      tokens: { tokenType: 'Bearer', expiresIn: 900 },
    });
    expect(body.tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const [user] = await db().select().from(users).where(eq(users.id, body.user.id));
    expect(user?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user?.passwordHash).not.toContain('violet');

    const stored = await db().select().from(refreshTokens).where(eq(refreshTokens.userId, body.user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).toBe(hashRefreshToken(body.tokens.refreshToken));
    expect(JSON.stringify(stored)).not.toContain(body.tokens.refreshToken);

    const [session] = await db().select().from(authSessions).where(eq(authSessions.id, body.tokens.sessionId));
    expect(session).toMatchObject({ userId: body.user.id, deviceName: 'Ada’s phone', platform: 'ios', userAgent: 'Kalei/1.0 (iPhone)' });
    expect(session?.ipHash).toMatch(/^[A-Za-z0-9_-]{16}$/);

    expect(await auditActions(body.user.id)).toEqual([{ action: 'register', metadata: { method: 'password' } }]);
  });

  test('emails are unique case-insensitively: a taken email is 409 email_taken', async () => {
    const user = await registerUser(ctx.app);
    const before = await userCount();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: user.email.toUpperCase(), password: 'another fine passphrase' },
      remoteAddress: uniqueIp(),
    });
    expectProblem(res, 409, 'email_taken');
    expect(await userCount()).toBe(before);
  });

  test.each([
    ['too short', 'k7#mQ2', ['too_short']],
    ['one character', 'zzzzzzzzzzzz', ['repetitive']],
    ['common', 'Password2024!', ['common']],
    ['too long and repetitive', 'ab'.repeat(70), ['too_long', 'repetitive']],
  ])('a weak password (%s) is 400 weak_password listing what failed, and creates nothing', async (_label, password, rules) => {
    const before = await userCount();
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email: uniqueEmail(), password }, remoteAddress: uniqueIp() });
    expectProblem(res, 400, 'weak_password');
    expect(res.json().rules).toEqual(rules);
    expect(res.json().errors).toHaveLength(rules.length);
    expect(await userCount()).toBe(before);
  });

  test('a password that is the email is weak', async () => {
    const email = uniqueEmail('grace');
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email, password: email }, remoteAddress: uniqueIp() });
    expectProblem(res, 400, 'weak_password');
    expect(res.json().rules).toEqual(['contains_email']);
  });

  test.each([
    ['an invalid email', { email: 'not-an-email', password: 'violet kettle orbit' }],
    ['a wrong type', { email: uniqueEmail(), password: 1234567890 }],
    ['an unknown field', { email: uniqueEmail(), password: 'violet kettle orbit', isAdmin: true }],
    ['a missing field', { email: uniqueEmail() }],
    ['an unknown time zone', { email: uniqueEmail(), password: 'violet kettle orbit', timezone: 'Mars/Olympus_Mons' }],
    ['an unknown country', { email: uniqueEmail(), password: 'violet kettle orbit', country: 'ZZ' }],
    ['a malformed locale', { email: uniqueEmail(), password: 'violet kettle orbit', locale: 'english please' }],
    ['an unknown device field', { email: uniqueEmail(), password: 'violet kettle orbit', device: { imei: '1' } }],
  ])('%s is 400 validation_failed and creates nothing', async (_label, payload) => {
    const before = await userCount();
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/register', payload, remoteAddress: uniqueIp() });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors.length).toBeGreaterThan(0);
    expect(await userCount()).toBe(before);
  });
});

describe('bad request bodies', () => {
  test('malformed JSON is 400 malformed_json', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.co", "password": ',
    });
    expectProblem(res, 400, 'malformed_json');
  });

  test('a body over BODY_LIMIT_BYTES is 413 payload_too_large', async () => {
    const before = await userCount();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: uniqueEmail(), password: 'x'.repeat(ctx.infra.config.BODY_LIMIT_BYTES) }),
    });
    expectProblem(res, 413, 'payload_too_large');
    expect(await userCount()).toBe(before);
  });

  test('a body of an unsupported media type is 415; plain text is not an object (400)', async () => {
    const xml = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/xml' }, payload: '<login/>' });
    expectProblem(xml, 415, 'unsupported_media_type');
    const text = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'email=a' });
    expectProblem(text, 400, 'validation_failed');
  });

  test('a JSON array instead of an object is 400 validation_failed', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: ['token'] });
    expectProblem(res, 400, 'validation_failed');
  });
});

describe('login', () => {
  let user: RegisteredUser;
  beforeAll(async () => {
    user = await registerUser(ctx.app);
  });

  test('opens a new device session and audits it', async () => {
    const res = await login(` ${user.email.toUpperCase()}`, user.password, { device: { name: 'Laptop', platform: 'web' } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ isNewUser: false, user: { id: user.userId, email: user.email } });
    expect(body.tokens.sessionId).not.toBe(user.sessionId);
    const me = await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${body.tokens.accessToken}` } });
    expect(me.statusCode).toBe(200);
    expect((await auditActions(user.userId)).map((row) => row.action)).toContain('login');
  });

  test('a wrong password and an unknown email answer identically, and both are audited', async () => {
    const wrong = await login(user.email, 'not the password at all');
    const unknown = await login(uniqueEmail('nobody'), 'not the password at all');
    expectProblem(wrong, 401, 'invalid_credentials');
    expectProblem(unknown, 401, 'invalid_credentials');
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);

    const failed = await db()
      .select({ userId: auditEvents.userId, metadata: auditEvents.metadata })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'login_failed'));
    expect(failed).toEqual(
      expect.arrayContaining([
        { userId: user.userId, metadata: { reason: 'wrong_password' } },
        { userId: null, metadata: { reason: 'unknown_email' } },
      ]),
    );
  });

  test('an unknown email takes about as long as a wrong password (dummy hash verification)', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      await login(email, 'not the password at all');
      return performance.now() - started;
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time(user.email));
      unknown.push(await time(uniqueEmail('ghost')));
    }
    // Loose bounds: the point is that an unknown email still pays for an Argon2 verification.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  test('re-hashes a password stored with other Argon2 parameters', async () => {
    const other = await registerUser(ctx.app);
    const weak = await argon2Hash(other.password, { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await db().update(users).set({ passwordHash: weak }).where(eq(users.id, other.userId));
    const res = await login(other.email, other.password);
    expect(res.statusCode, res.body).toBe(200);
    const [row] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, other.userId));
    expect(row?.passwordHash).not.toBe(weak);
    expect(parseOptions(row?.passwordHash ?? '')).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect((await login(other.email, other.password)).statusCode).toBe(200);
  });

  test('an account without a password (social only) answers invalid_credentials', async () => {
    const email = uniqueEmail('social');
    await db().insert(users).values({ email, passwordHash: null });
    expectProblem(await login(email, 'violet kettle orbit'), 401, 'invalid_credentials');
  });

  test('a disabled account is 403 once the password is right', async () => {
    const other = await registerUser(ctx.app);
    await db().update(users).set({ status: 'disabled' }).where(eq(users.id, other.userId));
    expectProblem(await login(other.email, other.password), 403, 'forbidden');
    expectProblem(await login(other.email, 'wrong wrong wrong'), 401, 'invalid_credentials');
  });
});

describe('GET /v1/me', () => {
  test('answers the account and profile', async () => {
    const user = await registerUser(ctx.app, { displayName: 'Grace', timezone: 'America/New_York' });
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: user.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: user.userId,
      email: user.email,
      hasPassword: true,
      identities: [],
      createdAt: expect.any(String),
      profile: {
        displayName: 'Grace',
        locale: 'en-US',
        country: null,
        timezone: 'America/New_York',
        notificationPreferences: {
          reminderTime: null,
          quietHours: { start: '22:00', end: '07:00' },
          channels: { daily_reminder: false, weekly_summary: false, streak: false },
        },
        updatedAt: expect.any(String),
      },
    });
  });

  test('without a token is 401 unauthorized with WWW-Authenticate', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/me' });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toContain('Bearer');
  });
});

describe('PATCH /v1/me/profile', () => {
  let user: RegisteredUser;
  beforeAll(async () => {
    user = await registerUser(ctx.app);
  });
  const patch = (payload: unknown, headers = user.auth) => ctx.app.inject({ method: 'PATCH', url: '/v1/me/profile', headers, payload: payload as object });
  const storedProfile = async () => (await db().select().from(profiles).where(eq(profiles.userId, user.userId)))[0];

  test('changes the fields sent and merges notification preferences', async () => {
    const first = await patch({
      displayName: 'Ada L.',
      locale: 'fr-fr',
      country: 'fr',
      timezone: 'Europe/Paris',
      notificationPreferences: { reminderTime: '20:30', channels: { daily_reminder: true } },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      displayName: 'Ada L.',
      locale: 'fr-FR',
      country: 'FR',
      timezone: 'Europe/Paris',
      notificationPreferences: {
        reminderTime: '20:30',
        quietHours: { start: '22:00', end: '07:00' },
        channels: { daily_reminder: true, weekly_summary: false, streak: false },
      },
    });

    const second = await patch({ displayName: null, notificationPreferences: { quietHours: { start: '23:00', end: '06:30' }, channels: { streak: true } } });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({
      displayName: null,
      country: 'FR',
      notificationPreferences: {
        reminderTime: '20:30',
        quietHours: { start: '23:00', end: '06:30' },
        channels: { daily_reminder: true, weekly_summary: false, streak: true },
      },
    });
    const me = await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: user.auth });
    expect(me.json().profile).toEqual(second.json());
  });

  test('audits the names of the changed fields, never their values', async () => {
    await patch({ displayName: 'A very personal name' });
    const rows = await db()
      .select({ metadata: auditEvents.metadata })
      .from(auditEvents)
      .where(and(eq(auditEvents.userId, user.userId), eq(auditEvents.action, 'profile_updated')));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toContainEqual({ metadata: { fields: ['displayName'] } });
    expect(JSON.stringify(rows)).not.toContain('A very personal name');
  });

  test.each([
    ['an empty body', {}],
    ['an unknown field', { nickname: 'x' }],
    ['an unknown notification channel', { notificationPreferences: { channels: { marketing: true } } }],
    ['a bad reminder time', { notificationPreferences: { reminderTime: '24:00' } }],
    ['quiet hours that start when they end', { notificationPreferences: { quietHours: { start: '22:00', end: '22:00' } } }],
    ['an unknown time zone', { timezone: 'Europe/Atlantis' }],
    ['a UTC offset instead of a zone', { timezone: '+05:30' }],
    ['an unknown country', { country: 'XK' }],
    ['a bad locale', { locale: 'en_US!' }],
    ['a display name too long', { displayName: 'x'.repeat(61) }],
    ['a display name with control characters', { displayName: 'Ada\u0000' }],
    ['a wrong type', { displayName: 42 }],
  ])('%s is 400 validation_failed and changes nothing', async (_label, payload) => {
    const before = await storedProfile();
    expectProblem(await patch(payload), 400, 'validation_failed');
    expect(await storedProfile()).toEqual(before);
  });

  test('requires a token', async () => {
    expectProblem(await patch({ displayName: 'x' }, {} as RegisteredUser['auth']), 401, 'unauthorized');
  });
});

describe('device sessions', () => {
  test('lists live sessions, most recently used first, marking the current one', async () => {
    const user = await registerUser(ctx.app);
    ctx.clock.advance(1000);
    const laptop = await login(user.email, user.password, { device: { name: 'Laptop', platform: 'web' } });
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/auth/sessions', headers: user.auth });
    expect(res.statusCode).toBe(200);
    const { sessions } = res.json();
    expect(sessions.map((s: { id: string }) => s.id)).toEqual([laptop.json().tokens.sessionId, user.sessionId]);
    expect(sessions.map((s: { current: boolean }) => s.current)).toEqual([false, true]);
    expect(sessions[0]).toMatchObject({ deviceName: 'Laptop', platform: 'web' });
    expect(Object.keys(sessions[0]).sort()).toEqual(
      ['createdAt', 'current', 'deviceName', 'expiresAt', 'id', 'idleExpiresAt', 'lastUsedAt', 'platform', 'userAgent'].sort(),
    );
  });

  test('revoking one session ends its access and refresh tokens at once', async () => {
    const user = await registerUser(ctx.app);
    const phone = (await login(user.email, user.password)).json().tokens;
    const res = await ctx.app.inject({ method: 'DELETE', url: `/v1/auth/sessions/${phone.sessionId}`, headers: user.auth });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expectProblem(await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${phone.accessToken}` } }), 401, 'session_revoked');
    expectProblem(
      await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: phone.refreshToken } }),
      401,
      'session_revoked',
    );
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/auth/sessions', headers: user.auth });
    expect(list.json().sessions.map((s: { id: string }) => s.id)).toEqual([user.sessionId]);
    expect((await auditActions(user.userId)).map((row) => row.action)).toContain('session_revoked');
    // Revoking it again: it is no longer there.
    expectProblem(await ctx.app.inject({ method: 'DELETE', url: `/v1/auth/sessions/${phone.sessionId}`, headers: user.auth }), 404, 'not_found');
  });

  test("another user's session id is 404 and the session stays live", async () => {
    const alice = await registerUser(ctx.app);
    const bob = await registerUser(ctx.app);
    await expectForeignOwnedNotFound(ctx.app, {
      method: 'DELETE',
      url: `/v1/auth/sessions/${alice.sessionId}`,
      otherUser: bob,
      unchanged: async () => (await db().select().from(authSessions).where(eq(authSessions.id, alice.sessionId)))[0],
    });
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: alice.auth })).statusCode).toBe(200);
  });

  test('an unknown session id is 404, a malformed one 400', async () => {
    const user = await registerUser(ctx.app);
    expectProblem(
      await ctx.app.inject({ method: 'DELETE', url: '/v1/auth/sessions/6c1f8a3e-2b7d-4c59-9a0e-5f3d2c1b0a99', headers: user.auth }),
      404,
      'not_found',
    );
    expectProblem(await ctx.app.inject({ method: 'DELETE', url: '/v1/auth/sessions/not-a-uuid', headers: user.auth }), 400, 'validation_failed');
  });

  test('revoke-others signs out every other device and keeps this one', async () => {
    const user = await registerUser(ctx.app);
    const others = [await login(user.email, user.password), await login(user.email, user.password)].map((res) => res.json().tokens);
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/sessions/revoke-others', headers: user.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ revoked: 2 });
    for (const tokens of others) {
      expectProblem(await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${tokens.accessToken}` } }), 401, 'session_revoked');
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: user.auth })).statusCode).toBe(200);
    const again = await ctx.app.inject({ method: 'POST', url: '/v1/auth/sessions/revoke-others', headers: user.auth });
    expect(again.json()).toEqual({ revoked: 0 });
  });
});

describe('revocation listeners (app.onSessionsRevoked)', () => {
  const seen: string[][] = [];
  let failFor: string | null = null;
  beforeAll(() => {
    ctx.app.onSessionsRevoked(async (ids, tx) => {
      if (failFor && ids.includes(failFor)) throw new Error('listener failed');
      // Runs inside the revoking transaction: it sees the session already revoked.
      const [row] = await tx.select({ revokedAt: authSessions.revokedAt }).from(authSessions).where(eq(authSessions.id, ids[0] ?? ''));
      expect(row?.revokedAt).not.toBeNull();
      seen.push([...ids]);
    });
  });

  test('hear about logout, one revoked session and all others', async () => {
    const user = await registerUser(ctx.app);
    const a = (await login(user.email, user.password)).json().tokens;
    const b = (await login(user.email, user.password)).json().tokens;
    const c = (await login(user.email, user.password)).json().tokens;
    await ctx.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: { authorization: `Bearer ${a.accessToken}` } });
    await ctx.app.inject({ method: 'DELETE', url: `/v1/auth/sessions/${b.sessionId}`, headers: user.auth });
    await ctx.app.inject({ method: 'POST', url: '/v1/auth/sessions/revoke-others', headers: user.auth });
    expect(seen.slice(-3)).toEqual([[a.sessionId], [b.sessionId], [c.sessionId]]);
  });

  test('a failing listener rolls the revocation back', async () => {
    const user = await registerUser(ctx.app);
    failFor = user.sessionId;
    try {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: user.auth });
      expectProblem(res, 500, 'internal_error');
    } finally {
      failFor = null;
    }
    const [session] = await db().select().from(authSessions).where(eq(authSessions.id, user.sessionId));
    expect(session?.revokedAt).toBeNull();
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: user.auth })).statusCode).toBe(200);
  });
});

describe('logout', () => {
  test('with the access token ends that session', async () => {
    const user = await registerUser(ctx.app);
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: user.auth });
    expect(res.statusCode).toBe(204);
    expectProblem(await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: user.auth }), 401, 'session_revoked');
    expectProblem(await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: user.refreshToken } }), 401, 'session_revoked');
    const [session] = await db().select().from(authSessions).where(eq(authSessions.id, user.sessionId));
    expect(session?.revokedReason).toBe('logout');
    expect((await auditActions(user.userId)).map((row) => row.action)).toContain('logout');
  });

  test('with only the refresh token (access token expired) ends that session', async () => {
    const user = await registerUser(ctx.app);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { authorization: 'Bearer expired.or.garbage' },
      payload: { refreshToken: user.refreshToken },
    });
    expect(res.statusCode).toBe(204);
    const [session] = await db().select().from(authSessions).where(eq(authSessions.id, user.sessionId));
    expect(session?.revokedAt).not.toBeNull();
  });

  test('with neither is 401; with an unknown refresh token 401 invalid_token', async () => {
    expectProblem(await ctx.app.inject({ method: 'POST', url: '/v1/auth/logout' }), 401, 'unauthorized');
    expectProblem(await ctx.app.inject({ method: 'POST', url: '/v1/auth/logout', payload: { refreshToken: 'nope' } }), 401, 'invalid_token');
    expectProblem(await ctx.app.inject({ method: 'POST', url: '/v1/auth/logout', payload: { refreshToken: 'x', extra: 1 } }), 400, 'validation_failed');
  });
});

describe('OpenAPI', () => {
  test('lists every auth and profile route with its schemas and bearer security', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const expected: Record<string, string[]> = {
      '/v1/auth/register': ['post'],
      '/v1/auth/login': ['post'],
      '/v1/auth/refresh': ['post'],
      '/v1/auth/logout': ['post'],
      '/v1/auth/apple': ['post'],
      '/v1/auth/google': ['post'],
      '/v1/me': ['get'],
      '/v1/me/profile': ['patch'],
      '/v1/auth/sessions': ['get'],
      '/v1/auth/sessions/{id}': ['delete'],
      '/v1/auth/sessions/revoke-others': ['post'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) {
        const operation = doc.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(operation.summary, `${method} ${path}`).toBeTruthy();
        expect(operation.tags.length).toBeGreaterThan(0);
        expect(Object.keys(operation.responses).length).toBeGreaterThan(1);
      }
    }
    expect(doc.paths['/v1/me'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/auth/register'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(doc.components.schemas).toHaveProperty('Me');
    expect(doc.components.schemas).toHaveProperty('AuthTokens');
  });
});

test('the users table enforces case-insensitive unique emails', async () => {
  const email = uniqueEmail('dup');
  await db().insert(users).values({ email });
  await expect(db().insert(users).values({ email: email.toUpperCase() })).rejects.toThrow();
  const [row] = await db().select({ n: count() }).from(users).where(sql`lower(${users.email}) = ${email}`);
  expect(row?.n).toBe(1);
});
