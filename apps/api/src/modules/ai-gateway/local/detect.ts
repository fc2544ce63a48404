import type { DetectedFragment } from '@kalei/contracts/ai-tasks';
import type { TrapId } from '@kalei/contracts/taxonomy';
import { abstentionFeatures, abstentionModel, abstentionProbability, negativeSentences, type AbstentionModel } from './abstention.js';
import { explainFragment } from './explain.js';
import { blockers, calibration, cues, negativeValence, negator, positiveValence, type Cue, type Person } from './lexicon.js';
import { foldQuotes, hash32, splitClauses, splitSentences, tidyClause, trimSpan, wordCount, type Span } from './text.js';

/** Below this the engine stays quiet: no fragment is better than a wrong one. */
export const MIN_CONFIDENCE = 0.3;

/** A second trap in the same clause must be at least this strong to be shown beside the first. */
const SECOND_TRAP_MIN = 0.5;

/** The most fragments one text yields; the task schema allows 20. */
const MAX_FRAGMENTS = 20;

/** One cue matching inside one clause range of a sentence. */
export interface CueHit {
  cue: Cue;
  /** The matched words, as offsets into the original text. */
  match: Span;
  /** Index range of the clauses (inclusive) the match touches. */
  firstClause: number;
  lastClause: number;
  /** Whom the matched words are about. */
  person: Person;
}

/** A detected fragment with the evidence behind it, for tuning and for building reframes. */
export interface Detection extends DetectedFragment {
  person: Person;
  /** The clause (or a window of it) around the strongest cue, in the user's words. */
  phrase: string;
  /** Exactly the words the strongest cue matched ("always", "I'm a failure"). */
  match: string;
  cueIds: string[];
}

function test(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const found = re.test(text);
  re.lastIndex = 0;
  return found;
}

function* matchAll(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    yield m;
  }
  re.lastIndex = 0;
}

// Adverbs, modals and auxiliaries that can sit between a subject and its verb ("they probably all think").
const subjectSkip = new Set(
  (
    'must probably all definitely surely secretly already really just might may will would could should ' +
    'do does did don\'t doesn\'t didn\'t dont doesnt didnt always still also even clearly obviously likely ' +
    'now never kinda actually totally honestly seriously both then certainly truly sometimes often usually ' +
    'prob def deep down literally basically can can\'t cant cannot could couldn\'t won\'t wont'
  ).split(' '),
);
const selfSubjects = new Set(['i', "i'm", 'im', "i've", "i'd", "i'll", 'we', "we're", 'you', "you're", 'me', 'u', 'myself']);

