/**
 * Abstention on neutral text: how often the local engine marks a fragment in text with no trap,
 * and what that costs on distorted text. Sets: PatternReframe personas (short self-descriptions),
 * personas with annotators' reframes appended (long, journal-like), the repository's fixed neutral
 * journal entries, and long distorted texts (a persona followed by one of its thoughts).
 */
import type { TrapId } from '@kalei/contracts/taxonomy';
import { detectFragments } from '../src/modules/ai-gateway/local/detect.js';
import { neutralJournalHeldOut, neutralJournalTune } from '../src/modules/ai-gateway/local/fixtures/neutral-journal.js';
import { scoreDetection, scorePredictions } from '../src/modules/ai-gateway/local/scoring.js';
import { load, longDistorted, neutralTexts, type Split } from './quality-data.js';

/** The highest-confidence trap in a text, or in its part from `from` on. */
function topTrap(text: string, from = 0): TrapId | null {
  const fragments = detectFragments(text).filter((f) => f.start >= from);
  return fragments.reduce<(typeof fragments)[number] | null>((best, f) => (best === null || f.confidence > best.confidence ? f : best), null)?.trap ?? null;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const pct = (x: number): string => (x * 100).toFixed(1);

export interface NeutralFigures {
  split: Split;
  /** False-fragment rate per neutral set. */
  falseFragmentRate: Record<string, { n: number; rate: number; meanWords: number }>;
  longDistorted: { n: number; recall: number; macroF1: number };
  /** Thoughts and neutral long texts together: distorted-vs-not precision, recall, F1. */
  detection: { precision: number; recall: number; f1: number };
}

export function neutralFigures(split: Split, withJournal: boolean, limit?: (text: string) => void): NeutralFigures {
  const rows = load(split);
  const neutral = neutralTexts(rows);
  const sets: Record<string, string[]> = {
    persona: neutral.filter((t) => t.kind === 'persona').map((t) => t.text),
    'persona+reframes (long)': neutral.filter((t) => t.kind === 'persona+reframes').map((t) => t.text),
  };
  if (withJournal) {
    sets['neutral journal, tuning part'] = [...neutralJournalTune];
    sets['neutral journal, held out'] = [...neutralJournalHeldOut];
  }
  const falseFragmentRate: NeutralFigures['falseFragmentRate'] = {};
  const detectionExamples: { distorted: boolean; flagged: boolean }[] = [];
  for (const [name, texts] of Object.entries(sets)) {
    const flagged = texts.map((t) => {
      const hit = topTrap(t) !== null;
      if (hit) limit?.(t);
      return hit;
    });
    if (name === 'persona+reframes (long)') detectionExamples.push(...flagged.map((f) => ({ distorted: false, flagged: f })));
    falseFragmentRate[name] = {
      n: texts.length,
      rate: round(flagged.filter(Boolean).length / Math.max(1, texts.length)),
      meanWords: Math.round(texts.reduce((s, t) => s + t.split(/\s+/).length, 0) / Math.max(1, texts.length)),
    };
  }
  const long = longDistorted(rows);
  // Only what is marked inside the thought counts as finding it; the calm sentences before it are neutral.
  const predictions = long.map((l) => topTrap(l.text, l.offset));
  detectionExamples.push(...predictions.map((p) => ({ distorted: true, flagged: p !== null })));
  const labels = [...new Set(long.map((l) => l.gold))].sort();
  const score = scorePredictions(
    long.map((l, i) => ({ gold: l.gold, predicted: predictions[i] ?? null })),
    labels,
  );
  const detection = scoreDetection(detectionExamples);
  return {
    split,
    falseFragmentRate,
    longDistorted: { n: long.length, recall: round(score.coverage), macroF1: round(score.macroF1) },
    detection: { precision: round(detection.precision), recall: round(detection.recall), f1: round(detection.f1) },
  };
}

export function printNeutral(figures: NeutralFigures): void {
  console.log(`\n### Neutral text, ${figures.split}: false-fragment rate (share of texts with any fragment; target ≤ 25%)\n`);
  console.log('| set | n | mean words | false-fragment rate |\n|---|---:|---:|---:|');
  for (const [name, f] of Object.entries(figures.falseFragmentRate)) console.log(`| ${name} | ${f.n} | ${f.meanWords} | ${pct(f.rate)}% |`);
  console.log(
    `\nlong distorted (persona, two reframes, then the thought; n ${figures.longDistorted.n}): a fragment in the thought ${pct(figures.longDistorted.recall)}%, macro-F1 of the thought's top fragment ${pct(figures.longDistorted.macroF1)}` +
      `; distorted-vs-not on long texts: precision ${pct(figures.detection.precision)}, recall ${pct(figures.detection.recall)}, F1 ${pct(figures.detection.f1)}`,
  );
  console.log(JSON.stringify({ bench: 'local-engine-abstention', ...figures }));
}
