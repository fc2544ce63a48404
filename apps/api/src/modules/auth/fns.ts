/**
 * Pure rules of the auth module: the password policy, when a stored hash needs re-hashing,
 * session and refresh-token lifetimes, and notification-preference merging. No I/O and no
 * clock: callers pass `now`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  defaultNotificationPreferences,
  LocalTime,
  NotificationPreferences,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  QuietHours,
  type NotificationPreferencesPatch,
  type PasswordRule,
} from '@kalei/contracts/auth';
import { commonPasswords } from './common-passwords.js';

const DAY_MS = 86_400_000;

/** Emails are compared trimmed and lower-cased (the users table has a unique index on lower(email)). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Passwords are hashed in Unicode NFKC so the same password typed on two keyboards (composed or
 * decomposed accents, full-width digits) verifies the same.
 */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

// Digits, punctuation, symbols and spaces people add around a word to satisfy "complexity" rules.
const PADDING = /^[\d\p{P}\p{S}\s]+|[\d\p{P}\p{S}\s]+$/gu;

/**
 * The password policy: every rule the (NFKC-normalised) password breaks, empty when it passes.
 * Length counts characters (code points), not bytes.
 */
export function checkPasswordPolicy(password: string, email?: string | null): PasswordRule[] {
  const failed: PasswordRule[] = [];
  const characters = [...password];
  if (characters.length < PASSWORD_MIN_LENGTH) failed.push('too_short');
  if (characters.length > PASSWORD_MAX_LENGTH) failed.push('too_long');
  if (new Set(characters).size < 3) failed.push('repetitive');

  const lower = password.toLowerCase();
  const core = lower.replace(PADDING, '');
  if (email) {
    const address = normaliseEmail(email);
    const local = address.split('@')[0] ?? '';
    if (lower.includes(address) || (core.length > 0 && (core === local || core === address))) failed.push('contains_email');
  }
  const half = core.length % 2 === 0 ? core.slice(0, core.length / 2) : '';
  const doubled = half.length > 0 && core === half + half;
  if (commonPasswords.has(lower) || commonPasswords.has(core) || (doubled && commonPasswords.has(half))) failed.push('common');
  return failed;
}

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** Argon2id in @node-rs/argon2's numbering. */
export const ARGON2ID = 2;

/** True when a stored hash was made with another algorithm or other parameters than the configured ones. */
export function needsRehash(stored: Argon2Params & { algorithm: number }, wanted: Argon2Params): boolean {
  return (
    stored.algorithm !== ARGON2ID ||
    stored.memoryCost !== wanted.memoryCost ||
    stored.timeCost !== wanted.timeCost ||
    stored.parallelism !== wanted.parallelism
  );
}

export interface SessionLifetimes {
  /** SESSION_ABSOLUTE_TTL_DAYS */
  absoluteDays: number;
  /** SESSION_IDLE_TTL_DAYS, measured from the session's last refresh */
  idleDays: number;
}

/** The absolute end of a session opened at `now`. */
export function sessionExpiresAt(now: Date, lifetimes: SessionLifetimes): Date {
  return new Date(now.getTime() + lifetimes.absoluteDays * DAY_MS);
}

/** When a session last used at `lastUsedAt` ends for inactivity. */
export function idleExpiresAt(lastUsedAt: Date, lifetimes: Pick<SessionLifetimes, 'idleDays'>): Date {
  return new Date(lastUsedAt.getTime() + lifetimes.idleDays * DAY_MS);
}

/** A refresh token issued at `now` lapses at the session's inactivity timeout or its absolute end, whichever is first. */
export function refreshTokenExpiresAt(now: Date, sessionEnd: Date, lifetimes: Pick<SessionLifetimes, 'idleDays'>): Date {
  const idle = idleExpiresAt(now, lifetimes);
  return idle < sessionEnd ? idle : sessionEnd;
}

export type SessionState = 'active' | 'revoked' | 'expired' | 'idle';

/** Whether a device session can still be used at `now`. */
export function sessionState(
  session: { revokedAt: Date | null; expiresAt: Date; lastUsedAt: Date },
  now: Date,
  lifetimes: Pick<SessionLifetimes, 'idleDays'>,
): SessionState {
  if (session.revokedAt) return 'revoked';
  if (now >= session.expiresAt) return 'expired';
  if (now >= idleExpiresAt(session.lastUsedAt, lifetimes)) return 'idle';
  return 'active';
}

/**
 * What presenting a refresh token means, given the token's row (its session is already known to be active):
 * - `rotate`: never used and not expired: it is exchanged for a new one;
 * - `grace`: already exchanged less than `graceSeconds` ago: a concurrent double refresh, answered with another fresh token;
 * - `reuse`: already exchanged longer ago: a copy is in someone else's hands, so the session is revoked;
 * - `expired`: never used but past its lifetime.
 */
export function refreshDecision(
  token: { rotatedAt: Date | null; expiresAt: Date },
  now: Date,
  graceSeconds: number,
): 'rotate' | 'grace' | 'reuse' | 'expired' {
  if (token.rotatedAt) return now.getTime() - token.rotatedAt.getTime() <= graceSeconds * 1000 ? 'grace' : 'reuse';
  return now >= token.expiresAt ? 'expired' : 'rotate';
}

/** SHA-256 hex, as Apple puts the app's raw nonce into the identity token. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time string equality for nonces and other secrets. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Apple sends `email_verified` as the string "true"; Google as a boolean. */
export function claimIsTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * Stored preferences (jsonb, possibly from an older shape or `{}`) read with a default for every
 * field that is missing or no longer valid, so readers always get the full current shape.
 */
// Built once: zod schemas are costly to construct, and every profile read (GET /v1/me) lands here.
const StoredReminderTime = LocalTime.nullable();
const StoredQuietHours = QuietHours.nullable();

export function notificationPreferencesFromStored(value: unknown): NotificationPreferences {
  const whole = NotificationPreferences.safeParse(value);
  if (whole.success) return whole.data;
  const stored = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const channelsStored = (typeof stored.channels === 'object' && stored.channels !== null ? stored.channels : {}) as Record<string, unknown>;
  const defaults = defaultNotificationPreferences;
  const reminder = StoredReminderTime.safeParse(stored.reminderTime);
  const quiet = StoredQuietHours.safeParse(stored.quietHours);
  const channel = (name: keyof NotificationPreferences['channels']) =>
    typeof channelsStored[name] === 'boolean' ? (channelsStored[name] as boolean) : defaults.channels[name];
  return {
    reminderTime: 'reminderTime' in stored && reminder.success ? reminder.data : defaults.reminderTime,
    quietHours: 'quietHours' in stored && quiet.success ? quiet.data : defaults.quietHours,
    channels: { daily_reminder: channel('daily_reminder'), weekly_summary: channel('weekly_summary'), streak: channel('streak') },
  };
}

/** Applies a partial update: fields present replace, channels merge one by one. */
export function mergeNotificationPreferences(
  current: NotificationPreferences,
  patch: NotificationPreferencesPatch,
): NotificationPreferences {
  return {
    reminderTime: patch.reminderTime === undefined ? current.reminderTime : patch.reminderTime,
    quietHours: patch.quietHours === undefined ? current.quietHours : patch.quietHours,
    channels: {
      daily_reminder: patch.channels?.daily_reminder ?? current.channels.daily_reminder,
      weekly_summary: patch.channels?.weekly_summary ?? current.channels.weekly_summary,
      streak: patch.channels?.streak ?? current.channels.streak,
    },
  };
}
