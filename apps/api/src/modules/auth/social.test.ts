import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, count, eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditEvents, userIdentities, users } from '../../db/schema.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, uniqueEmail, uniqueIp } from '../../test/factories.js';

/**
 * Sign in with Apple and Google against a local JWKS server: a real HTTP server on 127.0.0.1
 * serving RS256 keys generated here, standing in for appleid.apple.com and googleapis.com.
 */

interface ProviderKey {
  kid: string;
  privateKey: CryptoKey;
}

const APPLE_AUD = 'app.kalei.ios';
const GOOGLE_AUD = 'kalei-android.apps.googleusercontent.com';

let server: Server;
let baseUrl: string;
const keys: Record<'apple' | 'google', ProviderKey> = {} as never;
let jwksRequests = 0;
let ctx: TestContext;

async function newKey(kid: string): Promise<{ key: ProviderKey; jwk: object }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { key: { kid, privateKey }, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

beforeAll(async () => {
  const apple = await newKey('apple-1');
  const google = await newKey('google-1');
  keys.apple = apple.key;
  keys.google = google.key;
  server = createServer((req, res) => {
    jwksRequests += 1;
    const body = req.url === '/apple/keys' ? { keys: [apple.jwk] } : req.url === '/google/certs' ? { keys: [google.jwk] } : null;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx = await createTestApp({
    APPLE_JWKS_URL: `${baseUrl}/apple/keys`,
    APPLE_CLIENT_IDS: `${APPLE_AUD},app.kalei.web`,
    GOOGLE_JWKS_URL: `${baseUrl}/google/certs`,
    GOOGLE_CLIENT_IDS: `${GOOGLE_AUD},kalei-ios.apps.googleusercontent.com`,
  });
});
afterAll(async () => {
  await ctx?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const db = () => ctx.infra.database.db;
const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

async function idToken(provider: 'apple' | 'google', claims: JWTPayload, options: { key?: ProviderKey; alg?: string } = {}) {
  const key = options.key ?? keys[provider];
  const iat = Math.floor(ctx.clock.now.getTime() / 1000);
  return new SignJWT({
    iss: provider === 'apple' ? 'https://appleid.apple.com' : 'https://accounts.google.com',
    aud: provider === 'apple' ? APPLE_AUD : GOOGLE_AUD,
    iat,
    exp: iat + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: key.kid })
    .sign(key.privateKey);
}

function signIn(provider: 'apple' | 'google', payload: Record<string, unknown>, app = ctx.app) {
  return app.inject({ method: 'POST', url: `/v1/auth/${provider}`, payload, remoteAddress: uniqueIp() });
}

async function counts() {
  const [u] = await db().select({ n: count() }).from(users);
  const [i] = await db().select({ n: count() }).from(userIdentities);
  return { users: u?.n, identities: i?.n };
}

function expectProblem(res: Awaited<ReturnType<typeof signIn>>, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status, code });
}

describe('Sign in with Apple', () => {
  test('the first sign-in creates the account; the next finds it', async () => {
    const sub = `001234.${randomBytes(8).toString('hex')}.0001`;
    const email = uniqueEmail('apple');
    const nonce = randomBytes(16).toString('hex');
    const token = await idToken('apple', { sub, email, email_verified: 'true', is_private_email: 'false', nonce: sha256Hex(nonce) });
    const first = await signIn('apple', { idToken: token, nonce, displayName: 'Ada', timezone: 'Europe/Paris', device: { platform: 'ios' } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      isNewUser: true,
      user: { email, hasPassword: false, identities: ['apple'], profile: { displayName: 'Ada', timezone: 'Europe/Paris' } },
    });
    const me = await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${first.json().tokens.accessToken}` } });
    expect(me.statusCode).toBe(200);

    const nonce2 = randomBytes(16).toString('hex');
    const again = await signIn('apple', { idToken: await idToken('apple', { sub, nonce: sha256Hex(nonce2) }), nonce: nonce2 });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ isNewUser: false, user: { id: first.json().user.id } });
    expect(again.json().tokens.sessionId).not.toBe(first.json().tokens.sessionId);

    const actions = await db().select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.userId, first.json().user.id));
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'register', metadata: { method: 'apple' } },
        { action: 'login', metadata: { method: 'apple' } },
      ]),
    );
  });

  test('a token for another audience, issuer, an expired one or a bad nonce is refused and creates nothing', async () => {
    const nonce = randomBytes(16).toString('hex');
    const good = { sub: `sub-${randomBytes(6).toString('hex')}`, nonce: sha256Hex(nonce) };
    const before = await counts();
    const cases: [Promise<string>, string, string][] = [
      [idToken('apple', { ...good, aud: 'com.someone.else' }), nonce, 'invalid_token'],
      [idToken('apple', { ...good, iss: 'https://appleid.apple.com.evil.example' }), nonce, 'invalid_token'],
      [idToken('apple', { ...good, iat: Math.floor(ctx.clock.now.getTime() / 1000) - 7200, exp: Math.floor(ctx.clock.now.getTime() / 1000) - 3600 }), nonce, 'token_expired'],
      [idToken('apple', good), randomBytes(16).toString('hex'), 'invalid_token'],
      [idToken('apple', { ...good, nonce: nonce }), nonce, 'invalid_token'],
      [idToken('apple', { sub: good.sub }), nonce, 'invalid_token'],
      [idToken('apple', good, { key: keys.google }), nonce, 'invalid_token'],
      [idToken('apple', { ...good, sub: undefined }), nonce, 'invalid_token'],
    ];
    for (const [token, sentNonce, code] of cases) expectProblem(await signIn('apple', { idToken: await token, nonce: sentNonce }), 401, code);
    expect(await counts()).toEqual(before);
  });

  test('a token signed by another key under Apple’s kid is refused', async () => {
    const impostor = await newKey(keys.apple.kid);
    const nonce = randomBytes(16).toString('hex');
    const token = await idToken('apple', { sub: 'sub-impostor', nonce: sha256Hex(nonce) }, { key: impostor.key });
    expectProblem(await signIn('apple', { idToken: token, nonce }), 401, 'invalid_token');
  });

  test('an HS256 token or garbage is refused', async () => {
    const nonce = randomBytes(16).toString('hex');
    const hs = await new SignJWT({ sub: 'x', nonce: sha256Hex(nonce), iss: 'https://appleid.apple.com', aud: APPLE_AUD })
      .setProtectedHeader({ alg: 'HS256', kid: keys.apple.kid })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('a shared secret that is long enough'));
    expectProblem(await signIn('apple', { idToken: hs, nonce }), 401, 'invalid_token');
    expectProblem(await signIn('apple', { idToken: 'not.a.jwt', nonce }), 401, 'invalid_token');
  });

  test('the nonce is required', async () => {
    const token = await idToken('apple', { sub: 'sub-x' });
    expectProblem(await signIn('apple', { idToken: token }), 400, 'validation_failed');
  });

  test('an unverified email is not taken: the account has none', async () => {
    const nonce = randomBytes(16).toString('hex');
    const token = await idToken('apple', { sub: `sub-${randomBytes(6).toString('hex')}`, email: uniqueEmail('unverified'), email_verified: 'false', nonce: sha256Hex(nonce) });
    const res = await signIn('apple', { idToken: token, nonce });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.email).toBeNull();
  });
});

describe('Sign in with Google', () => {
  test('signs in with any configured client id and either issuer spelling', async () => {
    const sub = randomBytes(10).toString('hex');
    const email = uniqueEmail('google');
    const first = await signIn('google', { idToken: await idToken('google', { sub, email, email_verified: true }) });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ isNewUser: true, user: { email, identities: ['google'] } });
    const second = await signIn('google', {
      idToken: await idToken('google', { sub, iss: 'accounts.google.com', aud: 'kalei-ios.apps.googleusercontent.com' }),
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ isNewUser: false, user: { id: first.json().user.id } });
  });

  test('checks the nonce when the app sent one', async () => {
    const nonce = randomBytes(16).toString('hex');
    const sub = randomBytes(10).toString('hex');
    expect((await signIn('google', { idToken: await idToken('google', { sub, nonce }), nonce })).statusCode).toBe(200);
    expectProblem(await signIn('google', { idToken: await idToken('google', { sub, nonce: 'other-nonce-value-123' }), nonce }), 401, 'invalid_token');
    expectProblem(await signIn('google', { idToken: await idToken('google', { sub }), nonce }), 401, 'invalid_token');
  });

  test('wrong audience, wrong issuer, expired: refused, nothing created', async () => {
    const before = await counts();
    const sub = randomBytes(10).toString('hex');
    const now = Math.floor(ctx.clock.now.getTime() / 1000);
    expectProblem(await signIn('google', { idToken: await idToken('google', { sub, aud: 'someone-else.apps.googleusercontent.com' }) }), 401, 'invalid_token');
    expectProblem(await signIn('google', { idToken: await idToken('google', { sub, iss: 'https://accounts.google.evil' }) }), 401, 'invalid_token');
    expectProblem(await signIn('google', { idToken: await idToken('google', { sub, iat: now - 7200, exp: now - 3600 }) }), 401, 'token_expired');
    expectProblem(await signIn('google', { idToken: await idToken('google', { sub }, { key: keys.apple }) }), 401, 'invalid_token');
    expect(await counts()).toEqual(before);
  });

  test('a verified email that belongs to a password account is 409 email_taken: no silent linking', async () => {
    const owner = await registerUser(ctx.app);
    const before = await counts();
    const res = await signIn('google', { idToken: await idToken('google', { sub: randomBytes(10).toString('hex'), email: owner.email, email_verified: true }) });
    expectProblem(res, 409, 'email_taken');
    expect(await counts()).toEqual(before);
  });

  test('concurrent first sign-ins with the same identity end in one account', async () => {
    const sub = randomBytes(10).toString('hex');
    const token = await idToken('google', { sub, email: uniqueEmail('race'), email_verified: true });
    const [a, b] = await Promise.all([signIn('google', { idToken: token }), signIn('google', { idToken: token })]);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.statusCode, b.body).toBe(200);
    expect(a.json().user.id).toBe(b.json().user.id);
    const rows = await db().select().from(userIdentities).where(and(eq(userIdentities.provider, 'google'), eq(userIdentities.subject, sub)));
    expect(rows).toHaveLength(1);
  });

  test('the JWKS is fetched once and cached', async () => {
    const before = jwksRequests;
    for (let i = 0; i < 3; i++) await signIn('google', { idToken: await idToken('google', { sub: randomBytes(10).toString('hex') }) });
    expect(jwksRequests).toBe(before);
  });
});

describe('configuration', () => {
  let bare: TestContext;
  beforeAll(async () => {
    bare = await createTestApp({
      // Google configured against a key server that is not there; Apple not configured at all.
      GOOGLE_CLIENT_IDS: GOOGLE_AUD,
      GOOGLE_JWKS_URL: 'http://127.0.0.1:9/certs',
    });
  });
  afterAll(async () => bare?.close());

  test('no client ids configured: 501 not_implemented with a clear message', async () => {
    const nonce = randomBytes(16).toString('hex');
    const res = await signIn('apple', { idToken: await idToken('apple', { sub: 'x', nonce: sha256Hex(nonce) }), nonce }, bare.app);
    expectProblem(res, 501, 'not_implemented');
    expect(res.json().detail).toContain('APPLE_CLIENT_IDS');
  });

  test('the provider key set unreachable: 503 unavailable with Retry-After', async () => {
    const res = await signIn('google', { idToken: await idToken('google', { sub: 'x' }) }, bare.app);
    expectProblem(res, 503, 'unavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
