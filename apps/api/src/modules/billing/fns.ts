import { createHash } from 'node:crypto';
import { higherPlan } from '@kalei/contracts/plans';
import type { Store, SubscriptionStatus } from '@kalei/contracts/billing';
import type { Config } from '../../config.js';

/**
 * Pure billing rules: the product catalogue, and the derivation store state → subscription row.
 * The row's `status` describes the store state *as of* `stateAt`; whether it grants access now is
 * decided by entitlements' `resolvePlan`, which also checks `expiresAt` / `graceExpiresAt`.
 */

export type CatalogueEntry = Config['BILLING_PRODUCTS'][number];
export type PaidPlan = CatalogueEntry['plan'];

export interface Catalogue {
  /** The entry for a store product; for Google Play an exact base-plan entry wins over a product-wide one. */
  find(store: Store, productId: string, basePlanId?: string | null): CatalogueEntry | undefined;
  readonly size: number;
  /** Every entry, in configured order. */
  readonly entries: readonly CatalogueEntry[];
}

/** Indexes the configured catalogue. */
export function createCatalogue(entries: readonly CatalogueEntry[]): Catalogue {
  const byKey = new Map(entries.map((entry) => [`${entry.store}|${entry.productId}|${entry.basePlanId ?? ''}`, entry]));
  return {
    size: entries.length,
    entries,
    find(store, productId, basePlanId) {
      if (basePlanId) {
        const exact = byKey.get(`${store}|${productId}|${basePlanId}`);
        if (exact) return exact;
      }
      return byKey.get(`${store}|${productId}|`);
    },
  };
}

/** A subscription row as derived from one store state. */
export interface DerivedSubscription {
  store: Store;
  /** originalTransactionId (App Store) or purchaseToken (Google Play). */
  storeKey: string;
  linkedStoreKey: string | null;
  productId: string;
  plan: PaidPlan;
  status: SubscriptionStatus;
  environment: string;
  expiresAt: Date | null;
  graceExpiresAt: Date | null;
  willRenew: boolean;
  autoRenewProductId: string | null;
  /** The time of the store state: a row is only ever replaced by a state at least as new. */
  stateAt: Date;
  storeState: Record<string, unknown>;
  /** The account the store data names (appAccountToken / obfuscatedExternalAccountId), when it is a UUID. */
  accountId: string | null;
  /** Whether the store data names an account at all (a non-UUID value still counts: it is not ours to claim). */
  namesAccount: boolean;
}

