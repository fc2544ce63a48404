import { and, desc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { PlanId } from '@kalei/contracts/plans';
import { entitlementSnapshots, planGrants, subscriptions } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';
import type { GrantRow, SubscriptionRow } from './fns.js';

/** Every SQL statement of the entitlements module. */
export function createEntitlementsRepo(db: Executor) {
  return {
    async grantsFor(userId: string, tx: Executor = db): Promise<GrantRow[]> {
      return tx
        .select({ plan: planGrants.plan, expiresAt: planGrants.expiresAt, revokedAt: planGrants.revokedAt })
        .from(planGrants)
        .where(eq(planGrants.userId, userId));
    },
    async subscriptionsFor(userId: string, tx: Executor = db): Promise<SubscriptionRow[]> {
      return tx
        .select({
          id: subscriptions.id,
          store: subscriptions.store,
          plan: subscriptions.plan,
          status: subscriptions.status,
          expiresAt: subscriptions.expiresAt,
          graceExpiresAt: subscriptions.graceExpiresAt,
        })
        .from(subscriptions)
        .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, ['active', 'grace', 'canceled'])));
    },
    async insertGrant(
      row: { userId: string; plan: 'prism' | 'prism_plus'; expiresAt: Date | null; reason: string; grantedBy: string },
      tx: Executor = db,
    ) {
      const [inserted] = await tx.insert(planGrants).values(row).returning({ id: planGrants.id });
      return inserted!.id;
    },
    /** Ends every live grant of a user; returns the ids it ended. */
    async revokeGrants(userId: string, at: Date, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .update(planGrants)
        .set({ revokedAt: at })
        .where(and(eq(planGrants.userId, userId), isNull(planGrants.revokedAt), or(isNull(planGrants.expiresAt), gt(planGrants.expiresAt, at))))
        .returning({ id: planGrants.id });
      return rows.map((row) => row.id);
    },
    async latestSnapshot(userId: string, tx: Executor = db) {
      const [row] = await tx
        .select({ plan: entitlementSnapshots.plan, source: entitlementSnapshots.source, validUntil: entitlementSnapshots.validUntil })
        .from(entitlementSnapshots)
        .where(eq(entitlementSnapshots.userId, userId))
        .orderBy(desc(entitlementSnapshots.createdAt))
        .limit(1);
      return row ?? null;
    },
    async insertSnapshot(
      row: {
        userId: string;
        plan: PlanId;
        source: 'default' | 'app_store' | 'play' | 'admin';
        subscriptionId: string | null;
        validUntil: Date | null;
        reason: string;
      },
      tx: Executor = db,
    ) {
      await tx.insert(entitlementSnapshots).values(row);
    },
  };
}
export type EntitlementsRepo = ReturnType<typeof createEntitlementsRepo>;
