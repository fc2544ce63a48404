import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Entitlements, PurchaseResult } from '@kalei/contracts/billing';
import { auditEvents, billingEvents, subscriptions } from '../../db/schema.js';
import { createAuditService } from '../audit/service.js';
import { createEntitlementsRepo } from '../entitlements/repo.js';
import { createEntitlementsService } from '../entitlements/service.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import {
  createAppleChain,
  notificationPayload,
  renewalPayload,
  signAppleJws,
  startAppStoreApiStandin,
  tamperJws,
  transactionPayload,
  unsignedAppleJws,
  type AppleChain,
  type AppStoreApiStandin,
  type RenewalSpec,
  type TransactionSpec,
} from '../../test/apple-signing.js';
import { authAt, drainBillingJobs, entitlementsOf as entitlementsVia, longSessions, silentLog, snapshotsOf as snapshotsVia } from '../../test/billing-helpers.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';
import { expectForeignOwnedNotFound } from '../../test/ownership.js';
import { createJobRunner } from '../../infra/queue.js';
import { buildJobDefinitions } from '../../jobs.js';
import { createBilling } from './index.js';
import { BILLING_QUEUES, type BillingService } from './service.js';

const APP = { bundleId: 'app.kalei.test', appAppleId: 1_234_567_890 };
const PRISM = 'app.kalei.prism.monthly';
const PRISM_PLUS = 'app.kalei.prismplus.monthly';
const PRODUCTS = [
  { store: 'app_store', productId: PRISM, plan: 'prism', period: 'P1M' },
  { store: 'app_store', productId: PRISM_PLUS, plan: 'prism_plus', period: 'P1M' },
];
const DAY = 86_400_000;

