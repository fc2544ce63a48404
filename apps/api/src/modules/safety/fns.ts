import type { SafetyCategory } from '@kalei/contracts/ai-tasks';
import { judge } from './context.js';
import { isAlnum, isLetter, normalizeForSafety } from './normalise.js';
import { RULES, SUIC, type Level, type Rule } from './rules.js';

/**
 * Stage 1 of the safety gate: deterministic crisis detection.
 *
 * The text is normalised once (case, accents, homoglyphs, leetspeak, spaced-out letters, masked
 * letters, stretched letters, apostrophes), then split into sentences. One pass over the words finds
 * which rules each sentence could trigger, so a 2 KB journal entry runs a handful of small regexes
 * instead of every rule over the whole text. Each match is then checked against its own sentence
 * (negation, quotation or media framing, third person, idiom or accident, history, joking) before it
 * counts. Rules are written against the normalised form: no apostrophes ("dont", "im"), letters
 * stretched three or more times collapsed to one ("killll" -> "kil", which is why "kill" is `k+i+l+`).
 */

export type Stage1Level = 'none' | 'ambiguous' | 'crisis';

export interface Stage1Result {
  level: Stage1Level;
  categories: SafetyCategory[];
  /** Stable ids of the rules that fired (for tuning); never text. */
  ruleIds: string[];
  /** Noisy-or of the fired rules' weights and the lowered weights of set-aside matches, 0..1. */
  score: number;
  /** Rules that matched but were set aside, as `ruleId:reason` (negated, framed, idiom, third_person). */
  suppressed: string[];
}

// ---- sentence index: which rules could match which sentence ----

interface TriggerEntry {
  stem: string;
  exact: boolean;
  rules: number[];
}

const FUZZY_KILL = /k+i+l+/y;
const FUZZY_SUIC = new RegExp(SUIC, 'y');

function keyOf(t: string, i: number, len: number): number {
  let key = len;
  for (let k = 0; k < len; k++) key = key * 128 + t.charCodeAt(i + k);
  return key;
}

const TRIGGER_INDEX = new Map<number, TriggerEntry[]>();
const KILL_RULES: number[] = [];
const SUIC_RULES: number[] = [];
RULES.forEach((rule, index) => {
  for (const trigger of rule.triggers) {
    if (trigger === '@kill') KILL_RULES.push(index);
    else if (trigger === '@suic') SUIC_RULES.push(index);
    else {
      const exact = trigger.endsWith('$');
      const stem = exact ? trigger.slice(0, -1) : trigger;
      if (!exact && stem.length < 3) throw new Error(`safety trigger ${trigger} (${rule.id}): prefixes need three letters`);
      const key = keyOf(stem, 0, Math.min(3, stem.length));
      const entries = TRIGGER_INDEX.get(key) ?? [];
      let entry = entries.find((e) => e.stem === stem && e.exact === exact);
      if (!entry) {
        entry = { stem, exact, rules: [] };
        entries.push(entry);
      }
      if (!entry.rules.includes(index)) entry.rules.push(index);
      TRIGGER_INDEX.set(key, entries);
    }
  }
});
const ALL_RULES = RULES.map((_, index) => index);

interface Sentence {
  start: number;
  end: number;
  rules: Set<number>;
}

function isBoundary(t: string, k: number): boolean {
  const c = t.charCodeAt(k);
  if (c === 33 || c === 63 || c === 59 || c === 10) return true;
  // A full stop between letters is an abbreviation or a spacing trick, not the end of a sentence.
  return c === 46 && !(isLetter(t.charCodeAt(k - 1)) && isLetter(t.charCodeAt(k + 1)));
}

