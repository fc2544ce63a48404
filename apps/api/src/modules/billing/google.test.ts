import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PurchaseResult } from '@kalei/contracts/billing';
import { billingEvents, subscriptions } from '../../db/schema.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { authAt, drainBillingJobs, entitlementsOf as entitlementsVia, longSessions, silentLog, snapshotsOf } from '../../test/billing-helpers.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';
import {
  developerNotification,
  playPurchase,
  pushEnvelope,
  startGooglePlayStandin,
  type GooglePlayStandin,
  type PurchaseSpec,
} from '../../test/google-play-standin.js';
import { expectForeignOwnedNotFound } from '../../test/ownership.js';
import { createBilling } from './index.js';
import { BILLING_QUEUES, type BillingService } from './service.js';

const PACKAGE = 'app.kalei.android';
const AUDIENCE = 'https://api.kalei.test/v1/billing/webhooks/google';
const PRODUCTS = [
  { store: 'play', productId: 'prism', plan: 'prism', period: 'P1M' },
  { store: 'play', productId: 'prism', basePlanId: 'yearly', plan: 'prism', period: 'P1Y' },
  { store: 'play', productId: 'prism_plus', plan: 'prism_plus', period: 'P1M' },
];
const DAY = 86_400_000;
const RTDN = { RECOVERED: 1, RENEWED: 2, CANCELED: 3, PURCHASED: 4, ON_HOLD: 5, IN_GRACE_PERIOD: 6, RESTARTED: 7, PAUSED: 10, REVOKED: 12, EXPIRED: 13, ITEMS_CHANGED: 17 };

let ctx: TestContext;
let google: GooglePlayStandin;
let billing: BillingService;

beforeAll(async () => {
  google = await startGooglePlayStandin({ packageName: PACKAGE, pushAudience: AUDIENCE });
  ctx = await createTestApp({
    GOOGLE_PLAY_PACKAGE_NAME: PACKAGE,
    GOOGLE_PLAY_SERVICE_ACCOUNT_JSON: google.serviceAccountJson,
    GOOGLE_PLAY_API_BASE_URL: google.url,
    GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl,
    GOOGLE_PUBSUB_AUDIENCE: AUDIENCE,
    GOOGLE_PUBSUB_SERVICE_ACCOUNT: google.pushServiceAccount,
    GOOGLE_PUBSUB_JWKS_URL: google.jwksUrl,
    GOOGLE_PLAY_ACCEPT_TEST_PURCHASES: 'false',
    BILLING_PRODUCTS: JSON.stringify(PRODUCTS),
    ...longSessions,
  });
  billing = createBilling(ctx.infra, silentLog);
});
afterAll(async () => {
  await ctx?.close();
  await google?.close();
});

// ---------------------------------------------------------------- helpers

const now = () => ctx.clock.now;
const later = (ms: number) => new Date(now().getTime() + ms).toISOString();
const newToken = () => `${randomBytes(12).toString('base64url')}.AO-J1Oz${randomBytes(40).toString('base64url')}`;
const drain = () => drainBillingJobs(ctx, billing);
const entitlementsOf = (user: RegisteredUser) => entitlementsVia(ctx, user);

/** Puts `spec` in Google Play's answer for `token`. */
function setState(token: string, spec: Partial<PurchaseSpec> & Pick<PurchaseSpec, 'state'>, user?: RegisteredUser) {
  google.setPurchase(
    token,
    playPurchase({
      items: [{ productId: 'prism', expiryTime: later(30 * DAY) }],
      acknowledged: true,
      ...(user ? { accountId: user.userId } : {}),
      ...spec,
    }),
  );
}

async function push(data: string | undefined, options: { messageId?: string; token?: string | null } = {}) {
  const token = options.token === undefined ? await google.pushToken({ at: now() }) : options.token;
  return ctx.app.inject({
    method: 'POST',
    url: '/v1/billing/webhooks/google',
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    payload: pushEnvelope(data, options.messageId),
  });
}

/** Delivers an RTDN for `token`, expects it accepted, and processes it. */
async function notify(type: number, token: string, expected: 'accepted' | 'duplicate' | 'ignored' = 'accepted', messageId?: string) {
  const res = await push(developerNotification(PACKAGE, { subscriptionNotification: { notificationType: type, purchaseToken: token, subscriptionId: 'prism' } }, now()), messageId ? { messageId } : {});
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().status).toBe(expected);
  await drain();
}

