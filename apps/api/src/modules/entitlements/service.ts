import { plans, quotaFeatures, type PlanId, type QuotaFeature, type QuotaUsage } from '@kalei/contracts/plans';
import { QuotaExceededError } from '../../errors.js';
import type { Cache } from '../../infra/cache.js';
import type { Executor } from '../../infra/db.js';
import { localDate, nextLocalMidnight } from '../../lib/time.js';
import { quotaKey, resolvePlan, type ResolvedPlan } from './fns.js';
import type { EntitlementsRepo } from './repo.js';

/** Counters outlive their day by an hour so a request straddling midnight still finds its own. */
const COUNTER_MARGIN_MS = 60 * 60 * 1000;

export interface AuditRecorder {
  record(
    event: { userId: string | null; actor: 'user' | 'system' | 'admin' | 'store'; action: string; targetType?: string; targetId?: string; metadata?: Record<string, unknown> },
    tx?: Executor,
  ): Promise<void>;
}

/** A held unit of a daily quota: released when the request does not complete. */
export interface QuotaReservation {
  feature: QuotaFeature;
  /** The plan the reservation was checked against. */
  plan: PlanId;
  release(): Promise<void>;
}

/** How long a resolved plan is cached; every change through this service clears it at once. */
const PLAN_CACHE_MS = 60_000;
const planKey = (userId: string) => `plan:${userId}`;

/**
 * The entitlement authority inside the API: what plan a user is on and whether they may use a
 * feature now. Store billing and admin grants feed it; quotas are daily counters in the cache.
 */
