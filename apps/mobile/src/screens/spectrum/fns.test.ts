import { axisLabel, changeText, chartTraps, describeMood, describeTraps, describeWeekdays, periodName, periodTitle, shiftPeriod } from './fns';

describe('periods', () => {
  test('names and shifts weeks by Monday and months by YYYY-MM, across year ends', () => {
    expect(periodName('weekly', '2026-03-02')).toBe('2026-03-02');
    expect(periodName('monthly', '2026-03-01')).toBe('2026-03');
    expect(shiftPeriod('weekly', '2026-03-02', -1)).toBe('2026-02-23');
    expect(shiftPeriod('weekly', '2026-12-28', 1)).toBe('2027-01-04');
    expect(shiftPeriod('monthly', '2026-01-01', -1)).toBe('2025-12');
    expect(shiftPeriod('monthly', '2026-12-01', 1)).toBe('2027-01');
  });

  test('titles say when a period is still running', () => {
    const week = { start: '2026-03-02', end: '2026-03-08', timezone: 'UTC', complete: true };
    expect(periodTitle('weekly', week, 'en-GB')).toBe('Week of 2 Mar');
    expect(periodTitle('weekly', { ...week, complete: false }, 'en-GB')).toBe('This week so far');
    expect(periodTitle('monthly', { ...week, start: '2026-03-01', end: '2026-03-31' }, 'en-US')).toBe('March 2026');
  });
});

describe('words beside the charts', () => {
  test('change against the period before', () => {
    expect(changeText(3, 1, 'weekly')).toBe('up from 1 last week');
    expect(changeText(0, 5, 'monthly')).toBe('down from 5 last month');
    expect(changeText(2, 2, 'weekly')).toBe('same as last week');
  });

  test('the traps chart keeps the most frequent this period, then last period', () => {
    const traps = [
      { trap: 'labeling' as const, current: 0, previous: 4 },
      { trap: 'catastrophizing' as const, current: 3, previous: 0 },
      { trap: 'mind_reading' as const, current: 3, previous: 1 },
    ];
    expect(chartTraps(traps, 2).map((t) => t.trap)).toEqual(['mind_reading', 'catastrophizing']);
    expect(describeTraps(traps, 'weekly')).toBe('Thinking traps, this week and last week: Labeling 0 and 4; Catastrophizing 3 and 0; Mind reading 3 and 1.');
    expect(describeTraps([], 'weekly')).toMatch(/^No thinking traps/);
    expect(axisLabel('mind_reading')).toBe('Mind');
    expect(axisLabel('all_or_nothing')).toBe('All-or-nothing');
    expect(axisLabel('disqualifying_positive')).toBe('Discounting');
  });

  test('weekday and mood summaries for screen readers', () => {
    expect(describeWeekdays([0, 2, 0, 0, 5, 0, 1])).toBe('Turns and Mirror sessions by weekday: Fri 5, Tue 2, Sun 1.');
    expect(describeWeekdays([0, 0, 0, 0, 0, 0, 0])).toMatch(/^Nothing was written/);
    expect(describeMood([{ date: '2026-03-02', average: 3 }, { date: '2026-03-04', average: 6.5 }])).toBe('Mood before turns on 2 days, from 3 to 6.5 out of 10; the last day 6.5.');
    expect(describeMood([])).toMatch(/^No mood/);
  });
});
