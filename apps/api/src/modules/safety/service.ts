import { SafetyConfirmOutput, type SafetyCategory } from '@kalei/contracts/ai-tasks';
import type { CrisisResponse } from '@kalei/contracts/safety';
import { loadCrisisModel, type CrisisModel } from './classifier.js';
import { accumulateRisk, conversationEscalates, messageEvidence } from './conversation.js';
import { assessText, type Stage1Result } from './fns.js';
import { judgeLocally, type LocalVerdict } from './local-stage2.js';
import { resolveCrisisResources } from './resources.js';
import { STAGE1_VERSION } from './rules.js';
import { buildCrisisResponse } from './templates.js';

/** What the optional stage-2 model answers for an ambiguous text. */
export type SafetyConfirmation = { crisis: boolean; category: SafetyCategory | null; confidence: number };

/** Who answered a confirmation: the lane's local engine (so the learned classifier decides) or a model. */
export type ConfirmedBy = { engine: 'local' } | { engine: 'model'; version: string };

export type SafetyOutcome =
  /** Stage 1 found crisis language. */
  | 'crisis_stage1'
  /** Stage 1 was unsure and the model confirmed a crisis. */
  | 'crisis_confirmed'
  /** Stage 1 was unsure and the model failed, timed out, answered out of shape or was not confident enough to clear it. */
  | 'crisis_fail_safe'
  /** The learned local classifier (stage 2 without a model, or with the model lane down) found a crisis. */
  | 'crisis_classifier'
  /** The learned local classifier cleared a text stage 1 or its own gate had sent on. */
  | 'cleared_classifier'
  /** No message alone, but the conversation's accumulated risk crossed the line (conversation.ts). */
  | 'crisis_conversation'
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
  /** The local classifier's calibrated probability of crisis; null when stage 1 decided alone. */
  classifierScore: number | null;
  /** Which rules and which stage 2 decided: `stage1@…+crisis-lr-…` or `stage1@…+model@prompt`. */
  version: string;
}

export interface PrecheckContext {
  userId: string;
  country: string | null;
  locale: string | null;
  /** The product feature asking (turn, mirror, lens, spectrum). */
  feature: string;
  /** The risk the conversation carries before this text (a Mirror session's safety_risk); absent for one-off texts. */
  priorRisk?: number;
}

export type PrecheckResult = { kind: 'safe' } | { kind: 'crisis'; response: CrisisResponse; event: SafetyEventRecord };

export interface SafetyDeps {
  /**
   * Stage 2: a low-latency model that confirms or clears an ambiguous text. An answer that says it
   * came from the local engine (`by.engine === 'local'`) hands the decision to the learned classifier.
   */
  confirm?: (text: string) => Promise<SafetyConfirmation & { by?: ConfirmedBy }>;
  /** The learned local stage 2 (default: the committed weights). */
  classifier?: CrisisModel;
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
  const classifier = deps.classifier ?? loadCrisisModel();
  const localVersion = `${STAGE1_VERSION}+${classifier.version}`;
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
    local: LocalVerdict | null,
    version: string,
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
      classifierScore: local?.probability ?? null,
      version,
    };
    await record(event);
    return { kind: 'crisis', response, event };
  };

  const decideLocally = async (ctx: PrecheckContext, stage1: Stage1Result, local: LocalVerdict): Promise<PrecheckResult> => {
    if (local.crisis) return escalate(ctx, stage1, 2, 'crisis_classifier', local.category ? [...new Set([local.category, ...stage1.categories])] : stage1.categories, null, local, localVersion);
    await record(clearedEvent(ctx, stage1, 'cleared_classifier', null, local, localVersion));
    return { kind: 'safe' };
  };

  const clearedEvent = (ctx: PrecheckContext, stage1: Stage1Result, outcome: SafetyOutcome, confidence: number | null, local: LocalVerdict, version: string): SafetyEventRecord => ({
    userId: ctx.userId,
    feature: ctx.feature,
    categories: stage1.categories,
    stage: 2,
    ruleIds: stage1.ruleIds,
    country: resolveCrisisResources({ country: ctx.country, locale: ctx.locale }).country,
    outcome,
    stage1Score: stage1.score,
    stage2Confidence: confidence,
    classifierScore: local.probability,
    version,
  });

  return {
    /**
     * A conversation's risk after one more text (what a Mirror session stores as its state): the
     * same computation precheck makes with `priorRisk`. Pure; the text is not kept.
     */
    conversationRisk(priorRisk: number, text: string): number {
      const stage1 = assessText(text);
      return accumulateRisk(priorRisk, messageEvidence(stage1, judgeLocally(text, stage1, classifier).probability));
    },

    /**
     * Checks one user text; a crisis result carries the response to return instead of any AI answer.
     * Stage 1 decides explicit crises alone; the learned classifier scores everything else and sends
     * on what stage 1 found ambiguous or what its own gate flags; the model lane, when configured and
     * up, confirms or clears those, and otherwise the classifier decides.
     */
    async precheck(text: string, ctx: PrecheckContext): Promise<PrecheckResult> {
      const stage1 = assessText(text);
      if (stage1.level === 'crisis') return escalate(ctx, stage1, 1, 'crisis_stage1', stage1.categories, null, null, STAGE1_VERSION);
      const local = judgeLocally(text, stage1, classifier);
      const categories: SafetyCategory[] = stage1.categories.length > 0 ? stage1.categories : ['suicidal_ideation'];
      if (ctx.priorRisk !== undefined) {
        const evidence = messageEvidence(stage1, local.probability);
        if (conversationEscalates(accumulateRisk(ctx.priorRisk, evidence), evidence)) return escalate(ctx, stage1, 2, 'crisis_conversation', categories, null, local, localVersion);
      }
      if (stage1.level === 'none' && !local.crisis) return { kind: 'safe' };

      if (!deps.stage2Enabled || !deps.confirm) return decideLocally(ctx, stage1, local);

      let answer: SafetyConfirmation;
      let version: string;
      try {
        const raw = await withTimeout(deps.confirm(text), timeoutMs);
        if (raw.by?.engine === 'local') return decideLocally(ctx, stage1, local);
        version = `${STAGE1_VERSION}+${raw.by?.engine === 'model' ? raw.by.version : 'model'}`;
        const parsed = SafetyConfirmOutput.safeParse(raw);
        if (!parsed.success) return escalate(ctx, stage1, 2, 'crisis_fail_safe', categories, null, local, version);
        answer = parsed.data;
      } catch {
        return escalate(ctx, stage1, 2, 'crisis_fail_safe', categories, null, local, `${STAGE1_VERSION}+model`);
      }

      if (answer.crisis) {
        const confirmed = answer.category && !categories.includes(answer.category) ? [answer.category, ...categories] : categories;
        return escalate(ctx, stage1, 2, 'crisis_confirmed', confirmed, answer.confidence, local, version);
      }
      if (answer.confidence < clearConfidence) return escalate(ctx, stage1, 2, 'crisis_fail_safe', categories, answer.confidence, local, version);

      // Cleared texts are recorded too: how often stage 2 overrules stage 1 is what tunes the rules.
      await record(clearedEvent(ctx, stage1, 'cleared_stage2', answer.confidence, local, version));
      return { kind: 'safe' };
    },
  };
}
export type SafetyService = ReturnType<typeof createSafetyService>;
