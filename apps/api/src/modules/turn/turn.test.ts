import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { rowsOf } from '../../infra/db.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { auditRowsFor } from '../../test/audit.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';
import { expectForeignOwnedNotFound } from '../../test/ownership.js';

let ctx: TestContext;
let alice: RegisteredUser;
let bob: RegisteredUser;

beforeAll(async () => {
  ctx = await createTestApp();
  alice = await registerUser(ctx.app);
  bob = await registerUser(ctx.app);
  await ctx.app.inject({ method: 'PATCH', url: '/v1/me/profile', headers: alice.auth, payload: { country: 'US', timezone: 'America/New_York' } });
});
afterAll(async () => ctx?.close());

const createTurn = (user: RegisteredUser, payload: unknown, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: { ...user.auth, ...headers }, payload: payload as object });

const query = async (text: string) => rowsOf<Record<string, unknown>>(await ctx.infra.database.db.execute(sql.raw(text)));

/** Parses a server-sent event stream body into [event, data] pairs. */
function parseSse(body: string): [string, unknown][] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return [event, JSON.parse(data)];
    });
}

describe('POST /v1/turns', () => {
  test('turns a thought into three reframes and a micro-action, saved and attributed to its engine', async () => {
    const res = await createTurn(alice, { thought: 'I always mess everything up at work.', moodBefore: 3 });
    expect(res.statusCode).toBe(201);
    const { kind, turn } = res.json();
    expect(kind).toBe('turn');
    expect(turn.thought).toBe('I always mess everything up at work.');
    expect(turn.reframes).toHaveLength(3);
    expect(new Set(turn.reframes.map((r: { text: string }) => r.text)).size).toBe(3);
    expect(turn.microAction.text.length).toBeGreaterThan(0);
    expect(turn.engine).toMatchObject({ engine: 'local' });
    expect(turn.moodBefore).toBe(3);
    expect(turn.saved).toBe(false);
  });

  test('streams each reframe as an event, then the saved turn', async () => {
    const res = await createTurn(alice, { thought: 'Nobody at the party liked me.' }, { accept: 'text/event-stream' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = parseSse(res.body);
    expect(events.map(([name]) => name)).toEqual(['reframe', 'reframe', 'reframe', 'turn']);
    const turn = events[3]![1] as { id: string; reframes: unknown[] };
    expect(events.slice(0, 3).map(([, data]) => (data as { reframe: unknown }).reframe)).toEqual(turn.reframes);
    const stored = await ctx.app.inject({ method: 'GET', url: `/v1/turns/${turn.id}`, headers: alice.auth });
    expect(stored.statusCode).toBe(200);
  });

  test('stores the thought and reframes encrypted: no plaintext in the table', async () => {
    const marker = 'zebra-marmalade thought';
    await createTurn(alice, { thought: `I will fail the ${marker} exam for sure.`, context: 'secret context words' });
    const rows = await query('select thought_enc, context_enc, reframes_enc, micro_action_enc from turns');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain('zebra-marmalade');
    expect(dump).not.toContain('secret context');
    expect(dump).toContain('enc1.');
  });

  test.each([
    ['an empty thought', { thought: '' }],
    ['a whitespace-only thought', { thought: '   \n\t ' }],
    ['a thought over the maximum', { thought: 'a'.repeat(2001) }],
    ['a wrong type', { thought: 42 }],
    ['an unknown field', { thought: 'fine', extra: true }],
    ['a mood out of range', { thought: 'fine', moodBefore: 11 }],
  ])('rejects %s with 400 problem+json and stores nothing', async (_name, payload) => {
    const before = await query('select count(*)::int as n from turns');
    const res = await createTurn(alice, payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('validation_failed');
    expect(await query('select count(*)::int as n from turns')).toEqual(before);
  });

  test('rejects malformed JSON and a missing token', async () => {
    const malformed = await ctx.app.inject({
      method: 'POST',
      url: '/v1/turns',
      headers: { ...alice.auth, 'content-type': 'application/json' },
      payload: '{"thought": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('malformed_json');
    const anonymous = await ctx.app.inject({ method: 'POST', url: '/v1/turns', payload: { thought: 'x' } });
    expect(anonymous.statusCode).toBe(401);
  });

  test('answers crisis language with the crisis response for the profile country, stores no turn and uses no quota', async () => {
    const before = await query('select count(*)::int as n from turns');
    const usageBefore = (await ctx.app.inject({ method: 'GET', url: '/v1/billing/entitlements', headers: alice.auth })).json();
    const res = await createTurn(alice, { thought: 'I want to kill myself tonight.' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.kind).toBe('crisis');
    expect(body.reframes).toBeUndefined();
    expect(body.region.country).toBe('US');
    expect(JSON.stringify(body.resources)).toContain('988');
    expect(await query('select count(*)::int as n from turns')).toEqual(before);
    const events = await query(`select feature, categories, stage from safety_events where user_id = '${alice.userId}'`);
    expect(events.at(-1)).toMatchObject({ feature: 'turn' });
    expect(JSON.stringify(await query('select * from safety_events'))).not.toContain('kill myself');
    const usageAfter = (await ctx.app.inject({ method: 'GET', url: '/v1/billing/entitlements', headers: alice.auth })).json();
    const turnsUsed = (u: { quotas: { feature: string; used: number }[] }) => u.quotas.find((q) => q.feature === 'turns')?.used;
    expect(turnsUsed(usageAfter)).toBe(turnsUsed(usageBefore));
  });

  test('a profile change applies to the next request at once (the cached profile is cleared)', async () => {
    const user = await registerUser(ctx.app);
    await ctx.app.inject({ method: 'PATCH', url: '/v1/me/profile', headers: user.auth, payload: { country: 'US' } });
    expect((await createTurn(user, { thought: 'I want to end my life.' })).json().region.country).toBe('US');
    await ctx.app.inject({ method: 'PATCH', url: '/v1/me/profile', headers: user.auth, payload: { country: 'GB' } });
    expect((await createTurn(user, { thought: 'I want to end my life.' })).json().region.country).toBe('GB');
  });

  test('a replayed Idempotency-Key returns the same turn without a second AI call or count', async () => {
    const carol = await registerUser(ctx.app);
    const headers = { 'idempotency-key': 'turn-replay-1' };
    const first = await createTurn(carol, { thought: 'I should have known better.' }, headers);
    const second = await createTurn(carol, { thought: 'I should have known better.' }, headers);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await query(`select count(*)::int as n from turns where user_id = '${carol.userId}'`)).toEqual([{ n: 1 }]);
    // Usage rows are written behind the request, in batches.
    await vi.waitFor(async () => expect(await query(`select count(*)::int as n from ai_usage_events where user_id = '${carol.userId}' and task = 'turn.reframe'`)).toEqual([{ n: 1 }]), { timeout: 2_000, interval: 20 });
    const different = await createTurn(carol, { thought: 'Something else entirely.' }, headers);
    expect(different.statusCode).toBe(422);
  });

  test('the free plan allows five turns a day, then 429 quota_exceeded with the reset time; the next local day resets it', async () => {
    const dave = await registerUser(ctx.app);
    for (let i = 0; i < 5; i++) expect((await createTurn(dave, { thought: `Thought number ${i} went badly.` })).statusCode).toBe(201);
    const denied = await createTurn(dave, { thought: 'One more thought.' });
    expect(denied.statusCode).toBe(429);
    expect(denied.json()).toMatchObject({ code: 'quota_exceeded', limit: 5, plan: 'free' });
    expect(Number(denied.headers['retry-after'])).toBeGreaterThan(0);
    const resetAt = new Date(denied.json().resetAt);
    ctx.clock.now = new Date(resetAt.getTime() + 1000);
    // A new day also means a new access token: the old one expired with the clock move.
    const login = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: dave.email, password: dave.password } });
    const nextDay = { ...dave, auth: { authorization: `Bearer ${login.json().tokens.accessToken}` } };
    expect((await createTurn(nextDay, { thought: 'A new day, a new thought.' })).statusCode).toBe(201);
    ctx.clock.now = new Date();
  });
});

describe('turn history', () => {
  test('lists newest first with a cursor, filters by saved and by trap', async () => {
    const erin = await registerUser(ctx.app);
    const ids: string[] = [];
    for (const thought of ['I always fail tests.', 'They must think I am stupid.', 'This will be a disaster.']) {
      ids.push((await createTurn(erin, { thought })).json().turn.id);
      ctx.clock.advance(1000);
    }
    const page1 = await ctx.app.inject({ method: 'GET', url: '/v1/turns?limit=2', headers: erin.auth });
    expect(page1.json().items.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1]]);
    const page2 = await ctx.app.inject({ method: 'GET', url: `/v1/turns?limit=2&cursor=${page1.json().nextCursor}`, headers: erin.auth });
    expect(page2.json().items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    expect(page2.json().nextCursor).toBeNull();

    const save = await ctx.app.inject({ method: 'POST', url: `/v1/turns/${ids[1]}/save`, headers: erin.auth, payload: { note: 'remember this' } });
    expect(save.statusCode).toBe(200);
    expect(save.json()).toMatchObject({ saved: true, saveNote: 'remember this' });
    const savedAgain = await ctx.app.inject({ method: 'POST', url: `/v1/turns/${ids[1]}/save`, headers: erin.auth, payload: {} });
    expect(savedAgain.json().savedAt).toBe(save.json().savedAt);
    const saved = await ctx.app.inject({ method: 'GET', url: '/v1/turns?saved=true', headers: erin.auth });
    expect(saved.json().items.map((t: { id: string }) => t.id)).toEqual([ids[1]]);

    const first = (await ctx.app.inject({ method: 'GET', url: `/v1/turns/${ids[0]}`, headers: erin.auth })).json();
    const trap = first.traps[0];
    if (trap) {
      const byTrap = await ctx.app.inject({ method: 'GET', url: `/v1/turns?trap=${trap}`, headers: erin.auth });
      expect(byTrap.json().items.map((t: { id: string }) => t.id)).toContain(ids[0]);
      expect(byTrap.json().items.every((t: { traps: string[] }) => t.traps.includes(trap))).toBe(true);
    }
  });

  test('feedback on a reframe is kept, latest rating wins', async () => {
    const alice = await registerUser(ctx.app);
    const turn = (await createTurn(alice, { thought: 'I never get anything right.' })).json().turn;
    await ctx.app.inject({ method: 'POST', url: `/v1/turns/${turn.id}/feedback`, headers: alice.auth, payload: { reframeIndex: 1, helpful: true } });
    const res = await ctx.app.inject({ method: 'POST', url: `/v1/turns/${turn.id}/feedback`, headers: alice.auth, payload: { reframeIndex: 1, helpful: false } });
    expect(res.json().feedback).toEqual([{ reframeIndex: 1, helpful: false }]);
    const bad = await ctx.app.inject({ method: 'POST', url: `/v1/turns/${turn.id}/feedback`, headers: alice.auth, payload: { reframeIndex: 3, helpful: true } });
    expect(bad.statusCode).toBe(400);
  });

  test('another user gets 404 for every turn route, and nothing changes', async () => {
    const alice = await registerUser(ctx.app);
    const turn = (await createTurn(alice, { thought: 'I ruin every relationship.' })).json().turn;
    const unchanged = async () => (await ctx.app.inject({ method: 'GET', url: `/v1/turns/${turn.id}`, headers: alice.auth })).json();
    await expectForeignOwnedNotFound(ctx.app, { method: 'GET', url: `/v1/turns/${turn.id}`, otherUser: bob });
    await expectForeignOwnedNotFound(ctx.app, { method: 'POST', url: `/v1/turns/${turn.id}/save`, payload: {}, otherUser: bob, unchanged });
    await expectForeignOwnedNotFound(ctx.app, {
      method: 'POST',
      url: `/v1/turns/${turn.id}/feedback`,
      payload: { reframeIndex: 0, helpful: true },
      otherUser: bob,
      unchanged,
    });
    await expectForeignOwnedNotFound(ctx.app, { method: 'DELETE', url: `/v1/turns/${turn.id}`, otherUser: bob, unchanged });
    const bobsList = await ctx.app.inject({ method: 'GET', url: '/v1/turns', headers: bob.auth });
    expect(bobsList.json().items.map((t: { id: string }) => t.id)).not.toContain(turn.id);
  });

  test('a delete writes one audit row naming the turn, without its text; a foreign or missing id is 404 and writes none', async () => {
    const owner = await registerUser(ctx.app);
    const thought = 'I never get anything right.';
    const turn = (await createTurn(owner, { thought })).json().turn;
    const audited = () => auditRowsFor(ctx.infra.database.db, turn.id);

    await expectForeignOwnedNotFound(ctx.app, { method: 'DELETE', url: `/v1/turns/${turn.id}`, otherUser: bob });
    expect(await audited()).toEqual([]);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/turns/${missing}`, headers: owner.auth })).statusCode).toBe(404);
    expect(await auditRowsFor(ctx.infra.database.db, missing)).toEqual([]);

    const deleted = await ctx.app.inject({ method: 'DELETE', url: `/v1/turns/${turn.id}`, headers: owner.auth });
    expect(deleted.statusCode).toBe(204);
    const rows = await audited();
    expect(rows).toEqual([
      { userId: owner.userId, actor: 'user', action: 'turn_deleted', targetType: 'turn', targetId: turn.id, requestId: expect.any(String), metadata: {} },
    ]);
    expect(JSON.stringify(rows)).not.toContain(thought);

    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/turns/${turn.id}`, headers: owner.auth })).statusCode).toBe(404);
    expect(await audited()).toHaveLength(1);
  });

  test('delete removes the turn and its analytics; a bad id or cursor is 400', async () => {
    const alice = await registerUser(ctx.app);
    const turn = (await createTurn(alice, { thought: 'I am such a failure.' })).json().turn;
    await ctx.app.inject({ method: 'POST', url: `/v1/turns/${turn.id}/feedback`, headers: alice.auth, payload: { reframeIndex: 0, helpful: true } });
    // The turn was written with its analytics row, in the same statement.
    expect(await query(`select count(*)::int as n from spectrum_turn_analysis where turn_id = '${turn.id}' and user_id = '${alice.userId}'`)).toEqual([{ n: 1 }]);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/turns/${turn.id}`, headers: alice.auth })).statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/turns/${turn.id}`, headers: alice.auth })).statusCode).toBe(404);
    expect(await query(`select count(*)::int as n from spectrum_turn_analysis where turn_id = '${turn.id}'`)).toEqual([{ n: 0 }]);
    expect(await query(`select count(*)::int as n from turn_feedback where turn_id = '${turn.id}'`)).toEqual([{ n: 0 }]);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/turns/not-a-uuid', headers: alice.auth })).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/turns?cursor=garbage', headers: alice.auth })).statusCode).toBe(400);
  });
});