let ctx: TestContext;
let dir: string;
let chain: AppleChain;
let appStoreApi: AppStoreApiStandin;
let billing: BillingService;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kalei-apple-'));
  chain = createAppleChain();
  appStoreApi = await startAppStoreApiStandin(APP, dir);
  ctx = await createTestApp({
    APPLE_BUNDLE_ID: APP.bundleId,
    APPLE_APP_APPLE_ID: String(APP.appAppleId),
    APPLE_ROOT_CERTIFICATES: chain.writeRoot(dir),
    APPLE_ENVIRONMENTS: 'Sandbox',
    APPLE_ONLINE_CHECKS: 'false',
    APPLE_API_KEY_ID: appStoreApi.keyId,
    APPLE_API_ISSUER_ID: appStoreApi.issuerId,
    APPLE_API_PRIVATE_KEY_FILE: appStoreApi.keyFile,
    APPLE_API_BASE_URL: appStoreApi.url,
    BILLING_PRODUCTS: JSON.stringify(PRODUCTS),
    ...longSessions,
  });
  // The same service the app runs, for driving the job handlers directly.
  billing = createBilling(ctx.infra, silentLog);
});
afterAll(async () => {
  await ctx?.close();
  await appStoreApi?.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

const now = () => ctx.clock.now;
const later = (ms: number) => new Date(now().getTime() + ms);
let sequence = 0;
const newOriginalTransactionId = () => `20000${Date.now() % 1_000_000}${(sequence += 1)}`;

function tx(originalTransactionId: string, over: Partial<TransactionSpec> = {}): TransactionSpec {
  return {
    originalTransactionId,
    productId: PRISM,
    purchaseDate: now(),
    expiresDate: later(30 * DAY),
    signedDate: now(),
    ...over,
  };
}

function signedTx(spec: TransactionSpec, signer = chain) {
  return signAppleJws(signer, transactionPayload(APP, spec));
}

function signedRenewal(spec: TransactionSpec, over: Partial<RenewalSpec> = {}, signer = chain) {
  return signAppleJws(signer, renewalPayload({ originalTransactionId: spec.originalTransactionId, productId: spec.productId, signedDate: now(), ...over }));
}

/** A signed App Store Server Notification V2 carrying `spec`'s transaction and renewal info. */
function notification(type: string, subtype: string | undefined, spec: TransactionSpec, renewal: Partial<RenewalSpec> = {}, options: { uuid?: string; signer?: AppleChain } = {}) {
  const signer = options.signer ?? chain;
  return signAppleJws(
    signer,
    notificationPayload(APP, {
      notificationType: type,
      ...(subtype ? { subtype } : {}),
      ...(options.uuid ? { notificationUUID: options.uuid } : {}),
      signedDate: now(),
      signedTransactionInfo: signedTx(spec, signer),
      signedRenewalInfo: signedRenewal(spec, renewal, signer),
    }),
  );
}

async function post(signedPayload: unknown) {
  return ctx.app.inject({ method: 'POST', url: '/v1/billing/webhooks/apple', payload: { signedPayload } });
}

const drain = () => drainBillingJobs(ctx, billing);
const entitlementsOf = (user: RegisteredUser): Promise<Entitlements> => entitlementsVia(ctx, user);
const snapshotsOf = (userId: string) => snapshotsVia(ctx, userId);
const authOf = (user: RegisteredUser) => authAt(ctx, user);

/** Delivers a notification, expects it accepted, and processes it. */
async function deliver(signedPayload: string, expected: 'accepted' | 'duplicate' | 'ignored' = 'accepted') {
  const res = await post(signedPayload);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().status).toBe(expected);
  await drain();
}

async function submit(user: RegisteredUser, body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/billing/apple/transactions', headers: await authOf(user), payload: body });
}

async function rowsFor(originalTransactionId: string) {
  return ctx.infra.database.db.select().from(subscriptions).where(eq(subscriptions.storeKey, originalTransactionId));
}

async function subscribe(user: RegisteredUser, productId = PRISM) {
  const id = newOriginalTransactionId();
  await deliver(notification('SUBSCRIBED', 'INITIAL_BUY', tx(id, { productId, appAccountToken: user.userId })));
  expect((await entitlementsOf(user)).plan).toBe(productId === PRISM ? 'prism' : 'prism_plus');
  return id;
}

// ---------------------------------------------------------------- lifecycle

describe('App Store lifecycle through notifications', () => {
  test('purchase, renewal, billing failure with grace, recovery, failure without grace, recovery, cancel, expiry', async () => {
    const user = await registerUser(ctx.app);
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'free', source: 'default', store: null, willRenew: false });

    // SUBSCRIBED / INITIAL_BUY
    const id = newOriginalTransactionId();
    const first = tx(id, { appAccountToken: user.userId });
    await deliver(notification('SUBSCRIBED', 'INITIAL_BUY', first));
    let view = await entitlementsOf(user);
    expect(view).toMatchObject({ plan: 'prism', planName: 'Prism', source: 'app_store', store: 'app_store', productId: PRISM, willRenew: true, inGrace: false, status: 'active' });
    expect(view.expiresAt).toBe(first.expiresDate.toISOString());
    expect(view.unlocks.daily.turns).toBe(30);
    expect(view.quotas.find((q) => q.feature === 'turns')?.limit).toBe(30);

    // DID_RENEW
    ctx.clock.advance(30 * DAY);
    const renewed = tx(id, { appAccountToken: user.userId, transactionReason: 'RENEWAL' });
    await deliver(notification('DID_RENEW', undefined, renewed));
    view = await entitlementsOf(user);
    expect(view.expiresAt).toBe(renewed.expiresDate.toISOString());

    // DID_FAIL_TO_RENEW / GRACE_PERIOD: the period ended, access continues until the grace end
    ctx.clock.advance(30 * DAY + 60_000);
    const graceEnd = later(16 * DAY);
    await deliver(notification('DID_FAIL_TO_RENEW', 'GRACE_PERIOD', renewed, { isInBillingRetryPeriod: true, gracePeriodExpiresDate: graceEnd }));
    view = await entitlementsOf(user);
    expect(view).toMatchObject({ plan: 'prism', inGrace: true, graceExpiresAt: graceEnd.toISOString(), status: 'grace' });

    // DID_RENEW / BILLING_RECOVERY
    ctx.clock.advance(2 * DAY);
    const recovered = tx(id, { appAccountToken: user.userId, transactionReason: 'RENEWAL' });
    await deliver(notification('DID_RENEW', 'BILLING_RECOVERY', recovered));
    view = await entitlementsOf(user);
    expect(view).toMatchObject({ plan: 'prism', inGrace: false, graceExpiresAt: null, status: 'active', expiresAt: recovered.expiresDate.toISOString() });

    // DID_FAIL_TO_RENEW without grace: access ends with the period
    ctx.clock.advance(30 * DAY + 60_000);
    await deliver(notification('DID_FAIL_TO_RENEW', undefined, recovered, { isInBillingRetryPeriod: true }));
    view = await entitlementsOf(user);
    expect(view).toMatchObject({ plan: 'free', source: 'default' });
    expect((await rowsFor(id))[0]?.status).toBe('billing_retry');

    // DID_RENEW / BILLING_RECOVERY again
    ctx.clock.advance(DAY);
    const again = tx(id, { appAccountToken: user.userId, transactionReason: 'RENEWAL' });
    await deliver(notification('DID_RENEW', 'BILLING_RECOVERY', again));
    expect((await entitlementsOf(user)).plan).toBe('prism');

    // DID_CHANGE_RENEWAL_STATUS / AUTO_RENEW_DISABLED: paid until expiry, will not renew
    ctx.clock.advance(DAY);
    await deliver(notification('DID_CHANGE_RENEWAL_STATUS', 'AUTO_RENEW_DISABLED', again, { autoRenewStatus: 0 }));
    view = await entitlementsOf(user);
    expect(view).toMatchObject({ plan: 'prism', willRenew: false, status: 'canceled' });

    // DID_CHANGE_RENEWAL_STATUS / AUTO_RENEW_ENABLED
    await deliver(notification('DID_CHANGE_RENEWAL_STATUS', 'AUTO_RENEW_ENABLED', again, { autoRenewStatus: 1 }));
    expect((await entitlementsOf(user)).willRenew).toBe(true);
    await deliver(notification('DID_CHANGE_RENEWAL_STATUS', 'AUTO_RENEW_DISABLED', again, { autoRenewStatus: 0 }));

    // EXPIRED / VOLUNTARY
    ctx.clock.advance(29 * DAY + 60_000);
    await deliver(notification('EXPIRED', 'VOLUNTARY', again, { autoRenewStatus: 0, expirationIntent: 1 }));
    view = await entitlementsOf(user);
    expect(view).toMatchObject({ plan: 'free', source: 'default', store: null });
    expect((await rowsFor(id))[0]?.status).toBe('expired');

    // Every change of plan or validity left a snapshot and an audit event.
    const snapshots = await snapshotsOf(user.userId);
    expect(snapshots.map((s) => s.plan)).toEqual(['prism', 'prism', 'prism', 'prism', 'free', 'prism', 'free']);
    expect(snapshots.every((s) => s.reason.startsWith('app_store '))).toBe(true);
    const audits = await ctx.infra.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.userId, user.userId), eq(auditEvents.action, 'entitlement_changed')));
    expect(audits).toHaveLength(snapshots.length);
    // The log keeps every notification, each processed once.
    const events = await ctx.infra.database.db.select().from(billingEvents).where(eq(billingEvents.storeKey, id));
    expect(events).toHaveLength(10);
    expect(events.every((e) => e.status === 'processed' && e.userId === user.userId)).toBe(true);
  });

  test('grace period expiry ends access', async () => {
    const user = await registerUser(ctx.app);
    const id = await subscribe(user);
    ctx.clock.advance(30 * DAY + 60_000);
    const spec = tx(id, { appAccountToken: user.userId, purchaseDate: later(-30 * DAY), expiresDate: later(-60_000) });
    await deliver(notification('DID_FAIL_TO_RENEW', 'GRACE_PERIOD', spec, { isInBillingRetryPeriod: true, gracePeriodExpiresDate: later(6 * DAY) }));
    expect((await entitlementsOf(user)).inGrace).toBe(true);
    ctx.clock.advance(6 * DAY + 60_000);
    await deliver(notification('GRACE_PERIOD_EXPIRED', undefined, spec, { isInBillingRetryPeriod: true, gracePeriodExpiresDate: later(-60_000) }));
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'free', inGrace: false });
  });

  test('upgrade takes effect at once and lifts quotas in the same request', async () => {
    const user = await registerUser(ctx.app);
    const id = await subscribe(user);
    ctx.clock.advance(3 * DAY);
    const upgraded = tx(id, { appAccountToken: user.userId, productId: PRISM_PLUS });
    await deliver(notification('DID_CHANGE_RENEWAL_PREF', 'UPGRADE', upgraded, { autoRenewProductId: PRISM_PLUS }));
    const view = await entitlementsOf(user);
    expect(view).toMatchObject({ plan: 'prism_plus', productId: PRISM_PLUS });
    expect(view.quotas.find((q) => q.feature === 'turns')?.limit).toBe(100);
  });

  test('downgrade waits for the renewal', async () => {
    const user = await registerUser(ctx.app);
    const id = await subscribe(user, PRISM_PLUS);
    ctx.clock.advance(3 * DAY);
    const current = tx(id, { appAccountToken: user.userId, productId: PRISM_PLUS, purchaseDate: later(-3 * DAY), expiresDate: later(27 * DAY) });
    await deliver(notification('DID_CHANGE_RENEWAL_PREF', 'DOWNGRADE', current, { autoRenewProductId: PRISM }));
    expect((await entitlementsOf(user)).plan).toBe('prism_plus');
    const row = (await rowsFor(id))[0];
    expect(row?.autoRenewProductId).toBe(PRISM);

    ctx.clock.advance(27 * DAY + 60_000);
    await deliver(notification('DID_RENEW', undefined, tx(id, { appAccountToken: user.userId, productId: PRISM, transactionReason: 'RENEWAL' })));
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'prism', productId: PRISM });
  });

  test('refund removes access, refund reversal restores it', async () => {
    const user = await registerUser(ctx.app);
    const id = await subscribe(user);
    ctx.clock.advance(DAY);
    const current = tx(id, { appAccountToken: user.userId, purchaseDate: later(-DAY), expiresDate: later(29 * DAY) });
    await deliver(notification('REFUND', undefined, { ...current, revocationDate: now(), revocationReason: 0 }, { autoRenewStatus: 0 }));
    expect((await entitlementsOf(user)).plan).toBe('free');
    expect((await rowsFor(id))[0]?.status).toBe('refunded');

    ctx.clock.advance(DAY);
    await deliver(notification('REFUND_REVERSED', undefined, current));
    expect((await entitlementsOf(user)).plan).toBe('prism');
  });

  test('a refund of an earlier period does not end the current one', async () => {
    const user = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    const firstPeriod = tx(id, { appAccountToken: user.userId });
    await deliver(notification('SUBSCRIBED', 'INITIAL_BUY', firstPeriod));
    ctx.clock.advance(30 * DAY);
    await deliver(notification('DID_RENEW', undefined, tx(id, { appAccountToken: user.userId, transactionReason: 'RENEWAL' })));
    ctx.clock.advance(DAY);
    await deliver(notification('REFUND', undefined, { ...firstPeriod, revocationDate: now(), revocationReason: 1 }));
    expect((await entitlementsOf(user)).plan).toBe('prism');
  });

  test('family sharing: a member restores through the app, then the purchaser stops sharing (REVOKE)', async () => {
    const member = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    // Family-shared transactions carry no appAccountToken: the member's app submits it.
    const shared = tx(id, { inAppOwnershipType: 'FAMILY_SHARED' });
    const res = await submit(member, { signedTransaction: signedTx(shared), signedRenewalInfo: signedRenewal(shared) });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as PurchaseResult).entitlements.plan).toBe('prism');

    ctx.clock.advance(DAY);
    await deliver(notification('REVOKE', undefined, { ...shared, revocationDate: now() }));
    expect((await entitlementsOf(member)).plan).toBe('free');
    expect((await rowsFor(id))[0]?.status).toBe('revoked');
  });

  test('out-of-order delivery ends in the newest state', async () => {
    const user = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    const t0 = tx(id, { appAccountToken: user.userId, expiresDate: later(DAY) });
    const subscribed = notification('SUBSCRIBED', 'INITIAL_BUY', t0);
    ctx.clock.advance(DAY + 60_000);
    const failed = notification('DID_FAIL_TO_RENEW', 'GRACE_PERIOD', t0, { isInBillingRetryPeriod: true, gracePeriodExpiresDate: later(16 * DAY) });
    ctx.clock.advance(DAY);
    const t2 = tx(id, { appAccountToken: user.userId, transactionReason: 'RENEWAL' });
    const recovered = notification('DID_RENEW', 'BILLING_RECOVERY', t2);

    // Delivered newest first: the older ones change nothing.
    await deliver(recovered);
    await deliver(failed);
    await deliver(subscribed);
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'prism', inGrace: false, status: 'active', expiresAt: t2.expiresDate.toISOString() });
    const events = await ctx.infra.database.db.select().from(billingEvents).where(eq(billingEvents.storeKey, id));
    expect(events.filter((e) => e.error?.startsWith('stale'))).toHaveLength(2);

    // An EXPIRED processed before a late DID_RENEW of an earlier time stays expired.
    ctx.clock.advance(30 * DAY + 60_000);
    const expired = notification('EXPIRED', 'VOLUNTARY', t2, { autoRenewStatus: 0 });
    ctx.clock.advance(-DAY);
    const lateRenewal = notification('DID_CHANGE_RENEWAL_STATUS', 'AUTO_RENEW_DISABLED', t2, { autoRenewStatus: 0 });
    ctx.clock.advance(DAY);
    await deliver(expired);
    await deliver(lateRenewal);
    expect((await entitlementsOf(user)).plan).toBe('free');
  });

  test('a redelivered notification is stored once and changes nothing', async () => {
    const user = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    const payload = notification('SUBSCRIBED', 'INITIAL_BUY', tx(id, { appAccountToken: user.userId }));
    await deliver(payload);
    const snapshotsBefore = await snapshotsOf(user.userId);
    await deliver(payload, 'duplicate');
    await deliver(payload, 'duplicate');
    expect(await ctx.infra.database.db.select().from(billingEvents).where(eq(billingEvents.storeKey, id))).toHaveLength(1);
    expect(await snapshotsOf(user.userId)).toEqual(snapshotsBefore);
  });

  test('processing the same event twice (a retried job) changes nothing', async () => {
    const user = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    expect((await post(notification('SUBSCRIBED', 'INITIAL_BUY', tx(id, { appAccountToken: user.userId })))).statusCode).toBe(200);
    const [event] = await ctx.infra.database.db.select().from(billingEvents).where(eq(billingEvents.storeKey, id));
    expect(await billing.processEvent(event!.id)).toBe('processed');
    expect(await billing.processEvent(event!.id)).toBe('processed');
    await drain();
    expect(await snapshotsOf(user.userId)).toHaveLength(1);
  });

  test('a notification for a user the server does not know yet is kept and linked when the app submits the purchase', async () => {
    const user = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    const spec = tx(id);
    await deliver(notification('SUBSCRIBED', 'INITIAL_BUY', spec));
    expect((await rowsFor(id))[0]?.userId).toBeNull();
    expect((await entitlementsOf(user)).plan).toBe('free');
    // The app's copy is older than the notification's state, but it proves whose purchase it is.
    const res = await submit(user, { signedTransaction: signedTx(spec) });
    expect(res.statusCode, res.body).toBe(200);
    expect((await entitlementsOf(user)).plan).toBe('prism');
    expect((await rowsFor(id))[0]?.userId).toBe(user.userId);
  });
});

