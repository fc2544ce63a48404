import { z } from 'zod';
import { PlanId, QuotaFeature, QuotaUsage } from './plans.js';

/**
 * Billing and entitlement contracts (§10.6): the entitlement view, client-submitted purchases
 * and the two store webhooks. The server is the entitlement authority; the stores' own signed
 * data (Apple) or API answers (Google) decide what a user has, never the app.
 */

const timestamp = z.iso.datetime({ offset: true });

export const stores = ['app_store', 'play'] as const;
export const Store = z.enum(stores);
export type Store = z.infer<typeof Store>;

/**
 * What a subscription row can say. Entitling: `active`, `canceled` (will not renew, paid until
 * expiry) and `grace` (payment failed, access kept until the grace end). Everything else denies.
 */
export const subscriptionStatuses = [
  'active',
  'canceled',
  'grace',
  'billing_retry',
  'on_hold',
  'paused',
  'pending',
  'expired',
  'refunded',
  'revoked',
  'replaced',
  'unknown',
] as const;
export const SubscriptionStatus = z.enum(subscriptionStatuses);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

/** Where the current plan comes from: nothing (free), an operator grant, or a store subscription. */
export const PlanSource = z.enum(['default', 'admin', 'app_store', 'play']);
export type PlanSource = z.infer<typeof PlanSource>;

/** What a plan unlocks, straight from the plan definitions in `plans.ts`. */
export const PlanUnlocks = z.object({
  daily: z.record(QuotaFeature, z.number().int().min(0)),
  maxActiveGoals: z.number().int().min(0),
  dailyTokenBudget: z.number().int().min(0),
  spectrum: z.boolean(),
});
export type PlanUnlocks = z.infer<typeof PlanUnlocks>;

/** GET /v1/billing/entitlements: the caller's plan now, what it unlocks and today's usage. */
export const Entitlements = z
  .object({
    plan: PlanId,
    planName: z.string(),
    source: PlanSource,
    unlocks: PlanUnlocks,
    /** Today's usage per quota feature, reset at local midnight in the profile's time zone. */
    quotas: z.array(QuotaUsage),
    /** End of the paid period (or of an operator grant); null for free and open-ended grants. */
    expiresAt: timestamp.nullable(),
    /** True while a failed renewal is being retried and access is kept. */
    inGrace: z.boolean(),
    graceExpiresAt: timestamp.nullable(),
    /** Whether the store will try to renew at `expiresAt`. */
    willRenew: z.boolean(),
    /** The store behind the plan; null for free and operator grants. */
    store: Store.nullable(),
    productId: z.string().nullable(),
    status: SubscriptionStatus.nullable(),
  })
  .meta({ id: 'Entitlements' });
export type Entitlements = z.infer<typeof Entitlements>;

/** One store subscription as the server derived it. */
export const SubscriptionSummary = z
  .object({
    store: Store,
    productId: z.string(),
    plan: PlanId,
    status: SubscriptionStatus,
    expiresAt: timestamp.nullable(),
    graceExpiresAt: timestamp.nullable(),
    willRenew: z.boolean(),
    /** The product the store will renew into (a downgrade waits for the renewal). */
    autoRenewProductId: z.string().nullable(),
    /** `Production` / `Sandbox` (App Store), `production` / `test` (Google Play). */
    environment: z.string(),
  })
  .meta({ id: 'SubscriptionSummary' });
export type SubscriptionSummary = z.infer<typeof SubscriptionSummary>;

/** Answer to a client-submitted purchase: the subscription and the entitlements it now gives. */
export const PurchaseResult = z
  .object({ subscription: SubscriptionSummary, entitlements: Entitlements })
  .meta({ id: 'PurchaseResult' });
export type PurchaseResult = z.infer<typeof PurchaseResult>;

const Jws = z
  .string()
  .min(16)
  .max(32_768)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/, 'A compact JWS: three base64url parts separated by dots.');

/**
 * POST /v1/billing/apple/transactions: StoreKit 2's `Transaction.jwsRepresentation` after a purchase
 * or restore, and optionally the subscription's `RenewalInfo.jwsRepresentation`. The app sets
 * `appAccountToken` to the user's id when it starts the purchase.
 */
export const AppleTransactionRequest = z.strictObject({
  signedTransaction: Jws,
  signedRenewalInfo: Jws.optional(),
});
export type AppleTransactionRequest = z.infer<typeof AppleTransactionRequest>;

/**
 * POST /v1/billing/google/purchases: the Play Billing `Purchase.getPurchaseToken()` of a
 * subscription. The app passes the user's id as `obfuscatedAccountId` to the billing flow.
 */
export const GooglePurchaseRequest = z.strictObject({
  purchaseToken: z.string().min(8).max(4096).regex(/^[\x21-\x7e]+$/, 'A purchase token is printable ASCII.'),
});
export type GooglePurchaseRequest = z.infer<typeof GooglePurchaseRequest>;

/**
 * App Store Server Notifications V2 body. Not strict on purpose: a store's envelope may grow
 * without notice, and refusing an unknown field would make the store retry a valid notification.
 */
export const AppleNotificationRequest = z.object({ signedPayload: z.string().min(1).max(65_536) });
export type AppleNotificationRequest = z.infer<typeof AppleNotificationRequest>;

/** Pub/Sub push envelope of a Google Play real-time developer notification (not strict, as above). */
export const GooglePushRequest = z.object({
  message: z.object({
    /** Base64 of the DeveloperNotification JSON. */
    data: z.string().max(65_536).optional(),
    messageId: z.string().min(1).max(256),
    publishTime: z.string().optional(),
    attributes: z.record(z.string(), z.string()).optional(),
  }),
  subscription: z.string().max(512).optional(),
});
export type GooglePushRequest = z.infer<typeof GooglePushRequest>;

/**
 * What a webhook did with a notification: `accepted` (stored, processing queued), `duplicate`
 * (already stored: a redelivery changes nothing) or `ignored` (authentic but unusable: recorded
 * with the reason and answered 200 so the store stops retrying).
 */
export const WebhookAck = z
  .object({ status: z.enum(['accepted', 'duplicate', 'ignored']), reason: z.string().optional() })
  .meta({ id: 'WebhookAck' });
export type WebhookAck = z.infer<typeof WebhookAck>;

/** One subscription the stores sell, as the paywall lists it (GET /v1/billing/catalogue). */
export const CatalogueProduct = z.object({
  store: Store,
  productId: z.string(),
  basePlanId: z.string().nullable(),
  plan: z.enum(['prism', 'prism_plus']),
  /** ISO 8601 billing period: P1M, P1Y, ... */
  period: z.string(),
  /** The operator's reference price; the store charges its own price in the buyer's currency. Null when none is configured. */
  price: z.object({ amount: z.string(), currency: z.string().length(3) }).nullable(),
});
export type CatalogueProduct = z.infer<typeof CatalogueProduct>;

export const Catalogue = z.object({
  products: z.array(CatalogueProduct),
  /** Where purchases can be made: the stores whose billing this server has configured. */
  purchasableIn: z.array(Store),
});
export type Catalogue = z.infer<typeof Catalogue>;
