import { z } from 'zod';

export const planIds = ['free', 'prism', 'prism_plus'] as const;
export const PlanId = z.enum(planIds);
export type PlanId = z.infer<typeof PlanId>;

/** Features with a daily quota; counters reset at local midnight in the user's timezone. */
export const quotaFeatures = ['turns', 'mirror_messages', 'fragment_reframes', 'lens_affirmations'] as const;
export const QuotaFeature = z.enum(quotaFeatures);
export type QuotaFeature = z.infer<typeof QuotaFeature>;

export interface PlanDefinition {
  id: PlanId;
  name: string;
  /** Daily limits per quota feature. */
  daily: Record<QuotaFeature, number>;
  /** Active Lens goals at once. */
  maxActiveGoals: number;
  /** Model tokens per user per day before the user's requests move to the local engine. */
  dailyTokenBudget: number;
  /** Whether Spectrum analytics (phase 2) are included. */
  spectrum: boolean;
}

/**
 * The plans, defined once for the API and the app (docs/plans.md explains the choices).
 * Free is generous enough for the daily habit; paid plans lift limits and add Spectrum.
 */
export const plans: Record<PlanId, PlanDefinition> = {
  free: {
    id: 'free',
    name: 'Free',
    daily: { turns: 5, mirror_messages: 20, fragment_reframes: 10, lens_affirmations: 1 },
    maxActiveGoals: 3,
    dailyTokenBudget: 30_000,
    spectrum: false,
  },
  prism: {
    id: 'prism',
    name: 'Prism',
    daily: { turns: 30, mirror_messages: 150, fragment_reframes: 60, lens_affirmations: 1 },
    maxActiveGoals: 10,
    dailyTokenBudget: 200_000,
    spectrum: true,
  },
  prism_plus: {
    id: 'prism_plus',
    name: 'Prism+',
    daily: { turns: 100, mirror_messages: 500, fragment_reframes: 200, lens_affirmations: 1 },
    maxActiveGoals: 25,
    dailyTokenBudget: 600_000,
    spectrum: true,
  },
};

const planRank: Record<PlanId, number> = { free: 0, prism: 1, prism_plus: 2 };

/** The higher of two plans. */
export function higherPlan(a: PlanId, b: PlanId): PlanId {
  return planRank[a] >= planRank[b] ? a : b;
}

export const QuotaUsage = z.object({
  feature: QuotaFeature,
  used: z.number().int().min(0),
  limit: z.number().int().min(0),
  resetAt: z.iso.datetime(),
});
export type QuotaUsage = z.infer<typeof QuotaUsage>;
