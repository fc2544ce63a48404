import { describe, expect, test } from 'vitest';
import { actionStreak, completionInPeriod, dailyStreak, goalProgress, weeklyStreak } from './fns.js';

describe('daily streaks over local dates', () => {
  test.each([
    ['no completions', [], '2026-03-10', { current: 0, longest: 0, lastCompletedOn: null }],
    ['done today only', ['2026-03-10'], '2026-03-10', { current: 1, longest: 1, lastCompletedOn: '2026-03-10' }],
    ['three days up to today', ['2026-03-08', '2026-03-09', '2026-03-10'], '2026-03-10', { current: 3, longest: 3, lastCompletedOn: '2026-03-10' }],
    // Not done yet today: yesterday's run is still alive (and at risk).
    ['three days up to yesterday', ['2026-03-07', '2026-03-08', '2026-03-09'], '2026-03-10', { current: 3, longest: 3, lastCompletedOn: '2026-03-09' }],
    ['a missed day breaks it', ['2026-03-06', '2026-03-07', '2026-03-08'], '2026-03-10', { current: 0, longest: 3, lastCompletedOn: '2026-03-08' }],
    ['longest is kept from an earlier run', ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-09', '2026-03-10'], '2026-03-10', { current: 2, longest: 4, lastCompletedOn: '2026-03-10' }],
    ['duplicates and order do not matter', ['2026-03-10', '2026-03-09', '2026-03-10'], '2026-03-10', { current: 2, longest: 2, lastCompletedOn: '2026-03-10' }],
    ['across a month and a year end', ['2025-12-30', '2025-12-31', '2026-01-01'], '2026-01-01', { current: 3, longest: 3, lastCompletedOn: '2026-01-01' }],
    ['across the spring-forward day (dates, not hours)', ['2026-03-07', '2026-03-08', '2026-03-09'], '2026-03-09', { current: 3, longest: 3, lastCompletedOn: '2026-03-09' }],
    ['dates after today (another timezone) are ignored', ['2026-03-10', '2026-03-11'], '2026-03-10', { current: 1, longest: 1, lastCompletedOn: '2026-03-10' }],
  ])('%s', (_label, dates, today, expected) => {
    expect(dailyStreak(dates, today)).toEqual(expected);
  });
});

describe('weekly streaks over ISO weeks', () => {
  test.each([
    // 2026-03-02 and 2026-03-09 are Mondays.
    ['this week and last', ['2026-03-04', '2026-03-10'], '2026-03-12', 2],
    ['last week only: still alive this week', ['2026-03-04'], '2026-03-12', 1],
    ['two weeks ago: broken', ['2026-02-25'], '2026-03-12', 0],
    ['twice in one week counts once', ['2026-03-09', '2026-03-11'], '2026-03-12', 1],
  ])('%s', (_label, dates, today, current) => {
    expect(weeklyStreak(dates, today).current).toBe(current);
  });
});

describe('the period a completion covers', () => {
  test.each([
    ['daily, today done', 'daily', ['2026-03-10'], '2026-03-10', '2026-03-10'],
    ['daily, only yesterday', 'daily', ['2026-03-09'], '2026-03-10', null],
    ['weekly, earlier this week', 'weekly', ['2026-03-09'], '2026-03-12', '2026-03-09'],
    ['weekly, last week', 'weekly', ['2026-03-08'], '2026-03-12', null],
    ['once, any time', 'once', ['2026-01-01'], '2026-03-12', '2026-01-01'],
    ['once, never', 'once', [], '2026-03-12', null],
  ] as const)('%s', (_label, cadence, dates, today, expected) => {
    expect(completionInPeriod(cadence, dates, today)).toBe(expected);
  });

  test('a one-off action has a streak of 1 once done', () => {
    expect(actionStreak('once', ['2026-01-01'], '2026-03-12')).toEqual({ current: 1, longest: 1, lastCompletedOn: '2026-01-01' });
  });
});

describe('goal progress', () => {
  test('share of actions done in their period, completions this week, and the goal streak', () => {
    const progress = goalProgress(
      [
        { cadence: 'daily', dates: ['2026-03-09', '2026-03-10'] },
        { cadence: 'daily', dates: ['2026-03-01'] },
        { cadence: 'weekly', dates: ['2026-03-09'] },
      ],
      '2026-03-10',
    );
    expect(progress).toEqual({
      actions: 3,
      actionsDone: 2,
      percent: 67,
      completionsLast7Days: 3,
      streak: { current: 2, longest: 2, lastCompletedOn: '2026-03-10' },
    });
  });

  test('a goal without actions is at 0%', () => {
    expect(goalProgress([], '2026-03-10')).toMatchObject({ actions: 0, actionsDone: 0, percent: 0 });
  });
});
