import type { AuthTokens } from '@kalei/contracts/auth';
import { z } from 'zod';
import type { TokenStorage } from '../auth/token-storage.types';
import { createApiClient, type FetchLike } from './client';
import { ApiError } from './errors';

const NOW = Date.parse('2026-03-14T12:00:00Z');

function pair(n: number, expiresInMs: number): AuthTokens {
  return {
    tokenType: 'Bearer',
    accessToken: `access-${n}`,
    accessTokenExpiresAt: new Date(NOW + expiresInMs).toISOString(),
    expiresIn: Math.round(expiresInMs / 1000),
    refreshToken: `refresh-${n}`,
    refreshTokenExpiresAt: new Date(NOW + 14 * 86_400_000).toISOString(),
    sessionId: '6f1c1f43-5d1e-4a52-9a3c-1f1c2b7f9e10',
  };
}

function memoryStorage(initial: AuthTokens | null): TokenStorage & { value: AuthTokens | null } {
  return {
    value: initial,
    async load() {
      return this.value;
    },
    async save(tokens) {
      this.value = tokens;
    },
    async clear() {
      this.value = null;
    },
  };
}

const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const problem = (status: number, code: string) => json(status, { type: 'about:blank', title: code, status, code }, 'application/problem+json');

/** A tiny stand-in for the API: one valid access token at a time, refresh tokens single-use. */
function fakeServer(first: number) {
  let current = first;
  const refreshes: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    await new Promise((r) => setTimeout(r, 5));
    const path = new URL(url).pathname;
    if (path === '/v1/auth/refresh') {
      const { refreshToken } = JSON.parse(String(init?.body)) as { refreshToken: string };
      refreshes.push(refreshToken);
      if (refreshToken !== `refresh-${current}`) return problem(401, 'refresh_token_reused');
      current += 1;
      return json(200, pair(current, 15 * 60_000));
    }
    const auth = new Headers(init?.headers).get('authorization');
    if (auth !== `Bearer access-${current}`) return problem(401, 'token_expired');
    return json(200, { ok: true, path });
  };
  return { fetch, refreshes };
}

const Ok = z.object({ ok: z.literal(true), path: z.string() });

describe('api client', () => {
  it('rotates an expiring token once when two requests race', async () => {
    const server = fakeServer(1);
    const storage = memoryStorage(pair(1, 10_000));
    const client = createApiClient({ baseUrl: 'http://api.test', storage, fetch: server.fetch, now: () => NOW });
    const [a, b] = await Promise.all([client.request('/v1/a', { schema: Ok }), client.request('/v1/b', { schema: Ok })]);
    expect([a.path, b.path]).toEqual(['/v1/a', '/v1/b']);
    expect(server.refreshes).toEqual(['refresh-1']);
    expect(storage.value?.refreshToken).toBe('refresh-2');
  });

  it('refreshes on a 401 and retries the request once', async () => {
    const server = fakeServer(2);
    // The stored access token looks fresh but the server has moved on (e.g. rotated elsewhere).
    const storage = memoryStorage({ ...pair(1, 15 * 60_000), refreshToken: 'refresh-2' });
    const client = createApiClient({ baseUrl: 'http://api.test', storage, fetch: server.fetch, now: () => NOW });
    await expect(client.request('/v1/me', { schema: Ok })).resolves.toEqual({ ok: true, path: '/v1/me' });
    expect(server.refreshes).toEqual(['refresh-2']);
  });

  it('ends the session when the refresh token is rejected', async () => {
    const server = fakeServer(5);
    const storage = memoryStorage(pair(1, 10_000));
    const changes: (string | undefined)[] = [];
    const client = createApiClient({
      baseUrl: 'http://api.test',
      storage,
      fetch: server.fetch,
      now: () => NOW,
      onTokensChanged: (tokens, reason) => changes.push(tokens ? 'signed-in' : reason),
    });
    await expect(client.request('/v1/me', { schema: Ok })).rejects.toBeInstanceOf(ApiError);
    expect(storage.value).toBeNull();
    expect(changes).toEqual(['expired']);
  });

  it('throws problem details with their code', async () => {
    const client = createApiClient({
      baseUrl: 'http://api.test',
      storage: memoryStorage(pair(1, 15 * 60_000)),
      fetch: async () => problem(429, 'quota_exceeded'),
      now: () => NOW,
    });
    await expect(client.request('/v1/turns', { method: 'POST', body: {} })).rejects.toMatchObject({ status: 429, code: 'quota_exceeded' });
  });

  it('rejects answers that do not match the contract', async () => {
    const client = createApiClient({
      baseUrl: 'http://api.test',
      storage: memoryStorage(pair(1, 15 * 60_000)),
      fetch: async () => json(200, { ok: 'nope' }),
      now: () => NOW,
    });
    await expect(client.request('/v1/x', { schema: Ok })).rejects.toThrow(/not what this version of the app expects/);
  });

  it('signs out on the server and forgets the pair', async () => {
    const calls: string[] = [];
    const storage = memoryStorage(pair(1, 15 * 60_000));
    const client = createApiClient({
      baseUrl: 'http://api.test',
      storage,
      fetch: async (url) => {
        calls.push(new URL(url).pathname);
        return new Response(null, { status: 204 });
      },
      now: () => NOW,
    });
    await client.signOut();
    expect(calls).toEqual(['/v1/auth/logout']);
    expect(storage.value).toBeNull();
  });
});
