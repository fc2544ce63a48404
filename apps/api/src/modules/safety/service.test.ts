import { CrisisResponse } from '@kalei/contracts/safety';
import { describe, expect, test } from 'vitest';
import { decodeCrisisModel, type CrisisModel } from './classifier.js';
import { createSafetyService, type SafetyConfirmation, type SafetyDeps, type SafetyEventRecord } from './service.js';

const CRISIS_TEXT = 'I want to kill myself tonight';
const AMBIGUOUS_TEXT = 'I just want to disappear';
const ORDINARY_TEXT = "I'm such a failure, I ruined the presentation";
const LONG_TEXT = 'Work ran late again and the meeting went badly. I keep thinking my manager does not rate me, even though she said the report was fine. Had coffee with Sam, which helped a bit.';
const ctx = { userId: 'user-1', country: 'US', locale: 'en-US', feature: 'turn' };

/**
 * A classifier in the committed file's format whose every text scores `p`: it tests the decision
 * paths; the committed weights are tested on real phrasings in local-stage2.test.ts.
 */
function constantModel(p: number): CrisisModel {
  const bits = 10;
  return decodeCrisisModel({
    format: 'kalei-crisis-linear/1',
    version: `constant-${p}`,
    bits,
    bias: 0,
    scale: 1,
    weights: Buffer.alloc(2 << bits).toString('base64'),
    calibration: { a: 1, b: Math.log(p / (1 - p)) },
    thresholds: { gate: 0.5, ambiguous: 0.3 },
    trainedAt: '2026-12-07T00:00:00.000Z',
  });
}

/** A service with an in-memory event log; `confirm` is the injected stage-2 dependency. */
function build(overrides: Partial<SafetyDeps> = {}) {
  const events: SafetyEventRecord[] = [];
  const service = createSafetyService({
    recordEvent: async (event) => {
      events.push(event);
    },
    stage2Enabled: false,
    ...overrides,
  });
  return { service, events };
}

const answering =
  (answer: SafetyConfirmation, seen?: string[]) =>
  async (text: string): Promise<SafetyConfirmation> => {
    seen?.push(text);
    return answer;
  };

