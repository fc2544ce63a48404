import { DateTime, IANAZone } from 'luxon';

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

interface LocalDay {
  date: string;
  startMs: number;
  endMs: number;
}

// The current local day of each zone seen: every quota check asks for it, and luxon's zone
// arithmetic costs far more than a range check. Bounded by the number of valid zones.
const currentDays = new Map<string, LocalDay>();

/** The local calendar day containing `now` in `zone`, or null for a zone this runtime does not know. */
function localDay(now: Date, zone: string): LocalDay | null {
  const at = now.getTime();
  const known = currentDays.get(zone);
  if (known && at >= known.startMs && at < known.endMs) return known;
  const start = DateTime.fromJSDate(now, { zone }).startOf('day');
  if (!start.isValid) return null;
  const day = { date: start.toISODate()!, startMs: start.toMillis(), endMs: start.plus({ days: 1 }).toMillis() };
  currentDays.set(zone, day);
  return day;
}

/** The user's local calendar date (YYYY-MM-DD) at `now`. */
export function localDate(now: Date, zone: string): string {
  return (localDay(now, zone) ?? localDay(now, 'UTC')!).date;
}

/** The instant of the user's next local midnight: when daily counters reset. DST-safe. */
export function nextLocalMidnight(now: Date, zone: string): Date {
  const day = localDay(now, zone);
  return day ? new Date(day.endMs) : new Date(Number.NaN);
}

/** The UTC instant at which `date` (YYYY-MM-DD) begins in `zone`. */
export function startOfLocalDate(date: string, zone: string): Date {
  return DateTime.fromISO(date, { zone }).startOf('day').toJSDate();
}

/** `zone` when this runtime knows it, else UTC: a stored zone that went bad must not stop a job or a request. */
export function zoneOrUtc(zone: string | null | undefined): string {
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}

/**
 * The instant a local wall-clock time (`HH:MM`) happens on a local date in `zone`. DST-safe: a time
 * skipped when clocks spring forward moves forward by the gap (02:30 becomes 03:30); a time that
 * happens twice when clocks fall back is its first occurrence.
 */
export function localDateTime(date: string, time: string, zone: string): Date {
  const resolved = DateTime.fromISO(`${date}T${time}`, { zone });
  // luxon resolves an ambiguous wall time to its later occurrence; an earlier instant showing the
  // same wall time (clocks fall back by an hour, or half an hour on Lord Howe) is the first.
  const wall = resolved.toFormat('yyyy-MM-dd HH:mm');
  const earlier = [60, 30].map((minutes) => resolved.minus({ minutes })).find((candidate) => candidate.toFormat('yyyy-MM-dd HH:mm') === wall);
  return (earlier ?? resolved).toJSDate();
}

/** Minutes since local midnight at `now` in `zone` (wall clock, 0–1439). */
export function localMinutes(now: Date, zone: string): number {
  const local = DateTime.fromJSDate(now, { zone });
  return local.hour * 60 + local.minute;
}

/** Minutes since midnight of an `HH:MM` wall-clock time. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/**
 * Whether `now` falls in a daily local range `[start, end)` of wall-clock times; a range whose start
 * is after its end spans midnight (22:00–07:00).
 */
export function inLocalTimeRange(now: Date, zone: string, range: { start: string; end: string }): boolean {
  const at = localMinutes(now, zone);
  const start = minutesOf(range.start);
  const end = minutesOf(range.end);
  return start <= end ? at >= start && at < end : at >= start || at < end;
}

/** A calendar date (YYYY-MM-DD) moved by whole days. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** ISO weekday of a calendar date: 1 Monday … 7 Sunday. */
export function isoWeekday(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

/** Monday of the ISO week a calendar date is in. */
export function startOfIsoWeek(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).startOf('week').toISODate()!;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days);
}