// ---------------------------------------------------------------- client-submitted purchases

describe('POST /v1/billing/apple/transactions', () => {
  test('unlocks the plan and its quotas within the request', async () => {
    const user = await registerUser(ctx.app);
    const entitlements = createEntitlementsService({
      repo: createEntitlementsRepo(ctx.infra.database.db),
      cache: ctx.infra.cache,
      now,
      audit: createAuditService({ db: ctx.infra.database.db }),
    });
    for (let i = 0; i < 5; i++) await entitlements.reserve(user.userId, 'turns', 'UTC');
    await expect(entitlements.reserve(user.userId, 'turns', 'UTC')).rejects.toMatchObject({ status: 429 });

    const spec = tx(newOriginalTransactionId(), { appAccountToken: user.userId });
    const res = await submit(user, { signedTransaction: signedTx(spec), signedRenewalInfo: signedRenewal(spec) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as PurchaseResult;
    expect(body.subscription).toMatchObject({ store: 'app_store', productId: PRISM, plan: 'prism', status: 'active', willRenew: true, environment: 'Sandbox' });
    expect(body.entitlements).toMatchObject({ plan: 'prism', source: 'app_store' });
    expect(body.entitlements.quotas.find((q) => q.feature === 'turns')).toMatchObject({ used: 5, limit: 30 });
    // Quotas read the plan per request: the sixth turn of the day is now allowed.
    await expect(entitlements.reserve(user.userId, 'turns', 'UTC')).resolves.toBeTruthy();
  });

  test('submitting the same transaction again (restore) is harmless', async () => {
    const user = await registerUser(ctx.app);
    const spec = tx(newOriginalTransactionId(), { appAccountToken: user.userId });
    const body = { signedTransaction: signedTx(spec) };
    expect((await submit(user, body)).statusCode).toBe(200);
    const again = await submit(user, body);
    expect(again.statusCode).toBe(200);
    expect((again.json() as PurchaseResult).entitlements.plan).toBe('prism');
    expect(await snapshotsOf(user.userId)).toHaveLength(1);
  });

  test("another user's purchase (appAccountToken) is a 404 and changes nothing", async () => {
    const alice = await registerUser(ctx.app);
    const bob = await registerUser(ctx.app);
    const spec = tx(newOriginalTransactionId(), { appAccountToken: alice.userId });
    expect((await submit(alice, { signedTransaction: signedTx(spec) })).statusCode).toBe(200);
    await expectForeignOwnedNotFound(ctx.app, {
      method: 'POST',
      url: '/v1/billing/apple/transactions',
      payload: { signedTransaction: signedTx(spec) },
      otherUser: { auth: await authOf(bob) },
      unchanged: async () => [await entitlementsOf(alice), await entitlementsOf(bob), await rowsFor(spec.originalTransactionId)],
    });
    expect((await entitlementsOf(bob)).plan).toBe('free');
  });

  test('a purchase linked to another account is a 404 even without an account token', async () => {
    const alice = await registerUser(ctx.app);
    const bob = await registerUser(ctx.app);
    const spec = tx(newOriginalTransactionId());
    expect((await submit(alice, { signedTransaction: signedTx(spec) })).statusCode).toBe(200);
    await expectForeignOwnedNotFound(ctx.app, {
      method: 'POST',
      url: '/v1/billing/apple/transactions',
      payload: { signedTransaction: signedTx(spec) },
      otherUser: { auth: await authOf(bob) },
      unchanged: () => rowsFor(spec.originalTransactionId),
    });
  });

  test('an account token that is not a user id is a 404', async () => {
    const user = await registerUser(ctx.app);
    const spec = tx(newOriginalTransactionId(), { appAccountToken: 'f'.repeat(12) });
    const res = await submit(user, { signedTransaction: signedTx(spec) });
    expect(res.statusCode).toBe(404);
    expect(await rowsFor(spec.originalTransactionId)).toHaveLength(0);
  });

  test.each<[string, () => Record<string, unknown>, number, string]>([
    ['an unknown product', () => ({ signedTransaction: signedTx(tx(newOriginalTransactionId(), { productId: 'app.kalei.coins' })) }), 400, 'validation_failed'],
    ['not a JWS', () => ({ signedTransaction: 'this is not a jws at all' }), 400, 'validation_failed'],
    ['a JWS whose payload is not JSON', () => ({ signedTransaction: 'eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln' }), 400, 'bad_request'],
    ['an unknown field', () => ({ signedTransaction: signedTx(tx(newOriginalTransactionId())), extra: true }), 400, 'validation_failed'],
    ['unsigned', () => ({ signedTransaction: unsignedAppleJws(chain, transactionPayload(APP, tx(newOriginalTransactionId()))) }), 403, 'forbidden'],
    ['tampered', () => ({ signedTransaction: tamperJws(signedTx(tx(newOriginalTransactionId())), (p) => ({ ...p, productId: PRISM_PLUS })) }), 403, 'forbidden'],
    ['signed by another CA', () => ({ signedTransaction: signedTx(tx(newOriginalTransactionId()), createAppleChain({ label: 'Other' })) }), 403, 'forbidden'],
    ['another app', () => ({ signedTransaction: signedTx(tx(newOriginalTransactionId(), { bundleId: 'com.example.other' })) }), 403, 'forbidden'],
    ['a refused environment', () => ({ signedTransaction: signedTx(tx(newOriginalTransactionId(), { environment: 'Production' })) }), 403, 'forbidden'],
    ['Xcode (unsigned by Apple) is never accepted', () => ({ signedTransaction: signedTx(tx(newOriginalTransactionId(), { environment: 'Xcode' })) }), 403, 'forbidden'],
    [
      'renewal info of another subscription',
      () => {
        const spec = tx(newOriginalTransactionId());
        return { signedTransaction: signedTx(spec), signedRenewalInfo: signedRenewal({ ...spec, originalTransactionId: '1' }) };
      },
      400,
      'bad_request',
    ],
  ])('refuses %s', async (_name, body, status, code) => {
    const user = await registerUser(ctx.app);
    const res = await submit(user, body());
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status, code });
    expect((await entitlementsOf(user)).plan).toBe('free');
    expect(await snapshotsOf(user.userId)).toHaveLength(0);
  });

  test('needs a signed-in user', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/billing/apple/transactions', payload: { signedTransaction: signedTx(tx('1')) } });
    expect(res.statusCode).toBe(401);
  });
});