describe('precheck', () => {
  test('ordinary text is safe and records nothing', async () => {
    const { service, events } = build({ stage2Enabled: true, confirm: answering({ crisis: true, category: null, confidence: 1 }) });
    expect(await service.precheck(ORDINARY_TEXT, ctx)).toEqual({ kind: 'safe' });
    expect(events).toEqual([]);
  });

  test('stage-1 crisis returns the crisis response without asking the model, and records a stage-1 event', async () => {
    const seen: string[] = [];
    const { service, events } = build({ stage2Enabled: true, confirm: answering({ crisis: false, category: null, confidence: 1 }, seen) });
    const result = await service.precheck(CRISIS_TEXT, ctx);
    if (result.kind !== 'crisis') throw new Error('expected a crisis');
    expect(seen).toEqual([]);
    expect(CrisisResponse.parse(result.response)).toEqual(result.response);
    expect(result.response).toMatchObject({ kind: 'crisis', primaryCategory: 'suicidal_ideation', region: { country: 'US', source: 'profile' } });
    expect(result.response.resources.map((r) => r.phone ?? r.text?.number)).toContain('988');
    expect(events).toEqual([
      {
        userId: 'user-1',
        feature: 'turn',
        categories: ['suicidal_ideation'],
        stage: 1,
        ruleIds: expect.arrayContaining(['si.kill_myself']),
        country: 'US',
        outcome: 'crisis_stage1',
        stage1Score: expect.any(Number),
        stage2Confidence: null,
        classifierScore: null,
        version: expect.stringMatching(/^stage1@\d{4}-\d{2}-\d{2}(\.\d+)?$/),
      },
    ]);
    expect(result.event).toEqual(events[0]);
  });

  test('no event, response or result carries the user text', async () => {
    const { service, events } = build();
    const text = 'Xylophone quartz evening: I want to kill myself tonight';
    const result = await service.precheck(text, ctx);
    expect(result.kind).toBe('crisis');
    const everything = JSON.stringify({ result, events }).toLowerCase();
    for (const word of ['xylophone', 'quartz', 'evening', 'tonight']) expect(everything).not.toContain(word);
  });

  test('ambiguous with stage 2 disabled: the learned classifier finds a crisis (stage 2, classifier), the model is not asked', async () => {
    const seen: string[] = [];
    const { service, events } = build({ stage2Enabled: false, classifier: constantModel(0.9), confirm: answering({ crisis: false, category: null, confidence: 1 }, seen) });
    const result = await service.precheck(AMBIGUOUS_TEXT, ctx);
    expect(result.kind).toBe('crisis');
    expect(seen).toEqual([]);
    expect(events).toMatchObject([{ stage: 2, outcome: 'crisis_classifier', ruleIds: ['si.disappear'], classifierScore: 0.9, version: expect.stringMatching(/^stage1@.+\+constant-0\.9$/) }]);
  });

  test('ambiguous with no model configured: the classifier clears a low score, and the clearing is recorded', async () => {
    const { service, events } = build({ stage2Enabled: true, classifier: constantModel(0.1) });
    expect(await service.precheck(AMBIGUOUS_TEXT, ctx)).toEqual({ kind: 'safe' });
    expect(events).toMatchObject([{ stage: 2, outcome: 'cleared_classifier', ruleIds: ['si.disappear'], classifierScore: 0.1 }]);
  });

  test('ambiguous is held to the lower ambiguous threshold: a score between it and the gate is a crisis', async () => {
    const { service, events } = build({ classifier: constantModel(0.4) });
    expect((await service.precheck(AMBIGUOUS_TEXT, ctx)).kind).toBe('crisis');
    expect(events).toMatchObject([{ outcome: 'crisis_classifier' }]);
  });

  test('the classifier gate: a journal-length text stage 1 found nothing in goes on when its score reaches the gate', async () => {
    const seen: string[] = [];
    const high = build({ stage2Enabled: true, classifier: constantModel(0.6), confirm: answering({ crisis: true, category: null, confidence: 0.8 }, seen) });
    const result = await high.service.precheck(LONG_TEXT, ctx);
    if (result.kind !== 'crisis') throw new Error('expected a crisis');
    expect(seen).toEqual([LONG_TEXT]);
    expect(result.response.categories).toEqual(['suicidal_ideation']);
    expect(high.events).toMatchObject([{ stage: 2, outcome: 'crisis_confirmed', ruleIds: [], classifierScore: 0.6 }]);
    const low = build({ stage2Enabled: true, classifier: constantModel(0.4), confirm: answering({ crisis: true, category: null, confidence: 0.8 }, seen) });
    expect(await low.service.precheck(LONG_TEXT, ctx)).toEqual({ kind: 'safe' });
    expect(low.events).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  test('a short text stage 1 found nothing in is not gated by the classifier, whatever its score', async () => {
    const seen: string[] = [];
    const { service, events } = build({ stage2Enabled: true, classifier: constantModel(0.99), confirm: answering({ crisis: true, category: null, confidence: 1 }, seen) });
    expect(await service.precheck(ORDINARY_TEXT, ctx)).toEqual({ kind: 'safe' });
    expect(seen).toEqual([]);
    expect(events).toEqual([]);
  });

  test('when the lane answers from its local engine (no model, or the model down), the classifier decides, not that answer', async () => {
    const confirm = async () => ({ crisis: true, category: null, confidence: 0.5, by: { engine: 'local' as const } });
    const { service, events } = build({ stage2Enabled: true, classifier: constantModel(0.1), confirm });
    expect(await service.precheck(AMBIGUOUS_TEXT, ctx)).toEqual({ kind: 'safe' });
    expect(events).toMatchObject([{ outcome: 'cleared_classifier', classifierScore: 0.1 }]);
  });

  test('a model answer records the model and prompt version', async () => {
    const confirm = async () => ({ crisis: true, category: null, confidence: 0.9, by: { engine: 'model' as const, version: 'llama3.2@safety.confirm@1' } });
    const { service, events } = build({ stage2Enabled: true, confirm });
    expect((await service.precheck(AMBIGUOUS_TEXT, ctx)).kind).toBe('crisis');
    expect(events).toMatchObject([{ outcome: 'crisis_confirmed', version: expect.stringMatching(/^stage1@.+\+llama3\.2@safety\.confirm@1$/) }]);
  });

  test('ambiguous and confirmed by the model is a crisis (stage 2), with the model category added', async () => {
    const seen: string[] = [];
    const { service, events } = build({ stage2Enabled: true, confirm: answering({ crisis: true, category: 'self_harm', confidence: 0.9 }, seen) });
    const result = await service.precheck(AMBIGUOUS_TEXT, ctx);
    if (result.kind !== 'crisis') throw new Error('expected a crisis');
    expect(seen).toEqual([AMBIGUOUS_TEXT]);
    expect(result.response.categories).toEqual(['self_harm', 'suicidal_ideation']);
    expect(events).toMatchObject([{ stage: 2, outcome: 'crisis_confirmed', stage2Confidence: 0.9, categories: ['self_harm', 'suicidal_ideation'] }]);
  });

  test('ambiguous and confidently cleared by the model is safe, and the clearing is recorded for tuning', async () => {
    const { service, events } = build({ stage2Enabled: true, confirm: answering({ crisis: false, category: null, confidence: 0.95 }) });
    expect(await service.precheck(AMBIGUOUS_TEXT, ctx)).toEqual({ kind: 'safe' });
    expect(events).toMatchObject([{ stage: 2, outcome: 'cleared_stage2', stage2Confidence: 0.95, ruleIds: ['si.disappear'] }]);
  });

  test('a hesitant "not a crisis" does not clear the text', async () => {
    const { service, events } = build({ stage2Enabled: true, confirm: answering({ crisis: false, category: null, confidence: 0.4 }) });
    expect((await service.precheck(AMBIGUOUS_TEXT, ctx)).kind).toBe('crisis');
    expect(events).toMatchObject([{ stage: 2, outcome: 'crisis_fail_safe', stage2Confidence: 0.4 }]);
  });

  test.each([
    [
      'throws',
      async (): Promise<SafetyConfirmation> => {
        throw new Error('model server down');
      },
    ],
    ['never answers', () => new Promise<SafetyConfirmation>(() => {})],
    ['answers out of shape', async () => ({ crisis: false, category: null, confidence: 7 }) as SafetyConfirmation],
  ])('a model that %s fails safe: crisis', async (_, confirm) => {
    const { service, events } = build({ stage2Enabled: true, confirm, confirmTimeoutMs: 20 });
    const result = await service.precheck(AMBIGUOUS_TEXT, ctx);
    expect(result.kind).toBe('crisis');
    expect(events).toMatchObject([{ stage: 2, outcome: 'crisis_fail_safe', stage2Confidence: null }]);
  });

  test('a failing event store does not stop the crisis response', async () => {
    const errors: unknown[] = [];
    const service = createSafetyService({
      recordEvent: async () => {
        throw new Error('database unavailable');
      },
      onRecordError: (error) => errors.push(error),
      stage2Enabled: false,
    });
    const result = await service.precheck(CRISIS_TEXT, ctx);
    expect(result.kind).toBe('crisis');
    expect(errors).toHaveLength(1);
  });

  test('resources follow the profile country, then the locale region, then the international list', async () => {
    const { service, events } = build();
    const gb = await service.precheck(CRISIS_TEXT, { ...ctx, country: null, locale: 'en-GB' });
    const none = await service.precheck(CRISIS_TEXT, { ...ctx, country: null, locale: 'en' });
    if (gb.kind !== 'crisis' || none.kind !== 'crisis') throw new Error('expected crises');
    expect(gb.response.region).toEqual({ country: 'GB', source: 'locale' });
    expect(gb.response.resources[0]).toMatchObject({ name: 'Samaritans', phone: '116 123' });
    expect(none.response.region).toEqual({ country: null, source: 'international' });
    expect(none.response.resources).toEqual([]);
    expect(none.response.international.length).toBeGreaterThan(0);
    expect(none.response.emergency.guidance).toMatch(/local emergency number/);
    expect(events.map((e) => e.country)).toEqual(['GB', null]);
  });

  test('a medical emergency tells the person to call emergency services now', async () => {
    const { service } = build();
    const result = await service.precheck('I took too many pills and feel dizzy', { ...ctx, country: 'AU', locale: 'en-AU' });
    if (result.kind !== 'crisis') throw new Error('expected a crisis');
    expect(result.response).toMatchObject({ primaryCategory: 'medical_emergency', urgency: 'emergency' });
    expect(result.response.steps[0]).toBe('Call 000 now, or ask someone near you to call for you.');
  });
});
