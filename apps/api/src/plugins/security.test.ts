import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestContext } from '../test/app.js';
import { registerUser, type RegisteredUser } from '../test/factories.js';
import { errorsPlugin } from './errors.js';
import { securityPlugin } from './security.js';
import { webAppRoutes } from './web-app.js';

/** The policy's directives by name: `{ 'default-src': ["'none'"], ... }`. */
function csp(res: LightMyRequestResponse): Record<string, string[]> {
  const header = res.headers['content-security-policy'];
  expect(typeof header, 'content-security-policy').toBe('string');
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectBaseHeaders(res: LightMyRequestResponse) {
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(csp(res)['frame-ancestors']).toEqual(["'none'"]);
}

describe('security headers on the real app', () => {
  let ctx: TestContext;
  let user: RegisteredUser;
  beforeAll(async () => {
    ctx = await createTestApp();
    user = await registerUser(ctx.app);
  });
  afterAll(async () => ctx?.close());

  test.each([
    ['GET', '/health', 200],
    ['GET', '/openapi.json', 200],
    ['GET', '/v1/me', 401],
    ['GET', '/v1/nothing-here', 404],
    ['POST', '/v1/auth/login', 400],
  ] as const)('%s %s (%i) carries the headers, and the strict API policy', async (method, url, status) => {
    const res = await ctx.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    expect(res.statusCode).toBe(status);
    expectBaseHeaders(res);
    expect(csp(res)['default-src']).toEqual(["'none'"]);
  });

  test('answers under /v1 are not stored by any cache, signed in or not, errors too; others are left alone', async () => {
    const me = await ctx.app.inject({ url: '/v1/me', headers: user.auth });
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect((await ctx.app.inject({ url: '/v1/me' })).headers['cache-control']).toBe('no-store');
    expect((await ctx.app.inject({ url: '/v1/nothing-here' })).headers['cache-control']).toBe('no-store');
    expect((await ctx.app.inject({ url: '/health' })).headers['cache-control']).toBeUndefined();
  });

  test('a streamed Turn (server-sent events, written by hand) carries the headers and is not stored either', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/turns',
      headers: { ...user.auth, accept: 'text/event-stream' },
      payload: { thought: 'Nobody at the party liked me.' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expectBaseHeaders(res);
    expect(res.headers['cache-control']).toContain('no-store');
  });

  test('a /v1 route that chose its own caching keeps it (public helpline lists)', async () => {
    const res = await ctx.app.inject({ url: '/v1/safety/resources?country=GB' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
  });

  test('Swagger UI at /docs still renders: its page and assets load under a policy that allows them', async () => {
    const page = await ctx.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui-bundle.js');
    expectBaseHeaders(page);
    const policy = csp(page);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy['img-src']).toContain('data:');
    expect(policy['connect-src']).toEqual(["'self'"]);
    // Every script and stylesheet the page names is served from this origin.
    const assets = [...page.body.matchAll(/(?:src|href)="\.\/(static\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const res = await ctx.app.inject({ url: `/docs/${asset}` });
      expect(res.statusCode, asset).toBe(200);
    }
    const initializer = await ctx.app.inject({ url: '/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    expect(initializer.headers['x-content-type-options']).toBe('nosniff');
    // The page fetches the spec from here: same origin, so connect-src 'self' covers it.
    expect((await ctx.app.inject({ url: '/docs/json' })).statusCode).toBe(200);
  });
});

describe('security headers on the web app', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kalei-web-csp-'));
  const app = Fastify();

  beforeAll(async () => {
    mkdirSync(path.join(root, '_expo', 'static', 'js'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Kalei</title>');
    writeFileSync(path.join(root, '_expo', 'static', 'js', 'entry-abc.js'), 'console.log(1)');
    await app.register(errorsPlugin);
    await app.register(securityPlugin);
    app.get('/v1/ping', async () => ({ ok: true }));
    await app.register(webAppRoutes, { root });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  test.each(['/', '/mirror/123', '/index.html', '/_expo/static/js/entry-abc.js'])('%s gets a policy the app runs under', async (url) => {
    const res = await app.inject({ url, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expectBaseHeaders(res);
    const policy = csp(res);
    expect(policy['default-src']).toEqual(["'self'"]);
    // Its own scripts only: nothing inline, no eval.
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    // Plain HTTP on a LAN address must keep working in development.
    expect(policy['upgrade-insecure-requests']).toBeUndefined();
    // The web app's own caching stays as web-app.ts sets it.
    expect(res.headers['cache-control']).not.toBe('no-store');
  });

  test('an API path the catch-all route turns away keeps the API policy, as do API routes', async () => {
    for (const url of ['/v1/nothing', '/v1/items/1', '/health/x', '/metrics']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expectBaseHeaders(res);
      expect(csp(res)['default-src'], url).toEqual(["'none'"]);
    }
    const api = await app.inject({ url: '/v1/ping' });
    expect(csp(api)['default-src']).toEqual(["'none'"]);
    expect(api.headers['cache-control']).toBe('no-store');
  });
});

describe('CORS', () => {
  const allowed = 'https://app.example.com';
  let ctx: TestContext;
  let closed: TestContext;
  let user: RegisteredUser;
  beforeAll(async () => {
    ctx = await createTestApp({ CORS_ORIGINS: `${allowed}, http://localhost:8081` });
    closed = await createTestApp();
    user = await registerUser(ctx.app);
  });
  afterAll(async () => {
    await ctx?.close();
    await closed?.close();
  });

  test('an allowed origin gets access, on answers and on errors, and may read Retry-After and the request id', async () => {
    const me = await ctx.app.inject({ url: '/v1/me', headers: { ...user.auth, origin: allowed } });
    expect(me.statusCode).toBe(200);
    expect(me.headers['access-control-allow-origin']).toBe(allowed);
    expect(me.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(me.headers['access-control-expose-headers'])).toContain('retry-after');
    expect(String(me.headers.vary)).toMatch(/origin/i);
    const refused = await ctx.app.inject({ url: '/v1/me', headers: { origin: 'http://localhost:8081' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('http://localhost:8081');
  });

  test('a foreign origin, or a near miss, gets no CORS headers', async () => {
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'http://app.example.com', 'null']) {
      const res = await ctx.app.inject({ url: '/v1/me', headers: { ...user.auth, origin } });
      expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
  });

  test('a preflight from an allowed origin is answered before authentication; a foreign one is not allowed', async () => {
    const preflight = (origin: string) =>
      ctx.app.inject({
        method: 'OPTIONS',
        url: '/v1/turns',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
      });
    const ok = await preflight(allowed);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(String(ok.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(ok.headers['access-control-allow-headers'])).toEqual(expect.stringContaining('authorization'));
    expect(String(ok.headers['access-control-allow-headers'])).toEqual(expect.stringContaining('idempotency-key'));
    expect(ok.headers['access-control-max-age']).toBe('600');
    const foreign = await preflight('https://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('an OPTIONS that is no preflight is a problem+json 400', async () => {
    const res = await ctx.app.inject({ method: 'OPTIONS', url: '/v1/turns' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'bad_request' });
  });

  test('without CORS_ORIGINS (the default) there is no cross-origin access and no preflight', async () => {
    const res = await closed.app.inject({ url: '/health', headers: { origin: allowed } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await closed.app.inject({
      method: 'OPTIONS',
      url: '/v1/turns',
      headers: { origin: allowed, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(404);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    expect(preflight.headers['content-type']).toContain('application/problem+json');
  });
});