// ---------------------------------------------------------------- bad notifications

describe('POST /v1/billing/webhooks/apple refuses bad input and changes nothing', () => {
  test.each<[string, () => unknown, number, string]>([
    ['a body without signedPayload', () => undefined, 400, 'validation_failed'],
    ['a signedPayload that is not a JWS', () => 'garbage', 400, 'bad_request'],
    ['unsigned', () => unsignedAppleJws(chain, notificationPayload(APP, { notificationType: 'SUBSCRIBED', signedDate: now() })), 403, 'forbidden'],
    ['tampered', () => tamperJws(notification('SUBSCRIBED', 'INITIAL_BUY', tx(newOriginalTransactionId())), (p) => ({ ...p, notificationType: 'DID_RENEW' })), 403, 'forbidden'],
    [
      'a tampered transaction inside a valid notification',
      () =>
        signAppleJws(
          chain,
          notificationPayload(APP, {
            notificationType: 'SUBSCRIBED',
            signedDate: now(),
            signedTransactionInfo: tamperJws(signedTx(tx(newOriginalTransactionId())), (p) => ({ ...p, expiresDate: Date.now() + 1e12 })),
          }),
        ),
      403,
      'forbidden',
    ],
    ['signed by another CA', () => notification('SUBSCRIBED', 'INITIAL_BUY', tx(newOriginalTransactionId()), {}, { signer: createAppleChain({ label: 'Other' }) }), 403, 'forbidden'],
    ['signed by a chain without Apple’s marker extensions', () => notification('SUBSCRIBED', 'INITIAL_BUY', tx(newOriginalTransactionId()), {}, { signer: createAppleChain({ appleOids: false }) }), 403, 'forbidden'],
    ['without its certificate chain', () => {
      const jws = notification('SUBSCRIBED', 'INITIAL_BUY', tx(newOriginalTransactionId()));
      const [, payload, signature] = jws.split('.');
      return `${Buffer.from(JSON.stringify({ alg: 'ES256' })).toString('base64url')}.${payload}.${signature}`;
    }, 403, 'forbidden'],
    ['another bundle id', () => signAppleJws(chain, notificationPayload(APP, { notificationType: 'SUBSCRIBED', signedDate: now(), bundleId: 'com.example.other' })), 403, 'forbidden'],
    ['a refused environment (Production here)', () => signAppleJws(chain, notificationPayload(APP, { notificationType: 'SUBSCRIBED', signedDate: now(), environment: 'Production' })), 403, 'forbidden'],
    ['the Xcode environment', () => signAppleJws(chain, notificationPayload(APP, { notificationType: 'SUBSCRIBED', signedDate: now(), environment: 'Xcode' })), 403, 'forbidden'],
  ])('%s', async (_name, payload, status, code) => {
    const eventsBefore = await ctx.infra.database.db.select().from(billingEvents);
    const subsBefore = await ctx.infra.database.db.select().from(subscriptions);
    const value = payload();
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/billing/webhooks/apple', payload: value === undefined ? {} : { signedPayload: value } });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toMatchObject({ status, code });
    expect(await ctx.infra.database.db.select().from(billingEvents)).toHaveLength(eventsBefore.length);
    expect(await ctx.infra.database.db.select().from(subscriptions)).toEqual(subsBefore);
  });

  test('an unknown product is recorded and ignored (200), so Apple stops retrying', async () => {
    const user = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    const res = await post(notification('SUBSCRIBED', 'INITIAL_BUY', tx(id, { productId: 'app.kalei.coins', appAccountToken: user.userId })));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ignored', reason: 'unknown product app.kalei.coins' });
    expect(await drain()).toBe(0);
    const [event] = await ctx.infra.database.db.select().from(billingEvents).where(eq(billingEvents.storeKey, id));
    expect(event).toMatchObject({ status: 'ignored', notificationType: 'SUBSCRIBED', error: 'unknown product app.kalei.coins' });
    expect((await entitlementsOf(user)).plan).toBe('free');
  });

  test('a TEST notification and informational types are recorded and ignored', async () => {
    const test = await post(signAppleJws(chain, notificationPayload(APP, { notificationType: 'TEST', signedDate: now() })));
    expect(test.json()).toMatchObject({ status: 'ignored' });
    const user = await registerUser(ctx.app);
    const price = await post(notification('PRICE_INCREASE', 'PENDING', tx(newOriginalTransactionId(), { appAccountToken: user.userId })));
    expect(price.json()).toEqual({ status: 'ignored', reason: 'PRICE_INCREASE does not change access' });
    expect(await drain()).toBe(0);
    expect((await entitlementsOf(user)).plan).toBe('free');
  });
});

