import { describe, expect, test } from 'vitest';
import {
  accountIdOf,
  appleStateAt,
  createCatalogue,
  deriveAppleSubscription,
  deriveGoogleSubscription,
  effectiveStatus,
  GOOGLE_GRACE_FLOOR_MS,
  lapseLocally,
  needsAcknowledgement,
  shouldApply,
  voidedOrderIdsOf,
  type AppleRenewalInfo,
  type AppleTransaction,
  type DerivedSubscription,
  type GooglePurchase,
  type StoredSubscription,
} from './fns.js';

const catalogue = createCatalogue([
  { store: 'app_store', productId: 'app.kalei.prism.monthly', plan: 'prism', period: 'P1M' },
  { store: 'app_store', productId: 'app.kalei.prismplus.monthly', plan: 'prism_plus', period: 'P1M' },
  { store: 'play', productId: 'prism', plan: 'prism', period: 'P1M' },
  { store: 'play', productId: 'prism', basePlanId: 'yearly', plan: 'prism', period: 'P1Y' },
  { store: 'play', productId: 'prism_plus', plan: 'prism_plus', period: 'P1M' },
]);

const at = new Date('2026-11-25T12:00:00Z');
const hours = (n: number) => new Date(at.getTime() + n * 3_600_000);
const user = '7b7f0c3e-2a4e-4d7b-9f57-1d2a8e0c4b11';

describe('catalogue', () => {
  test.each<[string, 'app_store' | 'play', string, string | null, string | undefined]>([
    ['an App Store product', 'app_store', 'app.kalei.prism.monthly', null, 'P1M'],
    ['a Play base plan with its own entry', 'play', 'prism', 'yearly', 'P1Y'],
    ['a Play base plan without one falls back to the product', 'play', 'prism', 'monthly', 'P1M'],
    ['stores are separate', 'play', 'app.kalei.prism.monthly', null, undefined],
    ['an unknown product', 'app_store', 'app.kalei.lifetime', null, undefined],
  ])('%s', (_name, store, productId, basePlanId, period) => {
    expect(catalogue.find(store, productId, basePlanId)?.period).toBe(period);
  });
});

