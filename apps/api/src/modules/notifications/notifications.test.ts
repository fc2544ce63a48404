import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { NotificationPreferencesPatch } from '@kalei/contracts/auth';
import { lensActionCompletions, lensActions, lensGoals, notificationLog, profiles, pushDevices } from '../../db/schema.js';
import { createColumnCipher } from '../../infra/crypto.js';
import { createBoss, createJobRunner, listDeadLetters, replayDeadLetters, type JobRunner } from '../../infra/queue.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { auditRowsFor } from '../../test/audit.js';
import { startExpoPushStandin, type ExpoPushStandin } from '../../test/expo-push-standin.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';
import { expectForeignOwnedNotFound } from '../../test/ownership.js';
import { createNotifications } from './index.js';
import { notificationQueues } from './jobs.js';
import { createLogPushSender } from './push.js';
import { createExpoPushSender } from './push-expo.js';
import type { NotificationsService } from './service.js';

const silent = { info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ctx: TestContext;
let standin: ExpoPushStandin;
let service: NotificationsService;
let runner: JobRunner;

beforeAll(async () => {
  standin = await startExpoPushStandin();
  ctx = await createTestApp({ NOTIFICATIONS_DAILY_CAP: '2', PUSH_SENDER: 'expo', EXPO_PUSH_BASE_URL: standin.baseUrl });
  // The jobs as the worker builds them, with the SDK's own 429 backoff shortened for the test.
  const built = createNotifications(ctx.infra, {
    logger: silent,
    hashUserId: ctx.app.hashUserId,
    sender: createExpoPushSender({ baseUrl: standin.baseUrl, retryMinTimeoutMs: 5 }),
  });
  service = built.service;
  runner = createJobRunner({ boss: ctx.infra.boss, definitions: built.jobs, logger: silent });
  await runner.prepare({ schedules: false });
});

afterAll(async () => {
  await ctx?.close();
  await standin?.close();
});

// Each test starts from a quiet system: earlier users lose their devices (so the scheduler passes
// them by) and jobs earlier tests left queued are settled.
beforeEach(async () => {
  await ctx.infra.database.db.delete(pushDevices);
  await runner.runOnce(notificationQueues.send.name, { skipDelays: true });
  for (let i = 0; i < 3; i++) await runner.runOnce(notificationQueues.receipts.name, { skipDelays: true });
  standin.reset();
});

const db = () => ctx.infra.database.db;
const expoToken = () => `ExponentPushToken[${randomBytes(11).toString('hex')}]`;

interface Person extends RegisteredUser {
  token: string;
  deviceId: string;
}

/** A user with one Expo device and the given preferences, created at the current test clock. */
async function person(timezone: string, preferences: NotificationPreferencesPatch): Promise<Person> {
  const user = await registerUser(ctx.app, { timezone });
  const token = expoToken();
  const device = await ctx.app.inject({
    method: 'POST',
    url: '/v1/notifications/devices',
    headers: user.auth,
    payload: { token, provider: 'expo', platform: 'ios', appVersion: '1.2.0' },
  });
  expect(device.statusCode, device.body).toBe(201);
  const profile = await ctx.app.inject({ method: 'PATCH', url: '/v1/me/profile', headers: user.auth, payload: { notificationPreferences: preferences } });
  expect(profile.statusCode, profile.body).toBe(200);
  return { ...user, token, deviceId: device.json().id };
}

const reminderAt = (time: string, quietHours: { start: string; end: string } | null = null): NotificationPreferencesPatch => ({
  reminderTime: time,
  quietHours,
  channels: { daily_reminder: true },
});

async function logOf(userId: string) {
  return db().select().from(notificationLog).where(eq(notificationLog.userId, userId)).orderBy(notificationLog.createdAt);
}

const deliveriesTo = (token: string) => standin.deliveries.filter((d) => d.token === token);

/** Runs the scheduler at `iso`, then the send jobs it queued. */
async function tickAndSend(iso: string) {
  ctx.clock.now = new Date(iso);
  const tick = await service.tick();
  const sent = await runner.runOnce(notificationQueues.send.name);
  return { tick, sent };
}

describe('devices', () => {
  test('register, refresh, list and delete a device; a token moves to the account that registers it last', async () => {
    ctx.clock.now = new Date();
    const alice = await registerUser(ctx.app);
    const bob = await registerUser(ctx.app);
    const token = expoToken();
    const payload = { token, provider: 'expo', platform: 'android', appVersion: '3.1.0+45' };

    const first = await ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', headers: alice.auth, payload });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ provider: 'expo', platform: 'android', appVersion: '3.1.0+45' });
    expect(first.json()).not.toHaveProperty('token');
    const again = await ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', headers: alice.auth, payload: { ...payload, appVersion: '3.2.0' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, appVersion: '3.2.0' });

    // The phone changes hands: the token now belongs to Bob, and Alice no longer has it.
    const moved = await ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', headers: bob.auth, payload });
    expect(moved.statusCode).toBe(201);
    const aliceList = await ctx.app.inject({ method: 'GET', url: '/v1/notifications/devices', headers: alice.auth });
    expect(aliceList.json().devices).toEqual([]);
    const bobList = await ctx.app.inject({ method: 'GET', url: '/v1/notifications/devices', headers: bob.auth });
    expect(bobList.json().devices.map((d: { id: string }) => d.id)).toEqual([first.json().id]);

    await expectForeignOwnedNotFound(ctx.app, {
      method: 'DELETE',
      url: `/v1/notifications/devices/${first.json().id}`,
      otherUser: alice,
      unchanged: async () => db().select().from(pushDevices).where(eq(pushDevices.id, first.json().id)),
    });
    // Deletes are audited (id only, never the token); a foreign delete writes no row.
    expect(await auditRowsFor(db(), first.json().id)).toEqual([]);
    const removed = await ctx.app.inject({ method: 'DELETE', url: `/v1/notifications/devices/${first.json().id}`, headers: bob.auth });
    expect(removed.statusCode).toBe(204);
    const audited = await auditRowsFor(db(), first.json().id);
    expect(audited).toEqual([
      { userId: bob.userId, actor: 'user', action: 'push_device_deleted', targetType: 'push_device', targetId: first.json().id, requestId: expect.any(String), metadata: {} },
    ]);
    expect(JSON.stringify(audited)).not.toContain(token);
    const gone = await ctx.app.inject({ method: 'DELETE', url: `/v1/notifications/devices/${first.json().id}`, headers: bob.auth });
    expect(gone.statusCode).toBe(404);
    expect(await auditRowsFor(db(), first.json().id)).toHaveLength(1);
  });

  test('native APNs and FCM tokens are accepted; malformed tokens and unknown fields are not', async () => {
    const user = await registerUser(ctx.app);
    const post = (payload: unknown) => ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', headers: user.auth, payload: payload as object });
    expect((await post({ token: randomBytes(32).toString('hex'), provider: 'apns', platform: 'ios' })).statusCode).toBe(201);
    expect((await post({ token: `${randomBytes(12).toString('base64url')}:APA91b${randomBytes(60).toString('base64url')}`, provider: 'fcm', platform: 'android' })).statusCode).toBe(201);

    const bad = await post({ token: 'hello', provider: 'expo', platform: 'ios' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_failed' });
    expect((await post({ token: expoToken(), provider: 'apns', platform: 'ios' })).statusCode).toBe(400);
    expect((await post({ token: expoToken(), provider: 'expo', platform: 'blackberry' })).statusCode).toBe(400);
    expect((await post({ token: expoToken(), provider: 'expo', platform: 'ios', userId: user.userId })).statusCode).toBe(400);
    expect((await post({ token: expoToken(), provider: 'expo', platform: 'ios', appVersion: 'v1 <script>' })).statusCode).toBe(400);
    expect((await post({ token: 'x'.repeat(5000), provider: 'fcm', platform: 'android' })).statusCode).toBe(400);
    const anonymous = await ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', payload: { token: expoToken(), provider: 'expo', platform: 'ios' } });
    expect(anonymous.statusCode).toBe(401);
  });

  test('a user keeps at most ten devices: registering more drops the least recently seen', async () => {
    const user = await registerUser(ctx.app);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ctx.clock.advance(1000);
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', headers: user.auth, payload: { token: expoToken(), provider: 'expo', platform: 'ios' } });
      ids.push(res.json().id);
    }
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/notifications/devices', headers: user.auth });
    expect(list.json().devices.map((d: { id: string }) => d.id).sort()).toEqual(ids.slice(2).sort());
  });

  test('logging out removes the push tokens registered through that session only', async () => {
    ctx.clock.now = new Date();
    const user = await registerUser(ctx.app);
    const login = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: user.password }, remoteAddress: '10.9.8.7' });
    expect(login.statusCode, login.body).toBe(200);
    const second = { authorization: `Bearer ${login.json().tokens.accessToken}` };
    await ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', headers: user.auth, payload: { token: expoToken(), provider: 'expo', platform: 'ios' } });
    const other = await ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', headers: second, payload: { token: expoToken(), provider: 'expo', platform: 'android' } });

    const logout = await ctx.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: user.auth, payload: {} });
    expect(logout.statusCode).toBeLessThan(300);
    const left = await db().select().from(pushDevices).where(eq(pushDevices.userId, user.userId));
    expect(left.map((d) => d.id)).toEqual([other.json().id]);
  });
});

