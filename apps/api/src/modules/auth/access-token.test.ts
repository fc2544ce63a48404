import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../app.js';
import { loggerOptions } from '../../infra/telemetry.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';

/**
 * The auth plugin through GET /v1/me: every way an access token can be wrong answers a precise
 * 401 problem+json, and a key rotation keeps old tokens verifying.
 */

let ctx: TestContext;
let user: RegisteredUser;
let signingJwk: JWK & { kid: string };
beforeAll(async () => {
  ctx = await createTestApp();
  user = await registerUser(ctx.app);
  const first = ctx.infra.secrets.signingKeys[0];
  if (!first) throw new Error('no signing key');
  signingJwk = first;
});
afterAll(async () => ctx?.close());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function claimsFor(target: { userId: string; sessionId: string }, overrides: JWTPayload = {}): JWTPayload {
  const iat = Math.floor(ctx.clock.now.getTime() / 1000);
  return {
    sub: target.userId,
    sid: target.sessionId,
    iss: ctx.infra.config.AUTH_ISSUER,
    aud: ctx.infra.config.AUTH_AUDIENCE,
    iat,
    exp: iat + 900,
    jti: randomUUID(),
    ...overrides,
  };
}

async function sign(payload: JWTPayload, options: { jwk?: JWK; kid?: string; typ?: string } = {}) {
  const jwk = options.jwk ?? signingJwk;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: options.kid ?? signingJwk.kid, typ: options.typ ?? 'at+jwt' })
    .sign(await importJWK(jwk, 'EdDSA'));
}

async function me(token: string | undefined, scheme = 'Bearer') {
  return ctx.app.inject({ method: 'GET', url: '/v1/me', headers: token === undefined ? {} : { authorization: `${scheme} ${token}` } });
}

async function expect401(res: Awaited<ReturnType<typeof me>>, code: string) {
  expect(res.statusCode, res.body).toBe(401);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.headers['www-authenticate']).toBe('Bearer realm="kalei"');
  expect(res.json()).toMatchObject({ status: 401, code });
}

describe('access tokens', () => {
  test('a token we signed for a live session is accepted', async () => {
    expect((await me(user.accessToken)).statusCode).toBe(200);
    expect((await me(await sign(claimsFor(user)))).statusCode).toBe(200);
  });

  test('the issued token has the documented header and claims', () => {
    const [header, payload] = user.accessToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'EdDSA', kid: signingJwk.kid, typ: 'at+jwt' });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sid', 'sub']);
    expect(payload).toMatchObject({ sub: user.userId, sid: user.sessionId, iss: 'kalei', aud: 'kalei-app' });
    expect(payload.exp - payload.iat).toBe(ctx.infra.config.ACCESS_TOKEN_TTL_SECONDS);
  });

  test('missing: 401 unauthorized', async () => {
    await expect401(await me(undefined), 'unauthorized');
  });

  test.each([
    ['another scheme', 'Basic', 'dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer', ''],
    ['not a JWT', 'Bearer', 'opaque-string'],
    ['a JWT with a broken payload', 'Bearer', `${b64({ alg: 'EdDSA' })}.!!!.${b64('sig')}`],
  ])('%s: 401 invalid_token', async (_label, scheme, token) => {
    await expect401(await me(token, scheme), 'invalid_token');
  });

  test('expired: 401 token_expired once the clock passes exp', async () => {
    const token = await sign(claimsFor(user));
    ctx.clock.advance(ctx.infra.config.ACCESS_TOKEN_TTL_SECONDS * 1000 + 1000);
    try {
      await expect401(await me(token), 'token_expired');
    } finally {
      ctx.clock.advance(-(ctx.infra.config.ACCESS_TOKEN_TTL_SECONDS * 1000 + 1000));
    }
    expect((await me(token)).statusCode).toBe(200);
  });

  test('tampered: a changed payload no longer matches the signature', async () => {
    const other = await registerUser(ctx.app);
    const [header, , signature] = user.accessToken.split('.');
    const forged = `${header}.${b64(claimsFor(other))}.${signature}`;
    await expect401(await me(forged), 'invalid_token');
    const at = user.accessToken.length - 10;
    const flipped = user.accessToken.slice(0, at) + (user.accessToken[at] === 'A' ? 'B' : 'A') + user.accessToken.slice(at + 1);
    await expect401(await me(flipped), 'invalid_token');
  });

  test('alg none: refused', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt', kid: signingJwk.kid })}.${b64(claimsFor(user))}.`;
    await expect401(await me(unsigned), 'invalid_token');
  });

  test('HS256 with the public key as the secret (algorithm confusion): refused', async () => {
    const secret = new TextEncoder().encode(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: signingJwk.x }));
    const token = await new SignJWT(claimsFor(user)).setProtectedHeader({ alg: 'HS256', kid: signingJwk.kid, typ: 'at+jwt' }).sign(secret);
    await expect401(await me(token), 'invalid_token');
  });

  test('signed with another Ed25519 key, under our kid or its own: refused', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const stranger = await exportJWK(privateKey);
    await expect401(await me(await sign(claimsFor(user), { jwk: stranger })), 'invalid_token');
    await expect401(await me(await sign(claimsFor(user), { jwk: stranger, kid: 'k-stranger' })), 'invalid_token');
  });

  test.each([
    ['a wrong issuer', { iss: 'https://evil.example' }],
    ['a wrong audience', { aud: 'another-app' }],
    ['no session id', { sid: undefined }],
    ['a session id that is not a uuid', { sid: 'abc' }],
    ['a subject that is not a uuid', { sub: "1' or '1'='1" }],
    ['issued in the future', { iat: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 4500 }],
  ])('%s, signed with our key: refused', async (_label, overrides) => {
    await expect401(await me(await sign(claimsFor(user, overrides as JWTPayload))), 'invalid_token');
  });

  test('a token older than the configured TTL, whatever its exp says: 401 token_expired', async () => {
    const now = Math.floor(ctx.clock.now.getTime() / 1000);
    await expect401(await me(await sign(claimsFor(user, { iat: now - 1000, exp: now + 3600 }))), 'token_expired');
  });

  test('a JWT of another type (e.g. an ID token) signed with our key: refused', async () => {
    await expect401(await me(await sign(claimsFor(user), { typ: 'JWT' })), 'invalid_token');
  });

  test("a valid signature on another user's session id: refused", async () => {
    const other = await registerUser(ctx.app);
    await expect401(await me(await sign(claimsFor({ userId: user.userId, sessionId: other.sessionId }))), 'session_revoked');
  });

  test('a session that does not exist: 401 session_revoked', async () => {
    await expect401(await me(await sign(claimsFor({ userId: user.userId, sessionId: randomUUID() }))), 'session_revoked');
  });

  test("a revoked session's still-unexpired token: 401 session_revoked", async () => {
    const victim = await registerUser(ctx.app);
    expect((await me(victim.accessToken)).statusCode).toBe(200); // its live state is now cached
    const logout = await ctx.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: victim.auth });
    expect(logout.statusCode).toBe(204);
    await expect401(await me(victim.accessToken), 'session_revoked');
  });

  test('requests without a token still reach public routes; a bad token does not block them', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/health', headers: { authorization: 'Bearer nonsense' } });
    expect(res.statusCode).toBe(200);
  });
});

