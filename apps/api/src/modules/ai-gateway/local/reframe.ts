import type {
  Reframe,
  ReframeFragmentInput,
  ReframeFragmentOutput,
  TechniqueId,
  TurnReframeInput,
  TurnReframeOutput,
} from '@kalei/contracts/ai-tasks';
import type { TrapId } from '@kalei/contracts/taxonomy';
import { detectFragments, type Detection } from './detect.js';
import { satisfies, thoughtFrame, type ThoughtFrame } from './frame.js';
import { negativeValence, type Person } from './lexicon.js';
import {
  alternativeThoughts,
  conditionalAlternatives,
  conditionalLines,
  lineConditions,
  microActions,
  techniqueLines,
  techniquesFor,
  type TrapOrNone,
} from './techniques.js';
import {
  capitalize,
  clip,
  foldQuotes,
  hash32,
  hasSecondPerson,
  pick,
  reseed,
  splitSentences,
  tidyClause,
  toSecondPersonClause,
  wordCount,
} from './text.js';

/** How the composer refers to the user's thought: "that you're a failure", or a verbatim quote when a swap would garble it. */
interface ThoughtRef {
  /** Follows a verb: "You're telling yourself {ref}." */
  ref: string;
  /** Stands as a clause of its own ("you feel sad today"), or null when only a quote would read right. */
  plain: string | null;
  /** The user's own words, first person, for "Instead of “…”". */
  verbatim: string;
}

// Long clauses become unreadable inside a template; past this the composer quotes a shorter phrase.
const MAX_CLAUSE_CHARS = 140;

