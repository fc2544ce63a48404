import type { SpectrumKind, SpectrumReport } from '@kalei/contracts/spectrum';
import { trapInfo, type TrapId } from '@kalei/contracts/taxonomy';

/** The name the API takes for a period: the Monday of a week, `YYYY-MM` of a month. */
export function periodName(kind: SpectrumKind, start: string): string {
  return kind === 'monthly' ? start.slice(0, 7) : start;
}

/** The period `by` steps before (negative) or after (positive) the one starting on `start`. */
export function shiftPeriod(kind: SpectrumKind, start: string, by: number): string {
  const [year, month, day] = start.split('-').map(Number) as [number, number, number];
  if (kind === 'monthly') {
    const shifted = new Date(Date.UTC(year, month - 1 + by, 1));
    return shifted.toISOString().slice(0, 7);
  }
  return new Date(Date.UTC(year, month - 1, day + 7 * by)).toISOString().slice(0, 10);
}

const utcNoon = (date: string) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day, 12));
};

/** "This week so far", "Week of 2 Mar" or "March 2026", in the device's locale. */
export function periodTitle(kind: SpectrumKind, period: SpectrumReport['period'], locale?: string): string {
  if (!period.complete) return kind === 'weekly' ? 'This week so far' : 'This month so far';
  const start = utcNoon(period.start);
  if (kind === 'monthly') return start.toLocaleDateString(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' });
  return `Week of ${start.toLocaleDateString(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' })}`;
}

/** How a figure moved against the period before, in words: "up from 1", "down from 5", "same as last week". */
export function changeText(current: number, previous: number, kind: SpectrumKind): string {
  const last = kind === 'weekly' ? 'last week' : 'last month';
  if (current === previous) return `same as ${last}`;
  return `${current > previous ? 'up' : 'down'} from ${previous} ${last}`;
}

/** The traps worth a bar: the most frequent this period, then last period, at most `limit`. */
export function chartTraps(traps: SpectrumReport['figures']['traps'], limit = 5): SpectrumReport['figures']['traps'] {
  return [...traps].sort((a, b) => b.current - a.current || b.previous - a.previous).slice(0, limit);
}

/** A trap's name short enough for an axis: its first word ("Mind reading" → "Mind"), whole names stay in the list below. */
export function axisLabel(trap: TrapId): string {
  const first = trapInfo[trap].name.split(' ')[0] ?? trap;
  return first.length > 14 ? `${first.slice(0, 13)}…` : first;
}

/** What the traps chart shows, for screen readers: every trap with both counts. */
export function describeTraps(traps: SpectrumReport['figures']['traps'], kind: SpectrumKind): string {
  if (traps.length === 0) return 'No thinking traps were noticed in this period or the one before.';
  const unit = kind === 'weekly' ? 'week' : 'month';
  return `Thinking traps, this ${unit} and last ${unit}: ${traps.map((t) => `${trapInfo[t.trap].name} ${t.current} and ${t.previous}`).join('; ')}.`;
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** When hard thoughts came, for screen readers: the busiest days first. */
export function describeWeekdays(byWeekday: readonly number[]): string {
  const total = byWeekday.reduce((sum, n) => sum + n, 0);
  if (total === 0) return 'Nothing was written on any day of this period yet.';
  const days = WEEKDAYS.map((day, i) => ({ day, n: byWeekday[i] ?? 0 }))
    .filter((d) => d.n > 0)
    .sort((a, b) => b.n - a.n);
  return `Turns and Mirror sessions by weekday: ${days.map((d) => `${d.day} ${d.n}`).join(', ')}.`;
}

/** The mood trend, for screen readers: first and last day and the range. */
export function describeMood(trend: SpectrumReport['figures']['mood']['trend']): string {
  if (trend.length === 0) return 'No mood was given before a turn in this period.';
  const values = trend.map((p) => p.average);
  return `Mood before turns on ${trend.length} ${trend.length === 1 ? 'day' : 'days'}, from ${Math.min(...values)} to ${Math.max(...values)} out of 10; the last day ${values[values.length - 1]}.`;
}
