import type { SpectrumReport } from '@kalei/contracts/spectrum';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rowsOf } from '../../infra/db.js';
import { createJobRunner, enqueue, type JobRunner } from '../../infra/queue.js';
import { buildJobDefinitions, runJobsCommand } from '../../jobs.js';
import { runPlansCommand } from '../../plans.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { startFakeOpenAi, type FakeOpenAi, type RecordedRequest } from '../../test/fake-openai-server.js';
import { registerUser, uniqueIp, type RegisteredUser } from '../../test/factories.js';
import { spectrumQueues } from './jobs.js';

const silent = { info() {}, warn() {}, error() {} };
const SECRET = 'PURPLE-ELEPHANT-42';
const NARRATIVE = { headline: 'A week of noticing', insights: ['You turned two thoughts this week.'] };

let ctx: TestContext;
let fake: FakeOpenAi;
let runner: JobRunner;

const isNarrative = (request: RecordedRequest) => JSON.stringify(request.body.messages).includes('thinking patterns over a period');
const narrativeRequests = () => fake.requests.filter(isNarrative);

beforeAll(async () => {
  fake = await startFakeOpenAi({
    fallback: (request) => (isNarrative(request) ? { kind: 'reply', content: JSON.stringify(NARRATIVE) } : { kind: 'error', status: 400 }),
  });
  ctx = await createTestApp({
    AI_ROUTING: JSON.stringify({ lanes: { economy: [{ name: 'fake-economy', provider: 'openai-compatible', baseUrl: fake.baseUrl, model: 'tiny-1b', maxRetries: 0 }] } }),
  });
  runner = createJobRunner({ boss: ctx.infra.boss, definitions: buildJobDefinitions(ctx.infra, silent), logger: silent });
  await runner.prepare({ schedules: false });
});
afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});

const query = async <T = Record<string, unknown>>(text: string) => rowsOf<T>(await ctx.infra.database.db.execute(sql.raw(text)));

async function moveTo(iso: string, ...users: RegisteredUser[]) {
  ctx.clock.now = new Date(iso);
  for (const user of users) {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: user.refreshToken }, remoteAddress: uniqueIp() });
    expect(res.statusCode, res.body).toBe(200);
    user.refreshToken = res.json().refreshToken;
    user.auth = { authorization: `Bearer ${res.json().accessToken}` };
  }
}

async function prismUser(iso: string, timezone = 'UTC') {
  ctx.clock.now = new Date(iso);
  const user = await registerUser(ctx.app, { timezone });
  await runPlansCommand(ctx.infra, ['grant', user.email, 'prism'], 'test');
  return user;
}

async function turnAt(user: RegisteredUser, iso: string, thought: string, moodBefore = 5) {
  await moveTo(iso, user);
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: user.auth, payload: { thought, moodBefore } });
  expect([200, 201]).toContain(res.statusCode);
  return res.json();
}

/** Everything the job system would do on the next ticks: the scheduler, the batches it queued, the narratives. */
async function drain() {
  await enqueue(ctx.infra.boss, spectrumQueues.tick, {});
  const tick = await runner.runOnce(spectrumQueues.tick.name);
  const aggregate = await runner.runOnce(spectrumQueues.aggregate.name);
  const narrative = await runner.runOnce(spectrumQueues.narrative.name);
  return { tick, aggregate, narrative };
}

