import { describe, expect, test } from 'vitest';
import { expectedCalibrationError, isNoDistortionLabel, majorityLabel, scoreDetection, scorePredictions } from './scoring.js';

describe('scorePredictions', () => {
  test('computes per-class precision, recall and F1 and their macro mean', () => {
    const score = scorePredictions([
      { gold: 'a', predicted: 'a' },
      { gold: 'a', predicted: 'b' },
      { gold: 'b', predicted: 'b' },
      { gold: 'b', predicted: null },
    ]);
    const [a, b] = score.perClass;
    expect(a).toMatchObject({ label: 'a', precision: 1, recall: 0.5, support: 2, predicted: 1, truePositives: 1 });
    expect(a?.f1).toBeCloseTo(2 / 3);
    expect(b).toMatchObject({ label: 'b', precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2 });
    expect(score.macroF1).toBeCloseTo((2 / 3 + 0.5) / 2);
    expect(score.accuracy).toBe(0.5);
    expect(score.coverage).toBe(0.75);
    expect(score.n).toBe(4);
  });

  test('a class that is never predicted scores zero, not NaN', () => {
    const score = scorePredictions([
      { gold: 'a', predicted: 'a' },
      { gold: 'b', predicted: 'a' },
    ]);
    expect(score.perClass[1]).toMatchObject({ label: 'b', precision: 0, recall: 0, f1: 0 });
    expect(Number.isNaN(score.macroF1)).toBe(false);
  });

  test('fixed labels score classes absent from the data and count out-of-set predictions', () => {
    const score = scorePredictions(
      [
        { gold: 'a', predicted: 'z' },
        { gold: 'a', predicted: 'a' },
      ],
      ['a', 'b'],
    );
    expect(score.perClass.map((c) => c.label)).toEqual(['a', 'b']);
    expect(score.perClass[0]).toMatchObject({ precision: 1, recall: 0.5 });
    expect(score.perClass[1]).toMatchObject({ support: 0, f1: 0 });
    expect(score.outOfSet).toBe(1);
    expect(score.macroF1).toBeCloseTo(2 / 3 / 2);
  });

  test('a majority-class baseline has the expected macro-F1', () => {
    const golds = ['a', 'a', 'b', 'c'];
    const majority = majorityLabel(golds);
    const score = scorePredictions(golds.map((gold) => ({ gold, predicted: majority })));
    // Class a: precision 2/4, recall 1, F1 2/3; b and c: 0.
    expect(score.macroF1).toBeCloseTo(2 / 3 / 3);
    expect(score.coverage).toBe(1);
  });

  test('empty input scores zero everywhere', () => {
    expect(scorePredictions([])).toMatchObject({ macroF1: 0, accuracy: 0, coverage: 0, n: 0 });
  });
});

describe('majorityLabel', () => {
  test.each([
    [['a', 'b', 'b'], 'b'],
    [['b', 'a'], 'a'],
    [[], null],
  ] as const)('%j → %s', (golds, expected) => {
    expect(majorityLabel(golds)).toBe(expected);
  });
});

describe('expectedCalibrationError', () => {
  test('is zero when confidence matches accuracy in every bin', () => {
    const outcomes = [
      { confidence: 0.75, correct: true },
      { confidence: 0.75, correct: true },
      { confidence: 0.75, correct: true },
      { confidence: 0.75, correct: false },
    ];
    expect(expectedCalibrationError(outcomes)).toBeCloseTo(0);
  });

  test('measures overconfidence', () => {
    expect(expectedCalibrationError([{ confidence: 0.9, correct: false }])).toBeCloseTo(0.9);
    expect(expectedCalibrationError([{ confidence: 1, correct: true }])).toBeCloseTo(0);
    expect(expectedCalibrationError([])).toBe(0);
  });
});

describe('no-distortion labels and detection scores', () => {
  test('the spellings of "no distortion" are recognised, trap names are not', () => {
    for (const label of ['none', 'None', 'No Distortion', 'Not distorted', 'no-distortion', ' NOT_DISTORTED ']) {
      expect(isNoDistortionLabel(label)).toBe(true);
    }
    for (const label of ['Labeling', 'Should statements', 'nonetheless', '']) expect(isNoDistortionLabel(label)).toBe(false);
  });

  test('precision, recall, F1 and the false-fragment rate of "any fragment"', () => {
    const score = scoreDetection([
      { distorted: true, flagged: true },
      { distorted: true, flagged: false },
      { distorted: false, flagged: true },
      { distorted: false, flagged: false },
      { distorted: false, flagged: false },
      { distorted: false, flagged: false },
    ]);
    expect(score).toMatchObject({ distorted: 2, notDistorted: 4, flagged: 2, truePositives: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(score.falseFragmentRate).toBe(0.25);
    expect(scoreDetection([{ distorted: true, flagged: true }]).falseFragmentRate).toBeNull();
  });
});