/** Whether the nearest subject before `index` in `clause` is someone other than the writer or the reader. */
function hasOtherSubject(text: string, clause: Span, index: number): boolean {
  const before = text.slice(clause.start, index).toLowerCase().match(/[a-z']+/g) ?? [];
  for (let i = before.length - 1; i >= 0 && i >= before.length - 5; i--) {
    const word = before[i];
    if (word === undefined || subjectSkip.has(word)) continue;
    return !selfSubjects.has(word);
  }
  return false;
}

/** Whether a negator sits in the three words just before `index`, within the clause. */
function isNegated(text: string, clause: Span, index: number): boolean {
  const words = text.slice(clause.start, index).split(/\s+/).filter(Boolean);
  return negator.test(words.slice(-3).join(' '));
}

/** The first and last clause (inclusive) that a span touches. */
function clauseRange(clauses: readonly Span[], span: Span): [number, number] {
  let first = -1;
  let last = -1;
  clauses.forEach((c, i) => {
    if (span.start < c.end && span.end > c.start) {
      if (first < 0) first = i;
      last = i;
    }
  });
  if (first < 0) {
    // The match fell on a separator (a comma); attach it to the clause that follows.
    const next = clauses.findIndex((c) => c.start >= span.start);
    first = last = next < 0 ? clauses.length - 1 : next;
  }
  return [first, last];
}

/** Every cue hit in one sentence, after negation, subject, context and blocker checks. */
function sentenceHits(text: string, sentence: Span, previous: Span | undefined): { clauses: Span[]; hits: CueHit[] } {
  const clauses = splitClauses(text, sentence);
  const body = text.slice(sentence.start, sentence.end);
  const withPrevious = previous ? text.slice(previous.start, sentence.end) : body;
  const hits: CueHit[] = [];
  for (const cue of cues) {
    if (cue.context && !test(cue.context, cue.contextBefore ? withPrevious : body)) continue;
    for (const m of matchAll(cue.pattern, body)) {
      const match = { start: sentence.start + m.index, end: sentence.start + m.index + m[0].length };
      const [firstClause, lastClause] = clauseRange(clauses, match);
      const clause = clauses[firstClause];
      if (!clause) continue;
      if (cue.negatable && isNegated(text, clause, match.start)) continue;
      if (cue.otherSubject && !hasOtherSubject(text, clause, match.start)) continue;
      if (cue.needsNegative || cue.notPositive) {
        // The cue's own words ("never", "won't") must not count as the negative they are looking for.
        const from = cue.contextBefore && previous ? previous.start : sentence.start;
        const rest = text.slice(from, match.start) + ' ' + text.slice(match.end, sentence.end);
        const negative = test(negativeValence, rest);
        if (cue.needsNegative && !negative) continue;
        if (cue.notPositive && !negative && test(positiveValence, rest)) continue;
      }
      const person = cue.personFromSubject ? (hasOtherSubject(text, clause, match.start) ? 'other' : 'self') : cue.person;
      hits.push({ cue, match, firstClause, lastClause, person });
    }
  }
  const blocked = (trap: TrapId, clause: Span): boolean =>
    blockers.some((b) => b.traps.includes(trap) && test(b.pattern, text.slice(clause.start, clause.end)));
  return {
    clauses,
    hits: hits.filter((h) => {
      for (let i = h.firstClause; i <= h.lastClause; i++) {
        const clause = clauses[i];
        if (clause && blocked(h.cue.trap, clause)) return false;
      }
      return true;
    }),
  };
}

/**
 * Combines the weights of distinct cues for one trap. A plain noisy-OR treats cues as independent
 * evidence, but cues for one trap are correlated (the same words often trip two of them), so each
 * extra cue adds only half of what independence would give.
 */
export function combineWeights(weights: readonly number[]): number {
  const sorted = [...weights].sort((a, b) => b - a);
  let p = 0;
  sorted.forEach((w, i) => {
    const gain = i === 0 ? w : w * 0.5;
    p = p + (1 - p) * gain;
  });
  return Math.min(0.95, Math.round(p * 1000) / 1000);
}

/** Turns a combined cue score into a calibrated probability, strictly increasing so rankings survive. */
export function calibrate(score: number, curve: readonly (readonly [number, number])[] = calibration): number {
  const first = curve[0];
  const last = curve[curve.length - 1];
  if (!first || !last) return score;
  // Outside the fitted range the curve continues gently, so it stays strictly increasing.
  let p: number;
  if (score <= first[0]) p = first[1] - (first[0] - score) * 0.1;
  else if (score >= last[0]) p = last[1] + (score - last[0]) * 0.1;
  else {
    p = last[1];
    for (let i = 1; i < curve.length; i++) {
      const [x1, y1] = curve[i] ?? last;
      const [x0, y0] = curve[i - 1] ?? first;
      if (score <= x1) {
        p = y0 + ((score - x0) / (x1 - x0)) * (y1 - y0);
        break;
      }
    }
  }
  return Math.round(Math.min(0.99, Math.max(0.01, p)) * 1000) / 1000;
}

/** The words an explanation quotes: the whole clause when it is short, else ten words around the match, marked as an excerpt. */
function quotablePhrase(text: string, clause: Span, match: Span): string {
  const clauseText = tidyClause(text.slice(clause.start, clause.end));
  if (wordCount(clauseText) <= 14) return clauseText;
  const before = text.slice(clause.start, match.start).split(/\s+/).filter(Boolean);
  const after = text.slice(match.end, clause.end).split(/\s+/).filter(Boolean);
  const keepBefore = before.slice(-4);
  const keepAfter = after.slice(0, 4);
  const excerpt = tidyClause([...keepBefore, text.slice(match.start, match.end), ...keepAfter].join(' '));
  return `${keepBefore.length < before.length ? '…' : ''}${excerpt}${keepAfter.length < after.length ? '…' : ''}`;
}

/** The cue hits of every sentence of a text: everything scoring needs, computed once. */
export interface Analysis {
  /** The input with typographic quotes folded; same length, same offsets. */
  text: string;
  sentences: { sentence: Span; clauses: Span[]; hits: CueHit[] }[];
}

/** Splits a text into sentences and clauses and finds every cue hit in it. */
export function analyze(input: string): Analysis {
  const text = foldQuotes(input);
  const spans = splitSentences(text);
  return {
    text,
    sentences: spans.map((sentence, s) => ({ sentence, ...sentenceHits(text, sentence, spans[s - 1]) })),
  };
}

/** A scored fragment before it is explained. */
export interface ScoredFragment extends Span {
  trap: TrapId;
  confidence: number;
  hits: CueHit[];
  /** The clause the strongest hit sits in, and that hit: what the explanation quotes. */
  anchor: Span;
  strongest: CueHit;
}

/**
 * Scores every trap on every clause, keeps each clause's best trap when it reaches `minConfidence`,
 * and merges neighbouring clauses with the same trap. `weightOf` lets the tuning bench try weights.
 */
export function scoreAnalysis(
  analysis: Analysis,
  weightOf: (cue: Cue) => number = (cue) => cue.weight,
  minConfidence = MIN_CONFIDENCE,
): ScoredFragment[] {
  const found: ScoredFragment[] = [];
  for (const { clauses, hits } of analysis.sentences) {
    if (hits.length === 0) continue;
    const ranked = clauses.map((_, i) => {
      const byTrap = new Map<TrapId, CueHit[]>();
      for (const h of hits) {
        if (i < h.firstClause || i > h.lastClause) continue;
        const list = byTrap.get(h.cue.trap) ?? [];
        list.push(h);
        byTrap.set(h.cue.trap, list);
      }
      const scored = [...byTrap].map(([trap, list]) => {
        const distinct = new Map<string, number>();
        for (const h of list) distinct.set(h.cue.id, weightOf(h.cue));
        return { trap, score: combineWeights([...distinct.values()]), hits: list };
      });
      // Highest score first; a stable sort keeps the lexicon's order on ties.
      return scored.sort((a, b) => b.score - a.score);
    });
    const best = ranked.map((list) => {
      const top = list[0];
      return top && top.score >= minConfidence ? top : null;
    });
    // Neighbouring clauses with the same trap read as one fragment.
    for (let i = 0; i < best.length; i++) {
      const first = best[i];
      if (!first) continue;
      let j = i;
      const group = [...first.hits];
      let score = first.score;
      for (let next = best[j + 1]; next?.trap === first.trap; next = best[j + 1]) {
        j++;
        group.push(...next.hits);
        score = Math.max(score, next.score);
      }
      const startClause = clauses[i];
      const endClause = clauses[j];
      if (!startClause || !endClause) continue;
      const strongestOf = (list: CueHit[]): CueHit => list.reduce((a, b) => (weightOf(b.cue) > weightOf(a.cue) ? b : a));
      const strongest = strongestOf(group);
      const fragment: ScoredFragment = {
        start: startClause.start,
        end: endClause.end,
        trap: first.trap,
        confidence: score,
        hits: group,
        anchor: clauses[strongest.firstClause] ?? startClause,
        strongest,
      };
      // One clause can hold two traps ("now everyone thinks I'm incompetent": mind reading, then a
      // label). When a strong second trap's words come after the first's, the clause is split there.
      const second = i === j ? ranked[i]?.find((c) => c.trap !== first.trap && c.score >= SECOND_TRAP_MIN) : undefined;
      if (second) {
        const firstStart = Math.min(...first.hits.map((h) => h.match.start));
        const secondStart = Math.min(...second.hits.map((h) => h.match.start));
        const firstEnd = Math.max(...first.hits.map((h) => h.match.end));
        const secondEnd = Math.max(...second.hits.map((h) => h.match.end));
        if (secondStart > firstStart && secondEnd > firstEnd && second.hits.every((h) => h.firstClause === i && h.lastClause === i)) {
          const head = trimSpan(analysis.text, { start: startClause.start, end: secondStart });
          const tail = trimSpan(analysis.text, { start: secondStart, end: endClause.end });
          if (head.end > head.start && tail.end > tail.start) {
            const secondStrongest = strongestOf(second.hits);
            found.push(
              { ...fragment, ...head, anchor: startClause },
              { start: tail.start, end: tail.end, trap: second.trap, confidence: second.score, hits: second.hits, anchor: startClause, strongest: secondStrongest },
            );
            i = j;
            continue;
          }
        }
      }
      found.push(fragment);
      i = j;
    }
  }
  return found;
}

// Per-text inputs of the abstention features, computed once however many fragments the text has.
const sentenceCache = new WeakMap<Analysis, { spans: Span[]; negatives: number[] }>();

/** The features the abstention model sees for one scored fragment. */
export function fragmentFeatures(analysis: Analysis, fragment: ScoredFragment): ReturnType<typeof abstentionFeatures> {
  let cached = sentenceCache.get(analysis);
  if (!cached) {
    const spans = analysis.sentences.map((s) => s.sentence);
    cached = { spans, negatives: negativeSentences(analysis.text, spans) };
    sentenceCache.set(analysis, cached);
  }
  return abstentionFeatures(
    analysis.text,
    cached.spans,
    {
      start: fragment.start,
      end: fragment.end,
      score: fragment.confidence,
      cueIds: fragment.hits.map((h) => h.cue.id),
      strongestCue: fragment.strongest.cue.id,
      trap: fragment.trap,
    },
    cached.negatives,
  );
}

/** Drops the fragments the abstention model does not believe are traps (abstention.ts). */
export function abstain(analysis: Analysis, fragments: readonly ScoredFragment[], model: AbstentionModel = abstentionModel): ScoredFragment[] {
  return fragments.filter((f) => abstentionProbability(model, fragmentFeatures(analysis, f)) >= model.threshold);
}

/** Finds thinking-trap fragments in free text, with exact UTF-16 offsets, calibrated confidence and a plain explanation. */
export function detectFragments(input: string): Detection[] {
  const analysis = analyze(input);
  const { text } = analysis;
  return abstain(analysis, scoreAnalysis(analysis))
    .sort((a, b) => b.confidence - a.confidence || a.start - b.start)
    .slice(0, MAX_FRAGMENTS)
    .sort((a, b) => a.start - b.start)
    .map((f): Detection => {
      const phrase = quotablePhrase(text, f.anchor, f.strongest.match);
      const person = f.strongest.person;
      return {
        start: f.start,
        end: f.end,
        trap: f.trap,
        confidence: calibrate(f.confidence),
        explanation: explainFragment(f.trap, person, phrase, hash32(text.slice(f.start, f.end))),
        person,
        phrase,
        match: tidyClause(text.slice(f.strongest.match.start, f.strongest.match.end)),
        cueIds: [...new Set(f.hits.map((h) => h.cue.id))],
      };
    });
}

/** Every cue that fires on a text, before scoring: the raw evidence the tuning bench counts. */
export function cueHits(input: string): CueHit[] {
  return analyze(input).sentences.flatMap((s) => s.hits);
}
