import { and, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { billingEvents, subscriptions } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';
import type { DerivedSubscription, StoredSubscription } from './fns.js';
import { unsettledStatuses } from './fns.js';

export type BillingEventRow = typeof billingEvents.$inferSelect;
export type SubscriptionRecord = typeof subscriptions.$inferSelect;
type Store = 'app_store' | 'play';

/** Every SQL statement of the billing module. */
export function createBillingRepo(db: Executor) {
  return {
    /** Appends a store event; null when (store, eventId) is already there (a redelivery). */
    async insertEvent(
      row: {
        store: Store;
        eventId: string;
        notificationType: string;
        subtype: string | null;
        storeKey: string | null;
        environment: string | null;
        eventAt: Date | null;
        payload: Record<string, unknown>;
        status: 'received' | 'processed' | 'ignored';
        error?: string | null;
        userId?: string | null;
        receivedAt: Date;
        processedAt?: Date | null;
      },
      tx: Executor = db,
    ): Promise<string | null> {
      const [inserted] = await tx.insert(billingEvents).values(row).onConflictDoNothing().returning({ id: billingEvents.id });
      return inserted?.id ?? null;
    },

    async findEvent(id: string, tx: Executor = db): Promise<BillingEventRow | null> {
      const [row] = await tx.select().from(billingEvents).where(eq(billingEvents.id, id));
      return row ?? null;
    },

    /** The event, locked until the transaction ends, so two workers never process it at once. */
    async lockEvent(id: string, tx: Executor): Promise<BillingEventRow | null> {
      const [row] = await tx.select().from(billingEvents).where(eq(billingEvents.id, id)).for('update');
      return row ?? null;
    },

    async markEvent(
      id: string,
      values: { status: 'processed' | 'ignored' | 'failed'; error?: string | null; userId?: string | null; at: Date },
      tx: Executor = db,
    ): Promise<void> {
      await tx
        .update(billingEvents)
        .set({
          status: values.status,
          error: values.error ?? null,
          processedAt: values.at,
          ...(values.userId !== undefined ? { userId: values.userId } : {}),
        })
        .where(eq(billingEvents.id, id));
    },

    async findSubscription(store: Store, storeKey: string, tx: Executor = db, lock = false): Promise<SubscriptionRecord | null> {
      const query = tx
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.store, store), eq(subscriptions.storeKey, storeKey)));
      const [row] = lock ? await query.for('update') : await query;
      return row ?? null;
    },

    async findSubscriptionById(id: string, tx: Executor = db): Promise<SubscriptionRecord | null> {
      const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, id));
      return row ?? null;
    },

    /**
     * Inserts or replaces the row of one store subscription. The `state_at` guard keeps a newer
     * state even if a concurrent writer got past the service's own check; the owner is kept once set.
     */
    async upsertSubscription(row: DerivedSubscription & { userId: string | null }, at: Date, tx: Executor = db): Promise<SubscriptionRecord | null> {
      const values = {
        userId: row.userId,
        store: row.store,
        storeKey: row.storeKey,
        linkedStoreKey: row.linkedStoreKey,
        productId: row.productId,
        plan: row.plan,
        status: row.status,
        environment: row.environment,
        expiresAt: row.expiresAt,
        graceExpiresAt: row.graceExpiresAt,
        willRenew: row.willRenew,
        autoRenewProductId: row.autoRenewProductId,
        stateAt: row.stateAt,
        storeState: row.storeState,
        createdAt: at,
        updatedAt: at,
      };
      const [saved] = await tx
        .insert(subscriptions)
        .values(values)
        .onConflictDoUpdate({
          target: [subscriptions.store, subscriptions.storeKey],
          set: {
            userId: sql`coalesce(${subscriptions.userId}, excluded.user_id)`,
            linkedStoreKey: sql`excluded.linked_store_key`,
            productId: sql`excluded.product_id`,
            plan: sql`excluded.plan`,
            status: sql`excluded.status`,
            environment: sql`excluded.environment`,
            expiresAt: sql`excluded.expires_at`,
            graceExpiresAt: sql`excluded.grace_expires_at`,
            willRenew: sql`excluded.will_renew`,
            autoRenewProductId: sql`excluded.auto_renew_product_id`,
            stateAt: sql`excluded.state_at`,
            storeState: sql`excluded.store_state`,
            updatedAt: sql`excluded.updated_at`,
          },
          setWhere: sql`${subscriptions.stateAt} <= excluded.state_at`,
        })
        .returning();
      return saved ?? null;
    },

    /** Links an unowned subscription to a user (a client submitted a purchase the store told us about first). */
    async claimSubscription(id: string, userId: string, at: Date, tx: Executor = db): Promise<SubscriptionRecord | null> {
      const [row] = await tx
        .update(subscriptions)
        .set({ userId, updatedAt: at })
        .where(and(eq(subscriptions.id, id), sql`${subscriptions.userId} is null`))
        .returning();
      return row ?? null;
    },

    /** Ends the entitlement of a Google Play token another purchase replaced (upgrade, downgrade, resubscribe). */
    async markReplaced(storeKey: string, stateAt: Date, at: Date, tx: Executor = db): Promise<SubscriptionRecord | null> {
      const [row] = await tx
        .update(subscriptions)
        .set({ status: 'replaced', willRenew: false, stateAt: sql`greatest(${subscriptions.stateAt}, ${stateAt})`, updatedAt: at })
        .where(and(eq(subscriptions.store, 'play'), eq(subscriptions.storeKey, storeKey), sql`${subscriptions.status} <> 'replaced'`))
        .returning();
      return row ?? null;
    },

    /** Sets a status re-derived locally (a period or grace lapsed with no store to ask). */
    async setStatus(id: string, status: string, at: Date, tx: Executor = db): Promise<void> {
      await tx.update(subscriptions).set({ status, willRenew: false, updatedAt: at }).where(eq(subscriptions.id, id));
    },

    /**
     * Subscriptions the reconciliation job re-reads: entitling ones whose period ends before
     * `horizon` (or already ended without news), and every unsettled one (grace, retry, hold, pause, pending).
     */
    async dueForReconciliation(horizon: Date, limit: number, tx: Executor = db): Promise<SubscriptionRecord[]> {
      return tx
        .select()
        .from(subscriptions)
        .where(
          or(
            and(inArray(subscriptions.status, ['active', 'canceled']), lte(subscriptions.expiresAt, horizon)),
            inArray(subscriptions.status, [...unsettledStatuses]),
          ),
        )
        .orderBy(subscriptions.expiresAt)
        .limit(limit);
    },

  };
}
export type BillingRepo = ReturnType<typeof createBillingRepo>;

/** The fields `shouldApply` compares. */
export function storedOf(row: SubscriptionRecord): StoredSubscription {
  return { id: row.id, userId: row.userId, status: row.status, expiresAt: row.expiresAt, stateAt: row.stateAt, storeState: row.storeState };
}