export type DeriveResult = { kind: 'subscription'; row: DerivedSubscription } | { kind: 'unknown_product'; productId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A store-supplied account reference, if it can be one of our user ids. */
export function accountIdOf(value: string | null | undefined): string | null {
  return value && UUID.test(value) ? value.toLowerCase() : null;
}

const dateOf = (millis: number | undefined | null): Date | null =>
  typeof millis === 'number' && Number.isFinite(millis) ? new Date(millis) : null;

// ---------------------------------------------------------------- App Store

/** The fields of a verified JWSTransaction that decide access. */
export interface AppleTransaction {
  originalTransactionId?: string;
  transactionId?: string;
  productId?: string;
  expiresDate?: number;
  purchaseDate?: number;
  revocationDate?: number;
  revocationReason?: number;
  appAccountToken?: string;
  inAppOwnershipType?: string;
  environment?: string;
  signedDate?: number;
  type?: string;
}

/** The fields of a verified JWSRenewalInfo that decide access. */
export interface AppleRenewalInfo {
  autoRenewStatus?: number;
  autoRenewProductId?: string;
  isInBillingRetryPeriod?: boolean;
  gracePeriodExpiresDate?: number;
  expirationIntent?: number;
  signedDate?: number;
}

/** App Store notification types that can change access; every other type is recorded and ignored. */
export const appleStateChangingTypes: ReadonlySet<string> = new Set([
  'SUBSCRIBED',
  'DID_RENEW',
  'DID_FAIL_TO_RENEW',
  'GRACE_PERIOD_EXPIRED',
  'EXPIRED',
  'DID_CHANGE_RENEWAL_STATUS',
  'DID_CHANGE_RENEWAL_PREF',
  'OFFER_REDEEMED',
  'RENEWAL_EXTENDED',
  'REFUND',
  'REFUND_REVERSED',
  'REVOKE',
]);

/** The latest signing time among the parts of one App Store state. */
export function appleStateAt(...signedDates: (number | undefined)[]): Date | null {
  const known = signedDates.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  return known.length > 0 ? new Date(Math.max(...known)) : null;
}

/**
 * App Store state → subscription row. Access follows the transaction (an upgrade's transaction
 * carries the new product at once; a downgrade only changes `autoRenewProductId` until the
 * renewal) and the renewal info (billing retry, grace, auto-renew). Without renewal info (a
 * transaction the app sent on its own) an unexpired subscription is assumed to renew.
 */
export function deriveAppleSubscription(input: {
  transaction: AppleTransaction;
  renewal: AppleRenewalInfo | null;
  stateAt: Date;
  catalogue: Catalogue;
}): DeriveResult {
  const { transaction, renewal, stateAt, catalogue } = input;
  const productId = transaction.productId ?? '';
  const entry = catalogue.find('app_store', productId);
  if (!entry || !transaction.originalTransactionId) return { kind: 'unknown_product', productId };

  const expiresAt = dateOf(transaction.expiresDate);
  const inRetry = renewal?.isInBillingRetryPeriod === true;
  const graceEnd = inRetry ? dateOf(renewal?.gracePeriodExpiresDate) : null;
  const revoked = transaction.revocationDate !== undefined;
  const unexpired = expiresAt !== null && expiresAt > stateAt;
  const willRenew = revoked ? false : renewal ? renewal.autoRenewStatus === 1 : unexpired;

  let status: SubscriptionStatus;
  if (revoked) status = transaction.inAppOwnershipType === 'FAMILY_SHARED' ? 'revoked' : 'refunded';
  else if (unexpired) status = willRenew ? 'active' : 'canceled';
  else if (inRetry && graceEnd && graceEnd > stateAt) status = 'grace';
  else if (inRetry) status = 'billing_retry';
  else status = 'expired';

  const accountId = accountIdOf(transaction.appAccountToken);
  return {
    kind: 'subscription',
    row: {
      store: 'app_store',
      storeKey: transaction.originalTransactionId,
      linkedStoreKey: null,
      productId,
      plan: entry.plan,
      status,
      environment: transaction.environment ?? 'unknown',
      expiresAt,
      graceExpiresAt: graceEnd,
      willRenew,
      autoRenewProductId: renewal?.autoRenewProductId ?? (willRenew ? productId : null),
      stateAt,
      storeState: {
        transactionId: transaction.transactionId ?? null,
        type: transaction.type ?? null,
        inAppOwnershipType: transaction.inAppOwnershipType ?? null,
        purchaseDate: transaction.purchaseDate ?? null,
        revocationDate: transaction.revocationDate ?? null,
        revocationReason: transaction.revocationReason ?? null,
        autoRenewStatus: renewal?.autoRenewStatus ?? null,
        isInBillingRetryPeriod: renewal?.isInBillingRetryPeriod ?? null,
        expirationIntent: renewal?.expirationIntent ?? null,
      },
      accountId,
      namesAccount: Boolean(transaction.appAccountToken),
    },
  };
}

// ---------------------------------------------------------------- Google Play

/** The parts of `purchases.subscriptionsv2.get` (SubscriptionPurchaseV2) that decide access. */
export interface GooglePurchase {
  subscriptionState?: string | null;
  latestOrderId?: string | null;
  linkedPurchaseToken?: string | null;
  acknowledgementState?: string | null;
  testPurchase?: object | null;
  startTime?: string | null;
  externalAccountIdentifiers?: { obfuscatedExternalAccountId?: string | null } | null;
  lineItems?:
    | {
        productId?: string | null;
        expiryTime?: string | null;
        latestSuccessfulOrderId?: string | null;
        autoRenewingPlan?: { autoRenewEnabled?: boolean | null } | null;
        offerDetails?: { basePlanId?: string | null } | null;
        deferredItemReplacement?: { productId?: string | null } | null;
      }[]
    | null;
}

const googleStatuses: Record<string, SubscriptionStatus> = {
  SUBSCRIPTION_STATE_ACTIVE: 'active',
  SUBSCRIPTION_STATE_IN_GRACE_PERIOD: 'grace',
  SUBSCRIPTION_STATE_CANCELED: 'canceled',
  SUBSCRIPTION_STATE_ON_HOLD: 'on_hold',
  SUBSCRIPTION_STATE_PAUSED: 'paused',
  SUBSCRIPTION_STATE_EXPIRED: 'expired',
  SUBSCRIPTION_STATE_PENDING: 'pending',
  SUBSCRIPTION_STATE_PENDING_PURCHASE_CANCELED: 'expired',
};

/**
 * How long access lasts past the last read while Google says IN_GRACE_PERIOD: Play reports no
 * separate grace end, so access is kept at least this long and the nightly job reads it again.
 */
export const GOOGLE_GRACE_FLOOR_MS = 24 * 60 * 60 * 1000;

/**
 * Google Play state → subscription row. Play's answer is read at `stateAt` and is authoritative
 * as of then. A purchase whose latest order was voided (refund, chargeback) is `refunded` even
 * while Play still calls it active.
 */
export function deriveGoogleSubscription(input: {
  purchaseToken: string;
  purchase: GooglePurchase;
  stateAt: Date;
  catalogue: Catalogue;
  voidedOrderIds: readonly string[];
}): DeriveResult {
  const { purchase, stateAt, catalogue } = input;
  const items = (purchase.lineItems ?? []).flatMap((item) => {
    const entry = item.productId ? catalogue.find('play', item.productId, item.offerDetails?.basePlanId) : undefined;
    return entry ? [{ item, entry }] : [];
  });
  if (items.length === 0) return { kind: 'unknown_product', productId: purchase.lineItems?.[0]?.productId ?? '' };
  // Several line items (add-ons): the highest plan counts, then the longest.
  const chosen = items.reduce((best, candidate) => {
    if (candidate.entry.plan !== best.entry.plan) return higherPlan(candidate.entry.plan, best.entry.plan) === candidate.entry.plan ? candidate : best;
    return Date.parse(candidate.item.expiryTime ?? '') > Date.parse(best.item.expiryTime ?? '') ? candidate : best;
  });
  const { item, entry } = chosen;

  const voided = new Set(input.voidedOrderIds);
  const orderIds = [purchase.latestOrderId, item.latestSuccessfulOrderId].filter((id): id is string => Boolean(id));
  const expiresAt = item.expiryTime ? new Date(item.expiryTime) : null;
  let status: SubscriptionStatus = googleStatuses[purchase.subscriptionState ?? ''] ?? 'unknown';
  if (orderIds.some((id) => voided.has(id))) status = 'refunded';
  const willRenew = (status === 'active' || status === 'grace') && item.autoRenewingPlan?.autoRenewEnabled === true;
  const graceExpiresAt =
    status === 'grace' ? new Date(Math.max(expiresAt?.getTime() ?? 0, stateAt.getTime() + GOOGLE_GRACE_FLOOR_MS)) : null;
  const deferred = item.deferredItemReplacement?.productId ?? null;
  const accountRef = purchase.externalAccountIdentifiers?.obfuscatedExternalAccountId ?? null;

  return {
    kind: 'subscription',
    row: {
      store: 'play',
      storeKey: input.purchaseToken,
      linkedStoreKey: purchase.linkedPurchaseToken ?? null,
      productId: item.productId ?? '',
      plan: entry.plan,
      status,
      environment: purchase.testPurchase ? 'test' : 'production',
      expiresAt,
      graceExpiresAt,
      willRenew,
      autoRenewProductId: deferred ?? (willRenew ? (item.productId ?? null) : null),
      stateAt,
      storeState: {
        subscriptionState: purchase.subscriptionState ?? null,
        latestOrderId: purchase.latestOrderId ?? null,
        acknowledgementState: purchase.acknowledgementState ?? null,
        basePlanId: item.offerDetails?.basePlanId ?? null,
        testPurchase: Boolean(purchase.testPurchase),
        voidedOrderIds: [...voided],
      },
      accountId: accountIdOf(accountRef),
      namesAccount: Boolean(accountRef),
    },
  };
}

/** Whether Play still waits for our acknowledgement (unacknowledged purchases are refunded after 3 days). */
export function needsAcknowledgement(purchase: GooglePurchase): boolean {
  return (
    purchase.acknowledgementState === 'ACKNOWLEDGEMENT_STATE_PENDING' &&
    (purchase.subscriptionState === 'SUBSCRIPTION_STATE_ACTIVE' || purchase.subscriptionState === 'SUBSCRIPTION_STATE_IN_GRACE_PERIOD')
  );
}

/** Google Play real-time developer notification subscription types (for event records and reasons). */
export const googleNotificationTypes: Record<number, string> = {
  1: 'SUBSCRIPTION_RECOVERED',
  2: 'SUBSCRIPTION_RENEWED',
  3: 'SUBSCRIPTION_CANCELED',
  4: 'SUBSCRIPTION_PURCHASED',
  5: 'SUBSCRIPTION_ON_HOLD',
  6: 'SUBSCRIPTION_IN_GRACE_PERIOD',
  7: 'SUBSCRIPTION_RESTARTED',
  8: 'SUBSCRIPTION_PRICE_CHANGE_CONFIRMED',
  9: 'SUBSCRIPTION_DEFERRED',
  10: 'SUBSCRIPTION_PAUSED',
  11: 'SUBSCRIPTION_PAUSE_SCHEDULE_CHANGED',
  12: 'SUBSCRIPTION_REVOKED',
  13: 'SUBSCRIPTION_EXPIRED',
  17: 'SUBSCRIPTION_ITEMS_CHANGED',
  18: 'SUBSCRIPTION_CANCELLATION_SCHEDULED',
  19: 'SUBSCRIPTION_PRICE_CHANGE_UPDATED',
  20: 'SUBSCRIPTION_PENDING_PURCHASE_CANCELED',
  22: 'SUBSCRIPTION_PRICE_STEP_UP_CONSENT_UPDATED',
};

// ---------------------------------------------------------------- applying a derived state

/** The stored row a new state is compared with. */
export interface StoredSubscription {
  id: string;
  userId: string | null;
  status: string;
  expiresAt: Date | null;
  stateAt: Date;
  storeState: unknown;
}

/**
 * Whether a derived state may replace the stored one. Older states never overwrite newer ones
 * (out-of-order delivery ends in the newest state). A refund of an earlier billing period
 * (its expiry is before the stored period's) does not end the current period.
 */
export function shouldApply(stored: StoredSubscription | null, next: DerivedSubscription): { apply: boolean; reason?: string } {
  if (!stored) return { apply: true };
  if (next.stateAt < stored.stateAt) return { apply: false, reason: 'stale: a newer store state is already applied' };
  if (
    (next.status === 'refunded' || next.status === 'revoked') &&
    next.store === 'app_store' &&
    next.expiresAt &&
    stored.expiresAt &&
    next.expiresAt < stored.expiresAt &&
    stored.status !== 'refunded' &&
    stored.status !== 'revoked'
  ) {
    return { apply: false, reason: 'refund of an earlier billing period; the current period stands' };
  }
  return { apply: true };
}

/** Voided order ids already recorded on a stored Google Play row. */
export function voidedOrderIdsOf(storeState: unknown): string[] {
  const ids = (storeState as { voidedOrderIds?: unknown } | null)?.voidedOrderIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * What a status means for access at `now` (a row says `active` until something re-reads it,
 * even after its expiry passed).
 */
export function effectiveStatus(row: { status: string; expiresAt: Date | null; graceExpiresAt: Date | null }, now: Date): SubscriptionStatus {
  const status = row.status as SubscriptionStatus;
  if ((status === 'active' || status === 'canceled') && row.expiresAt && row.expiresAt <= now) return 'expired';
  if (status === 'grace' && (row.graceExpiresAt ?? row.expiresAt ?? now) <= now) return 'billing_retry';
  return status;
}

/**
 * Local re-derivation for a subscription whose store cannot be asked (no App Store Server API
 * key): a lapsed period or grace becomes what it means.
 */
export function lapseLocally(row: { status: string; expiresAt: Date | null; graceExpiresAt: Date | null }, now: Date): SubscriptionStatus | null {
  const next = effectiveStatus(row, now);
  return next === row.status ? null : next;
}

/** Statuses the reconciliation job re-reads regardless of expiry: the store may move them any day. */
export const unsettledStatuses: readonly SubscriptionStatus[] = ['grace', 'billing_retry', 'on_hold', 'paused', 'pending'];

/** A short, stable, non-reversible label for a purchase token or signed blob in logs and event ids. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}
