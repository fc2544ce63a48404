import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rowsOf } from '../../infra/db.js';
import { runPlansCommand } from '../../plans.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, uniqueIp, type RegisteredUser } from '../../test/factories.js';
import { expectForeignOwnedNotFound } from '../../test/ownership.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx?.close();
});

const query = async <T = Record<string, unknown>>(text: string) => rowsOf<T>(await ctx.infra.database.db.execute(sql.raw(text)));

/** Moves the clock and refreshes the user's tokens (access tokens last 15 minutes of test time). */
async function moveTo(iso: string, ...users: RegisteredUser[]): Promise<void> {
  ctx.clock.now = new Date(iso);
  for (const user of users) {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: user.refreshToken }, remoteAddress: uniqueIp() });
    expect(res.statusCode, res.body).toBe(200);
    user.refreshToken = res.json().refreshToken;
    user.auth = { authorization: `Bearer ${res.json().accessToken}` };
  }
}

async function prismUser(iso: string, timezone = 'UTC', plan: 'prism' | 'prism_plus' = 'prism'): Promise<RegisteredUser> {
  ctx.clock.now = new Date(iso);
  const user = await registerUser(ctx.app, { timezone });
  await runPlansCommand(ctx.infra, ['grant', user.email, plan], 'test');
  return user;
}

