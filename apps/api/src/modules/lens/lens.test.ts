import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditEvents, lensActionCompletions, lensCheckins, lensDailyContent, lensGoals, profiles, safetyEvents } from '../../db/schema.js';
import { rowsOf } from '../../infra/db.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { auditRowsFor } from '../../test/audit.js';
import { startFakeOpenAi, type FakeOpenAi, type RecordedRequest } from '../../test/fake-openai-server.js';
import { registerUser, uniqueIp, type RegisteredUser } from '../../test/factories.js';
import { expectForeignOwnedNotFound } from '../../test/ownership.js';

let ctx: TestContext;
let fake: FakeOpenAi;
/** When set, the model fails every request (an outage). */
let modelDown = false;

const isAffirmation = (request: RecordedRequest) => JSON.stringify(request.body.messages).includes("write today's affirmation");

beforeAll(async () => {
  fake = await startFakeOpenAi({
    fallback: (request) => {
      if (modelDown) return { kind: 'error', status: 503 };
      return isAffirmation(request)
        ? { kind: 'reply', content: JSON.stringify({ affirmation: 'I can take one small, steady step today.' }) }
        : { kind: 'reply', content: JSON.stringify({ focus: 'Put the phone in the kitchen before ten.' }) };
    },
  });
  ctx = await createTestApp({
    AI_ROUTING: JSON.stringify({ lanes: { economy: [{ name: 'fake-economy', provider: 'openai-compatible', baseUrl: fake.baseUrl, model: 'tiny-1b', maxRetries: 0 }] } }),
  });
});
afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});

const db = () => ctx.infra.database.db;

type Session = RegisteredUser;

/** Registers a user at `iso` on the test clock (in `timezone`). */
async function userAt(iso: string, timezone = 'UTC'): Promise<Session> {
  ctx.clock.now = new Date(iso);
  return registerUser(ctx.app, { timezone });
}

/** Moves the clock and refreshes the user's tokens (access tokens last 15 minutes of test time). */
async function moveTo(iso: string, user: Session): Promise<void> {
  ctx.clock.now = new Date(iso);
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: user.refreshToken }, remoteAddress: uniqueIp() });
  expect(res.statusCode, res.body).toBe(200);
  user.refreshToken = res.json().refreshToken;
  user.auth = { authorization: `Bearer ${res.json().accessToken}` };
}