/** Splits the normalised text into sentences and lists, for each, the rules its words can trigger. */
function indexSentences(t: string, everyRule: boolean): Sentence[] {
  const sentences: Sentence[] = [];
  const n = t.length;
  let start = 0;
  // Most sentences of a journal entry trigger no rule: their set is never allocated.
  let rules: Set<number> | null = null;
  const addAll = (list: readonly number[]) => {
    rules ??= new Set<number>();
    for (const index of list) rules.add(index);
  };
  for (let i = 0; i <= n; ) {
    if (i === n || isBoundary(t, i)) {
      if (i > start && (rules !== null || everyRule)) sentences.push({ start, end: i, rules: rules ?? new Set<number>() });
      rules = null;
      start = i + 1;
      i++;
      continue;
    }
    const c = t.charCodeAt(i);
    if (!isAlnum(c)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isAlnum(t.charCodeAt(j))) j++;
    if (!everyRule) {
      const len = j - i;
      const entries = TRIGGER_INDEX.get(keyOf(t, i, Math.min(3, len)));
      if (entries) {
        for (const e of entries) {
          if ((e.exact ? len === e.stem.length : len >= e.stem.length) && t.startsWith(e.stem, i)) addAll(e.rules);
        }
      }
      if (c === 107) {
        FUZZY_KILL.lastIndex = i;
        if (FUZZY_KILL.test(t)) addAll(KILL_RULES);
      } else if (c === 115 && t.charCodeAt(i + 1) === 117) {
        FUZZY_SUIC.lastIndex = i;
        if (FUZZY_SUIC.test(t)) addAll(SUIC_RULES);
      }
    }
    i = j;
  }
  if (everyRule) for (const s of sentences) for (const index of ALL_RULES) s.rules.add(index);
  return sentences;
}

// ---- assessment ----

const WEIGHT: Readonly<Record<Level, number>> = { crisis: 0.95, ambiguous: 0.5 };
const CRISIS_SCORE = 0.95;
/**
 * Reported speech, a third person, the past, fiction and idioms lower a match rather than clear it:
 * a set-aside match still adds this much (half for an ambiguous rule) to the score, so several of
 * them in one text, or over a conversation, reach stage 2. Negation clears.
 */
const LOWERED_WEIGHT: Readonly<Record<string, number>> = { third_person: 0.2, framed: 0.15, history: 0.25, idiom: 0.05 };
/** A text whose score reaches this is ambiguous even when no rule fired outright. */
export const AMBIGUOUS_SCORE = 0.35;

export interface AssessOptions {
  /**
   * Run every rule on every sentence instead of only the rules a sentence's words can trigger.
   * Slower; tests use it to prove the trigger lists miss nothing.
   */
  exhaustive?: boolean;
}

/** Runs stage 1 over one text: pure, synchronous, no I/O; the result never contains the text. */
export function assessText(text: string, options: AssessOptions = {}): Stage1Result {
  const t = normalizeForSafety(text);
  const fired = new Map<number, { level: Level; soft: string | null }>();
  const firstReason = new Map<number, string>();

  for (const sentence of indexSentences(t, options.exhaustive === true)) {
    const s = t.slice(sentence.start, sentence.end);
    const order = [...sentence.rules].sort((a, b) => a - b);
    for (const index of order) {
      if (fired.has(index)) continue;
      const rule = RULES[index] as Rule;
      const re = rule.re;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s)) !== null) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const verdict = judge(rule, s, m.index, m.index + m[0].length);
        if (verdict.fired) {
          fired.set(index, { level: verdict.level, soft: verdict.soft });
          break;
        }
        if (!firstReason.has(index)) firstReason.set(index, verdict.reason);
      }
    }
  }

  const ruleIds: string[] = [];
  const suppressed: string[] = [];
  const categories = new Set<SafetyCategory>();
  const loweredCategories = new Set<SafetyCategory>();
  let notScore = 1;
  let crisis = false;
  RULES.forEach((rule, index) => {
    const hit = fired.get(index);
    if (hit) {
      ruleIds.push(hit.soft ? `${rule.id}~${hit.soft}` : rule.id);
      categories.add(rule.category);
      notScore *= 1 - WEIGHT[hit.level];
      if (hit.level === 'crisis') crisis = true;
    } else {
      const reason = firstReason.get(index);
      if (reason) {
        suppressed.push(`${rule.id}:${reason}`);
        const lowered = LOWERED_WEIGHT[reason] ?? 0;
        if (lowered > 0) {
          notScore *= 1 - (rule.level === 'crisis' ? lowered : lowered / 2);
          loweredCategories.add(rule.category);
        }
      }
    }
  });

  const score = Math.round((1 - notScore) * 1000) / 1000;
  const level: Stage1Level = crisis || score >= CRISIS_SCORE ? 'crisis' : ruleIds.length > 0 || score >= AMBIGUOUS_SCORE ? 'ambiguous' : 'none';
  if (level === 'ambiguous' && categories.size === 0) for (const category of loweredCategories) categories.add(category);
  return { level, categories: [...categories], ruleIds, score, suppressed };
}

/** The stable ids of every stage-1 rule, for dashboards and tests. */
export function stage1RuleIds(): string[] {
  return RULES.map((rule) => rule.id);
}