describe('devices of ended sessions', () => {
  test('a device whose session was revoked elsewhere gets nothing, and the scheduler sweeps it away', async () => {
    ctx.clock.now = new Date('2026-07-01T07:00:00Z');
    const uma = await person('UTC', reminderAt('07:30'));
    const login = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: uma.email, password: uma.password }, remoteAddress: '10.7.7.7' });
    const tablet = { authorization: `Bearer ${login.json().tokens.accessToken}` };
    const tabletToken = expoToken();
    const device = await ctx.app.inject({ method: 'POST', url: '/v1/notifications/devices', headers: tablet, payload: { token: tabletToken, provider: 'expo', platform: 'ios' } });
    expect(device.statusCode).toBe(201);
    // From the phone: "sign out all other devices".
    const revoked = await ctx.app.inject({ method: 'POST', url: '/v1/auth/sessions/revoke-others', headers: uma.auth });
    expect(revoked.statusCode, revoked.body).toBeLessThan(300);

    await tickAndSend('2026-07-01T07:31:00Z');
    expect(deliveriesTo(uma.token)).toHaveLength(1);
    expect(deliveriesTo(tabletToken)).toHaveLength(0);
    expect(await db().select().from(pushDevices).where(eq(pushDevices.id, device.json().id))).toEqual([]);
  });
});

