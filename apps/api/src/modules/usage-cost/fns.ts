import type { AiTaskName } from '@kalei/contracts/ai-tasks';

/** The alert thresholds of the global monthly spend cap (seed §13.2), each sent once a month. */
export const spendAlertThresholds = [0.5, 0.8, 0.95] as const;

export interface DegradationPolicy {
  /** Share of the monthly cap at which Lens moves to the local engine. */
  lensLocalAt: number;
  /** Share at which Spectrum narratives pause. */
  spectrumPauseAt: number;
}

export interface RoutingDecision {
  /** Answer with the local engine instead of a model. */
  forceLocal: boolean;
  /** Do not run the task at all now (Spectrum narratives under pressure). */
  paused: boolean;
  reason: 'normal' | 'lens_degraded' | 'spectrum_paused' | 'spend_cap_reached' | 'user_budget_spent';
}

/**
 * The seed's degradation order (§12.2): Lens moves to the local engine first, Spectrum
 * narratives pause next, and at the cap every task answers locally, so Turn and Mirror stay
 * available without spending. A user past their daily token budget answers locally too.
 */
export function decideRouting(args: {
  task: AiTaskName;
  spendMicros: number;
  capMicros: number;
  userTokensToday: number;
  userDailyBudget: number;
  policy: DegradationPolicy;
}): RoutingDecision {
  const ratio = args.capMicros > 0 ? args.spendMicros / args.capMicros : 0;
  const family = args.task.split('.')[0];
  if (family === 'safety') return { forceLocal: false, paused: false, reason: 'normal' };
  if (family === 'spectrum' && ratio >= args.policy.spectrumPauseAt) return { forceLocal: false, paused: true, reason: 'spectrum_paused' };
  if (ratio >= 1) return { forceLocal: true, paused: false, reason: 'spend_cap_reached' };
  if (family === 'lens' && ratio >= args.policy.lensLocalAt) return { forceLocal: true, paused: false, reason: 'lens_degraded' };
  if (args.userTokensToday >= args.userDailyBudget) return { forceLocal: true, paused: false, reason: 'user_budget_spent' };
  return { forceLocal: false, paused: false, reason: 'normal' };
}

/** Thresholds crossed by moving spend from `before` to `after`. */
export function crossedThresholds(beforeMicros: number, afterMicros: number, capMicros: number): number[] {
  if (capMicros <= 0) return [];
  return spendAlertThresholds.filter((t) => beforeMicros < t * capMicros && afterMicros >= t * capMicros);
}

/** `YYYY-MM` in UTC: the spend cap's month. */
export function spendMonth(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/** First instant of the UTC month of `now`. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}
