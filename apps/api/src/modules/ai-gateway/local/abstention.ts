/**
 * Calibrated abstention: whether a scored fragment is a thinking trap at all, as opposed to ordinary
 * words that happen to trip a cue ("I can't stand beets", "I'll make sure to put it back").
 *
 * A logistic model over a few features of the fragment and its sentence gives P(real trap); a
 * fragment below ABSTAIN_THRESHOLD is dropped, and a text whose fragments are all dropped gets
 * none. Fitted on the PatternReframe train split only (bench/quality.ts --fit-abstention):
 * positives are fragments naming the annotators' trap, in the thought alone and after a neutral
 * persona; negatives are fragments in neutral text built from train (personas, and personas with
 * the annotators' reframes) and the tuning half of the neutral journal fixture.
 */
import type { TrapId } from '@kalei/contracts/taxonomy';
import { negativeValence, positiveValence } from './lexicon.js';
import type { Span } from './text.js';

/** The version of the weights below, recorded in benchmarks. */
export const ABSTENTION_VERSION = 'abstain-1';

/** Coping, planning and reframing language: what a healthy rewrite of a thought sounds like. */
const coping =
  /\b(?:luckily|fortunately|thankfully|on the bright side|at least|i'll make sure|i will make sure|make sure|next time|i (?:will|'ll|can|could) (?:learn|try|work|practice|practise|ask|talk|get better|improve|keep|start|find|look|plan|prepare|be fine|be okay|handle|manage|do better)|get(?:ting)? better|i know (?:i|we) (?:will|can)|it's (?:okay|ok|fine|normal)|that's (?:okay|ok|fine|normal)|it will be (?:fine|okay|ok)|i can still|still (?:love|enjoy|have|like)|i'm (?:proud|grateful|thankful|lucky)|i am (?:proud|grateful|thankful|lucky)|maybe|perhaps|probably just|might just|i understand|that is okay|one day at a time)\b/i;
const firstPerson = /\b(?:i|i'm|im|i've|i'd|i'll|me|my|myself|mine)\b/i;
// Intensity and absolutes: the voice of a trap more often than of a plain report.
const intensity = /\b(?:always|never|everyone|everybody|nobody|no one|nothing|everything|ever|completely|totally|so|such|really|must|hate|worst|all)\b|!/i;

/** Feature names, in the order of the weight vector. */
export const featureNames = [
  'bias',
  'score',
  'distinctCues',
  'sentenceNegative',
  'sentencePositive',
  'coping',
  'firstPerson',
  'intensity',
  'question',
  'otherNegativeSentences',
  'textNegativeShare',
] as const;

export type AbstentionFeatures = number[];

function has(re: RegExp, text: string): number {
  re.lastIndex = 0;
  const found = re.test(text);
  re.lastIndex = 0;
  return found ? 1 : 0;
}

/** What the model sees of one fragment: its raw score, its cues, its sentence and the text around it. */
export function abstentionFeatures(
  text: string,
  sentences: readonly Span[],
  fragment: { start: number; end: number; score: number; cueIds: readonly string[]; strongestCue: string; trap: TrapId },
  /** Whether each sentence holds negative words, when the caller has it already (one pass per text). */
  sentenceNegatives?: readonly number[],
): { numeric: AbstentionFeatures; trap: TrapId; cue: string } {
  const index = Math.max(
    0,
    sentences.findIndex((s) => fragment.start >= s.start && fragment.start < s.end),
  );
  const sentenceSpan = sentences[index] ?? { start: 0, end: text.length };
  const sentence = text.slice(sentenceSpan.start, sentenceSpan.end);
  const negatives = sentenceNegatives ?? negativeSentences(text, sentences);
  const otherNegative = negatives.filter((n, i) => n === 1 && i !== index).length;
  return {
    numeric: [
      1,
      fragment.score,
      Math.min(3, new Set(fragment.cueIds).size) - 1,
      has(negativeValence, sentence),
      has(positiveValence, sentence),
      has(coping, sentence),
      has(firstPerson, sentence),
      has(intensity, sentence),
      /\?\s*$/.test(sentence) ? 1 : 0,
      Math.min(1, otherNegative),
      negatives.reduce((a, b) => a + b, 0) / Math.max(1, negatives.length),
    ],
    trap: fragment.trap,
    cue: fragment.strongestCue,
  };
}

/** For each sentence, 1 when it holds negative words. */
export function negativeSentences(text: string, sentences: readonly Span[]): number[] {
  return sentences.map((s) => has(negativeValence, text.slice(s.start, s.end)));
}

/** A fitted model: weights per numeric feature, a bias per trap and per strongest cue (L2-shrunk towards 0). */
export interface AbstentionModel {
  numeric: readonly number[];
  trap: Readonly<Partial<Record<TrapId, number>>>;
  cue: Readonly<Record<string, number>>;
  threshold: number;
}

export function abstentionProbability(model: AbstentionModel, features: ReturnType<typeof abstentionFeatures>): number {
  let z = model.trap[features.trap] ?? 0;
  z += model.cue[features.cue] ?? 0;
  features.numeric.forEach((x, i) => {
    z += (model.numeric[i] ?? 0) * x;
  });
  return 1 / (1 + Math.exp(-z));
}

/** Fitted weights (bench/quality.ts --fit-abstention, train split). */
export const abstentionModel: AbstentionModel = {
  numeric: [0.216, 1.432, 1.057, 0.392, -0.564, -1.67, -0.541, 0.117, 0.159, -2.108, 1.988],
  trap: { catastrophizing: 0.029, mind_reading: 0.487, personalization: 0.061, disqualifying_positive: 0.061, all_or_nothing: 0.239, labeling: 0.273, fortune_telling: -0.225, should_statements: -0.203, mental_filter: -0.06, overgeneralization: -0.268, blaming: -0.091, emotional_reasoning: -0.048, comparing: -0.092 },
  cue: { cat_death: 0.305, mr_feelings_me: -0.061, pers_because_i: 0.287, dp_doesnt_count: -0.206, lab_self_role: 0.148, lab_self_adj: -0.064, ft_certain: -0.468, sh_should: 0.258, pers_because_weak: -0.539, dp_so_did: 0.105, mf_pos_but_neg: -0.299, aon_ruined: 0.099, mr_think_me: 0.498, ft_future_neg: 0.228, mf_turn: -0.187, og_always: -0.254, dp_anyone_can: 0.342, lab_have_no: 0.06, cat_must_be: 0.069, dp_but_others_better: -0.089, og_never: 0.732, mf_until: 0.074, aon_flip: 0.139, ft_future_bad: 0.077, lab_suck: 0.055, og_single_event: -0.361, pers_my_fault: 0.199, aon_total: -0.117, ft_eventually: -0.28, mr_i_bet: -0.33, ft_wont: 0.185, mf_concession: 0.328, cat_disaster: -0.257, ft_dont_think_will: 0.055, ft_probably: 0.088, aon_no_point: 0.067, lab_self_noun: 0.069, mr_dont_think_they: 0.058, mr_must_be: 0.055, mf_ruins_it: 0.062, dp_just_a: 0.07, dp_luck: -0.263, pers_if_only: 0.107, cat_panic: -0.135, og_everyone: -0.23, aon_at_all: -0.129, pers_not_enough: -0.072, sh_deserve: -0.063, sh_should_have: -0.236, sh_must: -0.081, bl_their_fault: -0.053, cmp_than_me: -0.053, lab_feel_like_a: -0.067 },
  threshold: 0.55,
};