describe('deriveAppleSubscription', () => {
  const tx = (over: Partial<AppleTransaction> = {}): AppleTransaction => ({
    originalTransactionId: '2000000100',
    transactionId: '2000000101',
    productId: 'app.kalei.prism.monthly',
    purchaseDate: hours(-24).getTime(),
    expiresDate: hours(24 * 29).getTime(),
    environment: 'Sandbox',
    signedDate: at.getTime(),
    appAccountToken: user,
    ...over,
  });
  const renewal = (over: Partial<AppleRenewalInfo> = {}): AppleRenewalInfo => ({ autoRenewStatus: 1, autoRenewProductId: 'app.kalei.prism.monthly', ...over });

  test.each<[string, AppleTransaction, AppleRenewalInfo | null, Partial<DerivedSubscription>]>([
    ['a new purchase renews', tx(), renewal(), { status: 'active', willRenew: true, plan: 'prism', graceExpiresAt: null }],
    ['auto-renew turned off: paid until expiry', tx(), renewal({ autoRenewStatus: 0 }), { status: 'canceled', willRenew: false }],
    ['an ended period with no retry is expired', tx({ expiresDate: hours(-1).getTime() }), renewal({ autoRenewStatus: 0, expirationIntent: 1 }), { status: 'expired' }],
    [
      'billing retry inside the grace period',
      tx({ expiresDate: hours(-1).getTime() }),
      renewal({ isInBillingRetryPeriod: true, gracePeriodExpiresDate: hours(24 * 16).getTime() }),
      { status: 'grace', graceExpiresAt: hours(24 * 16), willRenew: true },
    ],
    [
      'billing retry after the grace period',
      tx({ expiresDate: hours(-24 * 20).getTime() }),
      renewal({ isInBillingRetryPeriod: true, gracePeriodExpiresDate: hours(-24 * 4).getTime() }),
      { status: 'billing_retry' },
    ],
    ['billing retry without grace', tx({ expiresDate: hours(-1).getTime() }), renewal({ isInBillingRetryPeriod: true }), { status: 'billing_retry', graceExpiresAt: null }],
    ['a refunded transaction', tx({ revocationDate: hours(-1).getTime(), revocationReason: 0 }), renewal(), { status: 'refunded', willRenew: false }],
    [
      'a family-shared purchase the purchaser stopped sharing',
      tx({ revocationDate: hours(-1).getTime(), inAppOwnershipType: 'FAMILY_SHARED' }),
      renewal(),
      { status: 'revoked' },
    ],
    ['a transaction alone (sent by the app) is assumed to renew', tx(), null, { status: 'active', willRenew: true, autoRenewProductId: 'app.kalei.prism.monthly' }],
    [
      'a downgrade waits for the renewal',
      tx({ productId: 'app.kalei.prismplus.monthly' }),
      renewal({ autoRenewProductId: 'app.kalei.prism.monthly' }),
      { plan: 'prism_plus', autoRenewProductId: 'app.kalei.prism.monthly' },
    ],
    ['an upgrade takes effect with its transaction', tx({ productId: 'app.kalei.prismplus.monthly' }), renewal({ autoRenewProductId: 'app.kalei.prismplus.monthly' }), { plan: 'prism_plus', status: 'active' }],
    ['the account token links the user', tx(), renewal(), { accountId: user, namesAccount: true, storeKey: '2000000100' }],
    ['a token that is not a user id links nobody', tx({ appAccountToken: 'not-a-uuid' }), renewal(), { accountId: null, namesAccount: true }],
    ['no token', tx({ appAccountToken: undefined }), renewal(), { accountId: null, namesAccount: false }],
  ])('%s', (_name, transaction, renewalInfo, expected) => {
    const result = deriveAppleSubscription({ transaction, renewal: renewalInfo, stateAt: at, catalogue });
    expect(result.kind).toBe('subscription');
    if (result.kind === 'subscription') expect(result.row).toMatchObject(expected);
  });

  test('an unknown product is reported, not derived', () => {
    expect(deriveAppleSubscription({ transaction: tx({ productId: 'app.kalei.coins' }), renewal: null, stateAt: at, catalogue })).toEqual({
      kind: 'unknown_product',
      productId: 'app.kalei.coins',
    });
  });

  test('the state time is the latest signing time', () => {
    expect(appleStateAt(1, undefined, 3, 2)).toEqual(new Date(3));
    expect(appleStateAt(undefined)).toBeNull();
  });
});

