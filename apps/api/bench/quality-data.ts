/**
 * PatternReframe rows for the quality bench, read from ../shared/data/ (never copied into the
 * repository), and the neutral texts built from them.
 *
 * Splits: weights, rules and thresholds are tuned on train only. Valid is reported, and a fixed
 * quarter of valid (by a hash of the persona, so no persona straddles the two) is held back:
 * `valid-holdout` is never looked at while tuning, only reported.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mapTrapLabel, type TrapId } from '@kalei/contracts/taxonomy';
import { hash32 } from '../src/modules/ai-gateway/local/text.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const dataDir = resolve(repoRoot, '../shared/data/patternreframe');

export type Split = 'train' | 'valid' | 'valid-dev' | 'valid-holdout';

export interface Row {
  thought: string;
  gold: TrapId;
  persona: string;
  /** The annotators' rewrites of the thought: helpful, undistorted versions of it. */
  reframes: string[];
}

/** Whether a valid row's persona falls in the held-back quarter. */
export function isHoldout(persona: string): boolean {
  return hash32(persona) % 4 === 0;
}

export function load(split: Split): Row[] {
  const file = split === 'train' ? 'train' : 'valid';
  const rows: Row[] = [];
  for (const line of readFileSync(resolve(dataDir, `${file}.txt`), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { thought?: unknown; pattern?: unknown; persona?: unknown; reframes?: { reframe?: unknown }[] };
    if (typeof record.thought !== 'string' || typeof record.pattern !== 'string') continue;
    const gold = mapTrapLabel(record.pattern);
    if (gold === null) throw new Error(`unmapped PatternReframe label: ${record.pattern}`);
    const persona = typeof record.persona === 'string' ? record.persona : '';
    const reframes = (record.reframes ?? []).flatMap((r) => (typeof r.reframe === 'string' ? [r.reframe] : []));
    rows.push({ thought: record.thought, gold, persona, reframes });
  }
  if (split === 'valid-dev') return rows.filter((r) => !isHoldout(r.persona));
  if (split === 'valid-holdout') return rows.filter((r) => isHoldout(r.persona));
  return rows;
}

/** A Persona-Chat persona ("i m a student . i like cats .") as ordinary first-person prose. */
export function personaProse(persona: string): string {
  return persona
    .split(/\s+\.\s*|\.\s*$/)
    .map((s) =>
      s
        .trim()
        .replace(/\s+,/g, ',')
        .replace(/\b(i|don|doesn|can|isn|won|didn|wasn|aren|haven|couldn|wouldn|shouldn)\s+(m|t|ve|ll|d|s)\b/gi, "$1'$2")
        .replace(/\bi\b/g, 'I')
        .replace(/\bi'/g, "I'"),
    )
    .filter((s) => s.length > 0)
    .map((s) => `${s.charAt(0).toUpperCase()}${s.slice(1)}.`)
    .join(' ');
}

const contentWords = (text: string): string[] =>
  (text.toLowerCase().match(/[a-z']+/g) ?? []).filter((w) => w.length > 3 && !['that', 'this', 'they', 'them', 'with', 'have', 'will', 'just', 'because'].includes(w));

/**
 * Whether a reframe restates the distorted part of its thought: at least half the content words of
 * the thought's last sentence reappear in it. Such reframes still carry the trap's words.
 */
function restates(thought: string, reframe: string): boolean {
  const sentences = thought.split(/(?<=[.!?])\s+/).filter((s) => s.trim());
  const last = contentWords(sentences[sentences.length - 1] ?? thought);
  if (last.length === 0) return false;
  const words = new Set(contentWords(reframe));
  return last.filter((w) => words.has(w)).length / last.length >= 0.5;
}

export interface NeutralText {
  kind: 'persona' | 'persona+reframes';
  text: string;
}

/** Per persona: its prose and the annotators' reframes (one per thought) that do not restate their thought. */
function personaReframes(rows: readonly Row[]): Map<string, { prose: string; reframes: { of: Row; text: string }[] }> {
  const byPersona = new Map<string, { prose: string; reframes: { of: Row; text: string }[] }>();
  for (const r of rows) {
    if (!r.persona) continue;
    const entry = byPersona.get(r.persona) ?? { prose: personaProse(r.persona), reframes: [] };
    const reframe = r.reframes.find((f) => !restates(r.thought, f));
    if (reframe) entry.reframes.push({ of: r, text: reframe.trim().replace(/([^.!?])$/, '$1.') });
    byPersona.set(r.persona, entry);
  }
  return new Map([...byPersona].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Neutral texts from a split, one or two per persona: the persona as prose (a short self-description,
 * 4-5 plain sentences) and, when the persona has enough, a long journal-like entry of the persona
 * followed by four annotators' reframes that do not restate their thought (about 110 words).
 */
export function neutralTexts(rows: readonly Row[]): NeutralText[] {
  const out: NeutralText[] = [];
  for (const { prose, reframes } of personaReframes(rows).values()) {
    out.push({ kind: 'persona', text: prose });
    if (reframes.length >= 3) out.push({ kind: 'persona+reframes', text: [prose, ...reframes.slice(0, 4).map((f) => f.text)].join(' ') });
  }
  return out;
}

/**
 * Long distorted texts built like the long neutral ones, so that only the distortion tells them
 * apart: a persona's prose, two reframes of the persona's other thoughts, then one of its thoughts,
 * labelled with that thought's trap. `offset` is where the thought starts.
 */
export function longDistorted(rows: readonly Row[]): { text: string; gold: TrapId; offset: number }[] {
  const personas = personaReframes(rows);
  return rows
    .filter((r) => r.persona)
    .map((r) => {
      const entry = personas.get(r.persona);
      const others = (entry?.reframes ?? []).filter((f) => f.of !== r).slice(0, 2).map((f) => f.text);
      const before = [entry?.prose ?? personaProse(r.persona), ...others].join(' ');
      return { text: `${before} ${r.thought}`, gold: r.gold, offset: before.length + 1 };
    });
}
