/**
 * Reframe fit on PatternReframe valid: every thought of the split through `turn.reframe` on the
 * local engine, and its three reframes checked by rules stated here (they use their own simple
 * patterns, not the engine's):
 *
 *  1. distinct techniques: the three reframes name three different techniques;
 *  2. no repeated quote: no phrase in “curly quotes” appears in two of the three (compared in
 *     lower case, punctuation ignored);
 *  3. subject fit, no template that assumes the wrong subject or time:
 *     a. others' behaviour ("their behaviour", "people act the way they do", "their reaction")
 *        when the thought's act is the writer's own ("I messed up ...") and nobody else acts;
 *     b. a self-directed label line ("what else is true about you", "your identity", "you made a
 *        mistake") when the label is about someone else ("he's a jerk") and the writer is not in it;
 *     c. an event that "happened" when the thought only looks ahead (a future marker, no past one);
 *  4. reported, not scored: when two traps are found, whether the second reframe uses a technique of the second.
 */
import { createLocalEngine } from '../src/modules/ai-gateway/local/engine.js';
import { techniquesFor } from '../src/modules/ai-gateway/local/techniques.js';
import { load, type Split } from './quality-data.js';

const engine = createLocalEngine();

const quotes = (text: string): string[] =>
  [...text.matchAll(/“([^”]+)”/g)].map((m) => (m[1] ?? '').toLowerCase().replace(/[^a-z0-9']+/g, ' ').trim()).filter(Boolean);

const selfAct = /\bI (?:just |really |totally )?(?:\w+ed|made|forgot|said|did|got|lost|broke|failed|messed|missed|ate|went|took|spent|wrote)\b/;
const otherAct = /\b(?:[Hh]e|[Ss]he|[Tt]hey|[Mm]y \w+|[Tt]he \w+|[Hh]is \w+|[Hh]er \w+|(?!I\b)[A-Z][a-z]+) (?:just |really )?(?:\w+ed|didn't|did not|hasn't|won't|said|left|forgot|made|got|took|gave|told|came)\b/;
const othersBehaviour = /\b(?:their behaviou?r|about their day|people act the way they do|their reaction)\b/i;
const otherLabel = /^(?:he|she|they|my \w+|[A-Z][a-z]+)(?:'s| is| are|'re) (?:a |an |such an? |so |the |just )?(?:complete |total |real |huge )?\w+/i;
const selfLabelLine = /\b(?:what else is true about you|your identity|you made a mistake|evidence about you)\b/i;
const future = /\b(?:will|'ll|won't|going to|gonna|tomorrow|next (?:week|month|year|time)|soon)\b/i;
const past = /\b(?:was|were|did|didn't|had|yesterday|last|ago|\w+ed|forgot|got|made|lost|said|broke|ate|went|took|left|came|gave|told|saw|fell|ran)\b/i;
const happened = /\b(?:this happened|that happened|one event|what happened)\b/i;

export interface ReframeFigures {
  split: Split;
  n: number;
  distinctTechniques: number;
  noRepeatedQuote: number;
  subjectFit: number;
  allRules: number;
  violations: { othersBehaviour: number; selfLabelOnOther: number; happenedOnFuture: number };
  secondTrapShown: { thoughts: number; shown: number };
}

export function reframeFigures(split: Split): ReframeFigures {
  const rows = load(split);
  let distinct = 0;
  let noRepeat = 0;
  let fits = 0;
  let all = 0;
  const violations = { othersBehaviour: 0, selfLabelOnOther: 0, happenedOnFuture: 0 };
  const second = { thoughts: 0, shown: 0 };
  for (const row of rows) {
    const out = engine.run('turn.reframe', { thought: row.thought });
    const texts = out.reframes.map((r) => r.text);
    const d = new Set(out.reframes.map((r) => r.technique)).size === 3;
    const seen = new Map<string, number>();
    texts.forEach((t, i) => {
      for (const q of new Set(quotes(t))) seen.set(q, (seen.get(q) ?? 0) | (1 << i));
    });
    const r = [...seen.values()].every((mask) => (mask & (mask - 1)) === 0);
    const a = selfAct.test(row.thought) && !otherAct.test(row.thought) && texts.some((t) => othersBehaviour.test(t));
    const b = otherLabel.test(row.thought) && !/\b(?:I|me|my)\b/.test(row.thought) && texts.some((t) => selfLabelLine.test(t));
    const c = future.test(row.thought) && !past.test(row.thought) && texts.some((t) => happened.test(t));
    if (a) violations.othersBehaviour++;
    if (b) violations.selfLabelOnOther++;
    if (c) violations.happenedOnFuture++;
    const fit = !a && !b && !c;
    distinct += d ? 1 : 0;
    noRepeat += r ? 1 : 0;
    fits += fit ? 1 : 0;
    all += d && r && fit ? 1 : 0;
    if (out.traps.length >= 2) second.thoughts++;
    // The second reframe is the second trap's: one of its techniques, on its words.
    const secondTrap = out.traps[1];
    if (secondTrap && out.reframes[1] && techniquesFor[secondTrap].includes(out.reframes[1].technique)) second.shown++;
  }
  const share = (x: number): number => Math.round((x / Math.max(1, rows.length)) * 1000) / 1000;
  return {
    split,
    n: rows.length,
    distinctTechniques: share(distinct),
    noRepeatedQuote: share(noRepeat),
    subjectFit: share(fits),
    allRules: share(all),
    violations,
    secondTrapShown: second,
  };
}

export function printReframes(f: ReframeFigures): void {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  console.log(`\n### Reframe fit, ${f.split} (${f.n} thoughts, three reframes each)\n`);
  console.log('| rule | thoughts passing |\n|---|---:|');
  console.log(`| 1. three distinct techniques | ${pct(f.distinctTechniques)} |`);
  console.log(`| 2. no quote repeated across reframes | ${pct(f.noRepeatedQuote)} |`);
  console.log(
    `| 3. subject and time fit (others' behaviour on own act: ${f.violations.othersBehaviour}, self label line on another's label: ${f.violations.selfLabelOnOther}, "happened" on a future-only thought: ${f.violations.happenedOnFuture}) | ${pct(f.subjectFit)} |`,
  );
  console.log(`| all three rules | ${pct(f.allRules)} |`);
  console.log(
    `\nthoughts with two or more traps found: ${f.secondTrapShown.thoughts}; second reframe uses a technique of the second trap: ${f.secondTrapShown.shown}`,
  );
  console.log(JSON.stringify({ bench: 'local-engine-reframes', ...f }));
}
