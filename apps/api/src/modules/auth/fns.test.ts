import { describe, expect, test } from 'vitest';
import { defaultNotificationPreferences, type PasswordRule } from '@kalei/contracts/auth';
import {
  checkPasswordPolicy,
  claimIsTrue,
  idleExpiresAt,
  mergeNotificationPreferences,
  needsRehash,
  normaliseEmail,
  normalisePassword,
  notificationPreferencesFromStored,
  refreshDecision,
  refreshTokenExpiresAt,
  safeEqual,
  sessionExpiresAt,
  sessionState,
  sha256Hex,
} from './fns.js';

const DAY = 86_400_000;
const t0 = new Date('2026-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('password policy', () => {
  test.each<[string, string, string | null, PasswordRule[]]>([
    ['a long unusual passphrase', 'violet-kettle-orbit', null, []],
    ['exactly the minimum length', 'k7#mQ2vLp9', null, []],
    ['unicode counts characters, not bytes', 'ĉĝĥĵŝŭ-ωψχ', null, []],
    ['one below the minimum', 'k7#mQ2vLp', null, ['too_short']],
    ['empty', '', null, ['too_short', 'repetitive']],
    ['over the maximum', 'ab1'.repeat(43), null, ['too_long']],
    ['all one character', 'aaaaaaaaaaaa', null, ['repetitive']],
    ['two characters alternating', 'abababababab', null, ['repetitive']],
    ['the email itself', 'ada.lovelace@example.com', 'ada.lovelace@example.com', ['contains_email']],
    ['the email, other case', 'Ada.Lovelace@Example.com', 'ada.lovelace@example.com', ['contains_email']],
    ['the local part with digits', 'ada.lovelace1990', 'ada.lovelace@example.com', ['contains_email']],
    ['the email inside a longer password', 'my ada.lovelace@example.com!', 'ada.lovelace@example.com', ['contains_email']],
    ['unrelated to the email', 'violet-kettle-orbit', 'ada.lovelace@example.com', []],
    ['a top breach password', 'qwertyuiop', null, ['common']],
    ['digits only sequence', '1234567890', null, ['common']],
    ['a common stem with padding', 'Password2024!', null, ['common']],
    ['a common stem with leading digits', '2024summer!!', null, ['common']],
    ['a common stem typed twice', 'monkeymonkey', null, ['common']],
    ['short and common', 'password', null, ['too_short', 'common']],
  ])('%s', (_label, password, email, expected) => {
    expect(checkPasswordPolicy(normalisePassword(password), email)).toEqual(expected);
  });

  test('NFKC: full-width digits and composed accents verify the same', () => {
    expect(normalisePassword('ｐａｓｓ１２３')).toBe('pass123');
    expect(normalisePassword('cafe\u0301')).toBe(normalisePassword('caf\u00e9'));
  });

  test('emails are trimmed and lower-cased', () => {
    expect(normaliseEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});

describe('argon2 re-hash', () => {
  const wanted = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
  test.each([
    ['same parameters', { algorithm: 2, ...wanted }, false],
    ['lower memory', { algorithm: 2, ...wanted, memoryCost: 8192 }, true],
    ['higher time cost', { algorithm: 2, ...wanted, timeCost: 3 }, true],
    ['other parallelism', { algorithm: 2, ...wanted, parallelism: 2 }, true],
    ['argon2i', { algorithm: 1, ...wanted }, true],
  ])('%s', (_label, stored, expected) => {
    expect(needsRehash(stored, wanted)).toBe(expected);
  });
});

describe('session lifetimes', () => {
  const lifetimes = { absoluteDays: 60, idleDays: 14 };
  const session = { revokedAt: null, expiresAt: sessionExpiresAt(t0, lifetimes), lastUsedAt: t0 };

  test.each([
    ['fresh', session, at(0), 'active'],
    ['used yesterday', session, at(DAY), 'active'],
    ['one ms before the idle timeout', session, at(14 * DAY - 1), 'active'],
    ['at the idle timeout', session, at(14 * DAY), 'idle'],
    ['kept in use, before the absolute end', { ...session, lastUsedAt: at(59 * DAY) }, at(60 * DAY - 1), 'active'],
    ['kept in use, at the absolute end', { ...session, lastUsedAt: at(59 * DAY) }, at(60 * DAY), 'expired'],
    ['revoked wins over everything', { ...session, revokedAt: at(1) }, at(2), 'revoked'],
  ] as const)('%s', (_label, value, now, expected) => {
    expect(sessionState(value, now, lifetimes)).toBe(expected);
  });

  test('a refresh token lapses at the idle timeout or the session end, whichever is first', () => {
    const end = sessionExpiresAt(t0, lifetimes);
    expect(refreshTokenExpiresAt(t0, end, lifetimes)).toEqual(idleExpiresAt(t0, lifetimes));
    expect(refreshTokenExpiresAt(at(50 * DAY), end, lifetimes)).toEqual(end);
  });
});

describe('refresh decision', () => {
  const expiresAt = at(14 * DAY);
  test.each([
    ['unused and current', { rotatedAt: null, expiresAt }, at(1000), 'rotate'],
    ['unused but past its lifetime', { rotatedAt: null, expiresAt }, at(14 * DAY), 'expired'],
    ['used just now (concurrent refresh)', { rotatedAt: at(0), expiresAt }, at(0), 'grace'],
    ['used 30 s ago, at the edge of the grace window', { rotatedAt: at(0), expiresAt }, at(30_000), 'grace'],
    ['used 30.001 s ago', { rotatedAt: at(0), expiresAt }, at(30_001), 'reuse'],
    ['used long ago', { rotatedAt: at(0), expiresAt }, at(20 * DAY), 'reuse'],
  ] as const)('%s', (_label, token, now, expected) => {
    expect(refreshDecision(token, now, 30)).toBe(expected);
  });

  test('with no grace window any second use is reuse', () => {
    expect(refreshDecision({ rotatedAt: at(0), expiresAt }, at(1), 0)).toBe('reuse');
  });
});

describe('social sign-in helpers', () => {
  test('sha256Hex matches the standard test vector (Apple nonce)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  test.each([
    [true, true],
    ['true', true],
    [false, false],
    ['false', false],
    [undefined, false],
    [1, false],
  ])('email_verified %j is %s', (value, expected) => {
    expect(claimIsTrue(value)).toBe(expected);
  });
  test('safeEqual', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('notification preferences', () => {
  test.each([
    ['empty (a new profile)', {}, defaultNotificationPreferences],
    ['not an object', 'nonsense', defaultNotificationPreferences],
    [
      'partial: missing fields take defaults',
      { reminderTime: '08:15', channels: { streak: true } },
      { ...defaultNotificationPreferences, reminderTime: '08:15', channels: { ...defaultNotificationPreferences.channels, streak: true } },
    ],
    [
      'invalid stored values fall back',
      { reminderTime: '25:99', quietHours: { start: '22:00', end: '22:00' }, channels: { daily_reminder: 'yes' } },
      defaultNotificationPreferences,
    ],
    ['null reminder and quiet hours are kept', { reminderTime: null, quietHours: null }, { ...defaultNotificationPreferences, quietHours: null }],
  ])('read %s', (_label, stored, expected) => {
    expect(notificationPreferencesFromStored(stored)).toEqual(expected);
  });

  test.each([
    ['nothing', {}, defaultNotificationPreferences],
    ['one channel', { channels: { weekly_summary: true } }, { ...defaultNotificationPreferences, channels: { ...defaultNotificationPreferences.channels, weekly_summary: true } }],
    ['clear quiet hours', { quietHours: null }, { ...defaultNotificationPreferences, quietHours: null }],
    ['set reminder time', { reminderTime: '07:30' }, { ...defaultNotificationPreferences, reminderTime: '07:30' }],
  ])('merge %s', (_label, patch, expected) => {
    expect(mergeNotificationPreferences(defaultNotificationPreferences, patch)).toEqual(expected);
  });
});
