import { describe, expect, test } from 'vitest';
import { AffirmationOutput, FocusOutput, ReflectOutput, SpectrumNarrativeOutput } from '@kalei/contracts/ai-tasks';
import { trapIds } from '@kalei/contracts/taxonomy';
import { composeAffirmation, composeFocus, composeNarrative, composeReflection, normaliseGoal } from './content.js';

/** Every run of `n` words in `text`, lowercased, for checking that nothing long is quoted. */
function ngrams(text: string, n: number): Set<string> {
  const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  return new Set(words.slice(0, Math.max(0, words.length - n + 1)).map((_, i) => words.slice(i, i + n).join(' ')));
}

describe('mirror.reflect', () => {
  const messages = [
    "Work was awful today, my boss yelled in the meeting and I feel like such an idiot for missing the deadline.",
    "I'm so tired and anxious about tomorrow, everyone must think I am useless.",
    'Talking to my sister helped a bit. I feel calmer now and grateful she listened.',
  ];

  test('is warm, valid and names feelings, topics and traps in general words', () => {
    const out = composeReflection({ messages, traps: ['labeling', 'mind_reading', 'labeling'] });
    expect(ReflectOutput.safeParse(out).success).toBe(true);
    expect(out.themes).toEqual(['labeling', 'mind_reading']);
    expect(out.reflection).toMatch(/labeling/);
    expect(out.reflection).toMatch(/work|family/i);
    expect(out.reflection).toMatch(/worry|tiredness/);
    expect(out.reflection).toMatch(/lighter/);
  });

  test('never quotes a long stretch of what the user wrote', () => {
    const out = composeReflection({ messages, traps: [] });
    const said = messages.flatMap((m) => [...ngrams(m, 5)]);
    const reflected = ngrams(out.reflection, 5);
    expect(said.filter((g) => reflected.has(g))).toEqual([]);
  });

  test('finds themes itself when the session has no recorded traps', () => {
    const out = composeReflection({ messages, traps: [] });
    expect(out.themes.length).toBeGreaterThan(0);
    expect(out.themes.length).toBeLessThanOrEqual(4);
  });

  test('keeps at most four themes, most frequent first', () => {
    const traps = [...trapIds, 'comparing', 'comparing', 'blaming'] as const;
    const out = composeReflection({ messages: ['Long day.'], traps: [...traps] });
    expect(out.themes).toHaveLength(4);
    expect(out.themes[0]).toBe('comparing');
    expect(out.themes[1]).toBe('blaming');
  });

  test('has something kind to say about a short, trap-free session', () => {
    const out = composeReflection({ messages: ['I went for a walk and made soup.'], traps: [] });
    expect(ReflectOutput.safeParse(out).success).toBe(true);
    expect(out.themes).toEqual([]);
    expect(out.reflection).toMatch(/without falling into/);
  });

  test('is deterministic and stays within the schema for long sessions', () => {
    const long = Array.from({ length: 60 }, (_, i) => `Message ${i}: I always mess up at work and everyone hates me.`);
    const a = composeReflection({ messages: long, traps: [] });
    expect(a).toEqual(composeReflection({ messages: long, traps: [] }));
    expect(ReflectOutput.safeParse(a).success).toBe(true);
  });
});

describe('normaliseGoal', () => {
  test.each([
    ['I want to run a 5k!', { text: 'run a 5k', isVerbPhrase: true }],
    ['to sleep better', { text: 'sleep better', isVerbPhrase: true }],
    ['Better sleep', { text: 'Better sleep', isVerbPhrase: false }],
    ['My health.', { text: 'my health', isVerbPhrase: false }],
    ['Learn Spanish', { text: 'learn Spanish', isVerbPhrase: true }],
  ])('%s', (goal, expected) => {
    expect(normaliseGoal(goal)).toEqual(expected);
  });

  test('drops goals that are empty or too long to hold in a sentence', () => {
    expect(normaliseGoal('   ')).toBeNull();
    expect(normaliseGoal(Array.from({ length: 20 }, () => 'word').join(' '))).toBeNull();
  });
});