export function createEntitlementsService(deps: {
  repo: EntitlementsRepo;
  cache: Cache;
  now: () => Date;
  audit: AuditRecorder;
  /** QUOTA_SCALE: multiplies every daily limit. */
  quotaScale?: number;
}) {
  const { repo, cache, now, audit } = deps;
  const scale = deps.quotaScale ?? 1;
  const limitOf = (plan: PlanId, feature: QuotaFeature) => Math.ceil(plans[plan].daily[feature] * scale);

  const resolveFromDb = async (userId: string, tx?: Executor): Promise<ResolvedPlan> => {
    const [grants, subscriptions] = await Promise.all([repo.grantsFor(userId, tx), repo.subscriptionsFor(userId, tx)]);
    return resolvePlan(grants, subscriptions, now());
  };

  /** The user's plan now: read through a short cache, since every AI request asks. */
  const currentPlan = async (userId: string, tx?: Executor): Promise<ResolvedPlan> => {
    if (tx) return resolveFromDb(userId, tx);
    const cached = await cache.get(planKey(userId));
    if (cached) {
      const parsed = JSON.parse(cached) as Omit<ResolvedPlan, 'validUntil'> & { validUntil: string | null };
      const validUntil = parsed.validUntil ? new Date(parsed.validUntil) : null;
      // A cached plan that has run out by now is not trusted: resolve again.
      if (!validUntil || validUntil > now()) return { ...parsed, validUntil };
    }
    const resolved = await resolveFromDb(userId);
    await cache.set(planKey(userId), JSON.stringify(resolved), PLAN_CACHE_MS);
    return resolved;
  };

  return {
    currentPlan,

    /**
     * Holds one unit of today's quota for `feature`, or throws QuotaExceededError (429) with the
     * limit and the reset time in the user's timezone. Reserving first keeps concurrent requests
     * from overshooting; the caller releases the unit when the request does not complete.
     * `knownPlan` is the caller's fresh currentPlan answer, saving a second read.
     */
    async reserve(userId: string, feature: QuotaFeature, timezone: string, knownPlan?: PlanId, holdToken?: string): Promise<QuotaReservation> {
      const plan = knownPlan ?? (await currentPlan(userId)).plan;
      const limit = limitOf(plan, feature);
      const time = now();
      const resetAt = nextLocalMidnight(time, timezone);
      const key = quotaKey(userId, feature, localDate(time, timezone));
      const ttl = resetAt.getTime() - time.getTime() + COUNTER_MARGIN_MS;
      // With an Idempotency-Key, the unit is named: an attempt that died (kill -9) before it could
      // give its unit back left the name behind, and its retry takes that unit over instead of a second.
      // Naming and counting are one cache step: a kill between two steps left a name without its
      // count, and the retry that took the name over was never counted (the crash scenario found it).
      const holdKey = holdToken ? `${key}:hold:${holdToken}` : null;
      const giveBack = () => (holdKey ? cache.releaseHeld(key, holdKey, 1) : cache.incr(key, -1, ttl).then(() => undefined));
      const used = holdKey ? await cache.incrHeld(key, holdKey, 1, ttl) : await cache.incr(key, 1, ttl);
      if (used !== null && used > limit) {
        await giveBack();
        throw new QuotaExceededError({ feature: feature.replace(/_/g, ' '), limit, resetAt, plan, now: time });
      }
      let released = false;
      return {
        feature,
        plan,
        async release() {
          if (released) return;
          released = true;
          await giveBack();
        },
      };
    },

    /** Today's usage of every quota feature. */
    async usage(userId: string, timezone: string): Promise<{ plan: PlanId; quotas: QuotaUsage[] }> {
      const { plan } = await currentPlan(userId);
      const time = now();
      const day = localDate(time, timezone);
      const resetAt = nextLocalMidnight(time, timezone).toISOString();
      const quotas = await Promise.all(
        quotaFeatures.map(async (feature) => ({
          feature,
          used: Math.max(0, Number((await cache.get(quotaKey(userId, feature, day))) ?? 0)),
          limit: limitOf(plan, feature),
          resetAt,
        })),
      );
      return { plan, quotas };
    },

    /** Writes an entitlement snapshot and an audit event when the user's plan changed. */
    async recordChange(userId: string, reason: string, tx?: Executor): Promise<ResolvedPlan> {
      await cache.del(planKey(userId));
      const resolved = await resolveFromDb(userId, tx);
      const previous = await repo.latestSnapshot(userId, tx);
      const previousPlan = previous?.plan ?? 'free';
      const validUntilChanged = (previous?.validUntil?.getTime() ?? null) !== (resolved.validUntil?.getTime() ?? null);
      if (previousPlan !== resolved.plan || validUntilChanged || !previous) {
        await repo.insertSnapshot(
          {
            userId,
            plan: resolved.plan,
            source: resolved.source,
            subscriptionId: resolved.subscriptionId,
            validUntil: resolved.validUntil,
            reason,
          },
          tx,
        );
        await audit.record(
          {
            userId,
            actor: 'system',
            action: 'entitlement_changed',
            targetType: 'plan',
            targetId: resolved.plan,
            metadata: { from: previousPlan, to: resolved.plan, reason, validUntil: resolved.validUntil?.toISOString() ?? null },
          },
          tx,
        );
      }
      return resolved;
    },

    /** An operator grants a plan (until store billing is connected, and for support cases). */
    async grantPlan(
      userId: string,
      plan: 'prism' | 'prism_plus',
      options: { expiresAt: Date | null; reason: string; grantedBy: string },
      tx?: Executor,
    ) {
      const id = await repo.insertGrant({ userId, plan, ...options }, tx);
      await audit.record({ userId, actor: 'admin', action: 'plan_granted', targetType: 'plan_grant', targetId: id, metadata: { plan, by: options.grantedBy } }, tx);
      return this.recordChange(userId, `admin grant: ${options.reason}`, tx);
    },

    /** An operator ends every live grant of a user (store subscriptions are untouched); null when there was none. */
    async revokeGrants(userId: string, options: { reason: string; revokedBy: string }, tx?: Executor) {
      const ids = await repo.revokeGrants(userId, now(), tx);
      if (ids.length === 0) return null;
      for (const id of ids) {
        await audit.record({ userId, actor: 'admin', action: 'plan_revoked', targetType: 'plan_grant', targetId: id, metadata: { by: options.revokedBy } }, tx);
      }
      return this.recordChange(userId, `admin revoke: ${options.reason}`, tx);
    },
  };
}
export type EntitlementsService = ReturnType<typeof createEntitlementsService>;