/** Builds the two ways of referring to a clause of the user's thought. */
export function thoughtRef(clause: string): ThoughtRef {
  const verbatim = tidyClause(foldQuotes(clause));
  // "I think they hate me" reads better back as "they hate you" than as "you think they hate you".
  const claim = verbatim
    .replace(/^(?:i (?:just )?(?:think|guess|bet|know|believe|suppose|assume|feel like|imagine)|i'm (?:sure|certain|convinced)|i am (?:sure|certain|convinced))(?: that)?\s+(?=(?:i|i'm|im|he|she|they|it|it's|we|everyone|everybody|nobody|no one|people|my|this|that|the|today|tomorrow|one day)\b)/i, '')
    .replace(/^that (?=\w+s\b)/i, 'this ');
  const isQuestion = /\?\s*$/.test(clause) || /^(?:why|what|how|who|when|where|am|is|are|do|does|did|can|could|will|would|should)\b/i.test(verbatim);
  if (isQuestion || hasSecondPerson(verbatim) || verbatim.length === 0) {
    return { ref: `“${verbatim}${isQuestion ? '?' : ''}”`, plain: null, verbatim };
  }
  const plain = toSecondPersonClause(claim);
  return { ref: `that ${plain}`, plain, verbatim };
}

const openers: readonly string[] = [
  "You're telling yourself {ref}.",
  'Part of you is saying {ref}.',
  'The thought {ref} feels convincing right now.',
  'Your mind is telling you {ref}.',
  "It's painful when your mind says {ref}.",
];

// With no trap found, the thought may be a plain feeling: reflect it rather than call it a belief.
const gentleOpeners: readonly string[] = ['It sounds like {plain}.', 'It sounds as if {plain}, and that deserves care.'];
const gentleQuoteOpeners: readonly string[] = ['You wrote {ref}.', 'Thank you for putting this into words: {ref}.'];
const gentlePhraseOpeners: readonly string[] = [
  'You named it: “{k}”.',
  'Putting “{k}” into words is a step in itself.',
  'It took something to write “{k}”.',
];

const eventOpeners: readonly string[] = [
  '{Event}, and that is real.',
  "{Event}. That happened, and it's one part of the story.",
  '{Event}, and it makes sense that it stings.',
];

/** "That happened" only fits an event; a state ("You don't have many friends") gets the other openers. */
function eventOpenersFor(event: string | null): readonly string[] {
  if (event === null) return eventOpeners;
  const f = thoughtFrame(event);
  return f.past || f.selfAction || f.otherAction ? eventOpeners : eventOpeners.filter((o) => !/happened/.test(o));
}

const phraseOpeners: readonly string[] = [
  'Notice the words “{k}”.',
  'Look at “{k}” for a moment.',
  '“{k}” is doing a lot of work in that thought.',
];

const insteadOf: readonly string[] = [
  'Instead of “{k}”, you might try: “{alt}”',
  'In place of “{k}”, try on: “{alt}”',
  'You could swap “{k}” for: “{alt}”',
];

/** Picks three different techniques for a trap, keeping the best fit first and rotating the rest by seed. */
export function chooseTechniques(trap: TrapOrNone, seed: number): [TechniqueId, TechniqueId, TechniqueId] {
  const [first, ...rest] = techniquesFor[trap];
  const dropped = seed % rest.length;
  const kept = rest.filter((_, i) => i !== dropped);
  return [first, kept[0] ?? rest[0] ?? first, kept[1] ?? rest[1] ?? first];
}

/** What a line must fit: the thought's frame, and whom the trap's words are about. */
interface Fit {
  frame: ThoughtFrame;
  person: Person;
}

const anyFit: Fit = { frame: { selfAction: false, otherAction: false, past: false, future: false }, person: 'self' };

/** The lines of a trap and technique that fit the thought: defaults whose condition holds, then fitted alternatives. */
export function fittingLines(trap: TrapOrNone, technique: TechniqueId, fit: Fit): string[] {
  const own = (techniqueLines[trap][technique] ?? []).filter((l) => satisfies(lineConditions.get(l), fit.frame, fit.person));
  const extra = (conditionalLines[trap]?.[technique] ?? []).filter((l) => satisfies(l.when, fit.frame, fit.person)).map((l) => l.text);
  return [...own, ...extra];
}

function line(trap: TrapOrNone, technique: TechniqueId, seed: number, fit: Fit = anyFit): string {
  const lines = fittingLines(trap, technique, fit);
  // A trap without a fitting line for this technique borrows the general one.
  return pick(lines.length > 0 ? lines : (techniqueLines.none[technique] ?? techniqueLines.none.compassionate_reframe ?? ['']), seed);
}

/** An alternative thought for the trap that fits the thought. */
function alternative(trap: TrapOrNone, seed: number, fit: Fit): string {
  const own = alternativeThoughts[trap].filter((l) => satisfies(lineConditions.get(l), fit.frame, fit.person));
  const extra = (conditionalAlternatives[trap] ?? []).filter((l) => satisfies(l.when, fit.frame, fit.person)).map((l) => l.text);
  const all = [...own, ...extra];
  return pick(all.length > 0 ? all : alternativeThoughts.none, seed);
}

/**
 * Three different techniques for a trap that have a line fitting this thought, best fit first:
 * chooseTechniques' pick, with any technique that has no fitting line swapped for one that does.
 */
function fittingTechniques(trap: TrapOrNone, seed: number, fit: Fit): [TechniqueId, TechniqueId, TechniqueId] {
  const chosen = chooseTechniques(trap, seed);
  const usable = (t: TechniqueId): boolean => fittingLines(trap, t, fit).length > 0;
  const spare = [...techniquesFor[trap], ...techniquesFor.none].filter((t) => !chosen.includes(t) && usable(t));
  const out = chosen.map((t) => (usable(t) ? t : (spare.shift() ?? t)));
  return [out[0] ?? chosen[0], out[1] ?? chosen[1], out[2] ?? chosen[2]];
}

function hurts(sentence: string): boolean {
  negativeValence.lastIndex = 0;
  const found = negativeValence.test(sentence);
  negativeValence.lastIndex = 0;
  return found;
}

/** A sentence of the thought other than the trap's own: usually the situation ("I burnt the cookies"). */
function situation(thought: string, trapSpan: { start: number; end: number } | undefined): string | null {
  const text = foldQuotes(thought);
  for (const s of splitSentences(text)) {
    if (trapSpan && s.end > trapSpan.start && s.start < trapSpan.end) continue;
    const sentence = tidyClause(text.slice(s.start, s.end));
    if (/\?$/.test(text.slice(s.start, s.end).trim())) continue;
    if (wordCount(sentence) < 3 || wordCount(sentence) > 18 || hasSecondPerson(sentence)) continue;
    // Only a hard moment is acknowledged as one; "I like my cats" is not something that stings, and
    // "I'm a hopeless romantic" describes a person, not something that happened.
    if (!hurts(sentence) || /^(?:i'm|im|i am)\b/i.test(sentence)) continue;
    return capitalize(toSecondPersonClause(sentence));
  }
  return null;
}

/** The words to quote back: the whole clause when short, else the cue's own words. */
function keyPhrase(detection: Detection | undefined, clause: string): string {
  const phrase = tidyClause(foldQuotes(detection?.phrase ?? clause));
  if (wordCount(phrase) <= 16) return phrase;
  return detection && wordCount(detection.match) <= 12 ? detection.match : clip(phrase, 80);
}

// Words that carry a trap by themselves, worth pointing at on their own.
const triggerWords = new Set(
  (
    "always|never|will never|every time|everyone|everybody|nobody|no one|should|shouldn't|must|have to|ought to|" +
    'nothing|everything|completely|totally|ruined|forever|what if|by now|at all|anyone|anybody|my fault|all my fault'
  ).split('|'),
);

/** The cue's own words when they are a trigger word ("always", "should"), else a trigger word inside them, else the fallback phrase. */
function cueWords(detection: Detection | undefined, fallback: string): string {
  if (!detection) return fallback;
  if (triggerWords.has(detection.match.toLowerCase())) return detection.match;
  // The earliest trigger word inside the match ("I always ruin everything" → "always").
  let best: { at: number; length: number } | null = null;
  for (const w of triggerWords) {
    const at = detection.match.toLowerCase().search(new RegExp(`\\b${w}\\b`));
    if (at >= 0 && (best === null || at < best.at || (at === best.at && w.length > best.length))) best = { at, length: w.length };
  }
  return best ? detection.match.slice(best.at, best.at + best.length) : fallback;
}

const minorWords = new Set('that this with have just really such very what when then than they them their there about being been'.split(' '));

/** The last content word of a phrase ("I'm a failure" → "failure"), or '' when there is none. */
function keyWord(phrase: string): string {
  const words = (phrase.match(/[A-Za-z][A-Za-z'-]*/g) ?? []).filter((w) => w.length >= 4 && !minorWords.has(w.toLowerCase()) && !/'/.test(w));
  return words[words.length - 1] ?? '';
}

/** Quoted passages of a reframe, normalised, for keeping one quote from repeating across the three. */
function sameQuote(a: string, b: string): boolean {
  const norm = (x: string): string => x.toLowerCase().replace(/[^a-z0-9']+/g, ' ').trim();
  return norm(a) === norm(b);
}

function fill(template: string, values: Record<string, string>): string {
  // A quoted question already ends the sentence: “Why am I like this?” needs no full stop after it.
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '').replace(/\?”\./g, '?”');
}

/** Three distinct reframes, each naming its technique, plus a micro-action, for one thought. */
export function composeTurn(input: TurnReframeInput): TurnReframeOutput {
  const thought = input.thought.trim();
  const seed = hash32(`${thought}\u0000${input.context ?? ''}`);
  if (!/\p{L}/u.test(thought)) return wordlessTurn(seed, input.moodBefore);
  const detections = detectFragments(thought);
  const ranked = [...detections].sort((a, b) => b.confidence - a.confidence);
  const traps = [...new Set(ranked.map((d) => d.trap))].slice(0, 4);
  const top = ranked[0];
  const primary: TrapOrNone = top?.trap ?? 'none';
  const secondary: TrapOrNone = traps[1] ?? primary;
  const frame = thoughtFrame(thought);
  const fit: Fit = { frame, person: top?.person ?? 'self' };

  const folded = foldQuotes(thought);
  const span = top ? joinedSpan(folded, detections, top) : lastSentence(folded);
  let clause = folded.slice(span.start, span.end);
  if (clause.length > MAX_CLAUSE_CHARS) clause = top?.phrase ?? clip(clause, MAX_CLAUSE_CHARS);
  const { ref, plain, verbatim } = thoughtRef(clause);
  const k = keyPhrase(top, verbatim);
  const event = situation(thought, span);
  // The second reframe looks at the second trap when there is one, its words and its technique,
  // so a mixed thought gets both angles.
  const second = secondary !== primary ? ranked.find((d) => d.trap === secondary) : top;
  const secondFit: Fit = { frame, person: second?.person ?? fit.person };
  // Each of the user's phrases is quoted once across the three reframes.
  const used: string[] = ref.startsWith('“') ? [verbatim] : [];
  const unused = (candidates: readonly string[]): string | null =>
    candidates.find((q) => q !== '' && wordCount(q) <= 16 && !used.some((u) => sameQuote(u, q))) ?? null;
  const k1 =
    unused(
      second && second !== top
        ? [wordCount(second.match) <= 12 && !sameQuote(second.match, k) ? second.match : keyPhrase(second, k), keyWord(second.match)]
        : [cueWords(top, k), k, top?.match ?? '', keyWord(top?.match ?? verbatim)],
    ) ?? keyWord(verbatim);

  const [t0, t1, t2] = fittingTechniques(primary, seed, fit);
  const t1ForSecondary =
    secondary !== primary ? (techniquesFor[secondary].find((t) => t !== t0 && t !== t2 && fittingLines(secondary, t, secondFit).length > 0) ?? t1) : t1;

  const opener =
    primary !== 'none'
      ? fill(pick(openers, reseed(seed, 'opener')), { ref })
      : plain
        ? fill(pick(gentleOpeners, reseed(seed, 'opener')), { plain })
        : fill(pick(gentleQuoteOpeners, reseed(seed, 'opener')), { ref });
  const phraseOpener = pick(primary === 'none' ? gentlePhraseOpeners : phraseOpeners, reseed(seed, 'phrase'));
  const line2 = line(primary, t2, reseed(seed, 'l2'), fit);
  // Two "Instead of" in one reframe read like a form; pick a swap that does not echo the line.
  const swaps = insteadOf.filter((template) => !line2.startsWith(template.split(' ')[0] ?? ''));
  const useEvent = event !== null && second === top;
  if (!useEvent) used.push(k1);
  // The third reframe swaps out words neither of the others quoted.
  const k2 = unused([k, top ? cueWords(top, '') : '', top?.match ?? '', keyWord(top?.match ?? verbatim)]);
  const alt = alternative(primary, reseed(seed, 'alt'), fit);
  const swap =
    primary === 'none'
      ? // A feeling with no trap in it is not something to swap out, only to meet kindly.
        k2 === null
        ? 'When that feeling comes up, you might try telling yourself: “{alt}”'
        : 'When “{k}” comes up, you might try telling yourself: “{alt}”'
      : k2 === null
        ? // Every phrase is already quoted once: name the key word without quoting it again.
          keyWord(verbatim) !== ''
          ? `Next time the word ${keyWord(verbatim).toLowerCase()} comes up, you might try: “{alt}”`
          : 'Next time that thought comes, you might try: “{alt}”'
        : pick(swaps, reseed(seed, 'instead'));
  const reframes: Reframe[] = [
    {
      technique: t0,
      text: clip(`${opener} ${line(primary, t0, reseed(seed, 'l0'), fit)}`, 600),
    },
    {
      technique: t1ForSecondary,
      text: clip(
        `${useEvent ? fill(pick(eventOpenersFor(event), reseed(seed, 'event')), { Event: event }) : fill(phraseOpener, { k: k1 })} ${line(secondary, t1ForSecondary, reseed(seed, 'l1'), secondary === primary ? fit : secondFit)}`,
        600,
      ),
    },
    {
      technique: t2,
      text: clip(`${line2} ${fill(swap, { k: k2 ?? '', alt })}`, 600),
    },
  ];

  return { reframes, microAction: chooseMicroAction(primary, seed, input.moodBefore), traps };
}

/** With no words to work with there is nothing to quote, only something kind to say. */
function wordlessTurn(seed: number, moodBefore?: number): TurnReframeOutput {
  return {
    reframes: [
      { technique: 'compassionate_reframe', text: "Sometimes there are no words for how it feels, and that's okay. You can start with just noticing it." },
      { technique: 'perspective_shift', text: 'If a good friend were sitting with you right now, what would they want you to know?' },
      { technique: 'growth_mindset', text: 'When you are ready, try writing one sentence about what is on your mind. Small steps count.' },
    ],
    microAction: chooseMicroAction('none', seed, moodBefore),
    traps: [],
  };
}

/**
 * The top fragment's span widened over fragments that touch it: a clause split in two traps
 * ("My sister thinks" | "I am selfish") is quoted whole.
 */
function joinedSpan(text: string, detections: readonly Detection[], top: Detection): { start: number; end: number } {
  let { start, end } = top;
  const sorted = [...detections].sort((a, b) => a.start - b.start);
  // Only within a sentence: a gap of spaces or a comma, and no sentence end before it.
  const touches = (endAt: number, startAt: number): boolean => /^[\s,]*$/.test(text.slice(endAt, startAt)) && !/[.!?;]\s*$/.test(text.slice(0, endAt));
  for (const d of sorted) if (d.start >= end && touches(end, d.start)) end = d.end;
  for (const d of [...sorted].reverse()) if (d.end <= start && touches(d.end, start)) start = d.start;
  return { start, end };
}

function lastSentence(text: string): { start: number; end: number } {
  const sentences = splitSentences(text);
  return sentences[sentences.length - 1] ?? { start: 0, end: text.length };
}

/** A micro-action for the trap; a low mood first gets a breath, since a racing mind takes in little else. */
export function chooseMicroAction(trap: TrapOrNone, seed: number, moodBefore?: number): TurnReframeOutput['microAction'] {
  const action = pick(microActions[trap], reseed(seed, 'action'));
  if (moodBefore !== undefined && moodBefore <= 3 && !/breath/i.test(action.text)) {
    const text = `First, take three slow breaths. Then: ${action.text.charAt(0).toLowerCase()}${action.text.slice(1)}`;
    if (text.length <= 300) return { text, minutes: Math.min(60, action.minutes + 1) };
  }
  return action;
}

/** One inline reframe for a Mirror fragment, using the technique that best fits its trap. */
export function composeFragmentReframe(input: ReframeFragmentInput): ReframeFragmentOutput {
  const trap: TrapId = input.trap;
  const seed = hash32(`${input.fragmentText}\u0000${trap}`);
  const fit: Fit = {
    frame: thoughtFrame(input.fragmentText),
    person: detectFragments(input.fragmentText).find((d) => d.trap === trap)?.person ?? 'self',
  };
  // The two best-fitting techniques alternate, so a journal full of one trap is not answered identically.
  const usable = techniquesFor[trap].filter((t) => fittingLines(trap, t, fit).length > 0);
  const pool = usable.length >= 2 ? usable : techniquesFor[trap];
  const technique = pool[seed % 2] ?? techniquesFor[trap][0];
  const clause = input.fragmentText.length > MAX_CLAUSE_CHARS ? clip(input.fragmentText, MAX_CLAUSE_CHARS) : input.fragmentText;
  const { ref } = thoughtRef(clause);
  const opener = ref === '“”' ? '' : `${fill(pick(openers, reseed(seed, 'opener')), { ref })} `;
  const alt = alternative(trap, reseed(seed, 'alt'), fit);
  return {
    technique,
    reframe: clip(`${opener}${line(trap, technique, reseed(seed, 'line'), fit)} You might try: “${alt}”`, 600),
  };
}
