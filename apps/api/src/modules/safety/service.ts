import { SafetyConfirmOutput, type SafetyCategory } from '@kalei/contracts/ai-tasks';
import type { CrisisResponse } from '@kalei/contracts/safety';
import { assessText, type Stage1Result } from './fns.js';
import { resolveCrisisResources } from './resources.js';
import { buildCrisisResponse } from './templates.js';

/** What the optional stage-2 model answers for an ambiguous text. */
export type SafetyConfirmation = { crisis: boolean; category: SafetyCategory | null; confidence: number };

export type SafetyOutcome =
  /** Stage 1 found crisis language. */
  | 'crisis_stage1'
  /** Stage 1 was unsure and the model confirmed a crisis. */
  | 'crisis_confirmed'
  /** Stage 1 was unsure and the model failed, timed out, answered out of shape or was not confident enough to clear it. */
  | 'crisis_fail_safe'
  /** Stage 1 was unsure and no model confirmation is configured. */
  | 'crisis_unconfirmed'
  /** Stage 1 was unsure and the model cleared it with enough confidence: the request goes on. */
  | 'cleared_stage2';

/** One row for safety_events: ids and labels only, never the user's text. */
export interface SafetyEventRecord {
  userId: string;
  feature: string;
  categories: SafetyCategory[];
  stage: 1 | 2;
  ruleIds: string[];
  country: string | null;
  outcome: SafetyOutcome;
  /** Stage 1's noisy-or score, for tuning. */
  stage1Score: number;
  /** The model's confidence when stage 2 answered; null otherwise. */
  stage2Confidence: number | null;
}

export interface PrecheckContext {
  userId: string;
  country: string | null;
  locale: string | null;
  /** The product feature asking (turn, mirror, lens, spectrum). */
  feature: string;
}

export type PrecheckResult = { kind: 'safe' } | { kind: 'crisis'; response: CrisisResponse; event: SafetyEventRecord };

export interface SafetyDeps {
  /** Stage 2: a low-latency model that confirms or clears an ambiguous text. */
  confirm?: (text: string) => Promise<SafetyConfirmation>;
  /** Persists a safety event; a failure is reported to onRecordError and never blocks the crisis response. */
  recordEvent: (event: SafetyEventRecord) => Promise<void>;
  stage2Enabled: boolean;
  /** Longest wait for stage 2 before treating the text as a crisis (default 2000 ms). */
  confirmTimeoutMs?: number;
  /** A model "not a crisis" below this confidence does not clear the text (default 0.6). */
  clearConfidence?: number;
  /** Told when recordEvent fails; the request still gets its answer. */
  onRecordError?: (error: unknown) => void;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`stage 2 took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The safety gate every AI-facing request passes before any model sees user text (seed plan §11.3):
 * stage 1 rules, stage 2 model confirmation for ambiguous texts, fixed crisis templates.
 * It fails safe: whenever a crisis cannot be ruled out, the answer is the crisis response.
 */
export function createSafetyService(deps: SafetyDeps) {
  const timeoutMs = deps.confirmTimeoutMs ?? 2000;
  const clearConfidence = deps.clearConfidence ?? 0.6;

  const record = async (event: SafetyEventRecord) => {
    try {
      await deps.recordEvent(event);
    } catch (error) {
      deps.onRecordError?.(error);
    }
  };

  const escalate = async (
    ctx: PrecheckContext,
    stage1: Stage1Result,
    stage: 1 | 2,
    outcome: SafetyOutcome,
    categories: SafetyCategory[],
    confidence: number | null,
  ): Promise<PrecheckResult> => {
    const resources = resolveCrisisResources({ country: ctx.country, locale: ctx.locale });
    const response = buildCrisisResponse({ categories, resources, locale: ctx.locale });
    const event: SafetyEventRecord = {
      userId: ctx.userId,
      feature: ctx.feature,
      categories: response.categories,
      stage,
      ruleIds: stage1.ruleIds,
      country: resources.country,
      outcome,
      stage1Score: stage1.score,
      stage2Confidence: confidence,
    };
    await record(event);
    return { kind: 'crisis', response, event };
  };

  return {
    /** Checks one user text; a crisis result carries the response to return instead of any AI answer. */
    async precheck(text: string, ctx: PrecheckContext): Promise<PrecheckResult> {
      const stage1 = assessText(text);
      if (stage1.level === 'none') return { kind: 'safe' };
      if (stage1.level === 'crisis') return escalate(ctx, stage1, 1, 'crisis_stage1', stage1.categories, null);

      if (!deps.stage2Enabled || !deps.confirm) return escalate(ctx, stage1, 1, 'crisis_unconfirmed', stage1.categories, null);

      let answer: SafetyConfirmation;
      try {
        const parsed = SafetyConfirmOutput.safeParse(await withTimeout(deps.confirm(text), timeoutMs));
        if (!parsed.success) return escalate(ctx, stage1, 2, 'crisis_fail_safe', stage1.categories, null);
        answer = parsed.data;
      } catch {
        return escalate(ctx, stage1, 2, 'crisis_fail_safe', stage1.categories, null);
      }

      if (answer.crisis) {
        const categories = answer.category && !stage1.categories.includes(answer.category) ? [answer.category, ...stage1.categories] : stage1.categories;
        return escalate(ctx, stage1, 2, 'crisis_confirmed', categories, answer.confidence);
      }
      if (answer.confidence < clearConfidence) return escalate(ctx, stage1, 2, 'crisis_fail_safe', stage1.categories, answer.confidence);

      // Cleared texts are recorded too: how often stage 2 overrules stage 1 is what tunes the rules.
      const resolvedCountry = resolveCrisisResources({ country: ctx.country, locale: ctx.locale }).country;
      await record({
        userId: ctx.userId,
        feature: ctx.feature,
        categories: stage1.categories,
        stage: 2,
        ruleIds: stage1.ruleIds,
        country: resolvedCountry,
        outcome: 'cleared_stage2',
        stage1Score: stage1.score,
        stage2Confidence: answer.confidence,
      });
      return { kind: 'safe' };
    },
  };
}
export type SafetyService = ReturnType<typeof createSafetyService>;
