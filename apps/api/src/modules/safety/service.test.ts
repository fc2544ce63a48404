import { CrisisResponse } from '@kalei/contracts/safety';
import { describe, expect, test } from 'vitest';
import { createSafetyService, type SafetyConfirmation, type SafetyDeps, type SafetyEventRecord } from './service.js';

const CRISIS_TEXT = 'I want to kill myself tonight';
const AMBIGUOUS_TEXT = 'I just want to disappear';
const ORDINARY_TEXT = "I'm such a failure, I ruined the presentation";
const ctx = { userId: 'user-1', country: 'US', locale: 'en-US', feature: 'turn' };

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

  test('ambiguous with stage 2 disabled is a crisis (stage 1, unconfirmed)', async () => {
    const seen: string[] = [];
    const { service, events } = build({ stage2Enabled: false, confirm: answering({ crisis: false, category: null, confidence: 1 }, seen) });
    const result = await service.precheck(AMBIGUOUS_TEXT, ctx);
    expect(result.kind).toBe('crisis');
    expect(seen).toEqual([]);
    expect(events).toMatchObject([{ stage: 1, outcome: 'crisis_unconfirmed', ruleIds: ['si.disappear'] }]);
  });

  test('ambiguous with stage 2 enabled but no model configured is a crisis', async () => {
    const { service, events } = build({ stage2Enabled: true });
    expect((await service.precheck(AMBIGUOUS_TEXT, ctx)).kind).toBe('crisis');
    expect(events).toMatchObject([{ stage: 1, outcome: 'crisis_unconfirmed' }]);
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