async function submit(user: RegisteredUser, body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/billing/google/purchases', headers: await authAt(ctx, user), payload: body });
}

async function rowOf(token: string) {
  const [row] = await ctx.infra.database.db.select().from(subscriptions).where(eq(subscriptions.storeKey, token));
  return row;
}

async function eventsOf(token: string) {
  return ctx.infra.database.db.select().from(billingEvents).where(eq(billingEvents.storeKey, token));
}

// ---------------------------------------------------------------- lifecycle

describe('Google Play lifecycle', () => {
  test('purchase (app), renewal, grace, recovery, account hold, recovery, cancel, expiry', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();

    // The app submits the purchase: unlocked within the request, then acknowledged.
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', acknowledged: false }, user);
    const res = await submit(user, { purchaseToken: token });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as PurchaseResult;
    expect(body.subscription).toMatchObject({ store: 'play', productId: 'prism', plan: 'prism', status: 'active', willRenew: true, environment: 'production' });
    expect(body.entitlements).toMatchObject({ plan: 'prism', source: 'play', store: 'play', inGrace: false });
    expect(google.acknowledged).toContain(token);

    // SUBSCRIPTION_PURCHASED arrives too: nothing more changes.
    await notify(RTDN.PURCHASED, token);
    expect(await snapshotsOf(ctx, user.userId)).toHaveLength(1);

    // Renewal
    ctx.clock.advance(30 * DAY);
    const renewedUntil = later(30 * DAY);
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'prism', expiryTime: renewedUntil }] }, user);
    await notify(RTDN.RENEWED, token);
    expect((await entitlementsOf(user)).expiresAt).toBe(renewedUntil);

    // Grace period: the renewal failed, access continues
    ctx.clock.advance(30 * DAY + 60_000);
    setState(token, { state: 'SUBSCRIPTION_STATE_IN_GRACE_PERIOD', items: [{ productId: 'prism', expiryTime: later(7 * DAY) }] }, user);
    await notify(RTDN.IN_GRACE_PERIOD, token);
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'prism', inGrace: true, status: 'grace', graceExpiresAt: later(7 * DAY) });

    // Recovered
    ctx.clock.advance(DAY);
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'prism', expiryTime: later(30 * DAY) }] }, user);
    await notify(RTDN.RECOVERED, token);
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'prism', inGrace: false, status: 'active' });

    // Account hold: no access
    ctx.clock.advance(30 * DAY + 60_000);
    setState(token, { state: 'SUBSCRIPTION_STATE_ON_HOLD', items: [{ productId: 'prism', expiryTime: later(-60_000) }] }, user);
    await notify(RTDN.ON_HOLD, token);
    expect((await entitlementsOf(user)).plan).toBe('free');

    // Recovered from hold
    ctx.clock.advance(DAY);
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'prism', expiryTime: later(30 * DAY) }] }, user);
    await notify(RTDN.RECOVERED, token);
    expect((await entitlementsOf(user)).plan).toBe('prism');

    // Canceled: access until expiry, no renewal
    ctx.clock.advance(DAY);
    const paidUntil = later(29 * DAY);
    setState(token, { state: 'SUBSCRIPTION_STATE_CANCELED', items: [{ productId: 'prism', expiryTime: paidUntil, autoRenewEnabled: false }] }, user);
    await notify(RTDN.CANCELED, token);
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'prism', willRenew: false, status: 'canceled', expiresAt: paidUntil });

    // Expired
    ctx.clock.advance(29 * DAY + 60_000);
    setState(token, { state: 'SUBSCRIPTION_STATE_EXPIRED', items: [{ productId: 'prism', expiryTime: paidUntil, autoRenewEnabled: false }] }, user);
    await notify(RTDN.EXPIRED, token);
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'free', store: null });

    // A snapshot whenever the plan or its end moved (canceling kept the same end: no snapshot).
    const snapshots = await snapshotsOf(ctx, user.userId);
    expect(snapshots.map((s) => s.plan)).toEqual(['prism', 'prism', 'prism', 'prism', 'free', 'prism', 'free']);
    expect((await eventsOf(token)).filter((e) => e.notificationType !== 'CLIENT_PURCHASE').every((e) => e.status === 'processed')).toBe(true);
  });

  test('a purchase first reported by RTDN is acknowledged and linked through obfuscatedExternalAccountId', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', acknowledged: false }, user);
    await notify(RTDN.PURCHASED, token);
    expect((await entitlementsOf(user)).plan).toBe('prism');
    expect(google.acknowledged).toContain(token);
    expect(google.purchase(token)?.acknowledgementState).toBe('ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED');
  });

  test('pending payment grants nothing until it completes', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_PENDING', acknowledged: false }, user);
    const res = await submit(user, { purchaseToken: token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ subscription: { status: 'pending' }, entitlements: { plan: 'free' } });
    expect(google.acknowledged).not.toContain(token);
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', acknowledged: false }, user);
    await notify(RTDN.PURCHASED, token);
    expect((await entitlementsOf(user)).plan).toBe('prism');
    expect(google.acknowledged).toContain(token);
  });

  test('pause and restart', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, user);
    await notify(RTDN.PURCHASED, token);
    ctx.clock.advance(31 * DAY);
    setState(token, { state: 'SUBSCRIPTION_STATE_PAUSED', items: [{ productId: 'prism', expiryTime: later(-DAY) }] }, user);
    await notify(RTDN.PAUSED, token);
    expect((await entitlementsOf(user)).plan).toBe('free');
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, user);
    await notify(RTDN.RESTARTED, token);
    expect((await entitlementsOf(user)).plan).toBe('prism');
  });

  test('upgrade: the new token (linkedPurchaseToken) grants at once and the old one stops granting', async () => {
    const user = await registerUser(ctx.app);
    const oldToken = newToken();
    setState(oldToken, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, user);
    await notify(RTDN.PURCHASED, oldToken);
    ctx.clock.advance(5 * DAY);

    const newTokenValue = newToken();
    setState(newTokenValue, { state: 'SUBSCRIPTION_STATE_ACTIVE', linkedPurchaseToken: oldToken, items: [{ productId: 'prism_plus', expiryTime: later(30 * DAY) }], acknowledged: false }, user);
    setState(oldToken, { state: 'SUBSCRIPTION_STATE_EXPIRED', items: [{ productId: 'prism', expiryTime: later(0) }] }, user);
    await notify(RTDN.PURCHASED, newTokenValue);
    const view = await entitlementsOf(user);
    expect(view).toMatchObject({ plan: 'prism_plus', productId: 'prism_plus' });
    expect(view.quotas.find((q) => q.feature === 'turns')?.limit).toBe(100);
    expect((await rowOf(oldToken))?.status).toBe('replaced');

    // A late notification about the old token does not bring it back.
    setState(oldToken, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, user);
    await notify(RTDN.RENEWED, oldToken);
    expect((await rowOf(oldToken))?.status).toBe('replaced');
  });

  test('a replacement without an account id inherits the old purchase’s owner', async () => {
    const user = await registerUser(ctx.app);
    const oldToken = newToken();
    setState(oldToken, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, user);
    await notify(RTDN.PURCHASED, oldToken);
    const replacement = newToken();
    setState(replacement, { state: 'SUBSCRIPTION_STATE_ACTIVE', linkedPurchaseToken: oldToken, items: [{ productId: 'prism_plus', expiryTime: later(30 * DAY) }] });
    await notify(RTDN.PURCHASED, replacement);
    expect((await rowOf(replacement))?.userId).toBe(user.userId);
    expect((await entitlementsOf(user)).plan).toBe('prism_plus');
  });

  test('downgrade (deferred): the plan stays until the renewal, then the new token grants the lower plan', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'prism_plus', expiryTime: later(30 * DAY) }] }, user);
    await notify(RTDN.PURCHASED, token);
    ctx.clock.advance(2 * DAY);
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'prism_plus', expiryTime: later(28 * DAY), deferredProductId: 'prism' }] }, user);
    await notify(RTDN.ITEMS_CHANGED, token);
    expect((await entitlementsOf(user)).plan).toBe('prism_plus');
    expect((await rowOf(token))?.autoRenewProductId).toBe('prism');

    ctx.clock.advance(28 * DAY + 60_000);
    const next = newToken();
    setState(next, { state: 'SUBSCRIPTION_STATE_ACTIVE', linkedPurchaseToken: token, items: [{ productId: 'prism', expiryTime: later(30 * DAY) }] }, user);
    await notify(RTDN.PURCHASED, next);
    expect((await entitlementsOf(user)).plan).toBe('prism');
    expect((await rowOf(token))?.status).toBe('replaced');
  });

  test('refund (voided purchase) ends access; revocation too', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', latestOrderId: 'GPA.3300-1111-2222-33333' }, user);
    await notify(RTDN.PURCHASED, token);
    expect((await entitlementsOf(user)).plan).toBe('prism');

    // A refund without revocation: Play still says active, the voided order decides.
    const res = await push(developerNotification(PACKAGE, { voidedPurchaseNotification: { purchaseToken: token, orderId: 'GPA.3300-1111-2222-33333', productType: 1, refundType: 1 } }, now()));
    expect(res.json()).toEqual({ status: 'accepted' });
    await drain();
    expect((await entitlementsOf(user)).plan).toBe('free');
    expect((await rowOf(token))?.status).toBe('refunded');
    // The nightly re-read does not undo it.
    await billing.refreshSubscription((await rowOf(token))!.id);
    expect((await rowOf(token))?.status).toBe('refunded');

    const revoked = newToken();
    setState(revoked, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, user);
    await notify(RTDN.PURCHASED, revoked);
    setState(revoked, { state: 'SUBSCRIPTION_STATE_EXPIRED', items: [{ productId: 'prism', expiryTime: later(0) }] }, user);
    await notify(RTDN.REVOKED, revoked);
    expect((await entitlementsOf(user)).plan).toBe('free');
  });

  test('a late notification is read against the current state (out-of-order delivery)', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, user);
    await notify(RTDN.PURCHASED, token);
    // ON_HOLD was sent, then the user fixed the payment; the ON_HOLD message arrives last.
    ctx.clock.advance(DAY);
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'prism', expiryTime: later(30 * DAY) }] }, user);
    await notify(RTDN.ON_HOLD, token);
    expect((await entitlementsOf(user)).plan).toBe('prism');
  });

  test('a redelivered message (same messageId) is stored once and changes nothing', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, user);
    const messageId = String(Date.now());
    await notify(RTDN.PURCHASED, token, 'accepted', messageId);
    const before = google.stats.getRequests;
    await notify(RTDN.PURCHASED, token, 'duplicate', messageId);
    expect(google.stats.getRequests).toBe(before);
    expect(await eventsOf(token)).toHaveLength(1);
  });

  test('a Google Play outage fails the job, which succeeds when retried', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, user);
    google.failNext(1, 503);
    await notify(RTDN.PURCHASED, token);
    const [event] = await eventsOf(token);
    expect(event?.status).toBe('failed');
    expect((await entitlementsOf(user)).plan).toBe('free');
    expect(await billing.processEvent(event!.id)).toBe('processed');
    expect((await entitlementsOf(user)).plan).toBe('prism');
  });

  test('a failed acknowledgement does not fail the purchase and is retried by a refresh job', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', acknowledged: false }, user);
    google.failAcknowledgements(1);
    const res = await submit(user, { purchaseToken: token });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as PurchaseResult).entitlements.plan).toBe('prism');
    expect(google.acknowledged).not.toContain(token);

    const retry = await ctx.infra.boss.fetch<{ subscriptionId: string }>(BILLING_QUEUES.refreshSubscription, { batchSize: 10 });
    expect(retry).toHaveLength(1);
    await billing.refreshSubscription(retry[0]!.data.subscriptionId);
    await ctx.infra.boss.complete(BILLING_QUEUES.refreshSubscription, retry[0]!.id);
    expect(google.acknowledged).toContain(token);
  });
});