describe('scheduling in each user’s local time', () => {
  test('a daily reminder goes out once at the user’s local time, and again the next day', async () => {
    ctx.clock.now = new Date('2026-01-15T12:00:00Z');
    const anna = await person('Europe/Paris', reminderAt('20:30'));

    await tickAndSend('2026-01-15T19:29:00Z');
    expect(deliveriesTo(anna.token)).toHaveLength(0);
    const { tick } = await tickAndSend('2026-01-15T19:31:00Z');
    expect(tick.claimed).toBeGreaterThanOrEqual(1);
    expect(deliveriesTo(anna.token)).toHaveLength(1);
    // The scheduler runs every five minutes; the same reminder is never claimed twice.
    await tickAndSend('2026-01-15T19:36:00Z');
    await tickAndSend('2026-01-15T19:41:00Z');
    expect(deliveriesTo(anna.token)).toHaveLength(1);

    const [delivery] = deliveriesTo(anna.token);
    expect(delivery).toMatchObject({ title: 'Kalei', body: 'A quiet minute for yourself? Your daily check-in is ready.', data: { kind: 'daily_reminder', screen: 'lens' } });
    const [row] = await logOf(anna.userId);
    expect(row).toMatchObject({ kind: 'daily_reminder', status: 'sent', dedupeKey: `daily_reminder:${anna.userId}:2026-01-15`, ticketIds: [delivery!.ticketId] });

    await tickAndSend('2026-01-16T19:31:00Z');
    expect(deliveriesTo(anna.token)).toHaveLength(2);
    expect((await logOf(anna.userId)).map((r) => r.dedupeKey)).toEqual([`daily_reminder:${anna.userId}:2026-01-15`, `daily_reminder:${anna.userId}:2026-01-16`]);
  });

  test('the same instant is due for one timezone and not another', async () => {
    ctx.clock.now = new Date('2026-02-10T12:00:00Z');
    const tokyo = await person('Asia/Tokyo', reminderAt('08:00'));
    const newYork = await person('America/New_York', reminderAt('08:00'));
    await tickAndSend('2026-02-10T23:05:00Z');
    expect(deliveriesTo(tokyo.token)).toHaveLength(1);
    expect(deliveriesTo(newYork.token)).toHaveLength(0);
    await tickAndSend('2026-02-11T13:05:00Z');
    expect(deliveriesTo(newYork.token)).toHaveLength(1);
    expect(deliveriesTo(tokyo.token)).toHaveLength(1);
  });

  test('across daylight-saving changes: a skipped time goes out when the clock resumes, a repeated time only once', async () => {
    ctx.clock.now = new Date('2026-03-07T12:00:00Z');
    const spring = await person('America/New_York', reminderAt('02:30'));
    await tickAndSend('2026-03-08T07:29:00Z');
    expect(deliveriesTo(spring.token)).toHaveLength(0);
    await tickAndSend('2026-03-08T07:31:00Z');
    expect(deliveriesTo(spring.token)).toHaveLength(1);

    ctx.clock.now = new Date('2026-10-31T12:00:00Z');
    const autumn = await person('America/New_York', reminderAt('01:30'));
    await tickAndSend('2026-11-01T05:31:00Z');
    await tickAndSend('2026-11-01T06:31:00Z');
    expect(deliveriesTo(autumn.token)).toHaveLength(1);
    expect((await logOf(autumn.userId)).map((r) => r.dedupeKey)).toEqual([`daily_reminder:${autumn.userId}:2026-11-01`]);
  });

  test('quiet hours hold a reminder back until they end, within its window', async () => {
    ctx.clock.now = new Date('2026-04-01T12:00:00Z');
    const early = await person('UTC', reminderAt('06:30', { start: '22:00', end: '07:00' }));
    await tickAndSend('2026-04-02T06:31:00Z');
    expect(deliveriesTo(early.token)).toHaveLength(0);
    await tickAndSend('2026-04-02T07:01:00Z');
    expect(deliveriesTo(early.token)).toHaveLength(1);
  });

  test('a stored timezone that is no longer valid counts as UTC instead of stopping the scheduler', async () => {
    ctx.clock.now = new Date('2026-04-05T12:00:00Z');
    const lost = await person('UTC', reminderAt('09:00'));
    await db().update(profiles).set({ timezone: 'Mars/Olympus_Mons' }).where(eq(profiles.userId, lost.userId));
    await tickAndSend('2026-04-06T09:01:00Z');
    expect(deliveriesTo(lost.token)).toHaveLength(1);
  });

  test('switched-off channels get nothing', async () => {
    ctx.clock.now = new Date('2026-04-07T12:00:00Z');
    const off = await person('UTC', { reminderTime: '10:00', quietHours: null, channels: { daily_reminder: false } });
    await tickAndSend('2026-04-08T10:01:00Z');
    expect(deliveriesTo(off.token)).toHaveLength(0);
    expect(await logOf(off.userId)).toEqual([]);
  });
});

