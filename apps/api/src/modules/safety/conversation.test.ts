import { describe, expect, test } from 'vitest';
import { accumulateRisk, CONVERSATION_THRESHOLD, conversationEscalates, messageEvidence } from './conversation.js';
import { createSafetyService } from './service.js';

const ctx = { userId: 'u', country: 'US', locale: 'en-US', feature: 'mirror' };
// Three messages none of which escalates alone (docs/safety.md, conversation risk).
const SPREAD = [
  "Some days I think about what it would be like if I just wasn't around.",
  'Everything feels heavy and I stopped answering my friends, nobody would notice anyway.',
  'I keep imagining my funeral and who would come.',
];
const CALM = 'Dinner was nice.';

describe('conversation risk', () => {
  test('evidence: a stage-1 crisis is certain, a plain text with a low classifier score adds nothing', () => {
    expect(messageEvidence({ level: 'crisis', score: 0.95 }, 0)).toBe(1);
    expect(messageEvidence({ level: 'none', score: 0 }, 0.3)).toBe(0);
    expect(messageEvidence({ level: 'none', score: 0.2 }, 0.3)).toBe(0.2);
    expect(messageEvidence({ level: 'none', score: 0 }, 0.9)).toBeGreaterThan(0.5);
  });

  test.each([
    [0, 0, 0],
    [0.5, 0, 0.45],
    [0.5, 0.5, 0.725],
    [Number.NaN, 0.2, 0.2],
    [7, 0, 0.9],
  ])('accumulate(%d, %d) = %d: decays without evidence, never resets', (prior, evidence, expected) => {
    expect(accumulateRisk(prior, evidence)).toBeCloseTo(expected, 4);
  });

  test('only a message that adds evidence escalates', () => {
    expect(conversationEscalates(0.9, 0)).toBe(false);
    expect(conversationEscalates(CONVERSATION_THRESHOLD, 0.1)).toBe(true);
    expect(conversationEscalates(CONVERSATION_THRESHOLD - 0.01, 0.1)).toBe(false);
  });

  test('a crisis spread over three messages is caught at the third; a later calm message does not reset it', async () => {
    const events: { outcome: string }[] = [];
    const service = createSafetyService({ recordEvent: async (e) => void events.push(e), stage2Enabled: false });
    let risk = 0;
    const outcomes: string[] = [];
    for (const text of [...SPREAD, CALM, SPREAD[0] as string]) {
      // Each text alone is safe.
      expect((await service.precheck(text, ctx)).kind).toBe('safe');
      const result = await service.precheck(text, { ...ctx, priorRisk: risk });
      outcomes.push(result.kind === 'crisis' ? result.event.outcome : 'safe');
      risk = service.conversationRisk(risk, text);
    }
    expect(outcomes).toEqual(['safe', 'safe', 'crisis_conversation', 'safe', 'crisis_conversation']);
    expect(risk).toBeGreaterThan(CONVERSATION_THRESHOLD);
    expect(events.map((e) => e.outcome)).toEqual(['crisis_conversation', 'crisis_conversation']);
  });

  test('ordinary journaling accumulates nothing', () => {
    const service = createSafetyService({ recordEvent: async () => {}, stage2Enabled: false });
    let risk = 0;
    for (const text of ['I walked to the market and bought apples and bread.', 'Work was long today. I always ruin every presentation.', 'I feel so lonely lately and nothing I do matters.']) risk = service.conversationRisk(risk, text);
    expect(risk).toBeLessThan(0.2);
  });
});
