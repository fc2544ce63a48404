import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { forEachFeature } from './features.js';

/**
 * The learned local stage 2: a logistic regression over hashed word and character n-grams
 * (features.ts), trained offline by `npm run train:crisis` (apps/api/scripts/train-crisis.ts) and
 * shipped as a versioned weights file in this folder. Its raw score is Platt-calibrated into a
 * probability of crisis; the thresholds were chosen on a calibration split for recall first
 * (docs/safety.md). Nothing is downloaded: the runtime reads only the committed file.
 */

/** The committed weights. The path climbs to `src/` so that the built `dist/` copy finds the same file. */
export const CRISIS_MODEL_FILE = fileURLToPath(new URL('../../../src/modules/safety/model/crisis-lr.json', import.meta.url));

/**
 * The sum of weights is divided by the square root of the feature count, but never of less than
 * this (about 120 characters): a few words carry little evidence, and dividing by a tiny count would
 * let one n-gram decide a one-line text. Shorter texts are also not gated by the classifier: only
 * stage 1's rules send them on.
 */
export const MIN_NORM = 400;

export const CrisisModelFile = z.object({
  format: z.literal('kalei-crisis-linear/1'),
  version: z.string().min(1),
  bits: z.number().int().min(10).max(22),
  bias: z.number(),
  /** Weights are stored as little-endian int16 times this scale, base64-encoded. */
  scale: z.number().positive(),
  weights: z.string(),
  /** Platt scaling: p = 1 / (1 + exp(-(a * raw + b))). */
  calibration: z.object({ a: z.number(), b: z.number() }),
  thresholds: z.object({
    /** A text stage 1 found nothing in, of at least MIN_NORM features, is sent on (or flagged) at this probability. */
    gate: z.number().min(0).max(1),
    /** A text stage 1 found ambiguous counts as crisis at this probability. */
    ambiguous: z.number().min(0).max(1),
  }),
  trainedAt: z.string(),
  /** Counts and figures from training, for docs and review; not used at run time. */
  report: z.record(z.string(), z.unknown()).optional(),
});
export type CrisisModelFile = z.infer<typeof CrisisModelFile>;



export interface CrisisModel {
  version: string;
  bits: number;
  bias: number;
  weights: ArrayLike<number>;
  calibration: { a: number; b: number };
  thresholds: { gate: number; ambiguous: number };
}

/** Decodes a weights file (already parsed JSON) into a model; throws when its shape is wrong. */
export function decodeCrisisModel(json: unknown): CrisisModel {
  const file = CrisisModelFile.parse(json);
  const bytes = Buffer.from(file.weights, 'base64');
  const size = 1 << file.bits;
  if (bytes.length !== size * 2) throw new Error(`crisis model ${file.version}: ${bytes.length} weight bytes, expected ${size * 2}`);
  const weights = new Float32Array(size);
  for (let i = 0; i < size; i++) weights[i] = bytes.readInt16LE(i * 2) * file.scale;
  return { version: file.version, bits: file.bits, bias: file.bias, weights, calibration: file.calibration, thresholds: file.thresholds };
}

let committed: CrisisModel | null = null;

/** The committed model, read once. */
export function loadCrisisModel(): CrisisModel {
  committed ??= decodeCrisisModel(JSON.parse(readFileSync(CRISIS_MODEL_FILE, 'utf8')));
  return committed;
}

/** The uncalibrated linear score of a normalised text. */
export function rawCrisisScore(model: CrisisModel, normalised: string, featureCount?: (n: number) => void): number {
  const { weights } = model;
  let sum = 0;
  const count = forEachFeature(normalised, model.bits, (bucket) => {
    sum += weights[bucket] as number;
  });
  featureCount?.(count);
  return model.bias + sum / Math.sqrt(Math.max(count, MIN_NORM));
}

/** Platt scaling of a raw score into a probability of crisis. */
export function calibrate(model: Pick<CrisisModel, 'calibration'>, raw: number): number {
  return 1 / (1 + Math.exp(-(model.calibration.a * raw + model.calibration.b)));
}

export interface CrisisScore {
  /** Calibrated probability of crisis, rounded to 4 places. */
  probability: number;
  /** Whether the text is short (fewer than MIN_NORM features): the classifier does not gate it. */
  short: boolean;
}

/** The calibrated probability that a normalised text is a crisis. */
export function scoreCrisis(model: CrisisModel, normalised: string): CrisisScore {
  let count = 0;
  const raw = rawCrisisScore(model, normalised, (n) => (count = n));
  return { probability: Math.round(calibrate(model, raw) * 10000) / 10000, short: count < MIN_NORM };
}

/** The threshold a score is held to, given what stage 1 found; a short text stage 1 cleared is not gated (Infinity). */
export function thresholdFor(model: Pick<CrisisModel, 'thresholds'>, score: CrisisScore, stage1Ambiguous: boolean): number {
  if (stage1Ambiguous) return model.thresholds.ambiguous;
  return score.short ? Infinity : model.thresholds.gate;
}