describe('key rotation', () => {
  test('a new key signs; tokens signed with the old kid keep verifying', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const newKey = { ...(await exportJWK(privateKey)), kid: 'k-new', alg: 'EdDSA', use: 'sig' };
    const rotated = await createTestApp({ AUTH_SIGNING_KEYS: JSON.stringify([newKey, signingJwk]) });
    try {
      const fresh = await registerUser(rotated.app);
      const header = JSON.parse(Buffer.from(fresh.accessToken.split('.')[0] ?? '', 'base64url').toString());
      expect(header.kid).toBe('k-new');
      const oldKidToken = await sign({
        ...claimsFor(fresh),
        iss: rotated.infra.config.AUTH_ISSUER,
        iat: Math.floor(rotated.clock.now.getTime() / 1000),
        exp: Math.floor(rotated.clock.now.getTime() / 1000) + 900,
      });
      const res = await rotated.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${oldKidToken}` } });
      expect(res.statusCode, res.body).toBe(200);
      // The old app does not know the new key.
      await expect401(await me(fresh.accessToken), 'invalid_token');
    } finally {
      await rotated.close();
    }
  });
});

describe('logging', () => {
  test('request logs carry the keyed user hash, never the user id, the token or the password', async () => {
    const lines: string[] = [];
    const logger = pino({ ...loggerOptions('info') }, { write: (line: string) => lines.push(line) });
    const logged = await buildApp(ctx.infra, { logger });
    try {
      await logged.ready();
      const res = await logged.inject({ method: 'GET', url: '/v1/me', headers: user.auth });
      expect(res.statusCode).toBe(200);
      await logged.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: user.password }, remoteAddress: '10.9.9.9' });
    } finally {
      await logged.close();
    }
    const all = lines.join('\n');
    const completed = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request completed' && entry.req === undefined && entry.userHash);
    expect(completed?.userHash).toBe(ctx.app.hashUserId(user.userId));
    // The hash is bound to that request's logger only: the login after it (no token) logs without one.
    const entries = lines.map((line) => JSON.parse(line) as { msg: string; requestId: string; userHash?: string; req?: { url: string } });
    const loginId = entries.find((entry) => entry.req?.url === '/v1/auth/login')?.requestId;
    expect(loginId).toBeDefined();
    expect(entries.filter((entry) => entry.requestId === loginId)).not.toEqual([]);
    expect(entries.filter((entry) => entry.requestId === loginId && entry.userHash !== undefined)).toEqual([]);
    expect(all).not.toContain(user.userId);
    expect(all).not.toContain(user.accessToken);
    expect(all).not.toContain(user.password);
    expect(all).not.toContain(user.email);
  });
});
