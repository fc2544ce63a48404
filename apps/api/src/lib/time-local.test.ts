import { describe, expect, test } from 'vitest';
import { addDays, daysBetween, inLocalTimeRange, isoWeekday, localDateTime, localMinutes, startOfIsoWeek, zoneOrUtc } from './time.js';

describe('local wall-clock times', () => {
  test.each([
    ['an ordinary evening in Paris', '2026-01-15', '20:30', 'Europe/Paris', '2026-01-15T19:30:00.000Z'],
    ['a time skipped by spring forward moves forward by the gap', '2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['a time repeated by fall back is its first occurrence', '2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['Lord Howe falls back by half an hour', '2026-04-05', '01:45', 'Australia/Lord_Howe', '2026-04-04T14:45:00.000Z'],
    ['a half-hour zone', '2026-06-01', '08:30', 'Asia/Kolkata', '2026-06-01T03:00:00.000Z'],
  ])('%s', (_label, date, time, zone, expected) => {
    expect(localDateTime(date, time, zone).toISOString()).toBe(expected);
  });

  test('minutes since local midnight', () => {
    expect(localMinutes(new Date('2026-01-15T19:31:00Z'), 'Europe/Paris')).toBe(20 * 60 + 31);
  });

  test.each([
    ['inside a range spanning midnight, late', '2026-01-15T23:00:00Z', { start: '22:00', end: '07:00' }, true],
    ['inside a range spanning midnight, early', '2026-01-15T06:59:00Z', { start: '22:00', end: '07:00' }, true],
    ['its end is outside', '2026-01-15T07:00:00Z', { start: '22:00', end: '07:00' }, false],
    ['a daytime range', '2026-01-15T12:00:00Z', { start: '11:00', end: '13:00' }, true],
    ['outside a daytime range', '2026-01-15T13:00:00Z', { start: '11:00', end: '13:00' }, false],
  ])('%s', (_label, now, range, expected) => {
    expect(inLocalTimeRange(new Date(now), 'UTC', range)).toBe(expected);
  });
});

describe('calendar dates', () => {
  test('adding days crosses months, years and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  test('ISO weeks start on Monday', () => {
    expect(isoWeekday('2026-01-18')).toBe(7);
    expect(startOfIsoWeek('2026-01-18')).toBe('2026-01-12');
    expect(startOfIsoWeek('2026-01-01')).toBe('2025-12-29');
  });

  test('days between dates ignore DST (calendar days, not 24-hour spans)', () => {
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2);
    expect(daysBetween('2026-03-09', '2026-03-07')).toBe(-2);
  });

  test('a zone this runtime does not know counts as UTC', () => {
    expect(zoneOrUtc('Mars/Olympus_Mons')).toBe('UTC');
    expect(zoneOrUtc(null)).toBe('UTC');
    expect(zoneOrUtc('Asia/Tokyo')).toBe('Asia/Tokyo');
  });
});
