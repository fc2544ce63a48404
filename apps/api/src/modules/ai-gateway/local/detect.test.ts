import { describe, expect, test } from 'vitest';
import type { TrapId } from '@kalei/contracts/taxonomy';
import { calibrate, combineWeights, detectFragments, type Detection } from './detect.js';

const top = (fragments: readonly Detection[]): Detection | undefined =>
  [...fragments].sort((a, b) => b.confidence - a.confidence)[0];

describe('detects each trap', () => {
  test.each<[string, TrapId]>([
    ['I made one mistake in the talk, so the whole presentation was ruined.', 'all_or_nothing'],
    ['If it is not perfect, it is a complete failure.', 'all_or_nothing'],
    ["There's no point in trying anymore.", 'all_or_nothing'],
    ['I always mess everything up.', 'overgeneralization'],
    ['Nobody ever listens to me.', 'overgeneralization'],
    ['I failed one test today. I will never be good at anything.', 'overgeneralization'],
    ['Sure, the party was fun, but I said one stupid thing.', 'mental_filter'],
    ['I got the promotion, but it was only because nobody else applied.', 'disqualifying_positive'],
    ['They said my cake was great, but anyone could make it.', 'disqualifying_positive'],
    ['I passed, but it was just luck.', 'disqualifying_positive'],
    ["My friends probably think I'm boring.", 'mind_reading'],
    ["She hasn't texted back, she must be mad at me.", 'mind_reading'],
    ['Everyone at work is judging me.', 'mind_reading'],
    ['I know the interview tomorrow will go badly.', 'fortune_telling'],
    ["I'm sure I won't pass the exam.", 'fortune_telling'],
    ['If I make one mistake I will get fired and lose everything.', 'catastrophizing'],
    ['I feel like a burden, so I must be one.', 'emotional_reasoning'],
    ['I feel stupid, so it must be true.', 'emotional_reasoning'],
    ['I should be over this by now.', 'should_statements'],
    ["I shouldn't have said that.", 'should_statements'],
    ['People should always be on time.', 'should_statements'],
    ["I'm such an idiot.", 'labeling'],
    ['I forgot her birthday. I am a terrible friend.', 'labeling'],
    ["He's a complete jerk.", 'labeling'],
    ["It's all my fault that the team lost.", 'personalization'],
    ['My parents are fighting because of me.', 'personalization'],
    ['My boss ruined my whole week.', 'blaming'],
    ["It's his fault that I'm miserable.", 'blaming'],
    ['Everyone my age already has a house and I have nothing.', 'comparing'],
    ['She is so much prettier than me.', 'comparing'],
  ])('%s → %s', (text, trap) => {
    expect(top(detectFragments(text))?.trap).toBe(trap);
  });
});

describe('stays quiet on neutral text', () => {
  test.each([
    'I went to the store and bought some apples.',
    'The meeting is at 3pm tomorrow.',
    'I had a nice walk with my dog today.',
    'She said she will call me later.',
    'We should grab lunch on Friday.',
    'Everyone came to my birthday party and we ate cake.',
    'I always have coffee before work.',
    'She always makes me laugh.',
    'I will finish the report tomorrow morning.',
    'My sister is moving to Denver next month.',
    "I'll never forget how beautiful the sunset was.",
    'I never thought I would enjoy running this much.',
    'No one was at the office today, so it was quiet.',
    'The store will close at 9 tonight.',
    'I will leave at 5 to pick up the kids.',
    "We won't go to the beach tomorrow because of the rain.",
    'My computer crashed but I saved my work.',
    'I was sick yesterday so I stayed home and watched a movie.',
    'My grandmother died last year and I still miss her.',
    'I visited my friend in the hospital.',
    'It will probably rain tomorrow.',
    'I think I will make pasta for dinner.',
    'My friends think I am funny.',
    'He thinks I am doing a great job.',
    'I bet the concert will be fun.',
    'I should be home by six.',
    'What should I cook tonight?',
    'I have to pick up my sister at noon.',
    'I need to buy milk.',
    'The whole team worked really hard this week.',
    'I finished the entire book in one day.',
    'It was a long day, but I feel okay now.',
    'I got a promotion today and I am proud of myself.',
    'My mom taught me how to bake bread.',
    'Everybody at the gym was friendly.',
    'I lost weight this month.',
    'I am tired after the hike.',
    'My boss asked me to send the slides.',
    'I made a mistake in the email and fixed it.',
    'I am not a failure, I am learning.',
    "I don't always get it right, and that's okay.",
    'I feel calm today.',
    'I will try again next week.',
    'Tomorrow I am going to the dentist.',
    'My brother is a doctor.',
    'We watched a documentary about whales.',
    '',
    '   ',
    '...',
  ])('%j', (text) => {
    expect(detectFragments(text)).toEqual([]);
  });
});

