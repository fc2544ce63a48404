import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { rowsOf } from '../../infra/db.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { auditRowsFor } from '../../test/audit.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';
import { createMirrorRepo } from './repo.js';
import { expectForeignOwnedNotFound } from '../../test/ownership.js';

let ctx: TestContext;
let alice: RegisteredUser;
let bob: RegisteredUser;

beforeAll(async () => {
  ctx = await createTestApp();
  alice = await registerUser(ctx.app);
  bob = await registerUser(ctx.app);
  await ctx.app.inject({ method: 'PATCH', url: '/v1/me/profile', headers: alice.auth, payload: { country: 'GB' } });
});
afterAll(async () => ctx?.close());

const query = async (text: string) => rowsOf<Record<string, unknown>>(await ctx.infra.database.db.execute(sql.raw(text)));
const openSession = async (user: RegisteredUser) =>
  (await ctx.app.inject({ method: 'POST', url: '/v1/mirror/sessions', headers: user.auth, payload: {} })).json().id as string;
const write = (user: RegisteredUser, sessionId: string, text: string, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: '/v1/mirror/messages', headers: { ...user.auth, ...headers }, payload: { sessionId, text } });

const JOURNAL = 'Work was long today. I always ruin every presentation, and everyone must think I am useless. Dinner was nice though.';

