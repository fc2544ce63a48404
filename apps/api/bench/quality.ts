/**
 * Local engine quality on PatternReframe (Maddela et al., 2023): one trap per thought (the engine's
 * highest-confidence fragment, or none), scored per trap against the human label, next to a
 * majority-class baseline. The data lives outside the repository in ../shared/data/ and is never copied in.
 *
 *   npx tsx apps/api/bench/quality.ts                 # valid and train, table + one JSON line each
 *   npx tsx apps/api/bench/quality.ts --split train   # one split
 *   npx tsx apps/api/bench/quality.ts --cues          # per-cue precision on train, for tuning weights
 *   npx tsx apps/api/bench/quality.ts --errors 20     # misses and confusions on train, for tuning rules
 *   npx tsx apps/api/bench/quality.ts --tune          # coordinate ascent of cue weights on train macro-F1
 *   npx tsx apps/api/bench/quality.ts --fit-abstention # the abstention model and its threshold, on train
 *   npx tsx apps/api/bench/quality.ts --neutral       # false-fragment rates on neutral text only
 *   npx tsx apps/api/bench/quality.ts --reframes      # reframe fit rules (quality-reframes.ts) only
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TrapId } from '@kalei/contracts/taxonomy';
import { analyze, cueHits, detectFragments, MIN_CONFIDENCE, scoreAnalysis } from '../src/modules/ai-gateway/local/detect.js';
import { createLocalEngine } from '../src/modules/ai-gateway/local/engine.js';
import { cues } from '../src/modules/ai-gateway/local/lexicon.js';
import {
  expectedCalibrationError,
  majorityLabel,
  scorePredictions,
  type QualityScore,
} from '../src/modules/ai-gateway/local/scoring.js';

import { fitAbstention } from './quality-abstain.js';
import { dataDir, load, type Split } from './quality-data.js';
import { neutralFigures, printNeutral } from './quality-neutral.js';
import { printReframes, reframeFigures } from './quality-reframes.js';

const engine = createLocalEngine();

function predict(thought: string): { trap: TrapId; confidence: number } | null {
  const { fragments } = engine.run('mirror.detectFragments', { text: thought });
  const top = fragments.reduce<(typeof fragments)[number] | null>(
    (best, f) => (best === null || f.confidence > best.confidence ? f : best),
    null,
  );
  return top ? { trap: top.trap, confidence: top.confidence } : null;
}

const pct = (x: number): string => (x * 100).toFixed(1).padStart(5);

function table(engineScore: QualityScore<TrapId>, baseline: QualityScore<TrapId>): string {
  const lines = [
    '| trap | support | P | R | F1 | baseline P | baseline R | baseline F1 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  engineScore.perClass.forEach((c, i) => {
    const b = baseline.perClass[i];
    lines.push(
      `| ${c.label} | ${c.support} | ${pct(c.precision)} | ${pct(c.recall)} | ${pct(c.f1)} | ${pct(b?.precision ?? 0)} | ${pct(b?.recall ?? 0)} | ${pct(b?.f1 ?? 0)} |`,
    );
  });
  lines.push(
    `| **macro-F1** | ${engineScore.n} | | | **${pct(engineScore.macroF1)}** | | | ${pct(baseline.macroF1)} |`,
    '',
    `coverage ${pct(engineScore.coverage)}% (baseline ${pct(baseline.coverage)}%), accuracy ${pct(engineScore.accuracy)}% (baseline ${pct(baseline.accuracy)}%), predictions outside the 10 labels: ${engineScore.outOfSet}`,
  );
  return lines.join('\n');
}

function evaluate(split: Split, majority: TrapId | null): void {
  const rows = load(split);
  const labels = [...new Set(rows.map((r) => r.gold))].sort();
  const predictions = rows.map((r) => ({ row: r, prediction: predict(r.thought) }));
  const engineScore = scorePredictions(
    predictions.map(({ row, prediction }) => ({ gold: row.gold, predicted: prediction?.trap ?? null })),
    labels,
  );
  const baseline = scorePredictions(
    rows.map((r) => ({ gold: r.gold, predicted: majority })),
    labels,
  );
  const ece = expectedCalibrationError(
    predictions.flatMap(({ row, prediction }) =>
      prediction ? [{ confidence: prediction.confidence, correct: prediction.trap === row.gold }] : [],
    ),
  );
  console.log(`\n## PatternReframe ${split} (${rows.length} thoughts), engine ${engine.version}\n`);
  console.log(table(engineScore, baseline));
  console.log(`calibration: expected calibration error of the top fragment's confidence ${ece.toFixed(3)}\n`);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  console.log(
    JSON.stringify({
      bench: 'local-engine-quality',
      dataset: 'patternreframe',
      split,
      engine: engine.version,
      n: rows.length,
      macroF1: round(engineScore.macroF1),
      accuracy: round(engineScore.accuracy),
      coverage: round(engineScore.coverage),
      ece: round(ece),
      perTrap: Object.fromEntries(
        engineScore.perClass.map((c) => [c.label, { p: round(c.precision), r: round(c.recall), f1: round(c.f1), n: c.support }]),
      ),
      baseline: {
        label: majority,
        macroF1: round(baseline.macroF1),
        accuracy: round(baseline.accuracy),
        coverage: round(baseline.coverage),
        perTrap: Object.fromEntries(
          baseline.perClass.map((c) => [c.label, { p: round(c.precision), r: round(c.recall), f1: round(c.f1) }]),
        ),
      },
    }),
  );
}

/** Per-cue firing counts and precision on train: the numbers the lexicon weights are set from. */
function cueReport(): void {
  const rows = load('train');
  const stats = new Map<string, { trap: TrapId; fires: number; hits: number }>();
  for (const row of rows) {
    const seen = new Set<string>();
    for (const h of cueHits(row.thought)) {
      if (seen.has(h.cue.id)) continue;
      seen.add(h.cue.id);
      const s = stats.get(h.cue.id) ?? { trap: h.cue.trap, fires: 0, hits: 0 };
      s.fires++;
      if (h.cue.trap === row.gold) s.hits++;
      stats.set(h.cue.id, s);
    }
  }
  console.log('| cue | trap | fires | precision | smoothed |');
  console.log('|---|---|---:|---:|---:|');
  for (const [id, s] of [...stats].sort(([, a], [, b]) => a.trap.localeCompare(b.trap) || b.fires - a.fires)) {
    // Laplace smoothing towards one half keeps a cue seen five times from claiming certainty.
    const smoothed = (s.hits + 1) / (s.fires + 2);
    console.log(`| ${id} | ${s.trap} | ${s.fires} | ${pct(s.hits / s.fires)} | ${smoothed.toFixed(2)} |`);
  }
}

