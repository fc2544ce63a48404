/** A half-open range of UTF-16 code units into a text, like String.prototype.slice takes. */
export interface Span {
  start: number;
  end: number;
}

/** FNV-1a over UTF-16 code units with a murmur3 finish: a stable, dependency-free hash for picking template variants. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // FNV's low bits barely mix (its lowest bit is a parity of the input), and picks use `seed % n`.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Picks one item deterministically from a non-empty list by seed. */
export function pick<T>(items: readonly T[], seed: number): T {
  const item = items[seed % items.length];
  if (item === undefined) throw new Error('pick needs a non-empty list');
  return item;
}

/** Mixes a seed with a salt so the choices made from one input are independent of each other. */
export function reseed(seed: number, salt: string): number {
  return hash32(`${seed}:${salt}`);
}

/**
 * Replaces typographic quotes with ASCII ones without changing the length, so offsets found in
 * the result are offsets into the original.
 */
export function foldQuotes(text: string): string {
  return text.replace(/[\u2018\u2019\u02bc\u2032]/g, "'").replace(/[\u201c\u201d]/g, '"');
}

/** Narrows a span so it starts and ends on a non-space character. */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text.charAt(start))) start++;
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  return { start, end };
}

// Abbreviations whose full stop does not end a sentence.
const abbreviation = /\b(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|e\.g|i\.e|approx|no)\.$/i;

/** Splits text into sentence spans at . ! ? ; and line breaks, keeping decimals and common abbreviations whole. */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  const boundary = /(?:[.!?]+["')\]]*|;|\n+)(?=\s|$)|\n+/g;
  for (const m of text.matchAll(boundary)) {
    const end = m.index + m[0].length;
    if (m[0].startsWith('.') && abbreviation.test(text.slice(start, m.index + 1))) continue;
    const span = trimSpan(text, { start, end });
    if (span.end > span.start) spans.push(span);
    start = end;
  }
  const rest = trimSpan(text, { start, end: text.length });
  if (rest.end > rest.start) spans.push(rest);
  return spans;
}

// Words that open a new clause; the clause keeps the word so "but anyone could do it" reads whole.
// "so", "since", "yet" and friends only open a clause when a subject follows ("so everyone thinks"),
// which keeps "I'm so tired" in one piece.
const clauseBreak =
  /,|\s[-\u2013\u2014]+\s|:|\s(?=(?:but|because|although|even though|whereas|except|and then)\b)|\s(?=(?:so|since|though|yet|cause|cuz|and)\s+(?:i|i'm|im|i've|i'll|he|she|they|it|it's|everyone|everybody|people|nobody|no one|my|the|that|this|we|you|now|maybe|there|all|nothing)\b)/gi;

/** Splits a sentence span into clause spans at commas, dashes and clause-opening conjunctions. */
export function splitClauses(text: string, sentence: Span): Span[] {
  const body = text.slice(sentence.start, sentence.end);
  const spans: Span[] = [];
  let start = 0;
  for (const m of body.matchAll(clauseBreak)) {
    const cut = m.index;
    const span = trimSpan(text, { start: sentence.start + start, end: sentence.start + cut });
    if (span.end > span.start) spans.push(span);
    start = cut + m[0].length;
  }
  const rest = trimSpan(text, { start: sentence.start + start, end: sentence.end });
  if (rest.end > rest.start) spans.push(rest);
  return spans;
}

/** Removes trailing sentence punctuation and a leading connective so a clause reads on its own. */
export function tidyClause(clause: string): string {
  return clause
    .trim()
    .replace(/^(?:and|but|so|because|since|though|although|yet|cause|cuz|then|also)\s+/i, '')
    .replace(/^[,;:\s]+/, '')
    .replace(/[\s.,;:!?…]+$/u, '')
    .trim();
}

type Swap = readonly [RegExp, string];

// Order matters: contractions and subject+verb pairs before bare pronouns.
const toSecondPerson: readonly Swap[] = [
  [/\bI'm\b|\b[Ii]m\b/g, "you're"],
  [/\bI am\b/g, 'you are'],
  [/\bI was(n't)?\b/g, 'you were$1'],
  [/\bwas I\b/g, 'were you'],
  [/\bam I\b/g, 'are you'],
  [/\bI've\b|\b[Ii]ve\b/g, "you've"],
  [/\bI'll\b/g, "you'll"],
  [/\bI'd\b/g, "you'd"],
  [/\bI\b/g, 'you'],
  [/\bme\b/gi, 'you'],
  [/\bmyself\b/gi, 'yourself'],
  [/\bmy\b/gi, 'your'],
  [/\bmine\b/gi, 'yours'],
  [/\bwe're\b/gi, "you're"],
  [/\bwe've\b/gi, "you've"],
  [/\bwe'll\b/gi, "you'll"],
  [/\bwe'd\b/gi, "you'd"],
  [/\bwe\b/gi, 'you'],
  [/\bus\b/g, 'you'],
  [/\bour\b/gi, 'your'],
  [/\bours\b/gi, 'yours'],
  [/\bourselves\b/gi, 'yourselves'],
];

/** True when the text addresses someone as "you", which a pronoun swap could not keep straight. */
export function hasSecondPerson(text: string): boolean {
  return /\b(?:you|your|yours|yourself|you're|you've|you'll|you'd|ya|u)\b/i.test(foldQuotes(text));
}

/**
 * Rewrites a first-person clause as second person ("I'm a failure" → "you're a failure",
 * "I was late" → "you were late"), keeping everything else as the user wrote it.
 */
export function toSecondPersonClause(clause: string): string {
  let out = foldQuotes(clause);
  // A lowercase "i" is still the user speaking about themself.
  out = out.replace(/(^|[^\w'])i(?=$|[^\w']|'(?:m|ve|ll|d)\b)/g, '$1I');
  for (const [pattern, replacement] of toSecondPerson) out = out.replace(pattern, replacement);
  return lowerFirstWord(out);
}

// Sentence openers that are not names, so their capital letter can be dropped mid-sentence.
const commonOpeners = new Set(
  (
    'a an the this that these those it its it\'s there there\'s here he she they them his her their ' +
    'everyone everybody everything nobody nothing no none people someone somebody something some ' +
    'all any anyone anybody anything every each my your you you\'re you\'ll you\'ve you\'d our we ' +
    'maybe probably if when whenever why what how because since so but and or then now today ' +
    'yesterday tomorrow tonight always never sometimes once one even just only still also ' +
    'life work school family friends mom dad mother father sister brother boss'
  ).split(' '),
);

/** Lowercases the first word when it is an ordinary word rather than a name, for embedding mid-sentence. */
export function lowerFirstWord(text: string): string {
  const m = /^([A-Za-z']+)/.exec(text);
  // "He's" is "he" with a contraction.
  if (!m?.[1] || !(commonOpeners.has(m[1].toLowerCase()) || commonOpeners.has(m[1].toLowerCase().split("'")[0] ?? ''))) return text;
  return m[1].toLowerCase() + text.slice(m[1].length);
}

/** Uppercases the first letter of a sentence. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Shortens text to at most max characters on a word boundary, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** Counts words, for deciding whether a phrase is short enough to quote. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** "1 time", "3 times": a count with its noun in the right number. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Joins words as an English list: "a", "a and b", "a, b and c". */
export function listJoin(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
