import { techniqueIds, type SpectrumNarrativeInput, type SpectrumNarrativeOutput, type TechniqueId } from '@kalei/contracts/ai-tasks';
import type { SpectrumFigures, SpectrumHistoryItem, SpectrumKind } from '@kalei/contracts/spectrum';
import { trapIds, type TrapId } from '@kalei/contracts/taxonomy';
import { DateTime } from 'luxon';

/**
 * The figures of one period as the aggregation SQL writes them into `metrics` (repo.ts): counts,
 * sums and maps keyed by ids, local dates, ISO weekdays and hours. Never any text.
 */
export interface PeriodMetrics {
  turns: number;
  mirrorSessions: number;
  mirrorMessages: number;
  traps: Record<string, number>;
  moodRated: number;
  moodAverage: number | null;
  moodByDate: Record<string, number>;
  helpful: Record<string, number>;
  actionsCompleted: number;
  activeDays: number;
  longestStreak: number;
  checkins: number;
  checkinMoodAverage: number | null;
  byWeekday: Record<string, number>;
  byHour: Record<string, number>;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && value !== '' && Number.isFinite(Number(value)) ? Number(value) : 0);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number.isFinite(num(value)) ? num(value) : null);
const counts = (value: unknown): Record<string, number> => {
  if (!value || typeof value !== 'object') return {};
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(value as Record<string, unknown>)) if (num(n) > 0) out[key] = num(n);
  return out;
};

/** A stored or freshly computed metrics object, with every field present (an empty row is all zeros). */
export function parseMetrics(raw: unknown): PeriodMetrics {
  const m = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    turns: num(m.turns),
    mirrorSessions: num(m.mirrorSessions),
    mirrorMessages: num(m.mirrorMessages),
    traps: counts(m.traps),
    moodRated: num(m.moodRated),
    moodAverage: numOrNull(m.moodAverage),
    moodByDate: counts(m.moodByDate),
    helpful: counts(m.helpful),
    actionsCompleted: num(m.actionsCompleted),
    activeDays: num(m.activeDays),
    longestStreak: num(m.longestStreak),
    checkins: num(m.checkins),
    checkinMoodAverage: numOrNull(m.checkinMoodAverage),
    byWeekday: counts(m.byWeekday),
    byHour: counts(m.byHour),
  };
}

export const EMPTY_METRICS: PeriodMetrics = parseMetrics({});

// ---------------------------------------------------------------- periods

export interface PeriodBounds {
  kind: SpectrumKind;
  /** First local date. */
  start: string;
  /** Last local date, inclusive. */
  end: string;
  /** First local date of the next period (exclusive end). */
  next: string;
}

/** The period of `kind` that contains the local calendar date `date`. */
export function periodContaining(kind: SpectrumKind, date: string): PeriodBounds {
  const day = DateTime.fromISO(date, { zone: 'UTC' });
  const start = day.startOf(kind === 'weekly' ? 'week' : 'month');
  const next = start.plus(kind === 'weekly' ? { weeks: 1 } : { months: 1 });
  return { kind, start: start.toISODate()!, end: next.minus({ days: 1 }).toISODate()!, next: next.toISODate()! };
}

/** The period before `period`. */
export function previousPeriod(period: PeriodBounds): PeriodBounds {
  const start = DateTime.fromISO(period.start, { zone: 'UTC' }).minus(period.kind === 'weekly' ? { weeks: 1 } : { months: 1 });
  return periodContaining(period.kind, start.toISODate()!);
}

/** The period named by a query value: a Monday (`YYYY-MM-DD`) for weeks, `YYYY-MM` for months. */
export function periodNamed(kind: SpectrumKind, name: string): PeriodBounds {
  return periodContaining(kind, kind === 'monthly' ? `${name}-01` : name);
}

/** The weeks and months a local date belongs to: what an item on that date affects. */
export function periodsOfDate(date: string): PeriodBounds[] {
  return [periodContaining('weekly', date), periodContaining('monthly', date)];
}

/** Every week and month overlapping the local dates `from`..`to` (inclusive). */
export function periodsOverlapping(from: string, to: string): PeriodBounds[] {
  const out: PeriodBounds[] = [];
  for (const kind of ['weekly', 'monthly'] as const) {
    for (let period = periodContaining(kind, from); period.start <= to; period = periodContaining(kind, period.next)) out.push(period);
  }
  return out;
}

// ---------------------------------------------------------------- figures

const byCountThenId = <T extends string>(order: readonly T[]) => (a: { id: T; current: number }, b: { id: T; current: number }) =>
  b.current - a.current || order.indexOf(a.id) - order.indexOf(b.id);

const weekdayArray = (m: PeriodMetrics) => Array.from({ length: 7 }, (_, i) => m.byWeekday[String(i + 1)] ?? 0);
const hourArray = (m: PeriodMetrics) => Array.from({ length: 24 }, (_, i) => m.byHour[String(i)] ?? 0);
const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
const total = (record: Record<string, number>) => Object.values(record).reduce((sum, n) => sum + n, 0);