describe('deriveGoogleSubscription', () => {
  const purchase = (over: Partial<GooglePurchase> = {}, item: Partial<NonNullable<GooglePurchase['lineItems']>[number]> = {}): GooglePurchase => ({
    subscriptionState: 'SUBSCRIPTION_STATE_ACTIVE',
    latestOrderId: 'GPA.1111-2222-3333-44444',
    acknowledgementState: 'ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED',
    externalAccountIdentifiers: { obfuscatedExternalAccountId: user },
    lineItems: [
      {
        productId: 'prism',
        expiryTime: hours(24 * 30).toISOString(),
        autoRenewingPlan: { autoRenewEnabled: true },
        offerDetails: { basePlanId: 'monthly' },
        latestSuccessfulOrderId: 'GPA.1111-2222-3333-44444',
        ...item,
      },
    ],
    ...over,
  });
  const derive = (p: GooglePurchase, voidedOrderIds: string[] = []) =>
    deriveGoogleSubscription({ purchaseToken: 'token-1', purchase: p, stateAt: at, catalogue, voidedOrderIds });

  test.each<[string, GooglePurchase, Partial<DerivedSubscription>]>([
    ['ACTIVE grants and renews', purchase(), { status: 'active', willRenew: true, plan: 'prism', environment: 'production' }],
    ['IN_GRACE_PERIOD grants at least a day past the read', purchase({ subscriptionState: 'SUBSCRIPTION_STATE_IN_GRACE_PERIOD' }, { expiryTime: hours(-2).toISOString() }), { status: 'grace', graceExpiresAt: new Date(at.getTime() + GOOGLE_GRACE_FLOOR_MS) }],
    ['IN_GRACE_PERIOD with a later expiry keeps it', purchase({ subscriptionState: 'SUBSCRIPTION_STATE_IN_GRACE_PERIOD' }, { expiryTime: hours(72).toISOString() }), { status: 'grace', graceExpiresAt: hours(72) }],
    ['CANCELED grants until expiry', purchase({ subscriptionState: 'SUBSCRIPTION_STATE_CANCELED' }, { autoRenewingPlan: { autoRenewEnabled: false } }), { status: 'canceled', willRenew: false }],
    ['ON_HOLD denies', purchase({ subscriptionState: 'SUBSCRIPTION_STATE_ON_HOLD' }), { status: 'on_hold', willRenew: false }],
    ['PAUSED denies', purchase({ subscriptionState: 'SUBSCRIPTION_STATE_PAUSED' }), { status: 'paused' }],
    ['EXPIRED denies', purchase({ subscriptionState: 'SUBSCRIPTION_STATE_EXPIRED' }), { status: 'expired' }],
    ['PENDING denies', purchase({ subscriptionState: 'SUBSCRIPTION_STATE_PENDING' }), { status: 'pending' }],
    ['PENDING_PURCHASE_CANCELED is expired', purchase({ subscriptionState: 'SUBSCRIPTION_STATE_PENDING_PURCHASE_CANCELED' }), { status: 'expired' }],
    ['an unknown state denies', purchase({ subscriptionState: 'SUBSCRIPTION_STATE_UNSPECIFIED' }), { status: 'unknown' }],
    ['a test purchase', purchase({ testPurchase: {} }), { environment: 'test' }],
    ['a replacement names the old token', purchase({ linkedPurchaseToken: 'token-0' }), { linkedStoreKey: 'token-0' }],
    ['a deferred downgrade renews into the other product', purchase({}, { productId: 'prism_plus', deferredItemReplacement: { productId: 'prism' } }), { plan: 'prism_plus', autoRenewProductId: 'prism' }],
    ['the account id links the user', purchase(), { accountId: user, namesAccount: true }],
    ['no account id', purchase({ externalAccountIdentifiers: null }), { accountId: null, namesAccount: false }],
  ])('%s', (_name, p, expected) => {
    const result = derive(p);
    expect(result.kind).toBe('subscription');
    if (result.kind === 'subscription') expect(result.row).toMatchObject(expected);
  });

  test('a voided latest order is refunded even while Play says active', () => {
    const result = derive(purchase(), ['GPA.1111-2222-3333-44444']);
    expect(result.kind === 'subscription' && result.row.status).toBe('refunded');
    expect(result.kind === 'subscription' && result.row.storeState.voidedOrderIds).toEqual(['GPA.1111-2222-3333-44444']);
  });

  test('a voided older order does not end the current period', () => {
    const result = derive(purchase(), ['GPA.0000-older']);
    expect(result.kind === 'subscription' && result.row.status).toBe('active');
  });

  test('of several line items the highest plan counts', () => {
    const p = purchase();
    p.lineItems = [...(p.lineItems ?? []), { productId: 'prism_plus', expiryTime: hours(10).toISOString(), autoRenewingPlan: { autoRenewEnabled: true } }];
    const result = derive(p);
    expect(result.kind === 'subscription' && result.row.plan).toBe('prism_plus');
  });

  test('an unknown product is reported', () => {
    expect(derive(purchase({}, { productId: 'coins' }))).toEqual({ kind: 'unknown_product', productId: 'coins' });
  });

  test.each<[string, GooglePurchase, boolean]>([
    ['a new active purchase needs acknowledging', purchase({ acknowledgementState: 'ACKNOWLEDGEMENT_STATE_PENDING' }), true],
    ['an acknowledged one does not', purchase(), false],
    ['a pending payment is not acknowledged yet', purchase({ acknowledgementState: 'ACKNOWLEDGEMENT_STATE_PENDING', subscriptionState: 'SUBSCRIPTION_STATE_PENDING' }), false],
  ])('%s', (_name, p, expected) => {
    expect(needsAcknowledgement(p)).toBe(expected);
  });
});