describe('offsets', () => {
  test('point at the clause that carries the trap, in UTF-16 code units', () => {
    const text = 'I had a nice lunch. Then I failed the exam and I\u2019m such an idiot.';
    const fragments = detectFragments(text);
    expect(fragments).toHaveLength(1);
    const [f] = fragments;
    expect(f?.trap).toBe('labeling');
    expect(text.slice(f?.start, f?.end)).toBe('and I\u2019m such an idiot.');
  });

  test('count surrogate pairs as two units, like JavaScript strings', () => {
    const text = 'Great day \u{1F600}\u{1F600}. I always mess everything up.';
    const [f] = detectFragments(text);
    expect(f?.start).toBe(16);
    expect(text.slice(f?.start, f?.end)).toBe('I always mess everything up.');
  });

  test('every fragment lies within the text and covers non-blank characters', () => {
    const text = [
      'Work was fine.',
      'But my boss hates me, and everyone thinks I am lazy.',
      'I should have known.',
      "It's all my fault and I'm a loser.",
      'I will never get promoted.',
    ].join(' ');
    const fragments = detectFragments(text);
    expect(fragments.length).toBeGreaterThanOrEqual(4);
    for (const f of fragments) {
      expect(f.start).toBeGreaterThanOrEqual(0);
      expect(f.end).toBeLessThanOrEqual(text.length);
      expect(f.end).toBeGreaterThan(f.start);
      const slice = text.slice(f.start, f.end);
      expect(slice).toBe(slice.trim());
    }
    // Fragments come in reading order and never overlap.
    for (let i = 1; i < fragments.length; i++) expect(fragments[i]?.start).toBeGreaterThanOrEqual(fragments[i - 1]?.end ?? 0);
  });
});

describe('several sentences and traps', () => {
  test('finds one fragment per trap-carrying sentence', () => {
    const text = "Everyone must think I'm stupid. I should have known better. It's all my fault.";
    const fragments = detectFragments(text);
    // The first sentence holds two traps, a guess about minds and then a label: each gets its own words.
    expect(fragments.map((f) => f.trap)).toEqual(['mind_reading', 'labeling', 'should_statements', 'personalization']);
    expect(fragments.map((f) => text.slice(f.start, f.end))).toEqual([
      'Everyone must think',
      "I'm stupid.",
      'I should have known better.',
      "It's all my fault.",
    ]);
  });

  test('separates traps in different clauses of one sentence', () => {
    const text = "I got a B on the test, so I'm a total failure and I'll never get into college.";
    const traps = detectFragments(text).map((f) => f.trap);
    expect(traps).toContain('labeling');
    expect(traps.length).toBeGreaterThanOrEqual(2);
  });

  test('keeps at most 20 fragments for a very long text', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Day ${i}: I'm such a loser.`).join(' ');
    expect(detectFragments(text)).toHaveLength(20);
  });
});

