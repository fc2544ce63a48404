/**
 * Scores of the `fragments` task of `npm run eval`: per-trap precision, recall and F1 on the texts a
 * human labelled with a trap, and distorted-vs-not detection (does the engine mark anything at all)
 * with the false-fragment rate on the texts labelled as not distorted.
 */
import { mapTrapLabel, type TrapId } from '@kalei/contracts/taxonomy';
import { isNoDistortionLabel, scoreDetection, scorePredictions } from './modules/ai-gateway/local/scoring.js';

/** The gold of one line: a Kalei trap, 'none' for a no-distortion label, or null when the label has no Kalei equivalent. */
export function fragmentGold(label: string): TrapId | 'none' | null {
  if (isNoDistortionLabel(label)) return 'none';
  return mapTrapLabel(label);
}

const pct = (x: number): string => (x * 100).toFixed(1);

/** The report, as markdown lines. `predictions` are each text's highest-confidence trap, null when it got no fragment. */
export function fragmentReport(golds: readonly (TrapId | 'none')[], predictions: readonly (string | null)[]): string[] {
  const out: string[] = [];
  const traps = [...new Set(golds.filter((g): g is TrapId => g !== 'none'))].sort();
  if (traps.length > 0) {
    // Every line counts: a trap predicted on an undistorted text lowers that trap's precision.
    const score = scorePredictions(
      golds.map((gold, i) => ({ gold: gold as string, predicted: predictions[i] ?? null })),
      traps as string[],
    );
    out.push('', '| trap | support | precision | recall | F1 |', '|---|---:|---:|---:|---:|');
    for (const c of score.perClass) out.push(`| ${c.label} | ${c.support} | ${pct(c.precision)} | ${pct(c.recall)} | ${pct(c.f1)} |`);
    const distorted = golds.map((g, i) => [g, predictions[i] ?? null] as const).filter(([g]) => g !== 'none');
    const onDistorted = scorePredictions(
      distorted.map(([gold, predicted]) => ({ gold: gold as string, predicted })),
      traps as string[],
    );
    out.push(
      '',
      `macro-F1 ${pct(score.macroF1)} over ${traps.length} traps, n ${score.n}` +
        ` (on the ${distorted.length} distorted texts alone: macro-F1 ${pct(onDistorted.macroF1)}, accuracy ${pct(onDistorted.accuracy)}%, coverage ${pct(onDistorted.coverage)}%)`,
    );
  }
  const detection = scoreDetection(golds.map((g, i) => ({ distorted: g !== 'none', flagged: (predictions[i] ?? null) !== null })));
  out.push(
    '',
    '| distorted vs not | distorted | not distorted | flagged | precision | recall | F1 | false-fragment rate |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    `| any fragment | ${detection.distorted} | ${detection.notDistorted} | ${detection.flagged} | ${pct(detection.precision)} | ${pct(detection.recall)} | ${pct(detection.f1)} | ${detection.falseFragmentRate === null ? 'n/a' : pct(detection.falseFragmentRate)} |`,
  );
  const labels = [...new Set([...golds, ...predictions.map((p) => p ?? 'none')])].sort();
  out.push('', `confusion (rows: label, columns: prediction; none = no fragment)`, `| | ${labels.join(' | ')} |`, `|---|${labels.map(() => '---:').join('|')}|`);
  for (const gold of labels) {
    const cells = labels.map((predicted) => golds.filter((g, i) => g === gold && (predictions[i] ?? 'none') === predicted).length);
    if (cells.some((n) => n > 0)) out.push(`| ${gold} | ${cells.join(' | ')} |`);
  }
  return out;
}