describe('weekly summaries, streak nudges and the daily cap', () => {
  /** Gives the user a daily action completed on each of `dates` (rows as Lens writes them). */
  async function completions(userId: string, dates: string[]) {
    const cipher = createColumnCipher(ctx.infra.secrets.dataKeys);
    const [goal] = await db()
      .insert(lensGoals)
      .values({ userId, titleEnc: cipher.encrypt('Sleep before midnight', `lens_goals.title:${userId}`) })
      .returning();
    const [action] = await db()
      .insert(lensActions)
      .values({ userId, goalId: goal!.id, titleEnc: cipher.encrypt('Phone away at 23:00', `lens_actions.title:${userId}`) })
      .returning();
    for (const localDate of dates) await db().insert(lensActionCompletions).values({ userId, actionId: action!.id, localDate });
  }

  test('on a Sunday evening: the streak nudge and the reminder go out, the weekly summary is capped (cap 2)', async () => {
    ctx.clock.now = new Date('2026-01-17T12:00:00Z');
    const sam = await person('UTC', { reminderTime: '19:30', quietHours: null, channels: { daily_reminder: true, weekly_summary: true, streak: true } });
    // 18 January 2026 is a Sunday; three days in a row up to Saturday, nothing yet on Sunday.
    await completions(sam.userId, ['2026-01-15', '2026-01-16', '2026-01-17']);
    const { tick } = await tickAndSend('2026-01-18T19:31:00Z');
    expect(tick).toMatchObject({ suppressed: 1 });

    const bodies = deliveriesTo(sam.token).map((d) => d.body);
    expect(bodies).toEqual(
      expect.arrayContaining(["You're on a 3-day streak. One small step today keeps it alive.", 'A quiet minute for yourself? Your daily check-in is ready.']),
    );
    expect(bodies).toHaveLength(2);
    // Never anything the user wrote: goal and action titles stay out of every push.
    expect(JSON.stringify(standin.sendRequests().map((r) => r.body))).not.toMatch(/Sleep|Phone away/);
    const log = await logOf(sam.userId);
    expect(log.map((r) => [r.kind, r.status, r.error])).toEqual(
      expect.arrayContaining([
        ['streak_at_risk', 'sent', null],
        ['daily_reminder', 'sent', null],
        ['weekly_summary', 'suppressed', 'daily_cap'],
      ]),
    );
  });

  test('the weekly summary counts the week; a kept streak is not nudged', async () => {
    ctx.clock.now = new Date('2026-01-24T12:00:00Z');
    const wes = await person('Europe/London', { reminderTime: null, quietHours: null, channels: { weekly_summary: true, streak: true } });
    await completions(wes.userId, ['2026-01-20', '2026-01-23', '2026-01-24', '2026-01-25']);
    await tickAndSend('2026-01-25T18:01:00Z');
    await tickAndSend('2026-01-25T19:31:00Z');
    expect(deliveriesTo(wes.token).map((d) => d.body)).toEqual(['This week: 0 check-ins and 4 actions completed. Well done.']);
  });
});