describe('lens', () => {
  const base = { goals: ['I want to run a 5k', 'Spend more time with my kids'], recentTraps: ['labeling' as const], localDate: '2025-03-01' };

  test('the affirmation is grounded in a goal and a recent trap', () => {
    const out = composeAffirmation(base);
    expect(AffirmationOutput.safeParse(out).success).toBe(true);
    expect(out.affirmation).toMatch(/run a 5k|spend more time with my kids/);
    expect(out.affirmation).toMatch(/label|moment|whole person/i);
  });

  test('the focus speaks to the user about their goal and the trap', () => {
    const out = composeFocus({ ...base, goals: ['Spend more time with my kids'] });
    expect(FocusOutput.safeParse(out).success).toBe(true);
    expect(out.focus).toContain('spend more time with your kids');
    expect(out.focus).toMatch(/label/i);
  });

  test('changes from day to day and stays the same within a day', () => {
    const days = Array.from({ length: 14 }, (_, i) => `2025-03-${String(i + 1).padStart(2, '0')}`);
    const affirmations = new Set(days.map((localDate) => composeAffirmation({ ...base, localDate }).affirmation));
    const focuses = new Set(days.map((localDate) => composeFocus({ ...base, localDate }).focus));
    expect(affirmations.size).toBeGreaterThanOrEqual(4);
    expect(focuses.size).toBeGreaterThanOrEqual(4);
    expect(composeAffirmation(base)).toEqual(composeAffirmation(base));
  });

  test('works without goals or traps', () => {
    const empty = { goals: [], recentTraps: [], localDate: '2025-03-01' };
    expect(AffirmationOutput.safeParse(composeAffirmation(empty)).success).toBe(true);
    expect(FocusOutput.safeParse(composeFocus(empty)).success).toBe(true);
    const trapOnly = composeAffirmation({ ...empty, recentTraps: ['mind_reading'] });
    expect(trapOnly.affirmation).toMatch(/others|doubt/);
  });

  test.each(trapIds)('has an affirmation and a focus tip for %s', (trap) => {
    const input = { goals: ['Better sleep'], recentTraps: [trap], localDate: '2025-03-01' };
    expect(AffirmationOutput.safeParse(composeAffirmation(input)).success).toBe(true);
    expect(FocusOutput.safeParse(composeFocus(input)).success).toBe(true);
  });
});

describe('spectrum.narrative', () => {
  test('leads with the most frequent trap and its share', () => {
    const out = composeNarrative({
      period: 'weekly',
      trapCounts: { labeling: 3, mind_reading: 1 },
      turns: 2,
      mirrorSessions: 1,
    });
    expect(SpectrumNarrativeOutput.safeParse(out).success).toBe(true);
    expect(out.headline).toMatch(/labeling/i);
    expect(out.headline).toMatch(/week/);
    expect(out.insights[0]).toContain('Labeling appeared 3 times, 75% of the 4 thinking traps');
    expect(out.insights.join(' ')).toContain('mind reading (1)');
    expect(out.insights.join(' ')).toContain('2 Turns and 1 Mirror session');
  });

  test('compares with the previous period', () => {
    const out = composeNarrative({
      period: 'monthly',
      trapCounts: { labeling: 2, catastrophizing: 4 },
      turns: 10,
      mirrorSessions: 4,
      previousTrapCounts: { labeling: 6, catastrophizing: 1, comparing: 2 },
    });
    const text = out.insights.join(' ');
    expect(text).toContain('compared with 9 last month');
    expect(text).toContain('Labeling eased from 6 to 2');
    expect(text).toContain('Catastrophizing rose from 1 to 4');
  });

  test('notices a new trap and one that disappeared', () => {
    const out = composeNarrative({
      period: 'weekly',
      trapCounts: { should_statements: 1 },
      turns: 1,
      mirrorSessions: 0,
      previousTrapCounts: { comparing: 3 },
    });
    const text = out.insights.join(' ');
    expect(text).toContain('Should statements is new this week');
    expect(text).toContain('Comparing and despairing did not show up at all, down from 3');
    expect(text).toContain('1 time');
  });

  test('has a gentle narrative for an empty period', () => {
    const quiet = composeNarrative({ period: 'weekly', trapCounts: {}, turns: 3, mirrorSessions: 2 });
    expect(SpectrumNarrativeOutput.safeParse(quiet).success).toBe(true);
    expect(quiet.headline).toMatch(/quiet week/i);
    const none = composeNarrative({ period: 'monthly', trapCounts: { labeling: 0 }, turns: 0, mirrorSessions: 0 });
    expect(SpectrumNarrativeOutput.safeParse(none).success).toBe(true);
    expect(none.headline).toMatch(/month/);
  });

  test('stays within five insights whatever the counts', () => {
    const all = Object.fromEntries(trapIds.map((t, i) => [t, i + 1]));
    const out = composeNarrative({ period: 'weekly', trapCounts: all, turns: 50, mirrorSessions: 20, previousTrapCounts: all });
    expect(SpectrumNarrativeOutput.safeParse(out).success).toBe(true);
    expect(out.insights.join(' ')).toContain('stayed the same');
  });
});

describe('mirror.reflect tone follows what was written (issue 14)', () => {
  const reflect = (...messages: string[]) => composeReflection({ messages, traps: [] }).reflection;

  test('an entry about feeling like a fraud is not told it held real calm', () => {
    const text = reflect('I feel like a fraud at work. I can\'t relax, I keep waiting for someone to find out.');
    expect(text).not.toMatch(/real calm|let yourself notice it/);
    expect(text).toContain('self-doubt');
  });

  test('a negated good feeling is unease, and others\' calm is not the writer\'s', () => {
    expect(reflect("I'm not calm at all and I can't relax.")).not.toMatch(/calm in what you wrote/);
    expect(reflect('Everyone else seems so settled and happy.')).not.toMatch(/real (?:calm|joy)/);
  });

  test('genuine calm with no trap is still named warmly', () => {
    expect(reflect('Had a calm morning and a relaxing walk by the river.')).toContain('There was real calm in what you wrote');
  });

  test('traps with only light words get a mixed, not a cheerful, line', () => {
    const text = reflect("I'm happy with the trip, but I'm such an idiot for forgetting the tickets.");
    expect(text).not.toContain('There was real');
  });
});
