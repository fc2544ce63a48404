import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';

let ctx: TestContext;
let user: RegisteredUser;
let other: RegisteredUser;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestApp();
  // A timeline a day apart: turn A, session S, turn B (saved). Access tokens last minutes, so
  // the user signs in again after each jump of the clock.
  ctx.clock.now = new Date('2026-11-20T10:00:00Z');
  user = await registerUser(ctx.app);
  other = await registerUser(ctx.app);
  const signIn = async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: user.password } });
    user = { ...user, auth: { authorization: `Bearer ${res.json().tokens.accessToken}` } };
  };
  const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: user.auth, payload });
  const othersTurn = await ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: other.auth, payload: { thought: 'I never do anything right.' } });
  expect(othersTurn.statusCode).toBe(201);
  ids.turnA = (await post('/v1/turns', { thought: 'Everyone at the meeting must think I am an idiot.' })).json().turn.id;
  ctx.clock.now = new Date('2026-11-21T10:00:00Z');
  await signIn();
  ids.session = (await post('/v1/mirror/sessions', {})).json().id;
  await post('/v1/mirror/messages', { sessionId: ids.session, text: 'I should be further along by now. I always let people down.' });
  // Opened and left, and one holding only a crisis message (never stored): neither is history.
  ids.emptySession = (await post('/v1/mirror/sessions', {})).json().id;
  ids.crisisSession = (await post('/v1/mirror/sessions', {})).json().id;
  const crisis = await post('/v1/mirror/messages', { sessionId: ids.crisisSession, text: 'I want to kill myself tonight.' });
  expect(crisis.json().kind).toBe('crisis');
  ctx.clock.now = new Date('2026-11-22T10:00:00Z');
  await signIn();
  ids.turnB = (await post('/v1/turns', { thought: 'This exam will be a total catastrophe.' })).json().turn.id;
  await post(`/v1/turns/${ids.turnB}/save`, {});
});
afterAll(async () => ctx?.close());

const gallery = async (query = '') => {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/gallery${query}`, headers: user.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { kind: string; turn?: { id: string }; session?: { id: string } }[]; nextCursor: string | null };
};
const idOf = (item: { turn?: { id: string }; session?: { id: string } }) => item.turn?.id ?? item.session?.id;

describe('GET /v1/gallery', () => {
  test('merges turns and sessions newest first, only the caller’s', async () => {
    const page = await gallery();
    expect(page.items.map(idOf)).toEqual([ids.turnB, ids.session, ids.turnA]);
    expect(page.items.map((i) => i.kind)).toEqual(['turn', 'session', 'turn']);
    expect(page.nextCursor).toBeNull();
  });

  test('pages across both kinds with a cursor and loses nothing', async () => {
    const first = await gallery('?limit=2');
    expect(first.items.map(idOf)).toEqual([ids.turnB, ids.session]);
    const second = await gallery(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map(idOf)).toEqual([ids.turnA]);
    expect(second.nextCursor).toBeNull();
  });

  test.each([
    ['?kind=saved', () => [ids.turnB]],
    ['?kind=turn', () => [ids.turnB, ids.turnA]],
    ['?kind=session', () => [ids.session]],
    ['?from=2026-11-21&to=2026-11-22', () => [ids.session]],
    ['?to=2026-11-21', () => [ids.turnA]],
  ])('filters %s', async (query, expected) => {
    expect((await gallery(query)).items.map(idOf)).toEqual(expected());
  });

  test('filters by thinking trap', async () => {
    const turn = (await ctx.app.inject({ method: 'GET', url: `/v1/turns/${ids.turnA}`, headers: user.auth })).json();
    const trap = turn.traps[0];
    expect(trap).toBeDefined();
    const page = await gallery(`?trap=${trap}`);
    expect(page.items.map(idOf)).toContain(ids.turnA);
  });

  test.each([['?kind=everything'], ['?trap=gloom'], ['?from=yesterday'], ['?from=2026-11-22&to=2026-11-21'], ['?limit=0'], ['?cursor=%%%'], ['?extra=1']])(
    'rejects %s with 400 problem+json',
    async (query) => {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/gallery${query}`, headers: user.auth });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    },
  );

  test('needs a token', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/gallery' })).statusCode).toBe(401);
  });

  test('leaves out Mirror sessions with no stored message (opened and left, or crisis only)', async () => {
    const listed = (await gallery('?kind=session')).items.map(idOf);
    expect(listed).not.toContain(ids.emptySession);
    expect(listed).not.toContain(ids.crisisSession);
    // Still the user's: Mirror's own list has them.
    const mirror = await ctx.app.inject({ method: 'GET', url: '/v1/mirror/sessions', headers: user.auth });
    expect(mirror.json().items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([ids.emptySession, ids.crisisSession]));
  });
});

describe('GET /v1/gallery/traps', () => {
  const counts = async (query = '', auth = user.auth) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/gallery/traps${query}`, headers: auth });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { traps: { trap: string; count: number }[] }).traps;
  };
  /** What the list says, trap by trap: the counts must match what a filter chip then shows. */
  const listed = async (kind: string) => {
    const items = (await gallery(kind ? `?kind=${kind}&limit=50` : '?limit=50')).items as { turn?: { traps: string[] }; session?: { traps: string[] } }[];
    const tally = new Map<string, number>();
    for (const item of items) for (const trap of new Set(item.turn?.traps ?? item.session?.traps ?? [])) tally.set(trap, (tally.get(trap) ?? 0) + 1);
    return tally;
  };

  test.each([[''], ['turn'], ['saved'], ['session']])('kind=%s: each trap counts the items the filter shows, most frequent first', async (kind) => {
    const traps = await counts(kind ? `?kind=${kind}` : '');
    const expected = await listed(kind);
    expect(new Map(traps.map((t) => [t.trap, t.count]))).toEqual(expected);
    expect(traps.map((t) => t.count)).toEqual([...traps.map((t) => t.count)].sort((a, b) => b - a));
    if (kind === '') expect(traps.length).toBeGreaterThan(0);
  });

  test('counts only the caller’s items', async () => {
    const fresh = await registerUser(ctx.app);
    expect(await counts('', fresh.auth)).toEqual([]);
  });

  test.each([['?kind=everything'], ['?trap=labeling'], ['?kind=turn&kind=saved']])('rejects %s with 400 problem+json', async (query) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/gallery/traps${query}`, headers: user.auth });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  test('needs a token', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/gallery/traps' })).statusCode).toBe(401);
  });
});
