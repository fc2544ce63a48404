import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestContext } from '../test/app.js';
import { registerUser, type RegisteredUser } from '../test/factories.js';

/** Sends raw bytes over real HTTP and returns the status, headers and body of the answer. */
function rawRequest(port: number, request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', (error) => (data ? undefined : reject(error)));
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      resolve({ status: Number(statusLine.split(' ')[1]), headers: headerLines.join('\n').toLowerCase(), body });
    });
  });
}

describe('every error is problem+json with a stable code and no echo of the input', () => {
  let ctx: TestContext;
  let user: RegisteredUser;
  beforeAll(async () => {
    ctx = await createTestApp();
    user = await registerUser(ctx.app);
  });
  afterAll(async () => ctx?.close());

  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code, type: `https://kalei.app/problems/${code}` });
    expect(res.body).not.toContain('FST_ERR');
    return body;
  };

  test('a path parameter longer than the router allows is 414 uri_too_long, without the path', async () => {
    const long = 'a'.repeat(8000);
    for (const [method, path] of [['DELETE', '/v1/turns'], ['GET', '/v1/turns'], ['PATCH', '/v1/lens/goals']] as const) {
      const res = await ctx.app.inject({ method, url: `${path}/${long}`, headers: user.auth });
      expectProblem(res, 414, 'uri_too_long');
      expect(res.body).not.toContain('aaaaaaaaaa');
      expect(res.body.length).toBeLessThan(1000);
    }
  });

  test('a URL that does not decode is 400 malformed_url, without the URL', async () => {
    for (const url of ['/v1/turns/%', '/%c0%ae%c0%ae/', '/v1/lens/goals/%zz']) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: user.auth });
      expectProblem(res, 400, 'malformed_url');
      expect(res.body).not.toContain('%c0');
      expect(res.body).not.toContain('%zz');
    }
  });

  test('an unknown route is 404 route_not_found and does not echo its path', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/${'nothing-here-'.repeat(300)}` });
    const body = expectProblem(res, 404, 'route_not_found');
    expect(res.body).not.toContain('nothing-here');
    expect(body.instance).toBeUndefined();
  });

  test('a wrong content type is 415, a too large body 413, malformed JSON 400, none echoing what was sent', async () => {
    const media = await ctx.app.inject({
      method: 'POST',
      url: '/v1/turns',
      headers: { ...user.auth, 'content-type': 'application/x-echo-me' },
      payload: 'thought',
    });
    expectProblem(media, 415, 'unsupported_media_type');
    expect(media.body).not.toContain('echo-me');

    const large = await ctx.app.inject({
      method: 'POST',
      url: '/v1/turns',
      headers: { ...user.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ thought: 'x'.repeat(ctx.infra.config.BODY_LIMIT_BYTES + 10) }),
    });
    expectProblem(large, 413, 'payload_too_large');

    const malformed = await ctx.app.inject({
      method: 'POST',
      url: '/v1/turns',
      headers: { ...user.auth, 'content-type': 'application/json' },
      payload: '{"thought": "secret-words',
    });
    expectProblem(malformed, 400, 'malformed_json');
    expect(malformed.body).not.toContain('secret-words');
  });

  test('a JSON body declared in a charset other than UTF-8 is 415, and nothing is stored', async () => {
    const before = (await ctx.app.inject({ method: 'GET', url: '/v1/lens/goals', headers: user.auth })).json();
    for (const contentType of ['application/json; charset=utf-16', 'application/json;charset="UTF-16LE"', 'application/json; charset=latin1']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v1/lens/goals',
        headers: { ...user.auth, 'content-type': contentType },
        payload: JSON.stringify({ title: 'a goal in the wrong charset' }),
      });
      expectProblem(res, 415, 'unsupported_media_type');
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/lens/goals', headers: user.auth })).json()).toEqual(before);

    for (const contentType of ['application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/v1/lens/goals',
        headers: { ...user.auth, 'content-type': contentType },
        payload: JSON.stringify({ title: `goal ${randomUUID()}` }),
      });
      expect(res.statusCode).toBe(201);
    }
  });

  test('a request whose headers are too large is 431 problem+json over real HTTP', async () => {
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = ctx.app.server.address() as AddressInfo;
    const res = await rawRequest(port, `GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${'x'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers).toContain('content-type: application/problem+json');
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 431, code: 'headers_too_large' });
    expect(res.body).not.toContain('xxxxxxxx');
  });
});

describe('dates outside 1900-01-01..9999-12-31 are a 400 validation problem, never a 500', () => {
  let ctx: TestContext;
  let user: RegisteredUser;
  beforeAll(async () => {
    ctx = await createTestApp();
    user = await registerUser(ctx.app);
  });
  afterAll(async () => ctx?.close());

  const expectValidation = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) => {
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed' });
  };

  test('queries and bodies with year 0000 or 1899 are refused; 1900 and 9999 are accepted', async () => {
    const goal = await ctx.app.inject({ method: 'POST', url: '/v1/lens/goals', headers: user.auth, payload: { title: 'g' } });
    expect(goal.statusCode).toBe(201);
    const goalId = (goal.json() as { id: string }).id;
    for (const date of ['0000-01-01', '1899-12-31']) {
      expectValidation(await ctx.app.inject({ method: 'GET', url: `/v1/gallery?from=${date}`, headers: user.auth }));
      expectValidation(await ctx.app.inject({ method: 'GET', url: `/v1/lens/checkins?to=${date}`, headers: user.auth }));
      expectValidation(
        await ctx.app.inject({ method: 'POST', url: '/v1/lens/goals', headers: user.auth, payload: { title: 'g', targetDate: date } }),
      );
      expectValidation(
        await ctx.app.inject({ method: 'PATCH', url: `/v1/lens/goals/${goalId}`, headers: user.auth, payload: { targetDate: date } }),
      );
    }
    for (const date of ['1900-01-01', '9999-12-31']) {
      expect((await ctx.app.inject({ method: 'GET', url: `/v1/gallery?from=${date}`, headers: user.auth })).statusCode).toBe(200);
      expect((await ctx.app.inject({ method: 'GET', url: `/v1/lens/checkins?to=${date}`, headers: user.auth })).statusCode).toBe(200);
      const patched = await ctx.app.inject({ method: 'PATCH', url: `/v1/lens/goals/${goalId}`, headers: user.auth, payload: { targetDate: date } });
      expect(patched.statusCode).toBe(200);
      expect((patched.json() as { targetDate: string }).targetDate).toBe(date);
    }
  });
});
