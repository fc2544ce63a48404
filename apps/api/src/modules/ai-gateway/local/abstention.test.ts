import { describe, expect, test } from 'vitest';
import { abstentionFeatures, abstentionModel, abstentionProbability, featureNames } from './abstention.js';
import { detectFragments } from './detect.js';
import { neutralJournal } from './fixtures/neutral-journal.js';

describe('calibrated abstention', () => {
  test('the model has a weight for every feature and a threshold inside (0, 1)', () => {
    expect(abstentionModel.numeric).toHaveLength(featureNames.length);
    expect(abstentionModel.threshold).toBeGreaterThan(0);
    expect(abstentionModel.threshold).toBeLessThan(1);
  });

  test('coping language lowers the probability that a fragment is a trap', () => {
    const text = 'I will never pass.';
    const span = { start: 0, end: text.length };
    const base = { ...span, score: 0.5, cueIds: ['og_never'], strongestCue: 'og_never', trap: 'overgeneralization' as const };
    const plain = abstentionProbability(abstentionModel, abstentionFeatures(text, [span], base));
    const copingText = 'Luckily I will never pass.';
    const coping = abstentionProbability(abstentionModel, abstentionFeatures(copingText, [{ start: 0, end: copingText.length }], base));
    expect(coping).toBeLessThan(plain);
  });

  test('ordinary words that used to trip a cue get no fragment', () => {
    for (const text of ['I have been all over the world.', 'My parents are both over age 100.', 'Next time I will make sure to put it with the others.']) {
      expect(detectFragments(text), text).toEqual([]);
    }
  });

  test('at most a quarter of the neutral journal entries get any fragment', () => {
    const flagged = neutralJournal.filter((t) => detectFragments(t).length > 0);
    expect(flagged.length / neutralJournal.length).toBeLessThanOrEqual(0.25);
  });

  test('a trap inside a long, ordinary entry is still found', () => {
    const entries: [string, string][] = [
      ['Work was long today and I had lunch with Sam at the usual place. The train home was late. She must hate me. I always ruin everything.', 'overgeneralization'],
      ['Work was awful today. My boss yelled at me in the meeting. I am such a failure.', 'labeling'],
      ['We went to the lake on Sunday and had a picnic. The weather was warm. I should have been a better mother to them.', 'should_statements'],
    ];
    for (const [text, trap] of entries) expect(detectFragments(text).map((f) => f.trap), text).toContain(trap);
  });

  test('a weak single cue in a sentence with nothing negative is abstained on (a stated trade-off)', () => {
    // "all I can think about" alone scored at the floor; the abstention model drops it. Stronger wording is kept.
    expect(detectFragments('The trip was lovely, but all I can think about is the argument we had.')).toEqual([]);
    expect(detectFragments('The trip was lovely, but it was ruined by one stupid argument.').length).toBeGreaterThan(0);
  });
});

describe('traps the Mirror missed (issue 14)', () => {
  test('"I always ruin everything" gets a fragment, alone and beside "she must hate me"', () => {
    expect(detectFragments('I always ruin everything.').map((f) => f.trap)).toEqual(['overgeneralization']);
    expect(detectFragments('She must hate me, I always ruin everything.').map((f) => f.trap)).toEqual(['mind_reading', 'overgeneralization']);
  });

  test('"Nobody on the team ever listens to me" gets one', () => {
    expect(detectFragments('Nobody on the team ever listens to me.').map((f) => f.trap)).toEqual(['overgeneralization']);
  });

  test('one clause with two traps shows both, on separate words', () => {
    const text = "I messed up my presentation and now everyone thinks I'm incompetent.";
    const fragments = detectFragments(text);
    expect(fragments.map((f) => f.trap)).toEqual(['mind_reading', 'labeling']);
    expect(fragments.map((f) => text.slice(f.start, f.end))).toEqual(['and now everyone thinks', "I'm incompetent."]);
  });
});