// ---------------------------------------------------------------- reconciliation

describe('reconciliation', () => {
  test('a lost EXPIRED notification: the nightly job reads Apple and ends access', async () => {
    const user = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    const spec = tx(id, { appAccountToken: user.userId, expiresDate: later(DAY) });
    await deliver(notification('SUBSCRIBED', 'INITIAL_BUY', spec));
    ctx.clock.advance(DAY + 60_000);
    appStoreApi.setStatus(id, { status: 2, signedTransactionInfo: signedTx({ ...spec, signedDate: now() }), signedRenewalInfo: signedRenewal(spec, { autoRenewStatus: 0, expirationIntent: 1 }) });
    expect((await billing.reconcile()).queued).toBeGreaterThan(0);
    await drain();
    expect((await rowsFor(id))[0]?.status).toBe('expired');
    const snapshots = await snapshotsOf(user.userId);
    expect(snapshots.at(-1)).toMatchObject({ plan: 'free', reason: 'reconciliation: app_store' });
    expect(appStoreApi.requests).toContain(`GET /inApps/v1/subscriptions/${id}`);
  });

  test('a lost DID_RENEW: the nightly job keeps the user entitled', async () => {
    const user = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    const spec = tx(id, { appAccountToken: user.userId, expiresDate: later(DAY) });
    await deliver(notification('SUBSCRIBED', 'INITIAL_BUY', spec));
    ctx.clock.advance(DAY - 60_000);
    const renewed = tx(id, { appAccountToken: user.userId, purchaseDate: later(60_000), expiresDate: later(31 * DAY), transactionReason: 'RENEWAL' });
    appStoreApi.setStatus(id, { status: 1, signedTransactionInfo: signedTx(renewed), signedRenewalInfo: signedRenewal(renewed) });
    await billing.reconcile();
    await drain();
    ctx.clock.advance(2 * 60_000);
    expect(await entitlementsOf(user)).toMatchObject({ plan: 'prism', expiresAt: renewed.expiresDate.toISOString() });
  });

  test('a subscription Apple does not know lapses locally', async () => {
    const user = await registerUser(ctx.app);
    const id = newOriginalTransactionId();
    await deliver(notification('SUBSCRIBED', 'INITIAL_BUY', tx(id, { appAccountToken: user.userId, expiresDate: later(DAY) })));
    ctx.clock.advance(DAY + 60_000);
    await billing.reconcile();
    await drain();
    expect((await rowsFor(id))[0]?.status).toBe('expired');
    expect((await snapshotsOf(user.userId)).at(-1)?.plan).toBe('free');
  });
});

// ---------------------------------------------------------------- the real worker

describe('pg-boss workers (the job registry the worker runs)', () => {
  test('a webhook event is processed by the registered worker, and the nightly schedule is set', async () => {
    const user = await registerUser(ctx.app);
    const runner = createJobRunner({
      boss: ctx.infra.boss,
      definitions: buildJobDefinitions(ctx.infra, silentLog).filter((definition) => definition.name.startsWith('billing-')),
      logger: silentLog,
      pollingIntervalSeconds: 0.5,
    });
    await runner.prepare({ schedules: true });
    await runner.start();
    try {
      const id = newOriginalTransactionId();
      const res = await post(notification('SUBSCRIBED', 'INITIAL_BUY', tx(id, { appAccountToken: user.userId })));
      expect(res.json().status).toBe('accepted');
      const deadline = Date.now() + 20_000;
      while ((await entitlementsOf(user)).plan !== 'prism' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await entitlementsOf(user)).plan).toBe('prism');
      const schedules = await ctx.infra.boss.getSchedules();
      expect(schedules.find((s) => s.name === BILLING_QUEUES.reconcile)?.cron).toBe(ctx.infra.config.BILLING_RECONCILE_CRON);
    } finally {
      await runner.stop();
    }
  });
});
