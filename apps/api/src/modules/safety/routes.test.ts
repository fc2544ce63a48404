import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser } from '../../test/factories.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('GET /v1/safety/resources', () => {
  test('works without signing in, for a given country', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/safety/resources?country=us' });
    expect(res.statusCode).toBe(200);
    expect(res.json().region).toEqual({ country: 'US', source: 'profile' });
    expect(JSON.stringify(res.json().resources)).toContain('988');
    expect(res.json().emergency.numbers[0].number).toBe('911');
  });

  test('a signed-in user gets their profile country by default', async () => {
    const user = await registerUser(ctx.app);
    await ctx.app.inject({ method: 'PATCH', url: '/v1/me/profile', headers: user.auth, payload: { country: 'AU' } });
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/safety/resources', headers: user.auth });
    expect(res.json().region.country).toBe('AU');
    expect(JSON.stringify(res.json().resources)).toContain('13 11 14');
  });

  test('falls back to the locale, then to the international directory', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/safety/resources?locale=en-GB' })).json().region).toEqual({ country: 'GB', source: 'locale' });
    const unknown = (await ctx.app.inject({ method: 'GET', url: '/v1/safety/resources?country=ZZ' })).json();
    expect(unknown.region.source).toBe('international');
    expect(unknown.international.length).toBeGreaterThan(0);
    expect(unknown.emergency.guidance.length).toBeGreaterThan(0);
  });

  test.each([['?country=USA'], ['?country=1'], ['?other=x']])('rejects %s with 400', async (query) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/safety/resources${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