const call = (user: RegisteredUser, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  ctx.app.inject({ method, url, headers: user.auth, ...(payload === undefined ? {} : { payload: payload as object }) });

async function turnAt(user: RegisteredUser, iso: string, thought: string, moodBefore?: number) {
  await moveTo(iso, user);
  const res = await call(user, 'POST', '/v1/turns', { thought, ...(moodBefore ? { moodBefore } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().turn as { id: string; traps: string[] };
}

async function mirrorSessionAt(user: RegisteredUser, iso: string, texts: string[]) {
  await moveTo(iso, user);
  const id = (await call(user, 'POST', '/v1/mirror/sessions', {})).json().id as string;
  for (const text of texts) expect((await call(user, 'POST', '/v1/mirror/messages', { sessionId: id, text })).statusCode).toBe(201);
  const closed = await call(user, 'POST', `/v1/mirror/sessions/${id}/close`);
  expect(closed.statusCode, closed.body).toBe(200);
  return id;
}

const weekly = async (user: RegisteredUser, period?: string) => {
  const res = await call(user, 'GET', `/v1/spectrum/weekly${period ? `?period=${period}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

const countTraps = (turns: { traps: string[] }[]) => {
  const counts: Record<string, number> = {};
  for (const turn of turns) for (const trap of turn.traps) counts[trap] = (counts[trap] ?? 0) + 1;
  return counts;
};

describe('plan gating', () => {
  test('a free user gets 403 plan_required with the plans that have Spectrum and the upgrade path', async () => {
    ctx.clock.now = new Date('2026-03-10T10:00:00Z');
    const free = await registerUser(ctx.app);
    for (const url of ['/v1/spectrum/weekly', '/v1/spectrum/monthly']) {
      const res = await call(free, 'GET', url);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'plan_required', plan: 'free', requiredPlans: ['prism', 'prism_plus'], upgrade: { screen: '/paywall' } });
    }
    const reset = await call(free, 'POST', '/v1/spectrum/reset', { confirm: 'reset spectrum' });
    expect(reset.statusCode).toBe(403);
  });

  test('unauthenticated: 401', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/spectrum/weekly' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'unauthorized' });
  });

  test('the plans CLI grants with --days, revokes, and writes plan_grants and the audit log', async () => {
    ctx.clock.now = new Date('2026-03-10T10:00:00Z');
    const user = await registerUser(ctx.app);
    expect(await runPlansCommand(ctx.infra, ['grant', user.email.toUpperCase(), 'prism_plus', '--days', '30'], 'cli:ops')).toContain('plan now prism_plus');
    expect((await call(user, 'GET', '/v1/spectrum/monthly')).statusCode).toBe(200);
    const grants = await query<{ plan: string; expires_at: Date; granted_by: string }>(`select plan, expires_at, granted_by from plan_grants where user_id = '${user.userId}'`);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ plan: 'prism_plus', granted_by: 'cli:ops' });
    expect(new Date(grants[0]!.expires_at).toISOString()).toBe('2026-04-09T10:00:00.000Z');

    expect(await runPlansCommand(ctx.infra, ['revoke', user.email], 'cli:ops')).toContain('plan now free');
    expect((await call(user, 'GET', '/v1/spectrum/monthly')).statusCode).toBe(403);
    const actions = (await query<{ action: string }>(`select action from audit_events where user_id = '${user.userId}' and actor = 'admin' order by created_at`)).map((r) => r.action);
    expect(actions).toEqual(['plan_granted', 'plan_revoked']);
    await expect(runPlansCommand(ctx.infra, ['revoke', user.email], 'cli:ops')).rejects.toThrow(/no live plan grant/);
    await expect(runPlansCommand(ctx.infra, ['grant', user.email, 'gold'], 'cli:ops')).rejects.toThrow(/PLAN must be/);
    await expect(runPlansCommand(ctx.infra, ['grant', user.email, 'prism', '--days', '0'], 'cli:ops')).rejects.toThrow(/--days/);
    await expect(runPlansCommand(ctx.infra, ['grant', 'nobody@example.test', 'prism'], 'cli:ops')).rejects.toThrow(/no account/);
  });
});

describe('weekly and monthly figures', () => {
  let ada: RegisteredUser;
  let weekA: { id: string; traps: string[] }[];
  let weekB: { id: string; traps: string[] }[];

  beforeAll(async () => {
    ada = await prismUser('2026-03-01T09:00:00Z');
    weekA = [
      await turnAt(ada, '2026-03-02T08:00:00Z', 'I always ruin everything at work and everyone must think I am useless', 4),
      await turnAt(ada, '2026-03-04T21:30:00Z', 'If I fail this exam my whole life will be a disaster', 6),
    ];
    weekB = [
      await turnAt(ada, '2026-03-09T07:15:00Z', 'Nobody ever listens to me, I should just give up', 5),
      await turnAt(ada, '2026-03-11T22:05:00Z', 'I am such a failure, I never get anything right', 7),
      await turnAt(ada, '2026-03-15T23:50:00Z', 'They did not reply so they must hate me'),
    ];
    await mirrorSessionAt(ada, '2026-03-12T19:00:00Z', ['Today I felt everyone at the party was judging me.', 'I always say the wrong thing.']);
    await moveTo('2026-03-17T10:00:00Z', ada);
  });

  test('a chosen week with the week before beside each figure, computed in the profile timezone', async () => {
    const report = await weekly(ada, '2026-03-09');
    expect(report.period).toEqual({ start: '2026-03-09', end: '2026-03-15', timezone: 'UTC', complete: true });
    expect(report.previousPeriod).toEqual({ start: '2026-03-02', end: '2026-03-08' });
    expect(report.figures.turns).toEqual({ current: 3, previous: 2 });
    expect(report.figures.mirrorSessions).toEqual({ current: 1, previous: 0 });
    expect(report.figures.mirrorMessages).toEqual({ current: 2, previous: 0 });
    expect(report.figures.mood.averageBefore).toEqual({ current: 6, previous: 5 });
    expect(report.figures.mood.rated).toEqual({ current: 2, previous: 2 });
    expect(report.figures.mood.trend).toEqual([
      { date: '2026-03-09', average: 5 },
      { date: '2026-03-11', average: 7 },
    ]);
    const [fragments] = await query<{ counts: Record<string, number> | null }>(
      `select (select jsonb_object_agg(trap, n) from (select trap, count(*)::int n from mirror_fragments where user_id = '${ada.userId}' group by trap) x) as counts`,
    );
    const expected = countTraps(weekB);
    for (const [trap, n] of Object.entries(fragments?.counts ?? {})) expected[trap] = (expected[trap] ?? 0) + n;
    const previous = countTraps(weekA);
    const shown = Object.fromEntries(report.figures.traps.map((t: { trap: string; current: number }) => [t.trap, t.current]).filter(([, n]: [string, number]) => n > 0));
    expect(shown).toEqual(expected);
    for (const t of report.figures.traps) expect(t.previous).toBe(previous[t.trap] ?? 0);
    expect(report.figures.trapTotal.current).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
    // Monday 07:15, Wednesday 22:05, Sunday 23:50, and the Mirror session on Thursday 19:00.
    expect(report.figures.timing.byWeekday).toEqual([1, 0, 1, 1, 0, 0, 1]);
    expect(report.figures.timing.byHour[22]).toBe(1);
    expect(report.figures.timing.byHour[19]).toBe(1);
    expect(report.narrative).toMatchObject({ status: 'pending', headline: null });
    expect(report.history.map((h: { start: string }) => h.start)).toEqual([]);
  });

  test('by default the running week (live, no narrative yet) against the week before', async () => {
    const report = await weekly(ada);
    expect(report.period).toMatchObject({ start: '2026-03-16', end: '2026-03-22', complete: false });
    expect(report.figures.turns).toEqual({ current: 0, previous: 3 });
    expect(report.narrative.status).toBe('not_available');
  });

  test('monthly: the calendar month against the month before', async () => {
    const res = await call(ada, 'GET', '/v1/spectrum/monthly?period=2026-03');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().period).toMatchObject({ start: '2026-03-01', end: '2026-03-31', complete: false });
    expect(res.json().figures.turns).toEqual({ current: 5, previous: 0 });
    expect(res.json().figures.mirrorSessions).toEqual({ current: 1, previous: 0 });
  });

  test('bad periods are 400 problems', async () => {
    for (const url of [
      '/v1/spectrum/weekly?period=2026-03-10',
      '/v1/spectrum/weekly?period=monday',
      '/v1/spectrum/weekly?period=2026-02-30',
      '/v1/spectrum/weekly?period=2027-03-01',
      '/v1/spectrum/weekly?other=1',
      '/v1/spectrum/monthly?period=2026-13',
      '/v1/spectrum/monthly?period=2026-03-01',
      '/v1/spectrum/monthly?period=0000-01',
      '/v1/spectrum/monthly?period=2030-01',
    ]) {
      const res = await call(ada, 'GET', url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  test('another user sees none of it, and cannot exclude it', async () => {
    const bob = await prismUser('2026-03-17T10:00:00Z');
    const report = await weekly(bob, '2026-03-09');
    expect(report.figures.turns).toEqual({ current: 0, previous: 0 });
    expect(report.figures.traps).toEqual([]);
    await expectForeignOwnedNotFound(ctx.app, {
      method: 'POST',
      url: '/v1/spectrum/exclusions',
      payload: { type: 'turn', id: weekB[0]!.id, excluded: true },
      otherUser: bob,
      unchanged: async () => (await weekly(ada, '2026-03-09')).figures,
    });
  });
});

describe('helpful techniques', () => {
  test('reframes marked helpful count by technique, read from plain ids (never the encrypted reframes)', async () => {
    const ivy = await prismUser('2026-03-02T09:00:00Z');
    await moveTo('2026-03-03T09:00:00Z', ivy);
    const created = await call(ivy, 'POST', '/v1/turns', { thought: 'I always get everything wrong at work' });
    expect(created.statusCode).toBe(201);
    const turn = created.json().turn as { id: string; reframes: { technique: string }[] };
    expect((await call(ivy, 'POST', `/v1/turns/${turn.id}/feedback`, { reframeIndex: 0, helpful: true })).statusCode).toBe(200);
    expect((await call(ivy, 'POST', `/v1/turns/${turn.id}/feedback`, { reframeIndex: 1, helpful: false })).statusCode).toBe(200);
    expect(await query(`select techniques from spectrum_turn_analysis where turn_id = '${turn.id}'`)).toEqual([{ techniques: turn.reframes.map((r) => r.technique) }]);
    const report = await weekly(ivy, '2026-03-02');
    expect(report.figures.helpfulTechniques).toEqual([{ technique: turn.reframes[0]!.technique, current: 1, previous: 0 }]);
  });
});

describe('data minimisation', () => {
  test('the aggregation reads no reflective text: with every _enc column of the user unreadable, the figures are unchanged', async () => {
    const jo = await prismUser('2026-03-02T09:00:00Z');
    await turnAt(jo, '2026-03-03T09:00:00Z', 'I always get everything wrong', 4);
    await mirrorSessionAt(jo, '2026-03-04T09:00:00Z', ['I never do anything right.']);
    await moveTo('2026-03-10T09:00:00Z', jo);
    const before = (await weekly(jo, '2026-03-02')).figures;
    // Anything that decrypted these would now fail (not ciphertext); anything that read them would see only this marker.
    await query(`update turns set thought_enc = 'unreadable', reframes_enc = 'unreadable', micro_action_enc = 'unreadable' where user_id = '${jo.userId}'`);
    await query(`update mirror_messages set content_enc = 'unreadable' where user_id = '${jo.userId}'`);
    await query(`update mirror_fragments set explanation_enc = 'unreadable' where user_id = '${jo.userId}'`);
    expect((await weekly(jo, '2026-03-02')).figures).toEqual(before);
    expect(before.turns.current).toBe(1);
    expect(before.mirrorSessions.current).toBe(1);
  });
});

describe('timezones', () => {
  test('a turn late on Sunday in UTC is Monday in Auckland: it counts in the next local week', async () => {
    const kiri = await prismUser('2026-03-01T00:00:00Z', 'Pacific/Auckland');
    await turnAt(kiri, '2026-03-08T12:00:00Z', 'I always mess things up', 3);
    await moveTo('2026-03-20T00:00:00Z', kiri);
    const report = await weekly(kiri, '2026-03-09');
    expect(report.period.timezone).toBe('Pacific/Auckland');
    expect(report.figures.turns).toEqual({ current: 1, previous: 0 });
    expect(report.figures.timing.byWeekday[0]).toBe(1);
    expect(report.figures.timing.byHour[1]).toBe(1);
  });
});

describe('exclusions, reset and window delete', () => {
  test('excluding a turn removes it from the figures; twice is 409; including counts it again; all audited', async () => {
    const eve = await prismUser('2026-03-02T09:00:00Z');
    const turn = await turnAt(eve, '2026-03-03T09:00:00Z', 'I always get everything wrong', 5);
    await turnAt(eve, '2026-03-04T09:00:00Z', 'Everyone thinks I am boring', 7);
    await moveTo('2026-03-10T09:00:00Z', eve);
    expect((await weekly(eve, '2026-03-02')).figures.turns.current).toBe(2);

    const excluded = await call(eve, 'POST', '/v1/spectrum/exclusions', { type: 'turn', id: turn.id, excluded: true });
    expect(excluded.statusCode, excluded.body).toBe(200);
    expect(excluded.json()).toEqual({
      type: 'turn',
      id: turn.id,
      excluded: true,
      affected: [
        { kind: 'weekly', start: '2026-03-02' },
        { kind: 'monthly', start: '2026-03-01' },
      ],
    });
    const after = await weekly(eve, '2026-03-02');
    expect(after.figures.turns.current).toBe(1);
    expect(after.figures.mood.averageBefore.current).toBe(7);
    // The Gallery and the turn itself say it is left out, so the app can offer to count it again.
    expect((await call(eve, 'GET', `/v1/turns/${turn.id}`)).json()).toMatchObject({ id: turn.id, excludedFromAnalytics: true });
    const gallery = (await call(eve, 'GET', '/v1/gallery')).json().items as { kind: string; turn?: { id: string; excludedFromAnalytics: boolean } }[];
    expect(gallery.filter((item) => item.kind === 'turn').map((item) => [item.turn!.id === turn.id, item.turn!.excludedFromAnalytics])).toEqual(
      expect.arrayContaining([[true, true], [false, false]]),
    );

    const twice = await call(eve, 'POST', '/v1/spectrum/exclusions', { type: 'turn', id: turn.id, excluded: true });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'conflict', excluded: true });

    expect((await call(eve, 'POST', '/v1/spectrum/exclusions', { type: 'turn', id: turn.id, excluded: false })).statusCode).toBe(200);
    expect((await weekly(eve, '2026-03-02')).figures.turns.current).toBe(2);
    const actions = (await query<{ action: string }>(`select action from audit_events where target_id = '${turn.id}' order by created_at`)).map((r) => r.action);
    expect(actions).toEqual(['spectrum_item_excluded', 'spectrum_item_included']);
  });

  test('a Mirror session can be excluded; unknown ids are 404; malformed bodies are 400', async () => {
    const fay = await prismUser('2026-03-02T09:00:00Z');
    const session = await mirrorSessionAt(fay, '2026-03-03T09:00:00Z', ['I never do anything right.']);
    await moveTo('2026-03-10T09:00:00Z', fay);
    expect((await weekly(fay, '2026-03-02')).figures.mirrorSessions.current).toBe(1);
    expect((await call(fay, 'POST', '/v1/spectrum/exclusions', { type: 'mirror_session', id: session, excluded: true })).statusCode).toBe(200);
    expect((await weekly(fay, '2026-03-02')).figures.mirrorSessions.current).toBe(0);
    expect((await call(fay, 'GET', `/v1/mirror/sessions/${session}`)).json()).toMatchObject({ id: session, excludedFromAnalytics: true });

    const missing = await call(fay, 'POST', '/v1/spectrum/exclusions', { type: 'turn', id: session, excluded: true });
    expect(missing.statusCode).toBe(404);
    for (const payload of [{ type: 'lens', id: session, excluded: true }, { type: 'turn', id: 'x', excluded: true }, { type: 'turn', id: session }, { type: 'turn', id: session, excluded: 'yes' }]) {
      const res = await call(fay, 'POST', '/v1/spectrum/exclusions', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
  });

  test('reset removes derived rows and earlier activity; a second reset with nothing new is 409', async () => {
    const gil = await prismUser('2026-03-02T09:00:00Z');
    await turnAt(gil, '2026-03-03T09:00:00Z', 'I always fail', 4);
    await moveTo('2026-03-05T09:00:00Z', gil);
    expect((await call(gil, 'POST', '/v1/spectrum/reset', {})).statusCode).toBe(400);
    const reset = await call(gil, 'POST', '/v1/spectrum/reset', { confirm: 'reset spectrum' });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ resetAt: '2026-03-05T09:00:00.000Z' });
    expect((await weekly(gil, '2026-03-02')).figures.turns.current).toBe(0);
    const twice = await call(gil, 'POST', '/v1/spectrum/reset', { confirm: 'reset spectrum' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'conflict', resetAt: '2026-03-05T09:00:00.000Z' });

    await turnAt(gil, '2026-03-06T09:00:00Z', 'Nobody likes me', 6);
    await moveTo('2026-03-06T10:00:00Z', gil);
    const report = await weekly(gil, '2026-03-02');
    expect(report.figures.turns.current).toBe(1);
    expect(report.figures.mood.averageBefore.current).toBe(6);
    expect((await call(gil, 'POST', '/v1/spectrum/reset', { confirm: 'reset spectrum' })).statusCode).toBe(200);
    expect(await query(`select count(*)::int as n from audit_events where user_id = '${gil.userId}' and action = 'spectrum_reset'`)).toEqual([{ n: 2 }]);
  });

  test('window delete removes raw and derived data in the window only; malformed windows are 400 and change nothing', async () => {
    const hal = await prismUser('2026-03-02T09:00:00Z');
    const kept = await turnAt(hal, '2026-03-02T09:00:00Z', 'I always fail', 4);
    // Lens: a check-in and a completion on 03-02 (kept) and on 03-04 (in the window).
    const goal = await call(hal, 'POST', '/v1/lens/goals', { title: 'Walk after lunch' });
    expect(goal.statusCode, goal.body).toBe(201);
    const action = await call(hal, 'POST', `/v1/lens/goals/${goal.json().id}/actions`, { title: 'Ten minutes outside', cadence: 'daily' });
    expect(action.statusCode, action.body).toBe(201);
    const lensDay = async () => {
      expect((await call(hal, 'POST', '/v1/lens/checkins', { mood: 6 })).statusCode).toBe(201);
      expect((await call(hal, 'POST', `/v1/lens/actions/${action.json().id}/complete`)).statusCode).toBe(201);
    };
    await lensDay();
    const gone = await turnAt(hal, '2026-03-04T09:00:00Z', 'Everyone hates me', 5);
    await lensDay();
    await mirrorSessionAt(hal, '2026-03-05T09:00:00Z', ['I never get it right.']);
    await moveTo('2026-03-10T09:00:00Z', hal);
    expect((await weekly(hal, '2026-03-02')).figures.lens).toMatchObject({ checkins: { current: 2 }, actionsCompleted: { current: 2 } });
    const windows = [
      { from: '2026-03-05', to: '2026-03-03', confirm: 'delete this window' },
      { from: '2025-01-01', to: '2026-03-03', confirm: 'delete this window' },
      { from: 'yesterday', to: '2026-03-03', confirm: 'delete this window' },
      { from: '2026-02-30', to: '2026-03-03', confirm: 'delete this window' },
      { from: '2026-03-03', to: '2026-03-05' },
      { from: '2027-01-01', to: '2027-01-02', confirm: 'delete this window' },
    ];
    for (const payload of windows) {
      const res = await call(hal, 'POST', '/v1/spectrum/delete-window', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await query(`select count(*)::int as n from turns where user_id = '${hal.userId}'`)).toEqual([{ n: 2 }]);

    const res = await call(hal, 'POST', '/v1/spectrum/delete-window', { from: '2026-03-03', to: '2026-03-05', confirm: 'delete this window' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ deleted: { turns: 1, mirrorSessions: 1, checkins: 1, completions: 1 } });
    expect(await query(`select id from turns where user_id = '${hal.userId}'`)).toEqual([{ id: kept.id }]);
    expect(await query(`select count(*)::int as n from spectrum_turn_analysis where turn_id = '${gone.id}'`)).toEqual([{ n: 0 }]);
    expect(await query(`select count(*)::int as n from spectrum_session_analysis where user_id = '${hal.userId}'`)).toEqual([{ n: 0 }]);
    const report = await weekly(hal, '2026-03-02');
    expect(report.figures.turns.current).toBe(1);
    expect(report.figures.mirrorSessions.current).toBe(0);
    expect(report.figures.lens).toMatchObject({ checkins: { current: 1 }, actionsCompleted: { current: 1 } });
    expect(await query(`select local_date::text as d from lens_checkins where user_id = '${hal.userId}'`)).toEqual([{ d: '2026-03-02' }]);
    expect(await query(`select local_date::text as d from lens_action_completions where user_id = '${hal.userId}'`)).toEqual([{ d: '2026-03-02' }]);
    expect(await query(`select metadata from audit_events where user_id = '${hal.userId}' and action = 'spectrum_window_deleted'`)).toEqual([
      { metadata: { from: '2026-03-03', to: '2026-03-05', turns: 1, mirrorSessions: 1, checkins: 1, completions: 1 } },
    ]);
  });
});
