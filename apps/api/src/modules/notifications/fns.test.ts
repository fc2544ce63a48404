import { describe, expect, test } from 'vitest';
import { defaultNotificationPreferences, type NotificationPreferences } from '@kalei/contracts/auth';
import { dedupeKey, dueNotifications, messageFor, parseDedupeKey, parsePreferences, stillSendable, type Schedule } from './fns.js';

const schedule: Schedule = { weeklySummary: { weekday: 7, time: '18:00' }, streakCheckTime: '19:30', windowMinutes: 90 };

function prefs(patch: Partial<NotificationPreferences> & { on?: (keyof NotificationPreferences['channels'])[] }): NotificationPreferences {
  const { on = ['daily_reminder'], ...rest } = patch;
  return {
    ...defaultNotificationPreferences,
    quietHours: null,
    ...rest,
    channels: { daily_reminder: on.includes('daily_reminder'), weekly_summary: on.includes('weekly_summary'), streak: on.includes('streak') },
  };
}

const due = (now: string, zone: string, p: NotificationPreferences) =>
  dueNotifications({ now: new Date(now), zone, prefs: p, schedule }).map((d) => `${d.kind}@${d.localDate}`);

describe('when a daily reminder is due, in the user’s local time', () => {
  test.each([
    // Paris in winter is UTC+1: 20:30 local is 19:30Z.
    ['just before', '2026-01-15T19:29:00Z', 'Europe/Paris', '20:30', []],
    ['just after', '2026-01-15T19:31:00Z', 'Europe/Paris', '20:30', ['daily_reminder@2026-01-15']],
    ['late within the window', '2026-01-15T20:59:00Z', 'Europe/Paris', '20:30', ['daily_reminder@2026-01-15']],
    ['after the window', '2026-01-15T21:00:00Z', 'Europe/Paris', '20:30', []],
    // The same instant is morning in Tokyo and evening before in New York.
    ['Tokyo morning', '2026-01-15T23:05:00Z', 'Asia/Tokyo', '08:00', ['daily_reminder@2026-01-16']],
    ['New York, not yet', '2026-01-15T23:05:00Z', 'America/New_York', '08:00', []],
    // A reminder close to midnight is still due after the date changes, for the day it belongs to.
    ['across midnight', '2026-01-15T23:20:00Z', 'UTC', '23:50', []],
    ['across midnight, after', '2026-01-16T00:20:00Z', 'UTC', '23:50', ['daily_reminder@2026-01-15']],
    // Kolkata has a half-hour offset.
    ['half-hour offset', '2026-06-01T03:01:00Z', 'Asia/Kolkata', '08:30', ['daily_reminder@2026-06-01']],
  ])('%s: %s in %s, reminder %s', (_label, now, zone, time, expected) => {
    expect(due(now, zone, prefs({ reminderTime: time }))).toEqual(expected);
  });

  test('no reminder time, or the channel off: nothing', () => {
    expect(due('2026-01-15T19:31:00Z', 'Europe/Paris', prefs({ reminderTime: null }))).toEqual([]);
    expect(due('2026-01-15T19:31:00Z', 'Europe/Paris', prefs({ reminderTime: '20:30', on: [] }))).toEqual([]);
  });
});

describe('daylight-saving changes', () => {
  // New York springs forward on 8 March 2026: 02:00–03:00 does not exist, 02:30 becomes 03:30 EDT (07:30Z).
  test.each([
    ['2026-03-08T07:29:00Z', []],
    ['2026-03-08T07:31:00Z', ['daily_reminder@2026-03-08']],
  ])('spring forward, reminder 02:30, at %s', (now, expected) => {
    expect(due(now, 'America/New_York', prefs({ reminderTime: '02:30' }))).toEqual(expected);
  });

  test('the day after spring forward the reminder is back at 02:30 EDT (06:30Z)', () => {
    expect(due('2026-03-09T06:31:00Z', 'America/New_York', prefs({ reminderTime: '02:30' }))).toEqual(['daily_reminder@2026-03-09']);
  });

  // It falls back on 1 November 2026: 01:30 happens twice (05:30Z EDT, then 06:30Z EST).
  test('fall back: 01:30 is due at its first occurrence, and the second one is the same reminder (same dedupe day)', () => {
    expect(due('2026-11-01T05:29:00Z', 'America/New_York', prefs({ reminderTime: '01:30' }))).toEqual([]);
    expect(due('2026-11-01T05:31:00Z', 'America/New_York', prefs({ reminderTime: '01:30' }))).toEqual(['daily_reminder@2026-11-01']);
    expect(due('2026-11-01T06:31:00Z', 'America/New_York', prefs({ reminderTime: '01:30' }))).toEqual(['daily_reminder@2026-11-01']);
  });

  test('a reminder keeps its wall-clock time across the change (Europe/Berlin, 29 March 2026)', () => {
    // 08:00 CET is 07:00Z on Saturday; 08:00 CEST is 06:00Z on Sunday.
    expect(due('2026-03-28T07:01:00Z', 'Europe/Berlin', prefs({ reminderTime: '08:00' }))).toEqual(['daily_reminder@2026-03-28']);
    expect(due('2026-03-29T06:01:00Z', 'Europe/Berlin', prefs({ reminderTime: '08:00' }))).toEqual(['daily_reminder@2026-03-29']);
    expect(due('2026-03-29T05:59:00Z', 'Europe/Berlin', prefs({ reminderTime: '08:00' }))).toEqual([]);
  });
});

