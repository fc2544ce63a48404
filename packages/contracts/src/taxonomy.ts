import { z } from 'zod';

/** Kalei's canonical thinking traps. Other label sets map onto these ids (see trapMappings). */
export const trapIds = [
  'all_or_nothing',
  'overgeneralization',
  'mental_filter',
  'disqualifying_positive',
  'mind_reading',
  'fortune_telling',
  'catastrophizing',
  'emotional_reasoning',
  'should_statements',
  'labeling',
  'personalization',
  'blaming',
  'comparing',
] as const;
export const TrapId = z.enum(trapIds);
export type TrapId = z.infer<typeof TrapId>;

/** What the app shows about a trap: a plain-language name, a one-line definition and an example thought. */
export interface TrapInfo {
  name: string;
  definition: string;
  example: string;
}

/** Plain-language descriptions of every trap, written for the user rather than for clinicians. */
export const trapInfo: Record<TrapId, TrapInfo> = {
  all_or_nothing: {
    name: 'All-or-nothing thinking',
    definition: 'Seeing things in only two boxes, perfect or ruined, with nothing in between.',
    example: 'I got one answer wrong, so the whole exam was a disaster.',
  },
  overgeneralization: {
    name: 'Overgeneralizing',
    definition: 'Treating one event as a rule that will always repeat, using words like always, never or everyone.',
    example: 'I missed the bus again. Nothing ever goes right for me.',
  },
  mental_filter: {
    name: 'Mental filter',
    definition: 'Dwelling on one negative detail until it colours everything else.',
    example: 'The party was fun, but I said one awkward thing and that is all I can think about.',
  },
  disqualifying_positive: {
    name: 'Discounting the positive',
    definition: 'Brushing off good things as if they do not count.',
    example: 'I got the job, but only because nobody else applied.',
  },
  mind_reading: {
    name: 'Mind reading',
    definition: 'Assuming you know what others think about you, without checking.',
    example: 'She did not text back, so she must think I am annoying.',
  },
  fortune_telling: {
    name: 'Fortune telling',
    definition: 'Predicting that things will turn out badly, as if the future were already known.',
    example: 'I will definitely fail the interview tomorrow.',
  },
  catastrophizing: {
    name: 'Catastrophizing',
    definition: 'Jumping to the worst possible outcome, or feeling a hard moment is unbearable.',
    example: 'If I make a mistake at work, I will get fired and lose everything.',
  },
  emotional_reasoning: {
    name: 'Emotional reasoning',
    definition: 'Taking a feeling as proof of a fact: I feel it, so it must be true.',
    example: 'I feel like a burden, so I must be one.',
  },
  should_statements: {
    name: 'Should statements',
    definition: 'Holding yourself or others to rigid rules about how things must be.',
    example: 'I should be over this by now.',
  },
  labeling: {
    name: 'Labeling',
    definition: 'Summing up a whole person, often yourself, with one harsh label after one event.',
    example: 'I forgot her birthday. I am such a terrible friend.',
  },
  personalization: {
    name: 'Personalizing',
    definition: 'Taking the blame for things that were not fully in your control.',
    example: 'The team lost the match, and it is all my fault.',
  },
  blaming: {
    name: 'Blaming',
    definition: 'Putting the whole cause of your pain on someone or something else.',
    example: 'My boss ruined my whole week.',
  },
  comparing: {
    name: 'Comparing and despairing',
    definition: 'Measuring yourself against others and concluding you fall short.',
    example: 'Everyone my age has a house already and I have nothing.',
  },
};

/**
 * Labels from other taxonomies, keyed by their published spelling. `null` means the label has no
 * single Kalei equivalent (an umbrella like Burns' "jumping to conclusions", or a non-trap label).
 */