describe('shouldApply', () => {
  const stored = (over: Partial<StoredSubscription> = {}): StoredSubscription => ({
    id: 's1',
    userId: user,
    status: 'active',
    expiresAt: hours(24 * 30),
    stateAt: at,
    storeState: {},
    ...over,
  });
  const next = (over: Partial<DerivedSubscription> = {}): DerivedSubscription => ({
    store: 'app_store',
    storeKey: '2000000100',
    linkedStoreKey: null,
    productId: 'app.kalei.prism.monthly',
    plan: 'prism',
    status: 'active',
    environment: 'Sandbox',
    expiresAt: hours(24 * 30),
    graceExpiresAt: null,
    willRenew: true,
    autoRenewProductId: null,
    stateAt: hours(1),
    storeState: {},
    accountId: null,
    namesAccount: false,
    ...over,
  });

  test.each<[string, StoredSubscription | null, DerivedSubscription, boolean]>([
    ['a first state', null, next(), true],
    ['a newer state', stored(), next(), true],
    ['the same state again', stored(), next({ stateAt: at }), true],
    ['an older state never overwrites a newer one', stored(), next({ stateAt: hours(-1) }), false],
    ['a refund of the current period', stored(), next({ status: 'refunded' }), true],
    ['a refund of an earlier period', stored(), next({ status: 'refunded', expiresAt: hours(-24) }), false],
    ['a refund reversal of an earlier period', stored({ status: 'refunded' }), next({ status: 'active', expiresAt: hours(-24) }), true],
    ['Google Play refunds always apply', stored(), next({ store: 'play', status: 'refunded', expiresAt: hours(-24) }), true],
  ])('%s', (_name, current, candidate, apply) => {
    expect(shouldApply(current, candidate).apply).toBe(apply);
  });
});

describe('effective status and local lapse', () => {
  const row = (status: string, expiresAt: Date | null, graceExpiresAt: Date | null = null) => ({ status, expiresAt, graceExpiresAt });
  test.each<[string, ReturnType<typeof row>, string, string | null]>([
    ['active before expiry', row('active', hours(1)), 'active', null],
    ['active after expiry', row('active', hours(-1)), 'expired', 'expired'],
    ['canceled after expiry', row('canceled', hours(-1)), 'expired', 'expired'],
    ['grace before its end', row('grace', hours(-5), hours(5)), 'grace', null],
    ['grace after its end', row('grace', hours(-50), hours(-5)), 'billing_retry', 'billing_retry'],
    ['on hold stays', row('on_hold', hours(-1)), 'on_hold', null],
  ])('%s', (_name, r, effective, lapsed) => {
    expect(effectiveStatus(r, at)).toBe(effective);
    expect(lapseLocally(r, at)).toBe(lapsed);
  });
});

describe('small helpers', () => {
  test('account ids are UUIDs only', () => {
    expect(accountIdOf(user.toUpperCase())).toBe(user);
    expect(accountIdOf('12345')).toBeNull();
    expect(accountIdOf(undefined)).toBeNull();
  });
  test('voided order ids are read defensively', () => {
    expect(voidedOrderIdsOf({ voidedOrderIds: ['a', 3, 'b'] })).toEqual(['a', 'b']);
    expect(voidedOrderIdsOf(null)).toEqual([]);
  });
});
