import type { Stage1Result } from './fns.js';

/**
 * Risk over a conversation (a Mirror session): each message adds its evidence to what the session
 * already carries, so a crisis spread over several messages, none of which escalates alone, is
 * caught when the sum crosses the line; a calm message only lets the risk decay, never resets it.
 *
 * A message's evidence is the noisy-or of its stage-1 score (fired rules and the lowered weight of
 * set-aside matches) and of the classifier's probability above CLASSIFIER_FLOOR, rescaled.
 */

/** The share of a session's risk a new message carries forward. */
export const CONVERSATION_DECAY = 0.9;
/** A session whose risk reaches this, on a message that adds evidence, escalates. */
export const CONVERSATION_THRESHOLD = 0.55;

/** Classifier probabilities up to this add nothing: ordinary sad writing scores around it. */
const CLASSIFIER_FLOOR = 0.45;

/** The evidence one message adds, 0..1. */
export function messageEvidence(stage1: Pick<Stage1Result, 'level' | 'score'>, probability: number): number {
  if (stage1.level === 'crisis') return 1;
  const classifier = Math.max(0, (probability - CLASSIFIER_FLOOR) / (1 - CLASSIFIER_FLOOR));
  return round(1 - (1 - stage1.score) * (1 - classifier));
}

/** The session's risk after a message with this evidence. */
export function accumulateRisk(prior: number, evidence: number): number {
  return round(1 - (1 - CONVERSATION_DECAY * clamp(prior)) * (1 - clamp(evidence)));
}

/** Whether the session escalates on this message: only a message that adds evidence does. */
export function conversationEscalates(risk: number, evidence: number): boolean {
  return evidence > 0 && risk >= CONVERSATION_THRESHOLD;
}

const clamp = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const round = (x: number) => Math.round(x * 10000) / 10000;