/** Every figure of a period with the previous period's value beside it. */
export function compareFigures(current: PeriodMetrics, previous: PeriodMetrics): SpectrumFigures {
  const traps = trapIds
    .map((id) => ({ id, current: current.traps[id] ?? 0, previous: previous.traps[id] ?? 0 }))
    .filter((t) => t.current + t.previous > 0)
    .sort((a, b) => byCountThenId(trapIds)(a, b) || b.previous - a.previous);
  const techniques = techniqueIds
    .map((id) => ({ id, current: current.helpful[id] ?? 0, previous: previous.helpful[id] ?? 0 }))
    .filter((t) => t.current + t.previous > 0)
    .sort((a, b) => byCountThenId(techniqueIds)(a, b) || b.previous - a.previous);
  const pair = (pick: (m: PeriodMetrics) => number) => ({ current: pick(current), previous: pick(previous) });
  return {
    turns: pair((m) => m.turns),
    mirrorSessions: pair((m) => m.mirrorSessions),
    mirrorMessages: pair((m) => m.mirrorMessages),
    traps: traps.map(({ id, current: c, previous: p }) => ({ trap: id, current: c, previous: p })),
    trapTotal: pair((m) => total(m.traps)),
    topTraps: traps.filter((t) => t.current > 0).slice(0, 3).map((t) => t.id),
    mood: {
      averageBefore: { current: round2(current.moodAverage), previous: round2(previous.moodAverage) },
      rated: pair((m) => m.moodRated),
      trend: Object.entries(current.moodByDate)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([date, average]) => ({ date, average: round2(average)! })),
    },
    helpfulTechniques: techniques.map(({ id, current: c, previous: p }) => ({ technique: id as TechniqueId, current: c, previous: p })),
    lens: {
      actionsCompleted: pair((m) => m.actionsCompleted),
      activeDays: pair((m) => m.activeDays),
      longestStreak: pair((m) => m.longestStreak),
      checkins: pair((m) => m.checkins),
      checkinMoodAverage: { current: round2(current.checkinMoodAverage), previous: round2(previous.checkinMoodAverage) },
    },
    timing: { byWeekday: weekdayArray(current), byHour: hourArray(current) },
  };
}

/** A history line of a stored period. */
export function historyItem(period: PeriodBounds, metrics: PeriodMetrics): SpectrumHistoryItem {
  const ranked = trapIds.map((id) => ({ id, current: metrics.traps[id] ?? 0 })).filter((t) => t.current > 0).sort(byCountThenId(trapIds));
  return {
    start: period.start,
    end: period.end,
    turns: metrics.turns,
    mirrorSessions: metrics.mirrorSessions,
    trapTotal: total(metrics.traps),
    topTrap: ranked[0]?.id ?? null,
  };
}

/** Whether a period has anything in it worth a row, a narrative or a notification. */
export function hasActivity(metrics: PeriodMetrics): boolean {
  return metrics.turns + metrics.mirrorSessions + metrics.actionsCompleted + metrics.checkins > 0;
}

// ---------------------------------------------------------------- narrative

const trapCountsOf = (record: Record<string, number>): Partial<Record<TrapId, number>> => {
  const out: Partial<Record<TrapId, number>> = {};
  for (const id of trapIds) if (record[id]) out[id] = record[id];
  return out;
};

/**
 * What the narrative model is given: the period's aggregates and nothing else (data
 * minimisation, seed §11.2). No text the user wrote can reach it from here.
 */
export function narrativeInput(kind: SpectrumKind, current: PeriodMetrics, previous: PeriodMetrics | null): SpectrumNarrativeInput {
  return {
    period: kind,
    trapCounts: trapCountsOf(current.traps),
    turns: current.turns,
    mirrorSessions: current.mirrorSessions,
    ...(previous ? { previousTrapCounts: trapCountsOf(previous.traps) } : {}),
  };
}

/**
 * The narrative of a period that held a crisis answer: no upbeat summary and no trap talk, only
 * warmth and the way to help. Fixed wording, reviewed like the crisis templates.
 */
export function gentleNarrative(kind: SpectrumKind): SpectrumNarrativeOutput {
  const unit = kind === 'weekly' ? 'week' : 'month';
  return {
    headline: `This ${unit} may have been a hard one`,
    insights: [
      `Some of what you wrote this ${unit} sounded really painful. Thank you for putting it into words.`,
      'If things feel heavy right now, you do not have to carry them alone: Get help lists people you can talk to, any time.',
      'Your patterns can wait. Looking after yourself comes first.',
    ],
  };
}

/** The app's Get help screen; its resources come from GET /v1/safety/resources. */
export const HELP_PATH = '/help';