describe('the push service failing', () => {
  test('rate limits and outages retry with backoff, then dead-letter; a replay delivers it once', async () => {
    ctx.clock.now = new Date('2026-05-01T12:00:00Z');
    const rita = await person('UTC', reminderAt('12:30'));
    ctx.clock.now = new Date('2026-05-01T12:31:00Z');
    await service.tick();
    const [claimed] = await logOf(rita.userId);

    // 429 three times (the SDK retries twice itself), then five 503s: six attempts in all.
    standin.failNextSends(
      { kind: 'status', status: 429 },
      { kind: 'status', status: 429 },
      { kind: 'status', status: 429 },
      ...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 503 })),
    );
    expect(await runner.runOnce(notificationQueues.send.name)).toEqual({ completed: 0, failed: 1 });
    expect((await logOf(rita.userId))[0]).toMatchObject({ status: 'pending', error: 'http 429 TOO_MANY_REQUESTS' });
    // The retry waits for its backoff: a worker polling now finds nothing.
    expect(await runner.runOnce(notificationQueues.send.name)).toEqual({ completed: 0, failed: 0 });
    for (let i = 0; i < 5; i++) await runner.runOnce(notificationQueues.send.name, { skipDelays: true });
    expect(standin.deliveries).toHaveLength(0);

    const dead = await listDeadLetters(ctx.infra.boss, [notificationQueues.send.name]);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ data: { notificationId: claimed!.id }, error: { message: 'push service: http 503 INTERNAL_SERVER_ERROR' } });
    expect((await logOf(rita.userId))[0]).toMatchObject({ status: 'pending' });

    // The service recovers; the operator replays. One push, nothing lost, nothing twice.
    await replayDeadLetters(ctx.infra.boss, ctx.infra.database.db, notificationQueues.send, null);
    await runner.runOnce(notificationQueues.send.name);
    await replayDeadLetters(ctx.infra.boss, ctx.infra.database.db, notificationQueues.send, null);
    await runner.runOnce(notificationQueues.send.name);
    expect(deliveriesTo(rita.token)).toHaveLength(1);
    expect((await logOf(rita.userId))[0]).toMatchObject({ status: 'sent' });
  });

  test('a dropped connection is retried; a retry after the window has passed expires instead of waking someone', async () => {
    ctx.clock.now = new Date('2026-05-02T12:00:00Z');
    const dora = await person('UTC', reminderAt('13:10'));
    ctx.clock.now = new Date('2026-05-02T13:11:00Z');
    await service.tick();
    standin.failNextSends({ kind: 'destroy' });
    expect(await runner.runOnce(notificationQueues.send.name)).toEqual({ completed: 0, failed: 1 });
    expect(deliveriesTo(dora.token)).toHaveLength(0);
    expect((await logOf(dora.userId))[0]).toMatchObject({ status: 'pending', error: 'network error' });

    // The retry comes after the 90-minute window (a long outage): the reminder expires unsent.
    ctx.clock.now = new Date('2026-05-02T14:42:00Z');
    await runner.runOnce(notificationQueues.send.name, { skipDelays: true });
    expect(deliveriesTo(dora.token)).toHaveLength(0);
    expect((await logOf(dora.userId))[0]).toMatchObject({ status: 'expired', error: 'expired' });
  });

  test('a token the service no longer knows is deleted (ticket error), and the notification fails without retrying', async () => {
    ctx.clock.now = new Date('2026-05-04T12:00:00Z');
    const gone = await person('UTC', reminderAt('13:50'));
    standin.unregister(gone.token);
    await tickAndSend('2026-05-04T13:51:00Z');
    expect((await logOf(gone.userId))[0]).toMatchObject({ status: 'failed', error: 'DeviceNotRegistered' });
    expect(await db().select().from(pushDevices).where(eq(pushDevices.id, gone.deviceId))).toEqual([]);
    expect(await listDeadLetters(ctx.infra.boss, [notificationQueues.send.name])).toHaveLength(0);
  });

  test('receipts are read about 15 minutes later: DeviceNotRegistered deletes the token, receipts not ready are read again', async () => {
    ctx.clock.now = new Date('2026-05-05T12:00:00Z');
    const kept = await person('UTC', reminderAt('14:20'));
    const lost = await person('UTC', reminderAt('14:20'));
    const slow = await person('UTC', reminderAt('14:20'));
    standin.setReceipt(lost.token, 'DeviceNotRegistered');
    standin.setReceipt(slow.token, 'pending');
    await tickAndSend('2026-05-05T14:21:00Z');
    expect([kept, lost, slow].map((p) => deliveriesTo(p.token).length)).toEqual([1, 1, 1]);

    // Not before the delay.
    expect(await runner.runOnce(notificationQueues.receipts.name)).toEqual({ completed: 0, failed: 0 });
    expect(await runner.runOnce(notificationQueues.receipts.name, { skipDelays: true })).toEqual({ completed: 1, failed: 0 });
    expect(await db().select().from(pushDevices).where(eq(pushDevices.id, lost.deviceId))).toEqual([]);
    expect(await db().select().from(pushDevices).where(eq(pushDevices.id, kept.deviceId))).toHaveLength(1);
    expect((await logOf(lost.userId))[0]).toMatchObject({ status: 'sent', error: 'receipt: DeviceNotRegistered' });
    expect((await logOf(kept.userId))[0]?.receiptsCheckedAt).not.toBeNull();
    expect((await logOf(slow.userId))[0]?.receiptsCheckedAt).toBeNull();

    // The slow receipt is looked up again by a follow-up job.
    standin.setReceipt(slow.token, 'ok');
    expect(await runner.runOnce(notificationQueues.receipts.name, { skipDelays: true })).toEqual({ completed: 1, failed: 0 });
    expect((await logOf(slow.userId))[0]?.receiptsCheckedAt).not.toBeNull();
  });

  test('a receipts request that fails is retried by the job', async () => {
    ctx.clock.now = new Date('2026-05-06T12:00:00Z');
    await person('UTC', reminderAt('15:10'));
    await tickAndSend('2026-05-06T15:11:00Z');
    standin.failNextReceipts({ kind: 'status', status: 500 });
    expect(await runner.runOnce(notificationQueues.receipts.name, { skipDelays: true })).toEqual({ completed: 0, failed: 1 });
    expect(await runner.runOnce(notificationQueues.receipts.name, { skipDelays: true })).toEqual({ completed: 1, failed: 0 });
  });
});

