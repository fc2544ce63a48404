import { statSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CRISIS_MODEL_FILE, decodeCrisisModel, loadCrisisModel, scoreCrisis } from './classifier.js';
import { assessText } from './fns.js';
import { confirmLocally, judgeLocally } from './local-stage2.js';
import { normalizeForSafety } from './normalise.js';
import { createSafetyService } from './service.js';

const model = loadCrisisModel();
const zero = decodeCrisisModel({
  format: 'kalei-crisis-linear/1',
  version: 'zero',
  bits: 10,
  bias: 0,
  scale: 1,
  weights: Buffer.alloc(2 << 10).toString('base64'),
  calibration: { a: 1, b: -20 },
  thresholds: { gate: 0.5, ambiguous: 0.5 },
  trainedAt: '2026-12-07T00:00:00.000Z',
});

describe('the committed weights', () => {
  test('are a versioned file under 2 MB with thresholds chosen for recall (at most one half)', () => {
    expect(statSync(CRISIS_MODEL_FILE).size).toBeLessThan(2 * 1024 * 1024);
    expect(model.version).toMatch(/^crisis-lr-/);
    for (const t of Object.values(model.thresholds)) expect(t).toBeLessThanOrEqual(0.6);
    expect(model.thresholds.ambiguous).toBeLessThanOrEqual(model.thresholds.gate);
  });

  test('a wrongly sized weights blob is refused', () => {
    expect(() =>
      decodeCrisisModel({ format: 'kalei-crisis-linear/1', version: 'x', bits: 10, bias: 0, scale: 1, weights: 'AAAA', calibration: { a: 1, b: 0 }, thresholds: { gate: 0.5, ambiguous: 0.5 }, trainedAt: 'x' }),
    ).toThrow(/weight bytes/);
  });

  test('scores are probabilities, deterministic, and higher for despair than for an everyday worry', () => {
    const despair = scoreCrisis(model, normalizeForSafety("I can't do this anymore. Nothing is ever going to get better and I am so tired of being alive. Everyone would be better off without me around."));
    const worry = scoreCrisis(model, normalizeForSafety('I burned dinner and felt stupid about it for an hour.'));
    expect(despair.probability).toBeGreaterThan(worry.probability);
    for (const s of [despair, worry]) {
      expect(s.probability).toBeGreaterThanOrEqual(0);
      expect(s.probability).toBeLessThanOrEqual(1);
    }
    expect(scoreCrisis(model, normalizeForSafety('I burned dinner and felt stupid about it for an hour.'))).toEqual(worry);
    expect(scoreCrisis(model, '').probability).toBeGreaterThan(0);
  });
});

describe('the local stage 2', () => {
  test.each([
    "I don't see a way forward anymore, I'm done, I can't keep doing this every day and nothing will change",
    'Everyone would be better off if I was gone. I have thought about how I would do it.',
  ])('sends on and flags implicit ideation in a journal-length text: %s', (text) => {
    expect(judgeLocally(text, assessText(text)).crisis).toBe(true);
  });

  test.each(["I'm such a failure, I ruined the presentation", 'My boss will think I am lazy because I left early', 'I will never be good at cooking'])('does not flag an ordinary thought: %s', (text) => {
    expect(judgeLocally(text, assessText(text)).crisis).toBe(false);
  });

  test.each(['I want to kill myself', "I'm going to end my life tonight", 'i am going to take all my pills tonight', 'I have the rope ready and I am going to hang myself'])(
    'explicit first-person intent escalates at stage 1 even when the classifier scores it zero: %s',
    async (text) => {
      const service = createSafetyService({ recordEvent: async () => {}, stage2Enabled: false, classifier: zero });
      const result = await service.precheck(text, { userId: 'u', country: 'US', locale: 'en-US', feature: 'mirror' });
      expect(result).toMatchObject({ kind: 'crisis', event: { stage: 1, outcome: 'crisis_stage1' } });
      expect(judgeLocally(text, assessText(text), zero).crisis).toBe(true);
    },
  );

  test('the local engine answer has the model lane shape, with the confidence of the verdict it gives', () => {
    const cleared = confirmLocally('I will never be good at cooking');
    expect(cleared).toMatchObject({ crisis: false, category: null });
    expect(cleared.confidence).toBeGreaterThan(0.5);
    expect(confirmLocally('I want to kill myself')).toMatchObject({ crisis: true, category: 'suicidal_ideation' });
  });
});

describe('the whole precheck on reported speech (stage 1 and the committed classifier, no model lane)', () => {
  const service = createSafetyService({ recordEvent: async () => {}, stage2Enabled: false });
  const check = (text: string) => service.precheck(text, { userId: 'u', country: 'US', locale: 'en-US', feature: 'mirror' });

  test.each(['My sister told me she feels suicidal again', 'My best friend texted me that she wants to die'])('another person\'s crisis, reported, is not the user\'s: %j', async (text) => {
    expect(await check(text)).toEqual({ kind: 'safe' });
  });

  test('explicit first-person intent still escalates at stage 1', async () => {
    expect(await check('I want to kill myself')).toMatchObject({ kind: 'crisis', event: { stage: 1, outcome: 'crisis_stage1' } });
  });

  test('"I\'m going to end it tonight" is ambiguous at stage 1 and escalated by the classifier', async () => {
    expect(assessText("I'm going to end it tonight").level).toBe('ambiguous');
    expect(await check("I'm going to end it tonight")).toMatchObject({ kind: 'crisis', event: { stage: 2, outcome: 'crisis_classifier' } });
  });
});
