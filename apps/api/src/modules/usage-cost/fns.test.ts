import { describe, expect, test } from 'vitest';
import type { AiTaskName } from '@kalei/contracts/ai-tasks';
import { crossedThresholds, decideRouting, monthStart, spendMonth } from './fns.js';

const policy = { lensLocalAt: 0.8, spectrumPauseAt: 0.95 };
const cap = 1_000_000;

describe('decideRouting: the degradation order', () => {
  test.each<[string, AiTaskName, number, number, string]>([
    ['normal below every threshold', 'turn.reframe', 0.1, 0, 'normal'],
    ['lens stays on its lane below 80%', 'lens.affirmation', 0.79, 0, 'normal'],
    ['lens degrades first at 80%', 'lens.affirmation', 0.8, 0, 'lens_degraded'],
    ['turn keeps its lane at 80%', 'turn.reframe', 0.8, 0, 'normal'],
    ['mirror keeps its lane at 94%', 'mirror.detectFragments', 0.94, 0, 'normal'],
    ['spectrum runs at 94%', 'spectrum.narrative', 0.94, 0, 'normal'],
    ['spectrum pauses at 95%', 'spectrum.narrative', 0.95, 0, 'spectrum_paused'],
    ['at the cap turn answers locally', 'turn.reframe', 1, 0, 'spend_cap_reached'],
    ['at the cap mirror answers locally', 'mirror.reflect', 1.2, 0, 'spend_cap_reached'],
    ['safety confirmation is never degraded', 'safety.confirm', 1.5, 10_000_000, 'normal'],
    ['a user past their budget answers locally', 'turn.reframe', 0.1, 30_000, 'user_budget_spent'],
  ])('%s', (_name, task, ratio, userTokens, reason) => {
    const decision = decideRouting({ task, spendMicros: ratio * cap, capMicros: cap, userTokensToday: userTokens, userDailyBudget: 30_000, policy });
    expect(decision.reason).toBe(reason);
    expect(decision.paused).toBe(reason === 'spectrum_paused');
    expect(decision.forceLocal).toBe(['lens_degraded', 'spend_cap_reached', 'user_budget_spent'].includes(reason));
  });

  test('no cap configured never degrades on spend', () => {
    expect(decideRouting({ task: 'lens.focus', spendMicros: 10 ** 12, capMicros: 0, userTokensToday: 0, userDailyBudget: 1, policy }).reason).toBe('normal');
  });
});

describe('crossedThresholds', () => {
  test.each([
    [0, 400_000, []],
    [400_000, 500_000, [0.5]],
    [490_000, 960_000, [0.5, 0.8, 0.95]],
    [500_000, 790_000, []],
    [950_000, 2_000_000, []],
  ])('%i → %i crosses %o', (before, after, expected) => {
    expect(crossedThresholds(before, after, cap)).toEqual(expected);
  });
});

test('months are UTC', () => {
  const now = new Date('2026-11-30T23:30:00-05:00');
  expect(spendMonth(now)).toBe('2026-12');
  expect(monthStart(now).toISOString()).toBe('2026-12-01T00:00:00.000Z');
});