const call = (user: Session, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  ctx.app.inject({ method, url, headers: user.auth, ...(payload === undefined ? {} : { payload: payload as object }) });

async function goal(user: Session, title = 'Sleep before midnight', extra: Record<string, unknown> = {}) {
  const res = await call(user, 'POST', '/v1/lens/goals', { title, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; title: string };
}

async function action(user: Session, goalId: string, title = 'Phone away at 22:30', cadence = 'daily') {
  const res = await call(user, 'POST', `/v1/lens/goals/${goalId}/actions`, { title, cadence });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

const complete = (user: Session, actionId: string) => call(user, 'POST', `/v1/lens/actions/${actionId}/complete`);

describe('goals', () => {
  test('create, list with progress, read, change and delete a goal; its text is encrypted at rest', async () => {
    const ada = await userAt('2026-03-02T09:00:00Z');
    const created = await call(ada, 'POST', '/v1/lens/goals', { title: '  Run a 5k  ', description: 'Three runs a week.\nStart slow.', targetDate: '2026-06-01' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      title: 'Run a 5k',
      description: 'Three runs a week.\nStart slow.',
      status: 'active',
      targetDate: '2026-06-01',
      actions: [],
      progress: { actions: 0, actionsDone: 0, percent: 0, completionsLast7Days: 0, streak: { current: 0, longest: 0, lastCompletedOn: null } },
    });
    const id = created.json().id;

    const [stored] = await db().select().from(lensGoals).where(eq(lensGoals.id, id));
    expect(stored!.titleEnc).toMatch(/^enc1\./);
    // Whole phrases: a two-letter fragment such as '5k' turns up in random base64url ciphertext now and then.
    expect(JSON.stringify(stored)).not.toContain('Run a 5k');
    expect(JSON.stringify(stored)).not.toContain('Three runs a week');

    const list = await call(ada, 'GET', '/v1/lens/goals');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ today: '2026-03-02', activeGoals: 1, maxActiveGoals: 3, goals: [{ id, title: 'Run a 5k' }] });

    const changed = await call(ada, 'PATCH', `/v1/lens/goals/${id}`, { title: 'Run a 10k', description: null, status: 'completed' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ title: 'Run a 10k', description: null, status: 'completed' });
    expect((await call(ada, 'GET', '/v1/lens/goals?status=active')).json().goals).toEqual([]);
    expect((await call(ada, 'GET', `/v1/lens/goals/${id}`)).json()).toMatchObject({ status: 'completed' });

    expect((await call(ada, 'DELETE', `/v1/lens/goals/${id}`)).statusCode).toBe(204);
    expect((await call(ada, 'GET', `/v1/lens/goals/${id}`)).statusCode).toBe(404);
    expect((await call(ada, 'DELETE', `/v1/lens/goals/${id}`)).statusCode).toBe(404);
    const audit = await db().select().from(auditEvents).where(and(eq(auditEvents.userId, ada.userId), eq(auditEvents.action, 'lens_goal_deleted')));
    expect(audit).toHaveLength(1);
  });

  test.each([
    ['an empty title', { title: '' }],
    ['a title of spaces', { title: '    ' }],
    ['a title that is too long', { title: 'x'.repeat(121) }],
    ['a title with control characters', { title: 'Sleep\u0007 better' }],
    ['a description that is too long', { title: 'Ok', description: 'y'.repeat(1001) }],
    ['a bad target date', { title: 'Ok', targetDate: '2026-02-30' }],
    ['an unknown field', { title: 'Ok', userId: '00000000-0000-0000-0000-000000000000' }],
    ['no title', {}],
  ])('rejects %s with a 400 problem', async (_label, payload) => {
    const bo = await userAt('2026-03-02T09:00:00Z');
    const res = await call(bo, 'POST', '/v1/lens/goals', payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed' });
    expect(await db().select().from(lensGoals).where(eq(lensGoals.userId, bo.userId))).toEqual([]);
  });

  test('a replayed Idempotency-Key returns the same goal without creating a second one', async () => {
    const ivy = await userAt('2026-03-02T09:00:00Z');
    const send = () =>
      ctx.app.inject({ method: 'POST', url: '/v1/lens/goals', headers: { ...ivy.auth, 'idempotency-key': 'goal-1' }, payload: { title: 'Read before bed' } });
    const first = await send();
    const second = await send();
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    expect(await db().select().from(lensGoals).where(eq(lensGoals.userId, ivy.userId))).toHaveLength(1);
  });

  test('the OpenAPI document lists every Lens and notification route', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, object> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/lens/goals',
        '/v1/lens/goals/{id}',
        '/v1/lens/goals/{id}/actions',
        '/v1/lens/actions/{id}',
        '/v1/lens/actions/{id}/complete',
        '/v1/lens/checkins',
        '/v1/lens/checkins/{id}',
        '/v1/lens/affirmation/today',
        '/v1/notifications/devices',
        '/v1/notifications/devices/{id}',
      ]),
    );
  });

  test('an empty change is a 400', async () => {
    const cy = await userAt('2026-03-02T09:00:00Z');
    const { id } = await goal(cy);
    expect((await call(cy, 'PATCH', `/v1/lens/goals/${id}`, {})).statusCode).toBe(400);
    expect((await call(cy, 'PATCH', `/v1/lens/goals/${id}`, { status: 'paused' })).statusCode).toBe(400);
  });

  test('the free plan allows three active goals: a fourth is a 409 naming the limit; archiving makes room, reactivating needs it', async () => {
    const dee = await userAt('2026-03-02T09:00:00Z');
    const ids = [(await goal(dee, 'One')).id, (await goal(dee, 'Two')).id, (await goal(dee, 'Three')).id];
    const fourth = await call(dee, 'POST', '/v1/lens/goals', { title: 'Four' });
    expect(fourth.statusCode).toBe(409);
    expect(fourth.headers['content-type']).toContain('application/problem+json');
    expect(fourth.json()).toMatchObject({ code: 'conflict', limit: 3, plan: 'free' });

    expect((await call(dee, 'PATCH', `/v1/lens/goals/${ids[0]}`, { status: 'archived' })).statusCode).toBe(200);
    const four = await goal(dee, 'Four');
    const back = await call(dee, 'PATCH', `/v1/lens/goals/${ids[0]}`, { status: 'active' });
    expect(back.statusCode).toBe(409);
    // Editing an active goal's text is not "one more".
    expect((await call(dee, 'PATCH', `/v1/lens/goals/${four.id}`, { title: 'Four, gently', status: 'active' })).statusCode).toBe(200);
  });

  test('concurrent creates cannot pass the limit', async () => {
    const eve = await userAt('2026-03-02T09:00:00Z');
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => call(eve, 'POST', '/v1/lens/goals', { title: `Goal ${i}` })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(3);
  });

  test('another user’s goals, actions and check-ins are 404, and nothing changes', async () => {
    const owner = await userAt('2026-03-02T09:00:00Z');
    const other = await registerUser(ctx.app);
    const { id: goalId } = await goal(owner);
    const { id: actionId } = await action(owner, goalId);
    const checkin = (await call(owner, 'POST', '/v1/lens/checkins', { mood: 6 })).json();
    const unchanged = async () => (await call(owner, 'GET', '/v1/lens/goals')).json();

    await expectForeignOwnedNotFound(ctx.app, { method: 'GET', url: `/v1/lens/goals/${goalId}`, otherUser: other });
    await expectForeignOwnedNotFound(ctx.app, { method: 'PATCH', url: `/v1/lens/goals/${goalId}`, payload: { title: 'Mine now' }, otherUser: other, unchanged });
    await expectForeignOwnedNotFound(ctx.app, { method: 'DELETE', url: `/v1/lens/goals/${goalId}`, otherUser: other, unchanged });
    await expectForeignOwnedNotFound(ctx.app, { method: 'POST', url: `/v1/lens/goals/${goalId}/actions`, payload: { title: 'Sneaky' }, otherUser: other, unchanged });
    await expectForeignOwnedNotFound(ctx.app, { method: 'POST', url: `/v1/lens/actions/${actionId}/complete`, otherUser: other, unchanged });
    await expectForeignOwnedNotFound(ctx.app, { method: 'DELETE', url: `/v1/lens/actions/${actionId}`, otherUser: other, unchanged });
    await expectForeignOwnedNotFound(ctx.app, {
      method: 'DELETE',
      url: `/v1/lens/checkins/${checkin.id}`,
      otherUser: other,
      unchanged: async () => (await call(owner, 'GET', '/v1/lens/checkins')).json(),
    });
    expect((await call(other, 'GET', '/v1/lens/goals')).json().goals).toEqual([]);
  });

  test.each([
    ['a goal', 'goals', 'lens_goal_deleted', 'lens_goal'],
    ['an action', 'actions', 'lens_action_deleted', 'lens_action'],
    ['a check-in', 'checkins', 'lens_checkin_deleted', 'lens_checkin'],
  ] as const)('deleting %s writes one audit row naming it, without its text; a foreign or missing id is 404 and writes none', async (_label, path, auditAction, targetType) => {
    const owner = await userAt('2026-03-02T09:00:00Z');
    const other = await registerUser(ctx.app);
    const text = 'Walk to the river after work';
    const { id: goalId } = await goal(owner, text);
    const ids = {
      goals: goalId,
      actions: (await action(owner, goalId, text)).id,
      checkins: ((await call(owner, 'POST', '/v1/lens/checkins', { mood: 6, note: text })).json() as { id: string }).id,
    };
    const id = ids[path];
    const audited = () => auditRowsFor(db(), id);

    await expectForeignOwnedNotFound(ctx.app, { method: 'DELETE', url: `/v1/lens/${path}/${id}`, otherUser: other });
    expect(await audited()).toEqual([]);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await call(owner, 'DELETE', `/v1/lens/${path}/${missing}`)).statusCode).toBe(404);
    expect(await auditRowsFor(db(), missing)).toEqual([]);

    expect((await call(owner, 'DELETE', `/v1/lens/${path}/${id}`)).statusCode).toBe(204);
    const rows = await audited();
    expect(rows).toEqual([{ userId: owner.userId, actor: 'user', action: auditAction, targetType, targetId: id, requestId: expect.any(String), metadata: {} }]);
    expect(JSON.stringify(rows)).not.toContain('river');

    expect((await call(owner, 'DELETE', `/v1/lens/${path}/${id}`)).statusCode).toBe(404);
    expect(await audited()).toHaveLength(1);
  });

  test('without a token every Lens route is a 401', async () => {
    for (const [method, url, payload] of [
      ['GET', '/v1/lens/goals', undefined],
      ['POST', '/v1/lens/goals', { title: 'Mine' }],
      ['POST', '/v1/lens/checkins', { mood: 5 }],
      ['GET', '/v1/lens/affirmation/today', undefined],
    ] as const) {
      const res = await ctx.app.inject({ method, url, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});

describe('actions, completions and streaks', () => {
  test('an action is added to an active goal only, at most twenty per goal', async () => {
    const fay = await userAt('2026-03-02T09:00:00Z');
    const { id } = await goal(fay);
    expect((await call(fay, 'POST', `/v1/lens/goals/${id}/actions`, { title: '' })).statusCode).toBe(400);
    expect((await call(fay, 'POST', `/v1/lens/goals/${id}/actions`, { title: 'x'.repeat(121) })).statusCode).toBe(400);
    expect((await call(fay, 'POST', `/v1/lens/goals/${id}/actions`, { title: 'Ok', cadence: 'hourly' })).statusCode).toBe(400);
    for (let i = 0; i < 20; i++) await action(fay, id, `Step ${i}`);
    const tooMany = await call(fay, 'POST', `/v1/lens/goals/${id}/actions`, { title: 'One more' });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({ code: 'conflict', limit: 20 });

    const { id: archived } = await goal(fay, 'Later');
    await call(fay, 'PATCH', `/v1/lens/goals/${archived}`, { status: 'archived' });
    expect((await call(fay, 'POST', `/v1/lens/goals/${archived}/actions`, { title: 'Nope' })).statusCode).toBe(409);
  });

  test('completing is idempotent per local day, and the streak counts the user’s own days (Auckland)', async () => {
    // 09:00 in Auckland (UTC+13 in March) is 20:00 the day before in UTC.
    const gus = await userAt('2026-03-01T20:00:00Z', 'Pacific/Auckland');
    const { id: goalId } = await goal(gus);
    const { id } = await action(gus, goalId);

    const first = await complete(gus, id);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      alreadyCompleted: false,
      completion: { actionId: id, localDate: '2026-03-02' },
      action: { done: true, completedToday: true, totalCompletions: 1, streak: { current: 1 } },
      streak: { current: 1, longest: 1, lastCompletedOn: '2026-03-02' },
    });
    const again = await complete(gus, id);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyCompleted: true, completion: { localDate: '2026-03-02', completedAt: first.json().completion.completedAt } });
    expect(await db().select().from(lensActionCompletions).where(eq(lensActionCompletions.actionId, id))).toHaveLength(1);

    // 23:30 local on the 2nd, then 07:00 local on the 3rd: the UTC date is the same, the local days differ.
    await moveTo('2026-03-02T10:30:00Z', gus);
    expect((await complete(gus, id)).json().alreadyCompleted).toBe(true);
    await moveTo('2026-03-02T18:00:00Z', gus);
    expect((await complete(gus, id)).json()).toMatchObject({ alreadyCompleted: false, completion: { localDate: '2026-03-03' }, streak: { current: 2 } });
    await moveTo('2026-03-03T19:00:00Z', gus);
    expect((await complete(gus, id)).json()).toMatchObject({ completion: { localDate: '2026-03-04' }, streak: { current: 3, longest: 3 } });

    // The next day, not yet done: the streak is still 3 (at risk), then a missed day breaks it.
    await moveTo('2026-03-04T20:00:00Z', gus);
    expect((await call(gus, 'GET', '/v1/lens/goals')).json()).toMatchObject({ today: '2026-03-05', streak: { current: 3 } });
    await moveTo('2026-03-06T20:00:00Z', gus);
    const list = (await call(gus, 'GET', '/v1/lens/goals')).json();
    expect(list.streak).toEqual({ current: 0, longest: 3, lastCompletedOn: '2026-03-04' });
    expect(list.goals[0].actions[0]).toMatchObject({ done: false, completedToday: false, streak: { current: 0, longest: 3 } });
    expect((await complete(gus, id)).json().streak).toMatchObject({ current: 1, longest: 3 });
  });

  test('a streak survives the spring-forward night in New York (a 23-hour day)', async () => {
    const hal = await userAt('2026-03-07T04:30:00Z', 'America/New_York'); // 23:30 on 6 March, EST
    const { id: goalId } = await goal(hal);
    const { id } = await action(hal, goalId);
    expect((await complete(hal, id)).json().completion.localDate).toBe('2026-03-06');
    await moveTo('2026-03-08T04:45:00Z', hal); // 23:45 on 7 March, EST
    expect((await complete(hal, id)).json().completion.localDate).toBe('2026-03-07');
    await moveTo('2026-03-09T03:30:00Z', hal); // 23:30 on 8 March, EDT (clocks went forward at 02:00)
    const third = (await complete(hal, id)).json();
    expect(third.completion.localDate).toBe('2026-03-08');
    expect(third.streak).toMatchObject({ current: 3 });
  });

  test('weekly actions count ISO weeks; one-off actions complete once', async () => {
    const ida = await userAt('2026-03-02T09:00:00Z'); // a Monday
    const { id: goalId } = await goal(ida);
    const { id: weekly } = await action(ida, goalId, 'Long walk', 'weekly');
    const { id: once } = await action(ida, goalId, 'Buy running shoes', 'once');
    expect((await complete(ida, weekly)).statusCode).toBe(201);
    await moveTo('2026-03-05T09:00:00Z', ida); // Thursday, same week
    expect((await complete(ida, weekly)).json()).toMatchObject({ alreadyCompleted: true, completion: { localDate: '2026-03-02' } });
    expect((await complete(ida, once)).statusCode).toBe(201);
    await moveTo('2026-03-10T09:00:00Z', ida); // next week
    expect((await complete(ida, weekly)).json()).toMatchObject({ alreadyCompleted: false, action: { streak: { current: 2 } } });
    expect((await complete(ida, once)).json()).toMatchObject({ alreadyCompleted: true, completion: { localDate: '2026-03-05' } });
    const shown = (await call(ida, 'GET', `/v1/lens/goals/${goalId}`)).json();
    expect(shown.progress).toMatchObject({ actions: 2, actionsDone: 2, percent: 100 });
  });

  test('completing an action of a goal that is not active is a 409; deleting a goal deletes its completions', async () => {
    const jo = await userAt('2026-03-02T09:00:00Z');
    const { id: goalId } = await goal(jo);
    const { id } = await action(jo, goalId);
    await complete(jo, id);
    await call(jo, 'PATCH', `/v1/lens/goals/${goalId}`, { status: 'completed' });
    expect((await complete(jo, id)).statusCode).toBe(409);
    expect((await call(jo, 'DELETE', `/v1/lens/goals/${goalId}`)).statusCode).toBe(204);
    expect(await db().select().from(lensActionCompletions).where(eq(lensActionCompletions.userId, jo.userId))).toEqual([]);
    expect((await complete(jo, id)).statusCode).toBe(404);
  });

  test('a stored timezone that went bad counts as UTC rather than failing', async () => {
    const kit = await userAt('2026-03-02T23:30:00Z', 'Asia/Tokyo');
    await db().update(profiles).set({ timezone: 'Atlantis/Lost' }).where(eq(profiles.userId, kit.userId));
    const { id: goalId } = await goal(kit);
    const { id } = await action(kit, goalId);
    expect((await complete(kit, id)).json().completion.localDate).toBe('2026-03-02');
  });
});