const weekly = async (user: RegisteredUser, period: string) => {
  const res = await ctx.app.inject({ method: 'GET', url: `/v1/spectrum/weekly?period=${period}`, headers: user.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('the weekly pipeline through pg-boss', () => {
  let ada: RegisteredUser;
  let cy: RegisteredUser;
  let adaTurn: { turn: { id: string } };

  beforeAll(async () => {
    ada = await prismUser('2026-03-01T09:00:00Z', 'Europe/Paris');
    await turnAt(ada, '2026-03-02T09:00:00Z', `I always ruin everything ${SECRET}`, 3);
    adaTurn = await turnAt(ada, '2026-03-05T09:00:00Z', `Nobody ever listens to me ${SECRET}`, 6);
    cy = await prismUser('2026-03-01T09:00:00Z');
    await turnAt(cy, '2026-03-03T09:00:00Z', 'I always mess things up', 4);
    const crisis = await turnAt(cy, '2026-03-04T09:00:00Z', 'I want to kill myself tonight');
    expect(crisis.kind).toBe('crisis');
  });

  test('before the week ends nothing is opened; after it ends the tick opens, the aggregation stores and the narrative is written from aggregates only', async () => {
    await moveTo('2026-03-08T12:00:00Z', ada, cy);
    expect((await drain()).aggregate.completed).toBe(0);
    expect(await query(`select count(*)::int as n from spectrum_weekly where computed_at is not null and user_id in ('${ada.userId}', '${cy.userId}')`)).toEqual([{ n: 0 }]);

    // Monday 00:30 in Paris is still Sunday in UTC: Ada's week has ended, Cy's has not.
    await moveTo('2026-03-08T23:30:00Z', ada, cy);
    const first = await drain();
    expect(first.aggregate).toEqual({ completed: 1, failed: 0 });
    expect(await query(`select user_id from spectrum_weekly where computed_at is not null and week_start = '2026-03-02'`)).toEqual([{ user_id: ada.userId }]);

    const report = await weekly(ada, '2026-03-02');
    expect(report.figures.turns.current).toBe(2);
    expect(report.narrative).toMatchObject({ status: 'ready', headline: NARRATIVE.headline, insights: NARRATIVE.insights, gentle: false, engine: 'model' });

    // What the model received: counts, never what Ada wrote.
    const sent = narrativeRequests();
    expect(sent).toHaveLength(1);
    const body = JSON.stringify(sent[0]!.body);
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain('ruin everything');
    expect(body).not.toContain('listens to me');
    expect(body).toContain('Turns: 2');
    const [stored] = await query<{ narrative_enc: string }>(`select narrative_enc from spectrum_weekly where user_id = '${ada.userId}' and week_start = '2026-03-02'`);
    expect(stored!.narrative_enc).toMatch(/^enc1\./);
  });

  test('a week that held a crisis answer gets the gentle narrative pointing to Get help, with no model call', async () => {
    await moveTo('2026-03-09T08:00:00Z', ada, cy);
    const before = narrativeRequests().length;
    expect((await drain()).aggregate.completed).toBe(1);
    expect(narrativeRequests().length).toBe(before);
    const report = await weekly(cy, '2026-03-02');
    expect(report.narrative).toMatchObject({ status: 'ready', gentle: true, helpPath: '/help', engine: 'local' });
    expect(report.narrative.headline).toMatch(/hard one/);
    expect(JSON.stringify(report.narrative)).not.toMatch(/thinking trap|most/i);
  });

  test('running again changes nothing: same rows, no second narrative', async () => {
    const rows = async () => query(`select user_id, metrics, crisis, narrative_enc from spectrum_weekly where week_start = '2026-03-02' order by user_id`);
    const before = await rows();
    const calls = narrativeRequests().length;
    await enqueue(ctx.infra.boss, spectrumQueues.aggregate, { kind: 'weekly', targets: [{ userId: ada.userId, start: '2026-03-02' }, { userId: cy.userId, start: '2026-03-02' }] });
    expect(await drain()).toMatchObject({ aggregate: { completed: 1, failed: 0 } });
    expect(await rows()).toEqual(before);
    expect(narrativeRequests().length).toBe(calls);
  });

  test('late data: an exclusion marks the finished week dirty, the tick recomputes it and a new narrative is written', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/spectrum/exclusions', headers: ada.auth, payload: { type: 'turn', id: adaTurn.turn.id, excluded: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await query(`select dirty from spectrum_weekly where user_id = '${ada.userId}' and week_start = '2026-03-02'`)).toEqual([{ dirty: true }]);
    // Until it is recomputed, the report is computed on the spot and the stale narrative is not shown.
    const meanwhile = await weekly(ada, '2026-03-02');
    expect(meanwhile.figures.turns.current).toBe(1);
    expect(meanwhile.narrative.status).toBe('pending');

    const calls = narrativeRequests().length;
    expect((await drain()).aggregate.completed).toBeGreaterThanOrEqual(1);
    expect(await query(`select dirty, turns from spectrum_weekly where user_id = '${ada.userId}' and week_start = '2026-03-02'`)).toEqual([{ dirty: false, turns: 1 }]);
    expect(narrativeRequests().length).toBe(calls + 1);
    expect((await weekly(ada, '2026-03-02')).narrative.status).toBe('ready');
  });

  test('GET /v1/me/export includes Spectrum: stored periods with their figures and narratives, and nothing of another user', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/me/export', headers: ada.auth });
    expect(res.statusCode, res.body).toBe(200);
    const { spectrum } = res.json();
    expect(spectrum.resetAt).toBeNull();
    const week = spectrum.periods.find((p: { kind: string; start: string }) => p.kind === 'weekly' && p.start === '2026-03-02');
    expect(week).toMatchObject({ narrative: NARRATIVE, metrics: { turns: 1 } });
    expect(spectrum.periods.every((p: { metrics: { turns: number } }) => p.metrics.turns <= 2)).toBe(true);
    const cyExport = (await ctx.app.inject({ method: 'GET', url: '/v1/me/export', headers: cy.auth })).json().spectrum;
    expect(cyExport.periods.find((p: { kind: string }) => p.kind === 'weekly').narrative.headline).toMatch(/hard one/);
  });

  test('a failing batch is retried, dead-lettered and replayable with npm run jobs', async () => {
    const ghost = '00000000-0000-4000-8000-000000000001';
    await enqueue(ctx.infra.boss, spectrumQueues.aggregate, { kind: 'weekly', targets: [{ userId: ghost, start: '2026-03-02' }] });
    let failed = 0;
    for (let attempt = 0; attempt < 8; attempt++) failed += (await runner.runOnce(spectrumQueues.aggregate.name, { skipDelays: true })).failed;
    expect(failed).toBe(6);
    const definitions = buildJobDefinitions(ctx.infra, silent);
    const dead = JSON.parse(await runJobsCommand(ctx.infra, definitions, ['list-failed', spectrumQueues.aggregate.name, '--json'])) as { id: string; data: unknown }[];
    expect(dead).toHaveLength(1);
    expect(dead[0]!.data).toEqual({ kind: 'weekly', targets: [{ userId: ghost, start: '2026-03-02' }] });
    expect(await runJobsCommand(ctx.infra, definitions, ['replay', spectrumQueues.aggregate.name, dead[0]!.id])).toMatch(/^replayed 1 job/);
  });
});

describe('late data: deletes and feedback after the period ended recompute it', () => {
  const WEEK = '2026-05-04';
  let eve: RegisteredUser;
  let turnIds: string[];
  let sessionId: string;
  let checkinId: string;
  let actionId: string;

  const call = (method: 'POST' | 'DELETE', url: string, payload?: object) => ctx.app.inject({ method, url, headers: eve.auth, ...(payload ? { payload } : {}) });
  const dirtyRows = () => query(`select week_start::text as week, dirty from spectrum_weekly where user_id = '${eve.userId}' order by week_start`);

  /** The change left the ended week dirty, its report already shows the change, and the next tick recomputes the stored row. */
  async function expectRecomputed(check: (figures: SpectrumReport['figures']) => void) {
    expect(await dirtyRows()).toEqual([{ week: WEEK, dirty: true }]);
    check((await weekly(eve, WEEK)).figures);
    expect((await drain()).aggregate.completed).toBeGreaterThanOrEqual(1);
    expect(await dirtyRows()).toEqual([{ week: WEEK, dirty: false }]);
    const report = await weekly(eve, WEEK);
    check(report.figures);
    expect(report.narrative.status).toBe('ready');
  }

  beforeAll(async () => {
    eve = await prismUser('2026-05-04T08:00:00Z');
    turnIds = [];
    for (const thought of ['I always ruin everything', 'Nobody ever listens to me', 'I will fail the exam for sure']) {
      turnIds.push((await turnAt(eve, '2026-05-05T09:00:00Z', thought)).turn.id);
    }
    await moveTo('2026-05-06T09:00:00Z', eve);
    sessionId = (await call('POST', '/v1/mirror/sessions', {})).json().id;
    expect((await call('POST', '/v1/mirror/messages', { sessionId, text: 'I never get anything right.' })).statusCode).toBe(201);
    expect((await call('POST', `/v1/mirror/sessions/${sessionId}/close`)).statusCode).toBe(200);
    const goal = await call('POST', '/v1/lens/goals', { title: 'Walk after lunch' });
    actionId = (await call('POST', `/v1/lens/goals/${goal.json().id}/actions`, { title: 'Ten minutes outside' })).json().id;
    const checkin = await call('POST', '/v1/lens/checkins', { mood: 6 });
    expect(checkin.statusCode, checkin.body).toBe(201);
    checkinId = checkin.json().id;
    expect((await call('POST', `/v1/lens/actions/${actionId}/complete`)).statusCode).toBe(201);
    await moveTo('2026-05-11T09:00:00Z', eve);
    await drain();
    expect(await dirtyRows()).toEqual([{ week: WEEK, dirty: false }]);
    expect((await weekly(eve, WEEK)).figures).toMatchObject({ turns: { current: 3 }, mirrorSessions: { current: 1 }, lens: { checkins: { current: 1 }, actionsCompleted: { current: 1 } } });
  });

  test('marking a reframe helpful', async () => {
    const res = await call('POST', `/v1/turns/${turnIds[0]}/feedback`, { reframeIndex: 0, helpful: true });
    expect(res.statusCode, res.body).toBe(200);
    await expectRecomputed((figures) => expect(figures.helpfulTechniques.reduce((n, t) => n + t.current, 0)).toBe(1));
  });

  test('deleting a turn', async () => {
    expect((await call('DELETE', `/v1/turns/${turnIds[1]}`)).statusCode).toBe(204);
    await expectRecomputed((figures) => expect(figures.turns.current).toBe(2));
  });

  test('deleting a Mirror session', async () => {
    expect((await call('DELETE', `/v1/mirror/sessions/${sessionId}`)).statusCode).toBe(204);
    await expectRecomputed((figures) => expect(figures.mirrorSessions.current).toBe(0));
  });

  test('deleting a Lens check-in', async () => {
    expect((await call('DELETE', `/v1/lens/checkins/${checkinId}`)).statusCode).toBe(204);
    await expectRecomputed((figures) => expect(figures.lens.checkins.current).toBe(0));
  });

  test('deleting a Lens action takes its completions out', async () => {
    expect((await call('DELETE', `/v1/lens/actions/${actionId}`)).statusCode).toBe(204);
    await expectRecomputed((figures) => expect(figures.lens.actionsCompleted.current).toBe(0));
  });

  test('a delete in the running week opens no row: the running week is computed live', async () => {
    const turn = await turnAt(eve, '2026-05-12T09:00:00Z', 'Everyone will laugh at me');
    expect((await call('DELETE', `/v1/turns/${turn.turn.id}`)).statusCode).toBe(204);
    expect(await dirtyRows()).toEqual([{ week: WEEK, dirty: false }]);
  });
});

describe('"your week in Spectrum" through notifications', () => {
  test('sent once when the week is ready, held back in quiet hours, never for a user who switched weekly summaries off', async () => {
    const prefs = (quietHours: { start: string; end: string } | null, on = true) => ({ quietHours, channels: { weekly_summary: on } });
    const setUp = async (preferences: ReturnType<typeof prefs>) => {
      const user = await prismUser('2026-04-01T09:00:00Z');
      const device = await ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', headers: user.auth, payload: { token: `ExponentPushToken[${user.userId.slice(0, 22)}]`, provider: 'expo', platform: 'ios' } });
      expect(device.statusCode, device.body).toBe(201);
      const profile = await ctx.app.inject({ method: 'PATCH', url: '/v1/me/profile', headers: user.auth, payload: { notificationPreferences: preferences } });
      expect(profile.statusCode, profile.body).toBe(200);
      await turnAt(user, '2026-04-07T09:00:00Z', 'I always mess things up');
      return user;
    };
    const plain = await setUp(prefs(null));
    const quiet = await setUp(prefs({ start: '22:00', end: '08:00' }));
    const off = await setUp(prefs(null, false));
    const log = async (user: RegisteredUser) => query<{ kind: string; status: string }>(`select kind, status from notification_log where user_id = '${user.userId}'`);

    // Monday 06:00 UTC: the week of 2026-04-06 has ended; the quiet user is in quiet hours.
    await moveTo('2026-04-13T06:00:00Z', plain, quiet, off);
    await drain();
    expect(await log(plain)).toEqual([{ kind: 'spectrum_weekly', status: 'pending' }]);
    expect(await log(quiet)).toEqual([]);
    expect(await log(off)).toEqual([]);

    await moveTo('2026-04-13T09:00:00Z', plain, quiet, off);
    await drain();
    expect(await log(quiet)).toEqual([{ kind: 'spectrum_weekly', status: 'pending' }]);
    expect(await log(plain)).toHaveLength(1);
    expect(await log(off)).toEqual([]);
    expect(await query(`select count(*)::int as n from pgboss.job where name = 'notifications-send' and data->>'notificationId' in (select id::text from notification_log where kind = 'spectrum_weekly')`)).toEqual([{ n: 2 }]);
  });
});

describe('narratives pause near the spend cap; aggregates do not', () => {
  let paused: TestContext;
  afterAll(async () => paused?.close());

  test('at AI_PAUSE_SPECTRUM_AT the period is computed and its narrative waits as paused', async () => {
    paused = await createTestApp({ AI_MONTHLY_SPEND_CAP: '1' });
    const pausedRunner = createJobRunner({ boss: paused.infra.boss, definitions: buildJobDefinitions(paused.infra, silent), logger: silent });
    await pausedRunner.prepare({ schedules: false });
    paused.clock.now = new Date('2026-03-02T09:00:00Z');
    const user = await registerUser(paused.app);
    await runPlansCommand(paused.infra, ['grant', user.email, 'prism'], 'test');
    // 96% of the month's cap already spent (read when the spend counter is first seeded).
    await paused.infra.database.db.execute(
      sql.raw(`insert into ai_usage_events (feature, task, prompt_version, lane, provider, deployment, model, input_tokens, output_tokens, cost_micros, latency_ms, outcome, attempt, created_at)
               values ('turn', 'turn.reframe', 'v', 'quality', 'openai-compatible', 'd', 'm', 1, 1, 960000, 1, 'ok', 1, '2026-03-02T10:00:00Z')`),
    );
    const turn = await paused.app.inject({ method: 'POST', url: '/v1/turns', headers: user.auth, payload: { thought: 'I always fail' } });
    expect(turn.statusCode).toBe(201);
    paused.clock.now = new Date('2026-03-09T09:00:00Z');
    await enqueue(paused.infra.boss, spectrumQueues.tick, {});
    await pausedRunner.runOnce(spectrumQueues.tick.name);
    expect(await pausedRunner.runOnce(spectrumQueues.aggregate.name)).toEqual({ completed: 1, failed: 0 });
    await pausedRunner.runOnce(spectrumQueues.narrative.name);
    const rows = rowsOf(await paused.infra.database.db.execute(sql.raw(`select turns, narrative_status, narrative_enc from spectrum_weekly where user_id = '${user.userId}'`)));
    expect(rows).toEqual([{ turns: 1, narrative_status: 'paused', narrative_enc: null }]);
  });
});

describe('the model server failing', () => {
  afterAll(() => fake.setFallback((request) => (isNarrative(request) ? { kind: 'reply', content: JSON.stringify(NARRATIVE) } : { kind: 'error', status: 400 })));

  test('the narrative is written by the local engine instead, and the period is ready', async () => {
    fake.setFallback({ kind: 'error', status: 500 });
    const finn = await prismUser('2026-06-01T08:00:00Z');
    await turnAt(finn, '2026-06-02T09:00:00Z', 'I always mess things up');
    await moveTo('2026-06-08T09:00:00Z', finn);
    expect((await drain()).aggregate.completed).toBeGreaterThanOrEqual(1);
    const report = await weekly(finn, '2026-06-01');
    expect(report.figures.turns.current).toBe(1);
    expect(report.narrative).toMatchObject({ status: 'ready', engine: 'local', gentle: false });
    expect(report.narrative.headline).toEqual(expect.any(String));
  });
});
