import type { Catalogue as CatalogueView, Entitlements, GooglePushRequest, PurchaseResult, SubscriptionSummary, WebhookAck } from '@kalei/contracts/billing';
import { plans } from '@kalei/contracts/plans';
import { AppError, ForbiddenError, NotFoundError, NotImplementedError, UnauthorizedError, UnavailableError, ValidationError } from '../../errors.js';
import type { Database, Executor } from '../../infra/db.js';
import type { EntitlementsService } from '../entitlements/service.js';
import { AppleSignedDataError, type AppleEnvironment, type AppStoreApi, type AppleVerifier } from './apple.js';
import {
  appleStateAt,
  appleStateChangingTypes,
  deriveAppleSubscription,
  deriveGoogleSubscription,
  effectiveStatus,
  fingerprint,
  googleNotificationTypes,
  lapseLocally,
  needsAcknowledgement,
  shouldApply,
  voidedOrderIdsOf,
  type AppleRenewalInfo,
  type AppleTransaction,
  type Catalogue,
  type DerivedSubscription,
  type GooglePurchase,
} from './fns.js';
import { decodeDeveloperNotification, GooglePushError, PlayApiError, type DeveloperNotification, type PlayClient, type PushVerifier } from './google.js';
import { storedOf, type BillingRepo, type SubscriptionRecord } from './repo.js';

/** Queue names of the billing jobs (pg-boss). */
export const BILLING_QUEUES = {
  processEvent: 'billing-process-event',
  refreshSubscription: 'billing-refresh-subscription',
  reconcile: 'billing-reconcile',
} as const;

export interface BillingLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BillingDeps {
  db: Database;
  repo: BillingRepo;
  entitlements: Pick<EntitlementsService, 'currentPlan' | 'usage' | 'recordChange'>;
  /** Narrow reads of the auth module's accounts. */
  users: { exists(userId: string, tx?: Executor): Promise<boolean>; timezone(userId: string): Promise<string> };
  catalogue: Catalogue;
  /** Null until App Store billing is configured (APPLE_BUNDLE_ID …). */
  apple: { verifier: AppleVerifier; api: AppStoreApi | null } | null;
  /** Null until Google Play billing is configured (GOOGLE_PLAY_PACKAGE_NAME …); `push` null without Pub/Sub settings. */
  google: { packageName: string; play: PlayClient; push: PushVerifier | null; acceptTestPurchases: boolean } | null;
  /**
   * Creates the job queues once (lazily: creating them costs every app start, tests included,
   * most of a second on PGlite). Call before a transaction that enqueues.
   */
  prepareQueues(): Promise<void>;
  /**
   * Sends a job: inside the caller's transaction when `tx` is given (pg-boss through the
   * transaction's executor); with a singleton key, at most one per key and window.
   */
  enqueue(queue: string, data: object, options: { tx?: Executor; singletonKey?: string; singletonSeconds?: number }): Promise<boolean>;
  now: () => Date;
  log: BillingLog;
  reconcileWindowHours: number;
}

const APPLE_NOT_CONFIGURED =
  'App Store billing is not configured on this server: set APPLE_BUNDLE_ID, APPLE_ROOT_CERTIFICATES and (for Production) APPLE_APP_APPLE_ID; see docs/billing.md.';
const GOOGLE_NOT_CONFIGURED =
  'Google Play billing is not configured on this server: set GOOGLE_PLAY_PACKAGE_NAME and GOOGLE_PLAY_SERVICE_ACCOUNT_FILE (or _JSON); see docs/billing.md.';
const PUSH_NOT_CONFIGURED =
  'Google Play notifications are not configured on this server: set GOOGLE_PUBSUB_AUDIENCE and GOOGLE_PUBSUB_SERVICE_ACCOUNT (and GOOGLE_PLAY_PACKAGE_NAME); see docs/billing.md.';

/** Signed App Store data that failed verification, as the HTTP answer it gets. */
function appleHttpError(error: AppleSignedDataError): AppError {
  switch (error.refusal) {
    case 'malformed':
      return new AppError(400, 'bad_request', 'Invalid signed data', { detail: error.message });
    case 'retryable':
      return new UnavailableError(error.message, 60);
    default:
      return new ForbiddenError(error.message);
  }
}