describe('check-ins', () => {
  test('one check-in per local day: created, then updated; listed newest first; deletable; the note is encrypted', async () => {
    const lu = await userAt('2026-03-02T09:00:00Z', 'Europe/Paris');
    const first = await call(lu, 'POST', '/v1/lens/checkins', { mood: 4, note: 'Tired, but I went outside.' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ localDate: '2026-03-02', mood: 4, note: 'Tired, but I went outside.' });
    const update = await call(lu, 'POST', '/v1/lens/checkins', { mood: 6, note: null });
    expect(update.statusCode).toBe(200);
    expect(update.json()).toMatchObject({ id: first.json().id, mood: 6, note: null });

    await moveTo('2026-03-03T22:59:00Z', lu); // 23:59 in Paris
    const second = await call(lu, 'POST', '/v1/lens/checkins', { mood: 8, note: 'A good day.' });
    expect(second.json()).toMatchObject({ localDate: '2026-03-03' });
    const [row] = await db().select().from(lensCheckins).where(eq(lensCheckins.id, second.json().id));
    expect(row!.noteEnc).toMatch(/^enc1\./);
    expect(row!.noteEnc).not.toContain('good day');

    const list = await call(lu, 'GET', '/v1/lens/checkins');
    expect(list.json().checkins.map((c: { localDate: string; mood: number }) => [c.localDate, c.mood])).toEqual([
      ['2026-03-03', 8],
      ['2026-03-02', 6],
    ]);
    expect((await call(lu, 'GET', '/v1/lens/checkins?from=2026-03-03&to=2026-03-03')).json().checkins).toHaveLength(1);
    expect((await call(lu, 'GET', '/v1/lens/checkins?limit=1')).json().checkins).toHaveLength(1);
    expect((await call(lu, 'DELETE', `/v1/lens/checkins/${first.json().id}`)).statusCode).toBe(204);
    expect((await call(lu, 'GET', '/v1/lens/checkins')).json().checkins).toHaveLength(1);
  });

  test.each([
    ['mood 0', { mood: 0 }],
    ['mood 11', { mood: 11 }],
    ['a fractional mood', { mood: 6.5 }],
    ['a mood as text', { mood: 'good' }],
    ['no mood', { note: 'hi' }],
    ['a note that is too long', { mood: 5, note: 'z'.repeat(501) }],
    ['an empty note', { mood: 5, note: '   ' }],
    ['an unknown field', { mood: 5, date: '2026-01-01' }],
  ])('rejects %s', async (_label, payload) => {
    const mo = await userAt('2026-03-02T09:00:00Z');
    const res = await call(mo, 'POST', '/v1/lens/checkins', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed' });
  });

  test('list filters are checked', async () => {
    const ned = await userAt('2026-03-02T09:00:00Z');
    expect((await call(ned, 'GET', '/v1/lens/checkins?from=2026-03-05&to=2026-03-01')).statusCode).toBe(400);
    expect((await call(ned, 'GET', '/v1/lens/checkins?limit=0')).statusCode).toBe(400);
    expect((await call(ned, 'GET', '/v1/lens/checkins?from=yesterday')).statusCode).toBe(400);
  });
});

describe('the safety gate', () => {
  test('crisis language in a goal, an action or a check-in note answers with the crisis response and saves nothing', async () => {
    const ora = await userAt('2026-03-02T09:00:00Z');
    await call(ora, 'PATCH', '/v1/me/profile', { country: 'GB' });
    const crisisGoal = await call(ora, 'POST', '/v1/lens/goals', { title: 'Stop existing', description: 'I want to kill myself tonight.' });
    expect(crisisGoal.statusCode).toBe(200);
    expect(crisisGoal.json()).toMatchObject({ kind: 'crisis', region: { country: 'GB' } });
    expect(await db().select().from(lensGoals).where(eq(lensGoals.userId, ora.userId))).toEqual([]);

    const { id: goalId } = await goal(ora, 'Feel steadier');
    const crisisAction = await call(ora, 'POST', `/v1/lens/goals/${goalId}/actions`, { title: 'Take all my pills and end my life' });
    expect(crisisAction.json()).toMatchObject({ kind: 'crisis' });
    const crisisEdit = await call(ora, 'PATCH', `/v1/lens/goals/${goalId}`, { title: 'I want to kill myself tonight.' });
    expect(crisisEdit.statusCode).toBe(200);
    expect(crisisEdit.json()).toMatchObject({ kind: 'crisis' });
    expect((await call(ora, 'GET', `/v1/lens/goals/${goalId}`)).json()).toMatchObject({ title: 'Feel steadier', actions: [] });

    const crisisNote = await call(ora, 'POST', '/v1/lens/checkins', { mood: 1, note: 'I want to kill myself tonight.' });
    expect(crisisNote.statusCode).toBe(200);
    expect(crisisNote.json()).toMatchObject({ kind: 'crisis' });
    expect(await db().select().from(lensCheckins).where(eq(lensCheckins.userId, ora.userId))).toEqual([]);

    const events = await db().select().from(safetyEvents).where(eq(safetyEvents.userId, ora.userId));
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events.every((e) => e.feature === 'lens')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('kill myself');
  });
});

describe('the daily affirmation', () => {
  test('one per local day, grounded in the goals, generated once and kept encrypted for the day', async () => {
    const pia = await userAt('2026-03-02T09:00:00Z', 'Asia/Tokyo');
    await goal(pia, 'Sleep before midnight');
    await goal(pia, 'Call my sister on Sundays');
    const before = fake.requests.length;

    const res = await call(pia, 'GET', '/v1/lens/affirmation/today');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      localDate: '2026-03-02',
      affirmation: 'I can take one small, steady step today.',
      focus: 'Put the phone in the kitchen before ten.',
      engine: { engine: 'model', model: 'tiny-1b', promptVersion: 'lens.affirmation@1' },
    });
    const calls = fake.requests.slice(before);
    expect(calls).toHaveLength(2);
    const prompt = JSON.stringify(calls.map((c) => c.body.messages));
    expect(prompt).toContain('Sleep before midnight');
    expect(prompt).toContain('Call my sister on Sundays');
    expect(prompt).toContain('2026-03-02');

    // The rest of the day: the same content, no model call.
    const again = await call(pia, 'GET', '/v1/lens/affirmation/today');
    expect(again.json()).toEqual(res.json());
    expect(fake.requests.length).toBe(before + 2);
    const [stored] = await db().select().from(lensDailyContent).where(eq(lensDailyContent.userId, pia.userId));
    expect(stored!.affirmationEnc).toMatch(/^enc1\./);

    // Local midnight in Tokyo is 15:00Z: a new day, a new affirmation.
    await moveTo('2026-03-02T15:01:00Z', pia);
    expect((await call(pia, 'GET', '/v1/lens/affirmation/today')).json().localDate).toBe('2026-03-03');
    expect(fake.requests.length).toBe(before + 4);
  });

  test('when the model is down, the local engine’s template stands in (Lens degrades first)', async () => {
    const quin = await userAt('2026-03-02T09:00:00Z');
    await goal(quin, 'Drink more water');
    modelDown = true;
    try {
      const res = await call(quin, 'GET', '/v1/lens/affirmation/today');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ localDate: '2026-03-02', engine: { engine: 'local' } });
      expect(res.json().affirmation.length).toBeGreaterThan(0);
      expect(res.json().focus.length).toBeGreaterThan(0);
    } finally {
      modelDown = false;
    }
  });

  test('concurrent first requests of the day share one affirmation', async () => {
    const rue = await userAt('2026-03-02T09:00:00Z');
    const answers = await Promise.all([1, 2, 3].map(() => call(rue, 'GET', '/v1/lens/affirmation/today')));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    const rows = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from lens_daily_content where user_id = ${rue.userId}`));
    expect(rows[0]!.n).toBe(1);
  });
});
