import { describe, expect, test } from 'vitest';
import { TurnReframeOutput, ReframeFragmentOutput } from '@kalei/contracts/ai-tasks';
import { trapIds } from '@kalei/contracts/taxonomy';
import { chooseTechniques, composeFragmentReframe, composeTurn, thoughtRef } from './reframe.js';
import { alternativeThoughts, lineConditions, techniqueLines, techniquesFor } from './techniques.js';

const thoughts = [
  "I got a C on my latest science test. I'm a complete failure of a student.",
  "My friends probably think I'm boring because I never go out.",
  "I was late for work for the first time today. I'm going to get fired.",
  'I should be over this by now.',
  'I made a great cake, but anyone could make it with the right recipe.',
  'Nobody ever listens to me.',
  'Why am I so stupid?',
  "It's all my fault that the team lost.",
  'You never listen to me and it ruins everything.',
  'I feel really sad today.',
  "I'm a failure",
  'The party was fun, but all I can think about is the awkward thing I said.',
  'Everyone my age already has a house and I have nothing.',
  'My boss ruined my whole week.',
  'I feel like a burden, so I must be one.',
];

const stopwords = new Set(
  'this that with have from they them their what when will would about just like been were your much more some than then into over only very also make made because really never ever always'.split(' '),
);

/** Content words of the user's thought, for checking that a reframe speaks about it. */
function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z']{4,}/g) ?? []).filter((w) => !stopwords.has(w));
}

