import { higherPlan, type PlanId } from '@kalei/contracts/plans';

export interface GrantRow {
  plan: 'prism' | 'prism_plus';
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface SubscriptionRow {
  id: string;
  store: 'app_store' | 'play';
  plan: PlanId;
  status: string;
  expiresAt: Date | null;
  graceExpiresAt: Date | null;
}

export interface ResolvedPlan {
  plan: PlanId;
  source: 'default' | 'admin' | 'app_store' | 'play';
  validUntil: Date | null;
  subscriptionId: string | null;
}

/** Store states that grant access while their paid (or grace) period lasts. */
const ENTITLING_STATUSES = new Set(['active', 'grace', 'canceled']);

/** The plan a user has now: the highest of live admin grants and entitling subscriptions. */
export function resolvePlan(grants: GrantRow[], subscriptions: SubscriptionRow[], now: Date): ResolvedPlan {
  let best: ResolvedPlan = { plan: 'free', source: 'default', validUntil: null, subscriptionId: null };
  const consider = (candidate: ResolvedPlan) => {
    if (higherPlan(best.plan, candidate.plan) === candidate.plan && candidate.plan !== best.plan) best = candidate;
    else if (candidate.plan === best.plan && best.source !== 'default') {
      // Same plan from two sources: report the one that lasts longer (null = no end).
      const longer = best.validUntil === null ? best : candidate.validUntil === null ? candidate : candidate.validUntil > best.validUntil ? candidate : best;
      best = longer;
    }
  };
  for (const grant of grants) {
    if (grant.revokedAt) continue;
    if (grant.expiresAt && grant.expiresAt <= now) continue;
    consider({ plan: grant.plan, source: 'admin', validUntil: grant.expiresAt, subscriptionId: null });
  }
  for (const subscription of subscriptions) {
    if (!ENTITLING_STATUSES.has(subscription.status)) continue;
    const until =
      subscription.status === 'grace' && subscription.graceExpiresAt ? subscription.graceExpiresAt : subscription.expiresAt;
    if (!until || until <= now) continue;
    consider({ plan: subscription.plan, source: subscription.store, validUntil: until, subscriptionId: subscription.id });
  }
  return best;
}

/** Cache key of one user's daily counter for one feature. */
export function quotaKey(userId: string, feature: string, localDate: string): string {
  return `quota:${userId}:${feature}:${localDate}`;
}