describe('negation and person', () => {
  test.each<[string, TrapId]>([
    ["I don't always fail.", 'overgeneralization'],
    ["I'm not a failure.", 'labeling'],
    ["It's not my fault.", 'personalization'],
    ['Not everyone hates me.', 'overgeneralization'],
  ])('%s has no %s', (text, trap) => {
    expect(detectFragments(text).map((f) => f.trap)).not.toContain(trap);
  });

  test('the positive twin of each negated text is detected', () => {
    expect(detectFragments('I always fail.').map((f) => f.trap)).toContain('overgeneralization');
    expect(detectFragments("I'm a failure.").map((f) => f.trap)).toContain('labeling');
    expect(detectFragments("It's my fault.").map((f) => f.trap)).toContain('personalization');
  });

  test('someone else thinking about me is mind reading; me thinking about me is not', () => {
    expect(top(detectFragments("They think I'm lazy."))?.trap).toBe('mind_reading');
    const own = detectFragments("I think I'm lazy.").map((f) => f.trap);
    expect(own).not.toContain('mind_reading');
    expect(own).toContain('labeling');
  });

  test('labels for oneself and for others get different explanations', () => {
    const self = top(detectFragments("I'm such an idiot."));
    const other = top(detectFragments("He's such an idiot."));
    expect(self?.trap).toBe('labeling');
    expect(other?.trap).toBe('labeling');
    expect(self?.person).toBe('self');
    expect(other?.person).toBe('other');
    expect(other?.explanation).toMatch(/someone|them|their/i);
  });

  test('a rule for oneself and a rule for others are explained differently', () => {
    const mine = top(detectFragments('I should be over this by now.'));
    const theirs = top(detectFragments('People should always be on time.'));
    expect(mine?.person).toBe('self');
    expect(theirs?.person).toBe('other');
    expect(theirs?.explanation).toMatch(/others|other people|the world/);
  });

  test('blame on oneself is personalization, blame on others is blaming', () => {
    expect(top(detectFragments("It's my fault we lost."))?.trap).toBe('personalization');
    expect(top(detectFragments("It's his fault we lost."))?.trap).toBe('blaming');
  });
});

describe('confidence and explanation', () => {
  const texts = [
    "I'm such an idiot.",
    'I always mess everything up.',
    "My friends probably think I'm boring.",
    'I should be over this by now.',
    'If I make one mistake I will get fired and lose everything.',
  ];

  test.each(texts)('%s has a calibrated confidence and a kind explanation quoting the user', (text) => {
    const [f] = detectFragments(text);
    expect(f).toBeDefined();
    if (!f) return;
    expect(f.confidence).toBeGreaterThan(0);
    expect(f.confidence).toBeLessThanOrEqual(1);
    expect(f.explanation.length).toBeLessThanOrEqual(300);
    const quoted = /"([^"]+)"/.exec(f.explanation)?.[1] ?? '';
    expect(quoted.length).toBeGreaterThan(0);
    expect(text).toContain(quoted.replace(/…$/, ''));
  });

  test('more evidence for a trap never lowers its confidence', () => {
    const one = top(detectFragments('I should do more.'));
    const two = top(detectFragments('I should have done more by now.'));
    expect(two?.confidence).toBeGreaterThanOrEqual(one?.confidence ?? 1);
  });

  test('combineWeights grows with evidence, stays below 1, and damps correlated cues', () => {
    expect(combineWeights([0.5])).toBe(0.5);
    expect(combineWeights([0.5, 0.5])).toBe(0.625);
    expect(combineWeights([0.9, 0.9, 0.9, 0.9])).toBeLessThanOrEqual(0.95);
  });

  test('calibrate is strictly increasing and stays in [0, 1]', () => {
    const points = [0, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1].map((s) => calibrate(s));
    for (let i = 1; i < points.length; i++) expect(points[i]).toBeGreaterThan(points[i - 1] ?? 0);
    for (const p of points) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  test('is deterministic', () => {
    const text = "Everyone must think I'm stupid. I should have known better.";
    expect(detectFragments(text)).toEqual(detectFragments(text));
  });
});
