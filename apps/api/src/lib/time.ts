import { DateTime, IANAZone } from 'luxon';

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The user's local calendar date (YYYY-MM-DD) at `now`. */
export function localDate(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? DateTime.fromJSDate(now, { zone: 'UTC' }).toISODate()!;
}

/** The instant of the user's next local midnight: when daily counters reset. DST-safe. */
export function nextLocalMidnight(now: Date, zone: string): Date {
  return DateTime.fromJSDate(now, { zone }).startOf('day').plus({ days: 1 }).toJSDate();
}

/** The UTC instant at which `date` (YYYY-MM-DD) begins in `zone`. */
export function startOfLocalDate(date: string, zone: string): Date {
  return DateTime.fromISO(date, { zone }).startOf('day').toJSDate();
}