describe('Mirror sessions', () => {
  test('a message comes back with fragments whose offsets point into the text', async () => {
    const sessionId = await openSession(alice);
    const res = await write(alice, sessionId, JOURNAL);
    expect(res.statusCode).toBe(201);
    const { kind, message } = res.json();
    expect(kind).toBe('message');
    expect(message.text).toBe(JOURNAL);
    expect(message.seq).toBe(1);
    expect(message.fragments.length).toBeGreaterThan(0);
    for (const fragment of message.fragments) {
      expect(fragment.end).toBeGreaterThan(fragment.start);
      expect(fragment.end).toBeLessThanOrEqual(JOURNAL.length);
      expect(fragment.confidence).toBeGreaterThanOrEqual(0.5);
      expect(fragment.explanation.length).toBeGreaterThan(0);
      expect(fragment.reframe).toBeNull();
    }
  });

  test('a neutral message can have no fragments', async () => {
    const sessionId = await openSession(alice);
    const res = await write(alice, sessionId, 'I walked to the market and bought apples and bread.');
    expect(res.statusCode).toBe(201);
    expect(res.json().message.fragments).toEqual([]);
  });

  test('a fragment gets an inline reframe once; asking again returns the same one', async () => {
    const sessionId = await openSession(alice);
    const fragment = (await write(alice, sessionId, JOURNAL)).json().message.fragments[0];
    const first = await ctx.app.inject({ method: 'POST', url: `/v1/mirror/fragments/${fragment.id}/reframe`, headers: alice.auth });
    expect(first.statusCode).toBe(200);
    expect(first.json().kind).toBe('reframe');
    expect(first.json().fragment.reframe.text.length).toBeGreaterThan(0);
    const again = await ctx.app.inject({ method: 'POST', url: `/v1/mirror/fragments/${fragment.id}/reframe`, headers: alice.auth });
    expect(again.json()).toEqual(first.json());
    // Usage rows are written behind the request, in batches.
    await vi.waitFor(async () => expect(await query(`select count(*)::int as n from ai_usage_events where task = 'mirror.reframeFragment' and user_id = '${alice.userId}'`)).toEqual([{ n: 1 }]), { timeout: 2_000, interval: 20 });
  });

  test('closing writes a reflection; a closed session takes no more messages; closing again returns it', async () => {
    const sessionId = await openSession(alice);
    await write(alice, sessionId, JOURNAL);
    await write(alice, sessionId, 'Tomorrow will be a total disaster, I just know it.');
    const closed = await ctx.app.inject({ method: 'POST', url: `/v1/mirror/sessions/${sessionId}/close`, headers: alice.auth });
    expect(closed.statusCode).toBe(200);
    const session = closed.json().session;
    expect(session.status).toBe('closed');
    expect(session.reflection.length).toBeGreaterThan(0);
    expect(session.messageCount).toBe(2);
    const late = await write(alice, sessionId, 'One more thing.');
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('session_closed');
    const again = await ctx.app.inject({ method: 'POST', url: `/v1/mirror/sessions/${sessionId}/close`, headers: alice.auth });
    expect(again.json().session).toEqual(session);
    expect(await query(`select message_count from spectrum_session_analysis where session_id = '${sessionId}'`)).toEqual([{ message_count: 2 }]);
  });

  test('GET a session returns messages and fragments; the list filters by trap', async () => {
    const sessionId = await openSession(alice);
    const message = (await write(alice, sessionId, JOURNAL)).json().message;
    const res = await ctx.app.inject({ method: 'GET', url: `/v1/mirror/sessions/${sessionId}`, headers: alice.auth });
    expect(res.json().messages).toEqual([message]);
    const trap = message.fragments[0].trap;
    const list = await ctx.app.inject({ method: 'GET', url: `/v1/mirror/sessions?trap=${trap}`, headers: alice.auth });
    expect(list.json().items.map((s: { id: string }) => s.id)).toContain(sessionId);
    expect(list.json().items.every((s: { traps: string[] }) => s.traps.includes(trap))).toBe(true);
  });

  test('message text, fragment explanations and reflections are stored encrypted', async () => {
    const sessionId = await openSession(alice);
    await write(alice, sessionId, 'My quokka-lantern project will definitely fail and everyone will laugh.');
    await ctx.app.inject({ method: 'POST', url: `/v1/mirror/sessions/${sessionId}/close`, headers: alice.auth });
    const dump = JSON.stringify([
      ...(await query('select content_enc from mirror_messages')),
      ...(await query('select explanation_enc, reframe_enc from mirror_fragments')),
      ...(await query('select reflection_enc from mirror_sessions')),
    ]);
    expect(dump).not.toContain('quokka-lantern');
    expect(dump).toContain('enc1.');
  });

  test('crisis text gets the crisis response (GB resources), is not stored and uses no quota', async () => {
    const sessionId = await openSession(alice);
    const res = await write(alice, sessionId, 'I have been cutting myself again and I want to die.');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'crisis', region: { country: 'GB' } });
    expect(JSON.stringify(res.json().resources)).toContain('116 123');
    expect(await query(`select count(*)::int as n from mirror_messages where session_id = '${sessionId}'`)).toEqual([{ n: 0 }]);
  });

  test('risk accumulates over a session: a crisis spread over three messages is caught at the third, and a calm message does not reset it', async () => {
    const spread = [
      "Some days I think about what it would be like if I just wasn't around.",
      'Everything feels heavy and I stopped answering my friends, nobody would notice anyway.',
      'I keep imagining my funeral and who would come.',
    ];
    const sessionId = await openSession(alice);
    const statuses: number[] = [];
    for (const text of [...spread, 'Dinner was nice.', spread[0] as string]) statuses.push((await write(alice, sessionId, text)).statusCode);
    expect(statuses).toEqual([201, 201, 200, 201, 200]);
    const [session] = await query(`select safety_risk, message_count from mirror_sessions where id = '${sessionId}'`);
    expect(session).toMatchObject({ message_count: 3 });
    expect(Number(session?.safety_risk)).toBeGreaterThan(0.5);
    const events = await query(`select outcome, stage, classifier_score, version from safety_events where user_id = '${alice.userId}' and outcome = 'crisis_conversation'`);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ stage: 2, version: expect.stringMatching(/^stage1@.+\+crisis-lr-/) });
    // The same first message in a fresh session is fine: the risk belongs to the session.
    const fresh = await openSession(alice);
    expect((await write(alice, fresh, spread[0] as string)).statusCode).toBe(201);
  });

  test.each([
    ['empty text', { text: '' }],
    ['whitespace-only text', { text: '  \n ' }],
    ['text over the maximum', { text: 'x'.repeat(4001) }],
    ['an unknown field', { text: 'hello', mood: 3 }],
  ])('rejects %s with 400 and stores nothing', async (_name, extra) => {
    const sessionId = await openSession(alice);
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/mirror/messages', headers: alice.auth, payload: { sessionId, ...extra } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
    expect(await query(`select count(*)::int as n from mirror_messages where session_id = '${sessionId}'`)).toEqual([{ n: 0 }]);
  });

  test('a session that does not exist is 404', async () => {
    const res = await write(alice, '00000000-0000-4000-8000-000000000000', 'hello');
    expect(res.statusCode).toBe(404);
  });

  test('another user gets 404 on every Mirror route and changes nothing', async () => {
    const sessionId = await openSession(alice);
    const fragment = (await write(alice, sessionId, JOURNAL)).json().message.fragments[0];
    const unchanged = async () => (await ctx.app.inject({ method: 'GET', url: `/v1/mirror/sessions/${sessionId}`, headers: alice.auth })).json();
    await expectForeignOwnedNotFound(ctx.app, { method: 'GET', url: `/v1/mirror/sessions/${sessionId}`, otherUser: bob });
    await expectForeignOwnedNotFound(ctx.app, { method: 'POST', url: '/v1/mirror/messages', payload: { sessionId, text: 'intrusion' }, otherUser: bob, unchanged });
    await expectForeignOwnedNotFound(ctx.app, { method: 'POST', url: `/v1/mirror/fragments/${fragment.id}/reframe`, otherUser: bob, unchanged });
    await expectForeignOwnedNotFound(ctx.app, { method: 'POST', url: `/v1/mirror/sessions/${sessionId}/close`, otherUser: bob, unchanged });
    await expectForeignOwnedNotFound(ctx.app, { method: 'DELETE', url: `/v1/mirror/sessions/${sessionId}`, otherUser: bob, unchanged });
  });

  test('delete removes the session, its messages, fragments and analytics', async () => {
    const sessionId = await openSession(alice);
    await write(alice, sessionId, JOURNAL);
    await ctx.app.inject({ method: 'POST', url: `/v1/mirror/sessions/${sessionId}/close`, headers: alice.auth });
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/mirror/sessions/${sessionId}`, headers: alice.auth })).statusCode).toBe(204);
    for (const table of ['mirror_messages', 'mirror_fragments', 'spectrum_session_analysis']) {
      expect(await query(`select count(*)::int as n from ${table} where session_id = '${sessionId}'`)).toEqual([{ n: 0 }]);
    }
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/mirror/sessions/${sessionId}`, headers: alice.auth })).statusCode).toBe(404);
  });

  test('a delete writes one audit row naming the session, without its text; a foreign or missing id is 404 and writes none', async () => {
    const owner = await registerUser(ctx.app);
    const sessionId = await openSession(owner);
    await write(owner, sessionId, JOURNAL);
    const audited = () => auditRowsFor(ctx.infra.database.db, sessionId);

    await expectForeignOwnedNotFound(ctx.app, { method: 'DELETE', url: `/v1/mirror/sessions/${sessionId}`, otherUser: bob });
    expect(await audited()).toEqual([]);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/mirror/sessions/${missing}`, headers: owner.auth })).statusCode).toBe(404);
    expect(await auditRowsFor(ctx.infra.database.db, missing)).toEqual([]);

    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/mirror/sessions/${sessionId}`, headers: owner.auth })).statusCode).toBe(204);
    const rows = await audited();
    expect(rows).toEqual([
      { userId: owner.userId, actor: 'user', action: 'mirror_session_deleted', targetType: 'mirror_session', targetId: sessionId, requestId: expect.any(String), metadata: {} },
    ]);
    expect(JSON.stringify(rows)).not.toContain('presentation');

    expect((await ctx.app.inject({ method: 'DELETE', url: `/v1/mirror/sessions/${sessionId}`, headers: owner.auth })).statusCode).toBe(404);
    expect(await audited()).toHaveLength(1);
  });

  test('concurrent messages get consecutive sequence numbers, each with its own fragments', async () => {
    const carol = await registerUser(ctx.app);
    const sessionId = await openSession(carol);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => write(carol, sessionId, `${i}: ${JOURNAL}`)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(201));
    const rows = await query(`select seq, (select count(*)::int from mirror_fragments f where f.message_id = m.id) as fragments from mirror_messages m where session_id = '${sessionId}' order by seq`);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.every((r) => (r.fragments as number) > 0)).toBe(true);
    expect(await query(`select message_count from mirror_sessions where id = '${sessionId}'`)).toEqual([{ message_count: 6 }]);
    const session = (await ctx.app.inject({ method: 'GET', url: `/v1/mirror/sessions/${sessionId}`, headers: carol.auth })).json();
    expect(session.messages.map((m: { fragments: unknown[] }) => m.fragments.length > 0)).toEqual(Array(6).fill(true));
  });

  test('a full session takes no more messages (409) and nothing is written', async () => {
    const dave = await registerUser(ctx.app);
    const sessionId = await openSession(dave);
    expect((await write(dave, sessionId, JOURNAL)).statusCode).toBe(201);
    // As if 98 more had been written on earlier days.
    await query(`update mirror_sessions set message_count = 99 where id = '${sessionId}'`);
    expect((await write(dave, sessionId, 'The hundredth entry.')).statusCode).toBe(201);
    const full = await write(dave, sessionId, 'One too many.');
    expect(full.statusCode).toBe(409);
    expect(full.headers['content-type']).toContain('application/problem+json');
    expect(full.json().title).toBe('Session is full');
    expect(await query(`select seq from mirror_messages where session_id = '${sessionId}' order by seq`)).toEqual([{ seq: 1 }, { seq: 100 }]);
  });

  test('the append statement writes nothing to a closed, foreign or missing session', async () => {
    const repo = createMirrorRepo(ctx.infra.database.db);
    const sessionId = await openSession(alice);
    const message = { sessionId, userId: alice.userId, contentEnc: 'v1:x', engine: 'local', model: 'local', promptVersion: 'p@1', createdAt: new Date() };
    const fragment = { startOffset: 0, endOffset: 1, trap: 'labeling', confidence: 0.9, explanationEnc: 'v1:y' };
    expect(await repo.appendMessage({ ...message, userId: bob.userId }, [fragment], 100)).toBeNull();
    expect(await repo.appendMessage({ ...message, sessionId: '00000000-0000-4000-8000-000000000000' }, [fragment], 100)).toBeNull();
    await query(`update mirror_sessions set status = 'closed' where id = '${sessionId}'`);
    expect(await repo.appendMessage(message, [fragment], 100)).toBeNull();
    expect(await query(`select count(*)::int as n from mirror_messages where session_id = '${sessionId}'`)).toEqual([{ n: 0 }]);
    expect(await query(`select count(*)::int as n from mirror_fragments where session_id = '${sessionId}'`)).toEqual([{ n: 0 }]);
    expect(await query(`select message_count from mirror_sessions where id = '${sessionId}'`)).toEqual([{ message_count: 0 }]);
  });

  test('the free plan allows twenty messages a day', async () => {
    const frank = await registerUser(ctx.app);
    const sessionId = await openSession(frank);
    for (let i = 0; i < 20; i++) expect((await write(frank, sessionId, `Entry ${i}: a quiet day.`)).statusCode).toBe(201);
    const denied = await write(frank, sessionId, 'Entry 21.');
    expect(denied.statusCode).toBe(429);
    expect(denied.json()).toMatchObject({ code: 'quota_exceeded', limit: 20 });
  });
});