export const trapMappings = {
  /** David Burns, "Feeling Good": the ten cognitive distortions and the sub-labels they name. */
  burns: {
    'All-or-nothing thinking': 'all_or_nothing',
    Overgeneralization: 'overgeneralization',
    'Mental filter': 'mental_filter',
    'Disqualifying the positive': 'disqualifying_positive',
    // The umbrella covers two Kalei traps; guessing one would be wrong half the time.
    'Jumping to conclusions': null,
    'Mind reading': 'mind_reading',
    'Fortune teller error': 'fortune_telling',
    'Magnification (catastrophizing) or minimization': 'catastrophizing',
    'Magnification or minimization': 'catastrophizing',
    Magnification: 'catastrophizing',
    // Burns' minimization shrinks one's own good qualities, which is how Kalei discounts the positive.
    Minimization: 'disqualifying_positive',
    'Emotional reasoning': 'emotional_reasoning',
    'Should statements': 'should_statements',
    'Labeling and mislabeling': 'labeling',
    Mislabeling: 'labeling',
    // Burns pairs self-blame with blaming others; Kalei keeps them apart and the pair leads with self-blame.
    'Personalization and blame': 'personalization',
    Personalization: 'personalization',
    Blame: 'blaming',
  },
  /** PatternReframe (Maddela et al., 2023): its ten unhelpful thought patterns, exact strings. */
  patternReframe: {
    'Black-and-white or polarized thinking / All or nothing thinking': 'all_or_nothing',
    Catastrophizing: 'catastrophizing',
    'Discounting the positive': 'disqualifying_positive',
    'Jumping to conclusions: Fortune-telling': 'fortune_telling',
    'Jumping to conclusions: mind reading': 'mind_reading',
    'Labeling and mislabeling': 'labeling',
    'Mental filtering': 'mental_filter',
    Overgeneralization: 'overgeneralization',
    Personalization: 'personalization',
    'Should statements': 'should_statements',
  },
  /** Sharma et al., 2023 (ACL), "Cognitive Reframing of Negative Thoughts": 13 thinking traps. */
  sharma2023: {
    'All-or-Nothing Thinking': 'all_or_nothing',
    Overgeneralizing: 'overgeneralization',
    Labeling: 'labeling',
    'Fortune Telling': 'fortune_telling',
    'Mind Reading': 'mind_reading',
    'Emotional Reasoning': 'emotional_reasoning',
    'Should Statements': 'should_statements',
    Personalizing: 'personalization',
    'Disqualifying the Positive': 'disqualifying_positive',
    Catastrophizing: 'catastrophizing',
    'Comparing and Despairing': 'comparing',
    Blaming: 'blaming',
    'Negative Feeling or Emotion': null,
  },
} as const satisfies Record<string, Record<string, TrapId | null>>;

/** Lowercases and reduces punctuation and spacing so "All-or-Nothing" and "all or nothing" meet. */
function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const labelIndex: ReadonlyMap<string, TrapId | null> = (() => {
  const index = new Map<string, TrapId | null>();
  for (const id of trapIds) {
    index.set(normalizeLabel(id), id);
    index.set(normalizeLabel(trapInfo[id].name), id);
  }
  for (const table of Object.values(trapMappings)) {
    for (const [label, id] of Object.entries(table)) index.set(normalizeLabel(label), id);
  }
  // Common variants seen in the literature that none of the tables above spell exactly.
  const extra: Record<string, TrapId> = {
    'black and white thinking': 'all_or_nothing',
    'polarized thinking': 'all_or_nothing',
    'all or nothing': 'all_or_nothing',
    overgeneralising: 'overgeneralization',
    overgeneralisation: 'overgeneralization',
    'mental filtering': 'mental_filter',
    'discounting the positive': 'disqualifying_positive',
    'fortune telling': 'fortune_telling',
    'fortune telling error': 'fortune_telling',
    'jumping to conclusions fortune telling': 'fortune_telling',
    'jumping to conclusions mind reading': 'mind_reading',
    catastrophising: 'catastrophizing',
    should: 'should_statements',
    labelling: 'labeling',
    'labelling and mislabelling': 'labeling',
    personalisation: 'personalization',
    personalising: 'personalization',
    comparing: 'comparing',
    comparison: 'comparing',
  };
  for (const [label, id] of Object.entries(extra)) index.set(normalizeLabel(label), id);
  return index;
})();

/** Maps a thinking-trap label from Burns, PatternReframe, Sharma et al. or Kalei itself to a Kalei id, case-insensitively; null when there is no single equivalent. */
export function mapTrapLabel(label: string): TrapId | null {
  return labelIndex.get(normalizeLabel(label)) ?? null;
}