describe('quiet hours', () => {
  const quiet = { start: '22:00', end: '07:00' };
  test.each([
    ['a reminder set inside quiet hours waits for them to end', '2026-01-15T06:31:00Z', []],
    ['and goes out when they end, within its window', '2026-01-15T07:01:00Z', ['daily_reminder@2026-01-15']],
    ['but not after its window', '2026-01-15T08:01:00Z', []],
  ])('%s', (_label, now, expected) => {
    expect(due(now, 'UTC', prefs({ reminderTime: '06:30', quietHours: quiet }))).toEqual(expected);
  });

  test('quiet hours that do not span midnight', () => {
    const midday = prefs({ reminderTime: '12:00', quietHours: { start: '11:00', end: '13:00' } });
    expect(due('2026-01-15T12:01:00Z', 'UTC', midday)).toEqual([]);
    expect(due('2026-01-15T13:01:00Z', 'UTC', midday)).toEqual(['daily_reminder@2026-01-15']);
  });
});

describe('weekly summary and streak nudges', () => {
  test('the weekly summary comes on the summary day at the reminder time, or 18:00 without one', () => {
    // 18 January 2026 is a Sunday.
    expect(due('2026-01-18T18:01:00Z', 'UTC', prefs({ on: ['weekly_summary'] }))).toEqual(['weekly_summary@2026-01-18']);
    expect(due('2026-01-17T18:01:00Z', 'UTC', prefs({ on: ['weekly_summary'] }))).toEqual([]);
    expect(due('2026-01-18T09:01:00Z', 'UTC', prefs({ reminderTime: '09:00', on: ['weekly_summary'] }))).toEqual(['weekly_summary@2026-01-18']);
  });

  test('several kinds due together come most timely first', () => {
    const all = prefs({ reminderTime: '19:30', on: ['daily_reminder', 'weekly_summary', 'streak'] });
    expect(due('2026-01-18T19:31:00Z', 'UTC', all)).toEqual(['streak_at_risk@2026-01-18', 'daily_reminder@2026-01-18', 'weekly_summary@2026-01-18']);
  });
});

describe('still sendable at send time', () => {
  const base = { zone: 'UTC', kind: 'daily_reminder' as const, claimedAt: new Date('2026-01-15T08:00:00Z'), windowMinutes: 90 };
  test.each([
    ['in time', '2026-01-15T08:05:00Z', prefs({ reminderTime: '08:00' }), 'ok'],
    ['a late retry', '2026-01-15T09:31:00Z', prefs({ reminderTime: '08:00' }), 'expired'],
    ['the channel was switched off meanwhile', '2026-01-15T08:05:00Z', prefs({ reminderTime: '08:00', on: [] }), 'channel_off'],
    ['quiet hours began meanwhile', '2026-01-15T08:05:00Z', prefs({ reminderTime: '08:00', quietHours: { start: '08:01', end: '09:00' } }), 'quiet_hours'],
  ])('%s', (_label, now, p, expected) => {
    expect(stillSendable({ ...base, now: new Date(now), prefs: p })).toBe(expected);
  });
});

describe('stored preferences and keys', () => {
  test.each([
    ['nothing stored', {}, defaultNotificationPreferences],
    ['garbage', 'not an object', defaultNotificationPreferences],
    ['a bad time', { reminderTime: '25:99' }, defaultNotificationPreferences],
    ['a partial object', { reminderTime: '08:15', channels: { daily_reminder: true } }, { ...defaultNotificationPreferences, reminderTime: '08:15', channels: { ...defaultNotificationPreferences.channels, daily_reminder: true } }],
  ])('%s', (_label, raw, expected) => {
    expect(parsePreferences(raw)).toEqual(expected);
  });

  test('dedupe keys round-trip and name user, kind and local day', () => {
    const key = dedupeKey('weekly_summary', '3f0e6c9e-1d5b-4c0a-9b59-2f1f5a3c7d10', '2026-01-18');
    expect(parseDedupeKey(key)).toEqual({ kind: 'weekly_summary', userId: '3f0e6c9e-1d5b-4c0a-9b59-2f1f5a3c7d10', localDate: '2026-01-18' });
    expect(parseDedupeKey('weekly_summary:nope')).toBeNull();
  });

  test('messages are fixed templates with counts only', () => {
    expect(messageFor('streak_at_risk', { streakDays: 4 }).body).toBe("You're on a 4-day streak. One small step today keeps it alive.");
    expect(messageFor('weekly_summary', { checkins: 1, completions: 3 }).body).toBe('This week: 1 check-in and 3 actions completed. Well done.');
    expect(messageFor('weekly_summary', {}).body).toContain('fresh start');
    expect(messageFor('daily_reminder').data).toEqual({ kind: 'daily_reminder', screen: 'lens' });
  });
});
