import { formatLocalDate } from './dates';

describe('formatLocalDate', () => {
  const now = new Date('2026-12-07T15:00:00Z');
  test.each([
    ['en-US', '2026-12-07', 'Mon, Dec 7'],
    ['en-GB', '2026-12-07', 'Mon 7 Dec'],
    ['de-DE', '2026-12-07', 'Mo., 7. Dez.'],
    ['en-US', '2025-03-01', 'Sat, Mar 1, 2025'],
  ])('%s formats %s as %s', (locale, date, expected) => {
    expect(formatLocalDate(date, now, locale)).toBe(expected);
  });

  test('keeps the calendar day whatever the device zone (never the ISO string)', () => {
    expect(formatLocalDate('2026-01-01', now, 'en-US')).toBe('Thu, Jan 1');
    expect(formatLocalDate('not a date', now, 'en-US')).toBe('not a date');
  });
});
