import { describe, expect, test } from 'vitest';
import { isValidTimeZone, localDate, nextLocalMidnight, startOfLocalDate } from './time.js';

describe('local time', () => {
  test.each([
    ['2026-03-10T03:30:00Z', 'America/New_York', '2026-03-09'],
    ['2026-03-10T05:30:00Z', 'America/New_York', '2026-03-10'],
    ['2026-03-09T23:30:00Z', 'Pacific/Auckland', '2026-03-10'],
    ['2026-03-09T23:30:00Z', 'UTC', '2026-03-09'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(localDate(new Date(instant), zone)).toBe(expected);
  });

  test.each([
    // Ordinary day in New York (UTC-5).
    ['2026-01-15T12:00:00Z', 'America/New_York', '2026-01-16T05:00:00.000Z'],
    // The night clocks spring forward (8 March 2026): midnight is still 05:00Z, the next day is 23 hours.
    ['2026-03-08T12:00:00Z', 'America/New_York', '2026-03-09T04:00:00.000Z'],
    // Autumn back in Berlin (25 October 2026).
    ['2026-10-25T12:00:00Z', 'Europe/Berlin', '2026-10-25T23:00:00.000Z'],
    ['2026-06-01T12:00:00Z', 'Asia/Kolkata', '2026-06-01T18:30:00.000Z'],
  ])('next midnight after %s in %s is %s', (instant, zone, expected) => {
    expect(nextLocalMidnight(new Date(instant), zone).toISOString()).toBe(expected);
  });

  test('answers stay right when calls jump between days, back and forth, across a DST change', () => {
    const zone = 'America/New_York';
    const asked = [
      ['2026-03-08T04:59:59Z', '2026-03-07', '2026-03-08T05:00:00.000Z'],
      ['2026-03-08T05:00:00Z', '2026-03-08', '2026-03-09T04:00:00.000Z'],
      ['2026-03-09T03:59:59Z', '2026-03-08', '2026-03-09T04:00:00.000Z'],
      ['2026-03-08T04:00:00Z', '2026-03-07', '2026-03-08T05:00:00.000Z'],
      ['2026-03-09T04:00:00Z', '2026-03-09', '2026-03-10T04:00:00.000Z'],
    ] as const;
    for (const [instant, date, midnight] of asked) {
      expect(localDate(new Date(instant), zone)).toBe(date);
      expect(nextLocalMidnight(new Date(instant), zone).toISOString()).toBe(midnight);
    }
  });

  test('an unknown zone counts days in UTC and has no local midnight', () => {
    expect(localDate(new Date('2026-03-09T23:30:00Z'), 'Mars/Olympus_Mons')).toBe('2026-03-09');
    expect(Number.isNaN(nextLocalMidnight(new Date('2026-03-09T23:30:00Z'), 'Mars/Olympus_Mons').getTime())).toBe(true);
  });

  test('start of a local date', () => {
    expect(startOfLocalDate('2026-07-01', 'Europe/London').toISOString()).toBe('2026-06-30T23:00:00.000Z');
  });

  test.each([
    ['Europe/Paris', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%s valid: %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });
});
