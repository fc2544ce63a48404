/**
 * Pure rules of notifications: when each kind is due in the user's local time, quiet hours, the
 * daily cap, dedupe keys and the fixed message templates. No I/O and no clock: callers pass `now`.
 */
import { defaultNotificationPreferences, NotificationPreferences, type NotificationChannel } from '@kalei/contracts/auth';
import type { NotificationKind } from '@kalei/contracts/notifications';
import { addDays, inLocalTimeRange, isoWeekday, localDate, localDateTime } from '../../lib/time.js';

/** The preference channel that switches each kind on. */
export const channelOf: Record<NotificationKind, NotificationChannel> = {
  daily_reminder: 'daily_reminder',
  weekly_summary: 'weekly_summary',
  streak_at_risk: 'streak',
  // "Your week in Spectrum" is a weekly summary too: the same switch turns it on.
  spectrum_weekly: 'weekly_summary',
};

/** When several kinds are due together and the cap leaves room for fewer, the most timely go first. */
export const kindPriority: readonly NotificationKind[] = ['streak_at_risk', 'daily_reminder', 'weekly_summary', 'spectrum_weekly'];

/** Stored preferences, read defensively: anything missing or malformed falls back to the defaults (all off). */
export function parsePreferences(raw: unknown): NotificationPreferences {
  const stored = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof NotificationPreferences, unknown>>;
  const merged = {
    ...defaultNotificationPreferences,
    ...stored,
    channels: {
      ...defaultNotificationPreferences.channels,
      ...(stored.channels && typeof stored.channels === 'object' ? stored.channels : {}),
    },
  };
  const parsed = NotificationPreferences.safeParse(merged);
  return parsed.success ? parsed.data : defaultNotificationPreferences;
}

export interface Schedule {
  /** ISO weekday (1 Monday … 7 Sunday) and local time of the weekly summary. */
  weeklySummary: { weekday: number; time: string };
  /** Local time at which a streak that has not been kept today counts as at risk. */
  streakCheckTime: string;
  /** How long after its time a notification may still go out (ticks missed, quiet hours ending). */
  windowMinutes: number;
}

export interface DueNotification {
  kind: NotificationKind;
  /** The local day the notification is for: part of its dedupe key. */
  localDate: string;
  dueAt: Date;
}

/**
 * The notifications due for one user at `now`: each enabled kind whose local time (on today or,
 * near midnight, yesterday) has come and whose window has not passed. Quiet hours hold everything
 * back (a reminder set inside them goes out when they end, if still within its window).
 */
export function dueNotifications(input: { now: Date; zone: string; prefs: NotificationPreferences; schedule: Schedule }): DueNotification[] {
  const { now, zone, prefs, schedule } = input;
  if (prefs.quietHours && inLocalTimeRange(now, zone, prefs.quietHours)) return [];
  const today = localDate(now, zone);
  const windowMs = schedule.windowMinutes * 60_000;
  const due: DueNotification[] = [];

  const consider = (kind: NotificationKind, time: string | null, onDay: (date: string) => boolean) => {
    if (!time || !prefs.channels[channelOf[kind]]) return;
    for (const date of [today, addDays(today, -1)]) {
      if (!onDay(date)) continue;
      const dueAt = localDateTime(date, time, zone);
      if (dueAt.getTime() <= now.getTime() && now.getTime() < dueAt.getTime() + windowMs) {
        due.push({ kind, localDate: date, dueAt });
        return;
      }
    }
  };

  consider('daily_reminder', prefs.reminderTime, () => true);
  consider('streak_at_risk', schedule.streakCheckTime, () => true);
  // The weekly summary comes at the user's reminder time on the summary day when they chose one.
  consider('weekly_summary', prefs.reminderTime ?? schedule.weeklySummary.time, (date) => isoWeekday(date) === schedule.weeklySummary.weekday);
  return due.sort((a, b) => kindPriority.indexOf(a.kind) - kindPriority.indexOf(b.kind));
}

/**
 * Whether a claimed notification may still go out at `now`: its channel is still on, its window
 * (counted from the claim) has not passed, and the user is not in quiet hours. A retry after a long
 * outage or a late replay therefore expires instead of waking someone up.
 */
export function stillSendable(input: {
  now: Date;
  zone: string;
  prefs: NotificationPreferences;
  kind: NotificationKind;
  claimedAt: Date;
  windowMinutes: number;
}): 'ok' | 'expired' | 'quiet_hours' | 'channel_off' {
  const { now, zone, prefs } = input;
  if (!prefs.channels[channelOf[input.kind]]) return 'channel_off';
  if (now.getTime() >= input.claimedAt.getTime() + input.windowMinutes * 60_000) return 'expired';
  if (prefs.quietHours && inLocalTimeRange(now, zone, prefs.quietHours)) return 'quiet_hours';
  return 'ok';
}

/** The idempotency key of a notification: one per user, kind and local day. */
export function dedupeKey(kind: NotificationKind, userId: string, date: string): string {
  return `${kind}:${userId}:${date}`;
}

export function parseDedupeKey(key: string): { kind: NotificationKind; userId: string; localDate: string } | null {
  const match = /^(daily_reminder|weekly_summary|streak_at_risk|spectrum_weekly):([0-9a-f-]{36}):(\d{4}-\d{2}-\d{2})$/.exec(key);
  if (!match) return null;
  return { kind: match[1] as NotificationKind, userId: match[2]!, localDate: match[3]! };
}

/** Facts a message may mention: counts only, never anything the user wrote. */
export interface MessageFacts {
  streakDays?: number;
  checkins?: number;
  completions?: number;
}

/** The fixed template for each kind. Reflective text never goes into a push: it shows on lock screens. */
export function messageFor(kind: NotificationKind, facts: MessageFacts = {}): { title: string; body: string; data: Record<string, string> } {
  switch (kind) {
    case 'daily_reminder':
      return { title: 'Kalei', body: 'A quiet minute for yourself? Your daily check-in is ready.', data: { kind, screen: 'lens' } };
    case 'streak_at_risk': {
      const days = facts.streakDays ?? 0;
      return {
        title: 'Keep your streak going',
        body: `You're on a ${days}-day streak. One small step today keeps it alive.`,
        data: { kind, screen: 'lens' },
      };
    }
    case 'weekly_summary': {
      const checkins = facts.checkins ?? 0;
      const completions = facts.completions ?? 0;
      const body =
        checkins + completions === 0
          ? 'A new week is a fresh start. Your Lens is ready when you are.'
          : `This week: ${checkins} check-in${checkins === 1 ? '' : 's'} and ${completions} action${completions === 1 ? '' : 's'} completed. Well done.`;
      return { title: 'Your week with Kalei', body, data: { kind, screen: 'lens' } };
    }
    case 'spectrum_weekly':
      return { title: 'Your week in Spectrum', body: 'Your patterns from last week are ready to look back on.', data: { kind, screen: 'spectrum' } };
  }
}
