/**
 * Fits the abstention model (src/modules/ai-gateway/local/abstention.ts) on the PatternReframe train
 * split only, and picks its threshold on train: the highest macro-F1 on train thoughts whose
 * false-fragment rate on train's long neutral texts stays at or under `maxFalseFragmentRate`.
 * Valid is not read here. Prints the model to paste into abstention.ts.
 */
import type { TrapId } from '@kalei/contracts/taxonomy';
import { abstentionProbability, featureNames, type AbstentionModel } from '../src/modules/ai-gateway/local/abstention.js';
import { analyze, fragmentFeatures, scoreAnalysis, type ScoredFragment } from '../src/modules/ai-gateway/local/detect.js';
import { neutralJournalTune } from '../src/modules/ai-gateway/local/fixtures/neutral-journal.js';
import { scorePredictions } from '../src/modules/ai-gateway/local/scoring.js';
import { load, longDistorted, neutralTexts } from './quality-data.js';

type Example = { features: ReturnType<typeof fragmentFeatures>; label: 0 | 1 };

function fragmentsOf(text: string): { analysis: ReturnType<typeof analyze>; fragments: ScoredFragment[] } {
  const analysis = analyze(text);
  return { analysis, fragments: scoreAnalysis(analysis) };
}

function fit(examples: readonly Example[], lambda: number, epochs = 400, rate = 0.5): AbstentionModel {
  const d = featureNames.length;
  const numeric = new Array<number>(d).fill(0);
  const trap: Record<string, number> = {};
  const cue: Record<string, number> = {};
  const positives = examples.filter((e) => e.label === 1).length;
  const negatives = examples.length - positives;
  // Balanced classes: each class carries half the loss, whatever its size.
  const weightOf = (label: 0 | 1): number => (label === 1 ? 0.5 / positives : 0.5 / negatives);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gNumeric = new Array<number>(d).fill(0);
    const gTrap: Record<string, number> = {};
    const gCue: Record<string, number> = {};
    for (const e of examples) {
      const p = abstentionProbability({ numeric, trap, cue, threshold: 0 }, e.features);
      const g = (p - e.label) * weightOf(e.label);
      e.features.numeric.forEach((x, i) => {
        gNumeric[i] = (gNumeric[i] ?? 0) + g * x;
      });
      gTrap[e.features.trap] = (gTrap[e.features.trap] ?? 0) + g;
      gCue[e.features.cue] = (gCue[e.features.cue] ?? 0) + g;
    }
    numeric.forEach((w, i) => {
      numeric[i] = w - rate * ((gNumeric[i] ?? 0) + (i === 0 ? 0 : lambda * w));
    });
    for (const [k, g] of Object.entries(gTrap)) trap[k] = (trap[k] ?? 0) - rate * (g + lambda * (trap[k] ?? 0));
    // Cue biases are shrunk harder: most cues fire a handful of times.
    for (const [k, g] of Object.entries(gCue)) cue[k] = (cue[k] ?? 0) - rate * (g + 4 * lambda * (cue[k] ?? 0));
  }
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    numeric: numeric.map(r),
    trap: Object.fromEntries(Object.entries(trap).map(([k, v]) => [k, r(v)])) as AbstentionModel['trap'],
    cue: Object.fromEntries(Object.entries(cue).filter(([, v]) => Math.abs(v) >= 0.05).map(([k, v]) => [k, r(v)])),
    threshold: 0,
  };
}

export function fitAbstention(maxFalseFragmentRate = 0.2, lambda = 0.002): void {
  const rows = load('train');
  const examples: Example[] = [];
  for (const row of rows) {
    const { analysis, fragments } = fragmentsOf(row.thought);
    for (const f of fragments) if (f.trap === row.gold) examples.push({ features: fragmentFeatures(analysis, f), label: 1 });
  }
  // The same thoughts inside longer text built like the neutral long texts: a trap among calm sentences.
  for (const long of longDistorted(rows)) {
    const { analysis, fragments } = fragmentsOf(long.text);
    for (const f of fragments) if (f.start >= long.offset && f.trap === long.gold) examples.push({ features: fragmentFeatures(analysis, f), label: 1 });
  }
  const neutral = [...neutralTexts(rows).map((t) => t.text), ...neutralJournalTune];
  for (const text of neutral) {
    const { analysis, fragments } = fragmentsOf(text);
    for (const f of fragments) examples.push({ features: fragmentFeatures(analysis, f), label: 0 });
  }
  console.log(`examples: ${examples.filter((e) => e.label === 1).length} trap fragments, ${examples.filter((e) => e.label === 0).length} neutral fragments`);
  const model = fit(examples, lambda);

  // The threshold, on train only.
  const labels = [...new Set(rows.map((r) => r.gold))].sort();
  const thoughts = rows.map((r) => ({ ...fragmentsOf(r.thought), gold: r.gold }));
  const longNeutral = neutralTexts(rows).filter((t) => t.kind === 'persona+reframes').map((t) => fragmentsOf(t.text));
  const top = (a: ReturnType<typeof analyze>, fragments: ScoredFragment[], threshold: number): TrapId | null => {
    const kept = fragments.filter((f) => abstentionProbability(model, fragmentFeatures(a, f)) >= threshold);
    return kept.reduce<ScoredFragment | null>((best, f) => (best === null || f.confidence > best.confidence ? f : best), null)?.trap ?? null;
  };
  let chosen = { threshold: 0, macroF1: 0, ffr: 1 };
  console.log('| threshold | train macro-F1 | train long-neutral false-fragment rate |\n|---:|---:|---:|');
  for (let t = 0; t <= 0.9; t = Math.round((t + 0.025) * 1000) / 1000) {
    const macroF1 = scorePredictions(
      thoughts.map((x) => ({ gold: x.gold, predicted: top(x.analysis, x.fragments, t) })),
      labels,
    ).macroF1;
    const ffr = longNeutral.filter((x) => top(x.analysis, x.fragments, t) !== null).length / longNeutral.length;
    console.log(`| ${t.toFixed(3)} | ${(macroF1 * 100).toFixed(1)} | ${(ffr * 100).toFixed(1)} |`);
    if (ffr <= maxFalseFragmentRate && macroF1 > chosen.macroF1) chosen = { threshold: t, macroF1, ffr };
  }
  console.log(`chosen threshold ${chosen.threshold} (train macro-F1 ${(chosen.macroF1 * 100).toFixed(1)}, long-neutral false-fragment rate ${(chosen.ffr * 100).toFixed(1)}%)`);
  console.log(JSON.stringify({ ...model, threshold: chosen.threshold }));
}