// ---------------------------------------------------------------- client-submitted purchases

describe('POST /v1/billing/google/purchases', () => {
  test("another user's purchase (obfuscatedExternalAccountId) is a 404 and changes nothing", async () => {
    const alice = await registerUser(ctx.app);
    const bob = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE' }, alice);
    await expectForeignOwnedNotFound(ctx.app, {
      method: 'POST',
      url: '/v1/billing/google/purchases',
      payload: { purchaseToken: token },
      otherUser: { auth: await authAt(ctx, bob) },
      unchanged: async () => [await rowOf(token), await entitlementsOf(bob)],
    });
    expect((await entitlementsOf(bob)).plan).toBe('free');
    expect((await entitlementsOf(alice)).plan).toBe('free');
  });

  test('a purchase linked to another account is a 404 even without an account id', async () => {
    const alice = await registerUser(ctx.app);
    const bob = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE' });
    expect((await submit(alice, { purchaseToken: token })).statusCode).toBe(200);
    await expectForeignOwnedNotFound(ctx.app, {
      method: 'POST',
      url: '/v1/billing/google/purchases',
      payload: { purchaseToken: token },
      otherUser: { auth: await authAt(ctx, bob) },
      unchanged: () => rowOf(token),
    });
  });

  test.each<[string, (token: string) => void, number, string]>([
    ['a token Google Play does not know', () => {}, 404, 'not_found'],
    ['a token that expired long ago (410)', (token) => google.setPurchase(token, 'gone'), 404, 'not_found'],
    ['an unknown product', (token) => setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'coins', expiryTime: later(DAY) }] }), 400, 'validation_failed'],
    ['a test purchase where they are refused', (token) => setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', test: true }), 403, 'forbidden'],
    ['Google Play unreachable', (token) => {
      setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE' });
      google.failNext(1, 500);
    }, 503, 'unavailable'],
  ])('refuses %s', async (_name, arrange, status, code) => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    arrange(token);
    const res = await submit(user, { purchaseToken: token });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toMatchObject({ status, code });
    expect(await rowOf(token)).toBeUndefined();
    expect((await entitlementsOf(user)).plan).toBe('free');
  });

  test('refuses a malformed body', async () => {
    const user = await registerUser(ctx.app);
    for (const payload of [{}, { purchaseToken: 'short' }, { purchaseToken: newToken(), productId: 'prism' }, { purchaseToken: 'has spaces in it' }]) {
      const res = await submit(user, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});

// ---------------------------------------------------------------- bad pushes

describe('POST /v1/billing/webhooks/google refuses bad input and changes nothing', () => {
  const valid = () => developerNotification(PACKAGE, { subscriptionNotification: { notificationType: RTDN.PURCHASED, purchaseToken: newToken() } }, now());

  test.each<[string, () => Promise<string | null>, number, string]>([
    ['no token', async () => null, 401, 'unauthorized'],
    ['a token signed by another key', () => google.pushToken({ at: now(), foreignKey: true }), 401, 'invalid_token'],
    ['another audience', () => google.pushToken({ at: now(), aud: 'https://elsewhere.example' }), 401, 'invalid_token'],
    ['another issuer', () => google.pushToken({ at: now(), iss: 'https://evil.example' }), 401, 'invalid_token'],
    ['an expired token', () => google.pushToken({ at: new Date(now().getTime() - 3 * 3_600_000) }), 401, 'invalid_token'],
    ['not a JWT', async () => 'not-a-jwt', 401, 'invalid_token'],
    ['another service account', () => google.pushToken({ at: now(), email: 'someone@else.iam.gserviceaccount.com' }), 403, 'forbidden'],
    ['an unverified email', () => google.pushToken({ at: now(), email_verified: false }), 403, 'forbidden'],
  ])('%s', async (_name, token, status, code) => {
    const before = await ctx.infra.database.db.select().from(billingEvents);
    const tokenValue = await token();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/billing/webhooks/google',
      headers: tokenValue === null ? {} : { authorization: `Bearer ${tokenValue}` },
      payload: pushEnvelope(valid()),
    });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toMatchObject({ status, code });
    expect(await ctx.infra.database.db.select().from(billingEvents)).toHaveLength(before.length);
  });

  test('a malformed envelope is a 400', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/billing/webhooks/google',
      headers: { authorization: `Bearer ${await google.pushToken({ at: now() })}` },
      payload: { subscription: 'projects/x/subscriptions/y' },
    });
    expect(res.statusCode).toBe(400);
  });

  test.each<[string, () => string | undefined, string]>([
    ['data that is not base64 JSON', () => Buffer.from('{not json').toString('base64'), 'the message data is not a developer notification'],
    ['no data at all', () => undefined, 'the message data is not a developer notification'],
    ['a notification without the fields of one', () => Buffer.from(JSON.stringify({ hello: 'world' })).toString('base64'), 'the message data is not a developer notification'],
    ['another package', () => developerNotification('com.example.other', { subscriptionNotification: { notificationType: 4, purchaseToken: newToken() } }, now()), 'package com.example.other is not this app'],
    ['a test notification', () => developerNotification(PACKAGE, { testNotification: { version: '1.0' } }, now()), 'test notification'],
    ['a one-time product', () => developerNotification(PACKAGE, { oneTimeProductNotification: { version: '1.0', notificationType: 1, purchaseToken: newToken(), sku: 'coins' } }, now()), 'one-time products are not sold'],
  ])('authentic but unusable (%s): 200, recorded and ignored', async (_name, data, reason) => {
    const messageId = `m-${randomBytes(6).toString('hex')}`;
    const res = await push(data(), { messageId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ status: 'ignored', reason });
    const [event] = await ctx.infra.database.db.select().from(billingEvents).where(eq(billingEvents.eventId, messageId));
    expect(event).toMatchObject({ store: 'play', status: 'ignored', error: reason });
    expect(await drain()).toBe(0);
  });

  test('an unknown product or an unknown token is recorded and ignored by processing', async () => {
    const user = await registerUser(ctx.app);
    const coins = newToken();
    setState(coins, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'coins', expiryTime: later(DAY) }] }, user);
    await notify(RTDN.PURCHASED, coins);
    expect((await eventsOf(coins))[0]).toMatchObject({ status: 'ignored', error: 'unknown product coins' });

    const unknown = newToken();
    await notify(RTDN.PURCHASED, unknown);
    expect((await eventsOf(unknown))[0]).toMatchObject({ status: 'ignored', error: 'Google Play does not know this purchase token' });

    const test = newToken();
    setState(test, { state: 'SUBSCRIPTION_STATE_ACTIVE', test: true }, user);
    await notify(RTDN.PURCHASED, test);
    expect((await eventsOf(test))[0]).toMatchObject({ status: 'ignored', error: 'test purchases are not accepted' });
    expect((await entitlementsOf(user)).plan).toBe('free');
  });

  test('purchase tokens are not copied into the event payload', async () => {
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE' });
    await notify(RTDN.PURCHASED, token);
    const [event] = await eventsOf(token);
    expect(JSON.stringify(event?.payload)).not.toContain(token);
  });
});

