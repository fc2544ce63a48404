import type { SafetyCategory } from '@kalei/contracts/ai-tasks';
import { loadCrisisModel, scoreCrisis, thresholdFor, type CrisisModel } from './classifier.js';
import { assessText, type Stage1Result } from './fns.js';
import { normalizeForSafety } from './normalise.js';

/** The learned stage 2's verdict on one text: the classifier's probability against its threshold. */
export interface LocalVerdict {
  crisis: boolean;
  /** Calibrated probability of crisis. */
  probability: number;
  threshold: number;
  category: SafetyCategory | null;
  /** The weights file's version, recorded with every event it decides. */
  version: string;
}

/**
 * Scores a text with the committed classifier, held to the threshold for what stage 1 found
 * (ambiguous, or nothing in a short or a long text). Pure and synchronous; under a millisecond
 * for a 2 KB text (npm run bench).
 */
export function judgeLocally(text: string, stage1: Pick<Stage1Result, 'level' | 'categories'>, model: CrisisModel = loadCrisisModel()): LocalVerdict {
  const score = scoreCrisis(model, normalizeForSafety(text));
  const threshold = thresholdFor(model, score, stage1.level === 'ambiguous');
  const crisis = stage1.level === 'crisis' || score.probability >= threshold;
  return {
    crisis,
    probability: score.probability,
    threshold,
    category: crisis ? (stage1.categories[0] ?? 'suicidal_ideation') : null,
    version: model.version,
  };
}

/**
 * The answer the local engine gives for `safety.confirm` (wired in services.ts), in the model
 * lane's shape: its confidence is that of the verdict it gives.
 */
export function confirmLocally(text: string, model: CrisisModel = loadCrisisModel()) {
  const verdict = judgeLocally(text, assessText(text), model);
  return { crisis: verdict.crisis, category: verdict.category, confidence: verdict.crisis ? verdict.probability : Math.round((1 - verdict.probability) * 10000) / 10000 };
}