/** Misses and confusions on train, to see which rules to add or narrow. */
function errorReport(limit: number): void {
  const rows = load('train');
  const confusion = new Map<string, number>();
  const examples = new Map<string, string[]>();
  for (const row of rows) {
    const predicted = predict(row.thought)?.trap ?? 'none';
    if (predicted === row.gold) continue;
    const key = `${row.gold} -> ${predicted}`;
    confusion.set(key, (confusion.get(key) ?? 0) + 1);
    const list = examples.get(key) ?? [];
    if (list.length < limit) list.push(row.thought);
    examples.set(key, list);
  }
  for (const [key, count] of [...confusion].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`\n### ${key}: ${count}`);
    for (const t of examples.get(key) ?? []) console.log(`  - ${t}`);
  }
}

/**
 * Coordinate ascent over cue weights, maximising macro-F1 on train only. Prints the weights to
 * copy into lexicon.ts; valid stays untouched until the final check.
 */
function tuneWeights(): void {
  const rows = load('train');
  const labels = [...new Set(rows.map((r) => r.gold))].sort();
  const analyses = rows.map((r) => analyze(r.thought));
  const weights = new Map(cues.map((c) => [c.id, c.weight]));
  const threshold = MIN_CONFIDENCE;
  const macroF1 = (): number => {
    const examples = analyses.map((a, i) => {
      const fragments = scoreAnalysis(a, (c) => weights.get(c.id) ?? c.weight, threshold);
      const top = fragments.reduce<(typeof fragments)[number] | null>(
        (best, f) => (best === null || f.confidence > best.confidence ? f : best),
        null,
      );
      return { gold: rows[i]?.gold ?? 'labeling', predicted: top?.trap ?? null };
    });
    return scorePredictions(examples, labels).macroF1;
  };
  // Every cue keeps a weight at or above the emission threshold, so tuning can rank cues but never
  // silence one: a rule that is rare in this data may still be the right call in someone's journal.
  // The top of the grid stays below certainty: a rare cue that was right four times out of four on
  // train has earned a strong vote, not a veto.
  const grid = Array.from({ length: 11 }, (_, i) => Math.round((MIN_CONFIDENCE + i * 0.05) * 100) / 100);
  // Traps PatternReframe does not label (blaming, comparing, emotional reasoning) keep their hand-set weights:
  // this data could only ever teach them to stay quiet.
  const tunable = cues.filter((c) => (labels as readonly string[]).includes(c.trap));
  let best = macroF1();
  console.log(`start macro-F1 ${best.toFixed(4)}`);
  for (let pass = 0; pass < 3; pass++) {
    for (const c of tunable) {
      const current = weights.get(c.id) ?? c.weight;
      let chosen = current;
      for (const w of grid) {
        weights.set(c.id, w);
        const f1 = macroF1();
        // A weight only moves for a gain worth a few examples, not for noise.
        if (f1 > best + 0.001) {
          best = f1;
          chosen = w;
        }
      }
      weights.set(c.id, chosen);
    }
    console.log(`pass ${pass + 1}: macro-F1 ${best.toFixed(4)}`);
  }
  console.log(JSON.stringify(Object.fromEntries(weights)));
  console.log(JSON.stringify(fitCalibration(analyses.map((a, i) => ({ analysis: a, gold: rows[i]?.gold })), weights)));
}