// ---------------------------------------------------------------- reconciliation

describe('reconciliation', () => {
  test('a lost expiry notification: the nightly job reads Play and ends access', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'prism', expiryTime: later(DAY) }] }, user);
    await notify(RTDN.PURCHASED, token);
    ctx.clock.advance(DAY + 60_000);
    setState(token, { state: 'SUBSCRIPTION_STATE_EXPIRED', items: [{ productId: 'prism', expiryTime: later(-60_000) }] }, user);
    expect((await billing.reconcile()).queued).toBeGreaterThan(0);
    await drain();
    expect((await rowOf(token))?.status).toBe('expired');
    expect((await snapshotsOf(ctx, user.userId)).at(-1)).toMatchObject({ plan: 'free', reason: 'reconciliation: play' });
  });

  test('a lost renewal: the nightly job keeps the user entitled through the old expiry', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'prism', expiryTime: later(DAY) }] }, user);
    await notify(RTDN.PURCHASED, token);
    ctx.clock.advance(DAY - 60_000);
    const renewedUntil = later(31 * DAY);
    setState(token, { state: 'SUBSCRIPTION_STATE_ACTIVE', items: [{ productId: 'prism', expiryTime: renewedUntil }] }, user);
    await billing.reconcile();
    await drain();
    ctx.clock.advance(2 * 60_000);
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'prism', expiresAt: renewedUntil });
  });

  test('a grace period is re-read every night; a token Play forgot lapses locally', async () => {
    const user = await registerUser(ctx.app);
    const token = newToken();
    setState(token, { state: 'SUBSCRIPTION_STATE_IN_GRACE_PERIOD', items: [{ productId: 'prism', expiryTime: later(3 * DAY) }] }, user);
    await notify(RTDN.IN_GRACE_PERIOD, token);
    expect((await entitlementsOf(user)).inGrace).toBe(true);
    ctx.clock.advance(3 * DAY + 60_000);
    google.setPurchase(token, 'gone');
    await billing.reconcile();
    await drain();
    expect((await rowOf(token))?.status).toBe('billing_retry');
    expect((await entitlementsOf(user)).plan).toBe('free');
  });
});
