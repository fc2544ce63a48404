/** One labelled example: the human label and the system's single prediction (null when it abstained). */
export interface LabelledPrediction<L extends string = string> {
  gold: L;
  predicted: L | null;
}

export interface ClassScore<L extends string = string> {
  label: L;
  precision: number;
  recall: number;
  f1: number;
  /** How many examples carry this gold label. */
  support: number;
  /** How many examples were predicted as this label. */
  predicted: number;
  truePositives: number;
}

export interface QualityScore<L extends string = string> {
  perClass: ClassScore<L>[];
  /** Unweighted mean of the per-class F1 over `labels`. */
  macroF1: number;
  /** Share of all examples predicted correctly (abstentions count as wrong). */
  accuracy: number;
  /** Share of examples with any prediction at all. */
  coverage: number;
  /** Predictions of a label outside the scored label set (they can only hurt recall). */
  outOfSet: number;
  n: number;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * Per-class precision, recall and F1, macro-F1, accuracy and coverage for single-label predictions.
 * `labels` fixes the classes scored (default: every gold label seen); a class never predicted has precision 0.
 */
export function scorePredictions<L extends string>(
  examples: readonly LabelledPrediction<L>[],
  labels?: readonly L[],
): QualityScore<L> {
  const classes = labels ?? [...new Set(examples.map((e) => e.gold))].sort();
  const inSet = new Set<string>(classes);
  const perClass = classes.map((label): ClassScore<L> => {
    let support = 0;
    let predicted = 0;
    let truePositives = 0;
    for (const e of examples) {
      if (e.gold === label) support++;
      if (e.predicted === label) predicted++;
      if (e.gold === label && e.predicted === label) truePositives++;
    }
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { label, precision, recall, f1, support, predicted, truePositives };
  });
  const n = examples.length;
  return {
    perClass,
    macroF1: ratio(
      perClass.reduce((sum, c) => sum + c.f1, 0),
      perClass.length,
    ),
    accuracy: ratio(examples.filter((e) => e.predicted !== null && e.predicted === e.gold).length, n),
    coverage: ratio(examples.filter((e) => e.predicted !== null).length, n),
    outOfSet: examples.filter((e) => e.predicted !== null && !inSet.has(e.predicted)).length,
    n,
  };
}

/** The most frequent label (ties broken alphabetically), the prediction of a majority-class baseline. */
export function majorityLabel<L extends string>(golds: readonly L[]): L | null {
  const counts = new Map<L, number>();
  for (const g of golds) counts.set(g, (counts.get(g) ?? 0) + 1);
  let best: L | null = null;
  let bestCount = -1;
  for (const [label, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > bestCount) {
      best = label;
      bestCount = count;
    }
  }
  return best;
}

/** One prediction's stated confidence and whether it turned out right. */
export interface ConfidenceOutcome {
  confidence: number;
  correct: boolean;
}

/**
 * Expected calibration error: the gap between stated confidence and observed accuracy, averaged
 * over equal-width confidence bins and weighted by how many predictions fall in each.
 */
export function expectedCalibrationError(outcomes: readonly ConfidenceOutcome[], bins = 10): number {
  if (outcomes.length === 0) return 0;
  const buckets = Array.from({ length: bins }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const o of outcomes) {
    const bucket = buckets[Math.min(bins - 1, Math.floor(o.confidence * bins))];
    if (!bucket) continue;
    bucket.n++;
    bucket.confidence += o.confidence;
    bucket.correct += o.correct ? 1 : 0;
  }
  return buckets.reduce(
    (sum, b) => (b.n === 0 ? sum : sum + (b.n / outcomes.length) * Math.abs(b.confidence / b.n - b.correct / b.n)),
    0,
  );
}

/** Gold labels that mean "an annotator found no distortion here", in the spellings public datasets use. */
const noDistortionLabels = new Set(['none', 'no distortion', 'not distorted', 'no trap', 'undistorted']);

/** Whether a gold label says the text is not distorted (`none`, `No Distortion`, `Not distorted`, any case). */
export function isNoDistortionLabel(label: string): boolean {
  return noDistortionLabels.has(
    label
      .toLowerCase()
      .replace(/[^a-z]+/g, ' ')
      .trim(),
  );
}

/** Distorted-vs-not detection: does the system mark any fragment exactly when a human saw a distortion? */
export interface DetectionScore {
  /** Texts a human found distorted, and those the system marked. */
  distorted: number;
  notDistorted: number;
  flagged: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Share of undistorted texts that got at least one fragment (null when there are none). */
  falseFragmentRate: number | null;
}

/** Scores "any fragment" against "a human saw a distortion", over pairs of (gold distorted, system flagged). */
export function scoreDetection(examples: readonly { distorted: boolean; flagged: boolean }[]): DetectionScore {
  const distorted = examples.filter((e) => e.distorted).length;
  const notDistorted = examples.length - distorted;
  const flagged = examples.filter((e) => e.flagged).length;
  const truePositives = examples.filter((e) => e.distorted && e.flagged).length;
  const precision = ratio(truePositives, flagged);
  const recall = ratio(truePositives, distorted);
  return {
    distorted,
    notDistorted,
    flagged,
    truePositives,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    falseFragmentRate: notDistorted === 0 ? null : ratio(flagged - truePositives, notDistorted),
  };
}