describe('idempotent jobs', () => {
  test('the scheduler and the sender run twice: nothing is claimed or sent twice', async () => {
    ctx.clock.now = new Date('2026-06-01T08:00:00Z');
    const tom = await person('UTC', reminderAt('08:30'));
    ctx.clock.now = new Date('2026-06-01T08:31:00Z');
    await service.tick();
    await service.tick();
    const rows = await logOf(tom.userId);
    expect(rows).toHaveLength(1);
    await service.send([rows[0]!.id]);
    await service.send([rows[0]!.id]);
    await runner.runOnce(notificationQueues.send.name);
    expect(deliveriesTo(tom.token)).toHaveLength(1);
  });

  test('a worker killed while the push request is in flight: the retry does not send again (at most once)', async () => {
    ctx.clock.now = new Date('2026-06-02T08:00:00Z');
    const kim = await person('UTC', reminderAt('09:40'));
    ctx.clock.now = new Date('2026-06-02T09:41:00Z');
    await service.tick();
    const [row] = await logOf(kim.userId);

    // A worker on its own boss takes the send job; the push service answers slowly.
    standin.failNextSends({ kind: 'delay', ms: 1500 });
    const other = createBoss(ctx.infra.database, { supervise: false });
    other.on('error', () => {});
    await other.start();
    const dying = createJobRunner({
      boss: other,
      definitions: createNotifications(ctx.infra, {
        logger: silent,
        hashUserId: ctx.app.hashUserId,
        sender: createExpoPushSender({ baseUrl: standin.baseUrl, retryMinTimeoutMs: 5 }),
      }).jobs.filter((job) => job.name === notificationQueues.send.name),
      logger: silent,
      pollingIntervalSeconds: 0.5,
    });
    await dying.start();
    for (let i = 0; i < 50 && standin.sendRequests().length === 0; i++) await sleep(50);
    expect((await logOf(kim.userId))[0]).toMatchObject({ status: 'sending' });

    // The worker dies mid-request: pg-boss puts the job back for a retry.
    await other.stop({ graceful: false, wait: false });
    await sleep(100);
    await runner.runOnce(notificationQueues.send.name, { skipDelays: true });
    const after = (await logOf(kim.userId))[0];
    expect(['unknown', 'sent']).toContain(after?.status);
    await sleep(1700);
    expect(deliveriesTo(kim.token)).toHaveLength(1);
    expect(standin.sendRequests()).toHaveLength(1);
    expect((await db().select().from(notificationLog).where(and(eq(notificationLog.id, row!.id))))[0]?.status).toMatch(/unknown|sent/);
  });
});

describe('the log adapter (embedded default)', () => {
  test('logs the kind and a user hash only: no body, no token', async () => {
    const lines: { kind: string; userHash: string; devices: number }[] = [];
    const sender = createLogPushSender({ hashUserId: ctx.app.hashUserId, log: (entry) => lines.push(entry) });
    const userId = '5c9a1f3e-3f55-4f0e-8e0c-3a7b1f6d2a11';
    const outcomes = await sender.send([
      {
        notificationId: '0f6f5c0e-8a1e-4a53-9a0a-1d3b0e7c9f21',
        userId,
        kind: 'daily_reminder',
        title: 'Kalei',
        body: 'secret body',
        data: {},
        targets: [{ deviceId: 'd1', provider: 'apns', token: 'abc' }],
      },
    ]);
    expect(lines).toEqual([{ kind: 'daily_reminder', userHash: ctx.app.hashUserId(userId), devices: 1 }]);
    expect(JSON.stringify(lines)).not.toMatch(/secret|abc|5c9a1f3e/);
    expect(outcomes.get('0f6f5c0e-8a1e-4a53-9a0a-1d3b0e7c9f21')?.get('d1')).toEqual({ status: 'accepted', receiptId: null });
  });
});