/** Whether a reframe repeats a content word or a two-word run of the user's thought. */
function mentionsUserWords(reframe: string, thought: string): boolean {
  const lower = reframe.toLowerCase();
  if (contentWords(thought).some((w) => lower.includes(w))) return true;
  const tokens = thought.toLowerCase().match(/[a-z']+/g) ?? [];
  return tokens.slice(1).some((w, i) => lower.includes(`${tokens[i]} ${w}`));
}

/** The reframe with quoted passages (the user's verbatim words, suggested self-talk) removed. */
function outsideQuotes(text: string): string {
  return text.replace(/“[^”]*”/g, '').replace(/"[^"]*"/g, '');
}

describe('turn.reframe', () => {
  test.each(thoughts)('%s: three valid, distinct reframes about the user\'s words', (thought) => {
    const out = composeTurn({ thought });
    expect(TurnReframeOutput.safeParse(out).success).toBe(true);
    const texts = out.reframes.map((r) => r.text);
    expect(new Set(texts).size).toBe(3);
    expect(new Set(out.reframes.map((r) => r.technique)).size).toBe(3);
    for (const text of texts) expect(mentionsUserWords(text, thought)).toBe(true);
  });

  test.each(thoughts)('%s: speaks in the second person outside quotes, grammatically', (thought) => {
    for (const { text } of composeTurn({ thought }).reframes) {
      const prose = outsideQuotes(text);
      expect(prose).not.toMatch(/\b(?:I|I'm|I've|I'll|me|my|mine|myself)\b/);
      expect(prose).not.toMatch(/(?<!of )\byou (?:am|was|is|has)\b|\byour're\b|\byou's\b/i);
      expect(text).not.toMatch(/\s{2,}|\s[.,!?]|\.\.|“”/);
      expect(text).toMatch(/^[A-Z“]/);
    }
  });

  test.each([
    ["I'm a failure", "that you're a failure"],
    ['I was so stupid at the party', 'you were so stupid at the party'],
    ['I am such a bad mother', 'you are such a bad mother'],
    ['My sister thinks I am selfish', 'your sister thinks you are selfish'],
    ["I've ruined everything for my family", "you've ruined everything for your family"],
  ])('paraphrases %s as "%s"', (thought, expected) => {
    const [first] = composeTurn({ thought }).reframes;
    expect(first?.text).toContain(expected);
  });

  test('quotes a thought addressed to someone else rather than garbling its pronouns', () => {
    const out = composeTurn({ thought: 'You never listen to me.' });
    const all = out.reframes.map((r) => r.text).join(' ');
    expect(all).not.toMatch(/you never listen to you/i);
  });

  test('returns the traps it found, best first, and leans its first technique on the main trap', () => {
    const out = composeTurn({ thought: "Everyone must think I'm stupid. It's all my fault." });
    expect(out.traps).toEqual(expect.arrayContaining(['mind_reading', 'personalization']));
    expect(out.traps.length).toBeLessThanOrEqual(4);
    const main = out.traps[0];
    expect(main).toBeDefined();
    if (main) expect(out.reframes[0]?.technique).toBe(techniquesFor[main][0]);
  });

  test('still helps when no trap is found', () => {
    const out = composeTurn({ thought: 'Today was hard.' });
    expect(out.traps).toEqual([]);
    expect(TurnReframeOutput.safeParse(out).success).toBe(true);
    expect(out.reframes[0]?.text).toMatch(/today was hard/i);
  });

  test('is deterministic for the same input', () => {
    for (const thought of thoughts) expect(composeTurn({ thought })).toEqual(composeTurn({ thought }));
  });

  test('varies its wording across different thoughts with the same trap', () => {
    const subjects = ['cook', 'driver', 'friend', 'student', 'runner', 'painter', 'singer', 'parent', 'teacher', 'writer'];
    const events = ['today', 'again', 'at the party', 'this morning', 'in front of everyone'];
    const outs = subjects.flatMap((s) => events.map((e) => composeTurn({ thought: `I messed up ${e}. I am a terrible ${s}.` })));
    // Strip the user's own words so only the template choices remain.
    const skeleton = (text: string): string =>
      outsideQuotes(text).replace(new RegExp(`\\b(?:${[...subjects, 'messed', 'up', ...events.join(' ').split(' ')].join('|')})\\b`, 'g'), '');
    for (const slot of [0, 1, 2]) {
      const variants = new Set(outs.map((o) => skeleton(o.reframes[slot]?.text ?? '')));
      expect(variants.size).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(outs.map((o) => o.reframes.map((r) => r.technique).join())).size).toBeGreaterThanOrEqual(2);
    expect(new Set(outs.map((o) => o.microAction.text)).size).toBeGreaterThanOrEqual(2);
    // Two different thoughts almost never get identical text.
    expect(new Set(outs.map((o) => o.reframes.map((r) => r.text).join('|'))).size).toBe(outs.length);
  });

  test('the micro-action is short, concrete and suited to the trap', () => {
    const out = composeTurn({ thought: "My friends probably think I'm boring." });
    expect(out.microAction.minutes).toBeGreaterThanOrEqual(1);
    expect(out.microAction.minutes).toBeLessThanOrEqual(15);
    expect(out.microAction.text).toMatch(/said|explanation|message|sure/i);
  });

  test('a low mood starts the micro-action with a breath', () => {
    const low = composeTurn({ thought: "I'm a failure", moodBefore: 2 });
    const high = composeTurn({ thought: "I'm a failure", moodBefore: 8 });
    expect(low.microAction.text).toMatch(/^First, take three slow breaths/);
    expect(high.microAction.text).not.toMatch(/breaths\. Then/);
  });

  test('handles empty, odd and very long input within the schema', () => {
    for (const thought of ['', '   ', '?!', '\u{1F62D}', 'x'.repeat(3000), `${"I'm a loser. ".repeat(200)}`]) {
      const out = composeTurn({ thought });
      expect(TurnReframeOutput.safeParse(out).success).toBe(true);
      for (const r of out.reframes) expect(r.text).not.toContain('“”');
    }
  });
});

describe('chooseTechniques', () => {
  test('always keeps the best fit first and returns three different techniques', () => {
    for (const trap of [...trapIds, 'none' as const]) {
      for (let seed = 0; seed < 6; seed++) {
        const chosen = chooseTechniques(trap, seed);
        expect(chosen[0]).toBe(techniquesFor[trap][0]);
        expect(new Set(chosen).size).toBe(3);
      }
    }
  });
});

describe('thoughtRef', () => {
  test('swaps pronouns for statements and quotes questions and second-person thoughts', () => {
    expect(thoughtRef("I'm useless.").ref).toBe("that you're useless");
    expect(thoughtRef('Why am I like this?').ref).toBe('“Why am I like this?”');
    expect(thoughtRef('You always leave').ref).toBe('“You always leave”');
  });
});

describe('mirror.reframeFragment', () => {
  test.each(trapIds)('%s: a valid reframe with a technique suited to the trap', (trap) => {
    const out = composeFragmentReframe({ fragmentText: "I'm such an idiot for forgetting", trap });
    expect(ReframeFragmentOutput.safeParse(out).success).toBe(true);
    expect(techniquesFor[trap].slice(0, 2)).toContain(out.technique);
    expect(out.reframe).toContain("you're such an idiot for forgetting");
  });

  test('is deterministic and handles an empty fragment', () => {
    const input = { fragmentText: 'Nobody cares about me', trap: 'overgeneralization' as const };
    expect(composeFragmentReframe(input)).toEqual(composeFragmentReframe(input));
    expect(ReframeFragmentOutput.safeParse(composeFragmentReframe({ fragmentText: '', trap: 'labeling' })).success).toBe(true);
  });
});

describe('reframes that fit the thought (issue 14)', () => {
  const quotesOf = (text: string): string[] => [...text.matchAll(/“([^”]+)”/g)].map((m) => (m[1] ?? '').toLowerCase().replace(/[^a-z0-9']+/g, ' ').trim());
  const othersBehaviour = /their behaviou?r|about their day|people act the way they do|their reaction may have nothing/i;

  test('a mistake of one\'s own with mind reading and a label: both traps, no template about someone else\'s behaviour, no repeated quote', () => {
    const out = composeTurn({ thought: "I messed up my presentation and now everyone thinks I'm incompetent." });
    expect(out.traps).toEqual(['mind_reading', 'labeling']);
    for (const r of out.reframes) expect(r.text).not.toMatch(othersBehaviour);
    const quotes = out.reframes.map((r) => new Set(quotesOf(r.text)));
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) for (const q of quotes[i] ?? []) expect(quotes[j]?.has(q), q).toBe(false);
    // The label is answered as a label, with the user's own word.
    expect(out.reframes.some((r) => /incompetent/.test(r.text) && ['balanced_thinking', 'compassionate_reframe', 'evidence_check', 'growth_mindset'].includes(r.technique))).toBe(true);
  });

  test.each(thoughts)('%s: no quoted phrase appears in two reframes', (thought) => {
    const quotes = composeTurn({ thought }).reframes.map((r) => new Set(quotesOf(r.text)));
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) for (const q of quotes[i] ?? []) expect(quotes[j]?.has(q), q).toBe(false);
  });

  test('someone else\'s act keeps the reframes about other people\'s reasons', () => {
    const texts = [0, 1, 2, 3, 4, 5].map((i) => composeTurn({ thought: "My friend didn't text back. She must be angry with me.", context: String(i) }));
    expect(texts.some((o) => o.reframes.some((r) => r.technique === 'reattribution'))).toBe(true);
  });

  test('a label about someone else is not answered as if it were about the writer', () => {
    for (const context of ['a', 'b', 'c', 'd']) {
      const out = composeTurn({ thought: "He's a complete jerk.", context });
      expect(out.traps[0]).toBe('labeling');
      for (const r of out.reframes) expect(r.text).not.toMatch(/true about you|your identity|you made a mistake|evidence about you|who I am/i);
    }
  });

  test('a thought that only looks ahead is not told that something happened', () => {
    for (const thought of ['I will never be good at paddle boarding.', 'I will fail the exam tomorrow.', 'My leg will never heal.']) {
      for (const context of ['a', 'b', 'c']) {
        for (const r of composeTurn({ thought, context }).reframes) expect(r.text, thought).not.toMatch(/\b(?:this|that) happened\b|one event/i);
      }
    }
  });

  test('a state is not called an event ("That happened") in the second reframe', () => {
    const out = composeTurn({ thought: "I don't have a lot of family members that I like. The holidays are going to be miserable." });
    for (const r of out.reframes) expect(r.text).not.toMatch(/That happened/);
  });

  test('a "should" about others is not answered with a rule for yourself, and the reverse', () => {
    for (const context of ['a', 'b', 'c', 'd']) {
      for (const r of composeTurn({ thought: 'People should always be on time.', context }).reframes) {
        expect(r.text).not.toMatch(/punishing yourself|where you "should" be|patient with myself/);
      }
      for (const r of composeTurn({ thought: 'I should be over this by now.', context }).reframes) {
        expect(r.text).not.toMatch(/living by their own rules/);
      }
    }
  });

  test('every conditioned line exists in the tables it conditions', () => {
    const all = new Set([...Object.values(techniqueLines).flatMap((t) => Object.values(t).flat()), ...Object.values(alternativeThoughts).flat()]);
    for (const text of lineConditions.keys()) expect(all.has(text), text).toBe(true);
  });
});