function unknownProduct(productId: string, path: string): ValidationError {
  return new ValidationError(`Product ${productId.slice(0, 100) || '(none)'} is not in the product catalogue.`, [{ path, message: 'unknown product' }]);
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** How a derived state is linked to an account. */
type Ownership = { kind: 'store' } | { kind: 'client'; userId: string };

type ApplyOutcome =
  | { applied: true; row: SubscriptionRecord; userId: string | null }
  | { applied: false; row: SubscriptionRecord | null; userId: string | null; reason: string };

/**
 * Store billing: verifies what the stores say, keeps `billing_events` (append-only, deduplicated)
 * and `subscriptions` (derived from store state, newest state wins), and tells entitlements when
 * a user's plan changes. Webhooks only verify, store and enqueue; `processEvent` does the work.
 */
export function createBillingService(deps: BillingDeps) {
  const { db, repo, entitlements, catalogue, now, log } = deps;

  const requireApple = () => {
    if (!deps.apple) throw new NotImplementedError(APPLE_NOT_CONFIGURED);
    return deps.apple;
  };
  const requireGoogle = () => {
    if (!deps.google) throw new NotImplementedError(GOOGLE_NOT_CONFIGURED);
    return deps.google;
  };

  // A plan change clears entitlements' plan cache inside the transaction; a read racing the commit
  // could cache the old plan again, so each change is recorded once more after the commit
  // (a no-op for snapshots and audit, which are already written; it clears the cache again).
  const touchedBy = new WeakMap<Executor, Map<string, string>>();

  async function planChanged(userId: string, reason: string, tx: Executor) {
    touchedBy.get(tx)?.set(userId, reason);
    await entitlements.recordChange(userId, reason, tx);
  }

  /** A transaction whose plan changes take effect for every reader once it commits. */
  async function transact<T>(run: (tx: Executor) => Promise<T>): Promise<T> {
    const touched = new Map<string, string>();
    const result = await db.transaction(async (tx) => {
      touchedBy.set(tx, touched);
      return run(tx);
    });
    for (const [userId, reason] of touched) await entitlements.recordChange(userId, reason);
    return result;
  }

  /** Who a derived state belongs to; throws 404 when a client submits another account's purchase. */
  async function ownerOf(row: DerivedSubscription, stored: SubscriptionRecord | null, ownership: Ownership, tx: Executor, inherited: string | null) {
    if (ownership.kind === 'client') {
      // The store names another account, or the purchase is already linked to one: not the caller's.
      if (row.namesAccount && row.accountId !== ownership.userId) throw new NotFoundError('purchase');
      if (stored?.userId && stored.userId !== ownership.userId) throw new NotFoundError('purchase');
      return ownership.userId;
    }
    if (stored?.userId) return stored.userId;
    if (row.accountId && (await deps.users.exists(row.accountId, tx))) return row.accountId;
    return inherited;
  }

  /**
   * Applies one derived store state inside `tx`: the ownership rule, the newest-state rule, the
   * row, a replaced Google Play token, and a snapshot + audit event for every user whose plan moved.
   */
  async function applyDerived(row: DerivedSubscription, ownership: Ownership, reason: string, tx: Executor): Promise<ApplyOutcome> {
    const at = now();
    const stored = await repo.findSubscription(row.store, row.storeKey, tx, true);
    // A Play token replaced by a newer purchase stays replaced whatever it later says.
    if (stored?.status === 'replaced') {
      row.status = 'replaced';
      row.willRenew = false;
    }
    const linked = row.linkedStoreKey ? await repo.findSubscription(row.store, row.linkedStoreKey, tx, true) : null;
    const userId = await ownerOf(row, stored, ownership, tx, linked?.userId ?? null);

    const decision = shouldApply(stored ? storedOf(stored) : null, row);
    if (!decision.apply) {
      let current = stored;
      if (stored && !stored.userId && userId) current = (await repo.claimSubscription(stored.id, userId, at, tx)) ?? stored;
      if (current && current.userId && current.userId !== stored?.userId) await planChanged(current.userId, reason, tx);
      return { applied: false, row: current, userId: current?.userId ?? null, reason: decision.reason ?? 'not applied' };
    }

    const saved = await repo.upsertSubscription({ ...row, userId }, at, tx);
    if (!saved) return { applied: false, row: stored, userId: stored?.userId ?? null, reason: 'stale: a newer store state is already applied' };

    const affected = new Set<string>();
    if (saved.userId) affected.add(saved.userId);
    if (row.linkedStoreKey) {
      const replaced = await repo.markReplaced(row.linkedStoreKey, row.stateAt, at, tx);
      if (replaced?.userId) affected.add(replaced.userId);
    }
    for (const user of affected) await planChanged(user, reason, tx);
    return { applied: true, row: saved, userId: saved.userId };
  }

  function summaryOf(row: SubscriptionRecord): SubscriptionSummary {
    return {
      store: row.store,
      productId: row.productId,
      plan: row.plan,
      status: effectiveStatus(row, now()),
      expiresAt: iso(row.expiresAt),
      graceExpiresAt: iso(row.graceExpiresAt),
      willRenew: row.willRenew,
      autoRenewProductId: row.autoRenewProductId,
      environment: row.environment,
    };
  }

  async function entitlementsFor(userId: string): Promise<Entitlements> {
    const timezone = await deps.users.timezone(userId);
    const [resolved, usage] = await Promise.all([entitlements.currentPlan(userId), entitlements.usage(userId, timezone)]);
    const plan = plans[resolved.plan];
    const subscription = resolved.subscriptionId ? await repo.findSubscriptionById(resolved.subscriptionId) : null;
    const status = subscription ? effectiveStatus(subscription, now()) : null;
    return {
      plan: plan.id,
      planName: plan.name,
      source: resolved.source,
      unlocks: { daily: { ...plan.daily }, maxActiveGoals: plan.maxActiveGoals, dailyTokenBudget: plan.dailyTokenBudget, spectrum: plan.spectrum },
      quotas: usage.quotas,
      expiresAt: subscription ? iso(subscription.expiresAt) : iso(resolved.validUntil),
      inGrace: status === 'grace',
      graceExpiresAt: status === 'grace' ? iso(subscription?.graceExpiresAt ?? null) : null,
      willRenew: subscription?.willRenew ?? false,
      store: subscription?.store ?? null,
      productId: subscription?.productId ?? null,
      status,
    };
  }

  // ------------------------------------------------------------ App Store

  const deriveApple = (transaction: AppleTransaction, renewal: AppleRenewalInfo | null, stateAt: Date) =>
    deriveAppleSubscription({ transaction, renewal, stateAt, catalogue });

  /** The App Store's latest state of one stored subscription, or a local lapse when Apple cannot be asked. */
  async function refreshApple(row: SubscriptionRecord): Promise<string> {
    const apple = deps.apple;
    const environment = row.environment as AppleEnvironment;
    if (apple?.api && (environment === 'Production' || environment === 'Sandbox')) {
      const status = await apple.api.subscriptionStatus(environment, row.storeKey);
      if (status) {
        const { transaction, renewal } = await apple.verifier.verifyStatus(environment, status.signedTransactionInfo, status.signedRenewalInfo);
        const stateAt = appleStateAt(transaction.signedDate, renewal?.signedDate) ?? now();
        const derived = deriveApple(transaction, renewal, stateAt);
        if (derived.kind === 'unknown_product') return `unknown product ${derived.productId}`;
        const outcome = await transact((tx) => applyDerived(derived.row, { kind: 'store' }, 'reconciliation: app_store', tx));
        return outcome.applied ? `refreshed: ${outcome.row.status}` : outcome.reason;
      }
    }
    return lapse(row);
  }

  /** Re-derives a row from its own dates when its store cannot be asked. */
  async function lapse(row: SubscriptionRecord): Promise<string> {
    const next = lapseLocally(row, now());
    if (!next) return 'unchanged';
    await transact(async (tx) => {
      await repo.setStatus(row.id, next, now(), tx);
      if (row.userId) await planChanged(row.userId, `reconciliation: ${row.store} ${next}`, tx);
    });
    return `lapsed locally: ${next}`;
  }

  // ------------------------------------------------------------ Google Play

  /** Reads a token's state from Play and applies it; acknowledges a new purchase afterwards. */
  async function applyGoogle(
    purchaseToken: string,
    options: {
      ownership: Ownership;
      reason: string;
      voidedOrderId?: string;
      /** The stored notification being processed: locked, skipped when done, marked when applied. */
      event?: { id: string };
      /** Logs a client submission in the same transaction. */
      logClient?: (outcome: ApplyOutcome, tx: Executor) => Promise<void>;
    },
  ): Promise<ApplyOutcome | { applied: false; row: null; userId: null; reason: string; refusal: 'gone' | 'test' | 'unknown_product'; productId?: string }> {
    const google = requireGoogle();
    const purchase = await google.play.getSubscription(purchaseToken);
    const stateAt = now();
    if (!purchase) return { applied: false, row: null, userId: null, reason: 'Google Play does not know this purchase token', refusal: 'gone' };
    if (purchase.testPurchase && !google.acceptTestPurchases) {
      return { applied: false, row: null, userId: null, reason: 'test purchases are not accepted', refusal: 'test' };
    }
    const outcome = await transact(async (tx) => {
      if (options.event) {
        const locked = await repo.lockEvent(options.event.id, tx);
        if (!locked || locked.status === 'processed' || locked.status === 'ignored') {
          return { applied: false as const, row: null, userId: null, reason: 'already processed' };
        }
      }
      const stored = await repo.findSubscription('play', purchaseToken, tx, true);
      const voided = [...voidedOrderIdsOf(stored?.storeState), ...(options.voidedOrderId ? [options.voidedOrderId] : [])];
      const derived = deriveGoogleSubscription({ purchaseToken, purchase, stateAt, catalogue, voidedOrderIds: [...new Set(voided)] });
      if (derived.kind === 'unknown_product') {
        return { applied: false as const, row: null, userId: null, reason: `unknown product ${derived.productId}`, refusal: 'unknown_product' as const, productId: derived.productId };
      }
      const applied = await applyDerived(derived.row, options.ownership, options.reason, tx);
      if (options.event) {
        await repo.markEvent(
          options.event.id,
          applied.applied
            ? { status: 'processed', userId: applied.userId, at: now() }
            : { status: 'processed', error: applied.reason, userId: applied.userId, at: now() },
          tx,
        );
      }
      await options.logClient?.(applied, tx);
      return applied;
    });
    if (outcome.applied && needsAcknowledgement(purchase)) await acknowledge(purchase, purchaseToken, outcome.row.id);
    return outcome;
  }

  /** Acknowledges a purchase; a failure is retried by the refresh job rather than failing the caller. */
  async function acknowledge(purchase: GooglePurchase, purchaseToken: string, subscriptionId: string) {
    const productId = purchase.lineItems?.[0]?.productId;
    if (!productId) return;
    try {
      await requireGoogle().play.acknowledge(productId, purchaseToken);
    } catch (error) {
      log.warn({ token: fingerprint(purchaseToken), err: { message: (error as Error).message } }, 'Play acknowledgement failed; retrying in a job');
      await deps.prepareQueues();
      await db.transaction((tx) => deps.enqueue(BILLING_QUEUES.refreshSubscription, { subscriptionId }, { tx }));
    }
  }

  /** Job handler: re-reads one subscription from its store (reconciliation, acknowledgement retries). */
  async function refreshSubscription(subscriptionId: string): Promise<string> {
    const row = await repo.findSubscriptionById(subscriptionId);
    if (!row) return 'missing';
    if (row.store === 'app_store') return refreshApple(row);
    if (!deps.google) return lapse(row);
    const outcome = await applyGoogle(row.storeKey, { ownership: { kind: 'store' }, reason: 'reconciliation: play' });
    if ('refusal' in outcome) return outcome.refusal === 'gone' ? lapse(row) : outcome.reason;
    return outcome.applied ? `refreshed: ${outcome.row.status}` : outcome.reason;
  }

  async function recordIgnored(
    store: 'app_store' | 'play',
    event: { eventId: string; notificationType: string; subtype?: string | null; storeKey?: string | null; environment?: string | null; eventAt?: Date | null; payload: Record<string, unknown> },
    reason: string,
  ): Promise<WebhookAck> {
    const at = now();
    const id = await repo.insertEvent({
      store,
      eventId: event.eventId,
      notificationType: event.notificationType,
      subtype: event.subtype ?? null,
      storeKey: event.storeKey ?? null,
      environment: event.environment ?? null,
      eventAt: event.eventAt ?? null,
      payload: event.payload,
      status: 'ignored',
      error: reason,
      receivedAt: at,
      processedAt: at,
    });
    return id ? { status: 'ignored', reason } : { status: 'duplicate' };
  }

  /** Stores a verified event and enqueues its processing in the same transaction. */
  async function recordAndEnqueue(
    store: 'app_store' | 'play',
    event: { eventId: string; notificationType: string; subtype: string | null; storeKey: string; environment: string | null; eventAt: Date | null; payload: Record<string, unknown> },
  ): Promise<WebhookAck> {
    await deps.prepareQueues();
    return db.transaction(async (tx) => {
      const id = await repo.insertEvent({ store, ...event, status: 'received', receivedAt: now() }, tx);
      if (!id) return { status: 'duplicate' as const };
      await deps.enqueue(BILLING_QUEUES.processEvent, { eventId: id }, { tx });
      return { status: 'accepted' as const };
    });
  }

  return {
    entitlementsFor,

    /** Throws 501 `not_implemented` naming the variables to set when a store endpoint is not configured. */
    /** GET /v1/billing/catalogue: what the stores sell and at what reference price, for the paywall on every platform. */
    catalogue(): CatalogueView {
      return {
        products: catalogue.entries.map((entry) => ({
          store: entry.store,
          productId: entry.productId,
          basePlanId: entry.basePlanId ?? null,
          plan: entry.plan,
          period: entry.period,
          price: entry.price && entry.currency ? { amount: entry.price, currency: entry.currency } : null,
        })),
        purchasableIn: [...(deps.apple ? (['app_store'] as const) : []), ...(deps.google ? (['play'] as const) : [])],
      };
    },

    assertConfigured(part: 'apple' | 'google' | 'google_push') {
      if (part === 'apple') requireApple();
      else if (requireGoogle() && part === 'google_push' && !deps.google?.push) throw new NotImplementedError(PUSH_NOT_CONFIGURED);
    },

    /** POST /v1/billing/webhooks/apple: verify, store (deduplicated by notificationUUID), enqueue. */
    async receiveAppleNotification(signedPayload: string): Promise<WebhookAck> {
      const apple = requireApple();
      let verified;
      try {
        verified = await apple.verifier.verifyNotification(signedPayload);
      } catch (error) {
        if (error instanceof AppleSignedDataError) throw appleHttpError(error);
        throw error;
      }
      const { notification, transaction, renewal, notificationType, subtype, environment } = verified;
      const event = {
        eventId: verified.notificationUUID,
        notificationType,
        subtype,
        storeKey: transaction?.originalTransactionId ?? null,
        environment,
        eventAt: typeof notification.signedDate === 'number' ? new Date(notification.signedDate) : null,
        payload: { notification, transaction, renewal } as Record<string, unknown>,
      };
      if (!appleStateChangingTypes.has(notificationType)) return recordIgnored('app_store', event, `${notificationType} does not change access`);
      if (!transaction?.originalTransactionId) return recordIgnored('app_store', event, 'the notification carries no transaction');
      if (!catalogue.find('app_store', transaction.productId ?? '')) {
        return recordIgnored('app_store', event, `unknown product ${transaction.productId ?? '(none)'}`);
      }
      return recordAndEnqueue('app_store', { ...event, storeKey: transaction.originalTransactionId });
    },

    /** POST /v1/billing/webhooks/google: verify the push, store (deduplicated by messageId), enqueue. */
    async receiveGooglePush(authorization: string | undefined, body: GooglePushRequest): Promise<WebhookAck> {
      const google = requireGoogle();
      if (!google.push) throw new NotImplementedError(PUSH_NOT_CONFIGURED);
      try {
        await google.push.verify(authorization);
      } catch (error) {
        if (!(error instanceof GooglePushError)) throw error;
        if (error.refusal === 'forbidden') throw new ForbiddenError(error.message);
        throw new UnauthorizedError(error.refusal === 'missing' ? 'unauthorized' : 'invalid_token', error.message);
      }
      const { messageId } = body.message;
      const notification = decodeDeveloperNotification(body.message.data);
      const base = { eventId: messageId, payload: {} as Record<string, unknown> };
      // Past this point the push is authentic: whatever is wrong with it, retrying will not fix it.
      if (!notification) return recordIgnored('play', { ...base, notificationType: 'MALFORMED' }, 'the message data is not a developer notification');
      const eventAt = new Date(notification.eventTimeMillis);
      const payloadOf = (n: DeveloperNotification) => ({
        ...n,
        ...(n.subscriptionNotification ? { subscriptionNotification: { ...n.subscriptionNotification, purchaseToken: fingerprint(n.subscriptionNotification.purchaseToken) } } : {}),
        ...(n.voidedPurchaseNotification ? { voidedPurchaseNotification: { ...n.voidedPurchaseNotification, purchaseToken: fingerprint(n.voidedPurchaseNotification.purchaseToken) } } : {}),
      });
      const common = { eventId: messageId, eventAt, environment: null, payload: payloadOf(notification) };
      if (notification.packageName !== google.packageName) {
        return recordIgnored('play', { ...common, notificationType: 'OTHER_PACKAGE' }, `package ${notification.packageName.slice(0, 100)} is not this app`);
      }
      if (notification.testNotification) return recordIgnored('play', { ...common, notificationType: 'TEST' }, 'test notification');
      if (notification.subscriptionNotification) {
        const { notificationType, purchaseToken } = notification.subscriptionNotification;
        const type = googleNotificationTypes[notificationType] ?? `SUBSCRIPTION_${notificationType}`;
        return recordAndEnqueue('play', { ...common, notificationType: type, subtype: null, storeKey: purchaseToken });
      }
      if (notification.voidedPurchaseNotification) {
        const voided = notification.voidedPurchaseNotification;
        if (voided.productType !== 1) {
          return recordIgnored('play', { ...common, notificationType: 'VOIDED_PURCHASE', storeKey: voided.purchaseToken }, 'voided one-time product: nothing is sold as one');
        }
        return recordAndEnqueue('play', {
          ...common,
          notificationType: 'VOIDED_PURCHASE',
          subtype: voided.refundType === undefined ? null : `REFUND_TYPE_${voided.refundType}`,
          storeKey: voided.purchaseToken,
          payload: { ...common.payload, voidedOrderId: voided.orderId },
        });
      }
      return recordIgnored('play', { ...common, notificationType: 'ONE_TIME_PRODUCT' }, 'one-time products are not sold');
    },

    /** Job handler: applies one stored store event. Safe to run twice; an applied event is skipped. */
    async processEvent(eventId: string): Promise<string> {
      const event = await repo.findEvent(eventId);
      if (!event) return 'missing';
      if (event.status === 'processed' || event.status === 'ignored') return event.status;
      try {
        if (event.store === 'app_store') {
          const { transaction, renewal, notification } = event.payload as {
            transaction: AppleTransaction | null;
            renewal: AppleRenewalInfo | null;
            notification: { signedDate?: number };
          };
          const reason = `app_store ${event.notificationType}${event.subtype ? `/${event.subtype}` : ''}`;
          return await transact(async (tx) => {
            const locked = await repo.lockEvent(eventId, tx);
            if (!locked || locked.status === 'processed' || locked.status === 'ignored') return locked?.status ?? 'missing';
            const stateAt = appleStateAt(notification.signedDate, transaction?.signedDate, renewal?.signedDate) ?? event.receivedAt;
            const derived = transaction ? deriveApple(transaction, renewal, stateAt) : null;
            if (!derived || derived.kind === 'unknown_product') {
              await repo.markEvent(eventId, { status: 'ignored', error: derived ? `unknown product ${derived.productId}` : 'no transaction', at: now() }, tx);
              return 'ignored';
            }
            const outcome = await applyDerived(derived.row, { kind: 'store' }, reason, tx);
            await repo.markEvent(eventId, { status: 'processed', error: outcome.applied ? null : outcome.reason, userId: outcome.userId, at: now() }, tx);
            return outcome.applied ? 'processed' : `processed: ${outcome.reason}`;
          });
        }
        const reason = `play ${event.notificationType}`;
        const voidedOrderId = (event.payload as { voidedOrderId?: string }).voidedOrderId;
        const outcome = await applyGoogle(event.storeKey ?? '', {
          ownership: { kind: 'store' },
          reason,
          event: { id: eventId },
          ...(voidedOrderId ? { voidedOrderId } : {}),
        });
        if ('refusal' in outcome) {
          await repo.markEvent(eventId, { status: 'ignored', error: outcome.reason, at: now() });
          return 'ignored';
        }
        return outcome.applied ? 'processed' : `processed: ${outcome.reason}`;
      } catch (error) {
        const { name, message } = error as Error;
        log.warn({ eventId, store: event.store, err: { name, message } }, 'billing event processing failed; the job will retry');
        await repo.markEvent(eventId, { status: 'failed', error: `${name}: ${message}`.slice(0, 300), at: now() }).catch(() => {});
        throw error;
      }
    },

    /** POST /v1/billing/apple/transactions: verify a StoreKit 2 transaction and apply it now. */
    async submitAppleTransaction(userId: string, signedTransaction: string, signedRenewalInfo: string | undefined): Promise<PurchaseResult> {
      const apple = requireApple();
      let verified;
      try {
        verified = await apple.verifier.verifyTransaction(signedTransaction, signedRenewalInfo);
      } catch (error) {
        if (error instanceof AppleSignedDataError) throw appleHttpError(error);
        throw error;
      }
      const { transaction, renewal, environment } = verified;
      const stateAt = appleStateAt(transaction.signedDate, renewal?.signedDate) ?? now();
      const derived = deriveApple(transaction, renewal, stateAt);
      if (derived.kind === 'unknown_product') throw unknownProduct(derived.productId, 'body.signedTransaction');
      const row = await transact(async (tx) => {
        const outcome = await applyDerived(derived.row, { kind: 'client', userId }, 'app_store purchase sent by the app', tx);
        await repo.insertEvent(
          {
            store: 'app_store',
            eventId: `client:${fingerprint(signedTransaction)}`,
            notificationType: 'CLIENT_TRANSACTION',
            subtype: null,
            storeKey: derived.row.storeKey,
            environment,
            eventAt: stateAt,
            payload: { transaction, renewal },
            status: 'processed',
            error: outcome.applied ? null : outcome.reason,
            userId,
            receivedAt: now(),
            processedAt: now(),
          },
          tx,
        );
        return outcome.row;
      });
      if (!row) throw new NotFoundError('purchase');
      return { subscription: summaryOf(row), entitlements: await entitlementsFor(userId) };
    },

    /** POST /v1/billing/google/purchases: read a purchase token's state from Play and apply it now. */
    async submitGooglePurchase(userId: string, purchaseToken: string): Promise<PurchaseResult> {
      requireGoogle();
      let outcome;
      try {
        outcome = await applyGoogle(purchaseToken, {
          ownership: { kind: 'client', userId },
          reason: 'play purchase sent by the app',
          logClient: async (applied, tx) => {
            if (!applied.row) return;
            const at = now();
            await repo.insertEvent(
              {
                store: 'play',
                eventId: `client:${fingerprint(purchaseToken)}:${at.getTime()}`,
                notificationType: 'CLIENT_PURCHASE',
                subtype: null,
                storeKey: purchaseToken,
                environment: applied.row.environment,
                eventAt: at,
                payload: { status: applied.row.status, productId: applied.row.productId },
                status: 'processed',
                error: applied.applied ? null : applied.reason,
                userId,
                receivedAt: at,
                processedAt: at,
              },
              tx,
            );
          },
        });
      } catch (error) {
        if (error instanceof PlayApiError) throw new UnavailableError('Google Play could not be reached; try again shortly.', 30);
        throw error;
      }
      if ('refusal' in outcome) {
        if (outcome.refusal === 'gone') throw new NotFoundError('purchase');
        if (outcome.refusal === 'test') throw new ForbiddenError('Test purchases are not accepted on this server.');
        throw unknownProduct(outcome.productId ?? '', 'body.purchaseToken');
      }
      if (!outcome.row) throw new NotFoundError('purchase');
      return { subscription: summaryOf(outcome.row), entitlements: await entitlementsFor(userId) };
    },

    refreshSubscription,

    /**
     * Nightly job: queues a refresh of every subscription near its expiry or in an unsettled state,
     * so a lost notification cannot leave anyone wrongly entitled or wrongly locked out. Each
     * refresh is its own job (retried on its own; one per subscription and hour).
     */
    async reconcile(limit = 10_000): Promise<{ queued: number }> {
      const horizon = new Date(now().getTime() + deps.reconcileWindowHours * 3_600_000);
      const due = await repo.dueForReconciliation(horizon, limit);
      await deps.prepareQueues();
      let queued = 0;
      for (const row of due) {
        if (await deps.enqueue(BILLING_QUEUES.refreshSubscription, { subscriptionId: row.id }, { singletonKey: row.id, singletonSeconds: 3_600 })) queued += 1;
      }
      log.info({ due: due.length, queued }, 'billing reconciliation queued its refreshes');
      return { queued };
    },
  };
}
export type BillingService = ReturnType<typeof createBillingService>;