/**
 * Fits the score-to-probability curve: the top fragment's raw score against whether it named the
 * human label, in equal-count bins, made monotone by pooling adjacent violators.
 */
function fitCalibration(
  examples: { analysis: ReturnType<typeof analyze>; gold: TrapId | undefined }[],
  weights: ReadonlyMap<string, number>,
  bins = 8,
): [number, number][] {
  const points = examples
    .flatMap(({ analysis, gold }) => {
      const fragments = scoreAnalysis(analysis, (c) => weights.get(c.id) ?? c.weight);
      const top = fragments.reduce<(typeof fragments)[number] | null>(
        (best, f) => (best === null || f.confidence > best.confidence ? f : best),
        null,
      );
      return top ? [{ score: top.confidence, correct: top.trap === gold ? 1 : 0 }] : [];
    })
    .sort((a, b) => a.score - b.score);
  const size = Math.ceil(points.length / bins);
  let blocks = Array.from({ length: bins }, (_, i) => points.slice(i * size, (i + 1) * size))
    .filter((b) => b.length > 0)
    .map((b) => ({
      n: b.length,
      score: b.reduce((s, p) => s + p.score, 0) / b.length,
      accuracy: b.reduce((s, p) => s + p.correct, 0) / b.length,
    }));
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 1; i < blocks.length; i++) {
      const a = blocks[i - 1];
      const b = blocks[i];
      if (!a || !b || a.accuracy < b.accuracy) continue;
      const n = a.n + b.n;
      blocks = [
        ...blocks.slice(0, i - 1),
        { n, score: (a.score * a.n + b.score * b.n) / n, accuracy: (a.accuracy * a.n + b.accuracy * b.n) / n },
        ...blocks.slice(i + 1),
      ];
      merged = true;
      break;
    }
  }
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  return blocks.map((b) => [r2(b.score), r2(b.accuracy)]);
}

function detectFragmentsSummary(text: string): unknown {
  return detectFragments(text).map((f) => ({ trap: f.trap, confidence: f.confidence, cues: f.cueIds, text: text.slice(f.start, f.end) }));
}

function main(): void {
  const { values } = parseArgs({
    options: {
      split: { type: 'string', default: 'both' },
      cues: { type: 'boolean', default: false },
      errors: { type: 'string' },
      tune: { type: 'boolean', default: false },
      neutral: { type: 'boolean', default: false },
      reframes: { type: 'boolean', default: false },
      'fit-abstention': { type: 'boolean', default: false },
      'show-flagged': { type: 'string' },
    },
  });
  if (!existsSync(resolve(dataDir, 'train.txt')) || !existsSync(resolve(dataDir, 'valid.txt'))) {
    console.log(`skipped: data absent (looked in ${dataDir})`);
    return;
  }
  if (values.cues) return cueReport();
  if (values.tune) return tuneWeights();
  if (values['fit-abstention']) return fitAbstention(Number(process.env.ABSTAIN_MAX_FFR ?? 0.2), Number(process.env.ABSTAIN_LAMBDA ?? 0.002));
  if (values.errors !== undefined) return errorReport(Number(values.errors) || 10);
  // The baseline learns its one label from train, as the engine's rules did.
  const majority = majorityLabel(load('train').map((r) => r.gold));
  const splits: Split[] = values.split === 'both' ? ['valid', 'valid-holdout', 'train'] : [values.split as Split];
  if (values['show-flagged'] !== undefined) {
    // For tuning: the neutral train texts that still get a fragment, with what fired.
    let shown = 0;
    const limit = Number(values['show-flagged']) || 20;
    neutralFigures('train', true, (text) => {
      if (shown++ < limit) console.log(`- ${JSON.stringify(detectFragmentsSummary(text))}`);
    });
    return;
  }
  for (const split of splits) {
    if (values.reframes) {
      printReframes(reframeFigures(split));
      continue;
    }
    if (!values.neutral) evaluate(split, majority);
    printNeutral(neutralFigures(split, split === 'valid'));
    if (!values.neutral && split !== 'train') printReframes(reframeFigures(split));
  }
}

main();
