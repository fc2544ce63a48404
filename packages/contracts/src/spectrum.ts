import { z } from 'zod';
import { TechniqueId } from './ai-tasks.js';
import { CalendarDate } from './dates.js';
import { TrapId } from './taxonomy.js';

/**
 * Spectrum (/v1/spectrum/*): weekly and monthly patterns over the user's own local calendar
 * (ISO week from Monday, calendar month, in the profile's timezone). Every figure comes with the
 * previous period's value beside it, so the app can show the change. Figures are counts and
 * averages only; Spectrum never returns or reads what the user wrote.
 */

export const spectrumKinds = ['weekly', 'monthly'] as const;
export const SpectrumKind = z.enum(spectrumKinds);
export type SpectrumKind = z.infer<typeof SpectrumKind>;

/** A whole number this period and the period before. */
export const Compared = z.object({ current: z.number().int().min(0), previous: z.number().int().min(0) });
export type Compared = z.infer<typeof Compared>;

/** An average this period and the period before; null when there was nothing to average. */
export const ComparedAverage = z.object({ current: z.number().nullable(), previous: z.number().nullable() });
export type ComparedAverage = z.infer<typeof ComparedAverage>;

export const SpectrumPeriod = z.object({
  /** First local date of the period (a Monday for weeks, the 1st for months). */
  start: CalendarDate,
  /** Last local date of the period, inclusive. */
  end: CalendarDate,
  /** The profile timezone the period was computed in. */
  timezone: z.string(),
  /** False while the period is still running (its figures are live and can still grow). */
  complete: z.boolean(),
});
export type SpectrumPeriod = z.infer<typeof SpectrumPeriod>;

export const SpectrumFigures = z.object({
  turns: Compared,
  mirrorSessions: Compared,
  mirrorMessages: Compared,
  /** Every trap seen in either period: turns and Mirror fragments together, most frequent first. */
  traps: z.array(z.object({ trap: TrapId, current: z.number().int().min(0), previous: z.number().int().min(0) })),
  /** All traps noticed, this period and the one before. */
  trapTotal: Compared,
  /** Up to three traps of this period, most frequent first. */
  topTraps: z.array(TrapId).max(3),
  mood: z.object({
    /** Average mood before a Turn (1–10), where given. */
    averageBefore: ComparedAverage,
    /** Turns that gave a mood. */
    rated: Compared,
    /** Average per local date of this period (dates without a rating are left out). */
    trend: z.array(z.object({ date: CalendarDate, average: z.number() })),
  }),
  /** Reframe techniques marked helpful in Turn feedback. */
  helpfulTechniques: z.array(z.object({ technique: TechniqueId, current: z.number().int().min(0), previous: z.number().int().min(0) })),
  lens: z.object({
    actionsCompleted: Compared,
    /** Local dates with at least one completed action. */
    activeDays: Compared,
    /** Longest run of consecutive active days inside the period. */
    longestStreak: Compared,
    checkins: Compared,
    checkinMoodAverage: ComparedAverage,
  }),
  /** When hard thoughts come: turns and Mirror sessions by local ISO weekday (index 0 = Monday) and local hour. */
  timing: z.object({
    byWeekday: z.array(z.number().int().min(0)).length(7),
    byHour: z.array(z.number().int().min(0)).length(24),
  }),
});
export type SpectrumFigures = z.infer<typeof SpectrumFigures>;

export const narrativeStatuses = ['ready', 'pending', 'paused', 'not_available'] as const;
export const SpectrumNarrative = z.object({
  /**
   * `ready`: written; `pending`: being written (the period just ended, or it was recomputed);
   * `paused`: AI spend is near its cap, it will be written later; `not_available`: the period is
   * still running.
   */
  status: z.enum(narrativeStatuses),
  headline: z.string().nullable(),
  insights: z.array(z.string()),
  /** The period held a crisis answer: the narrative is a gentle one that points to Get help. */
  gentle: z.boolean(),
  /** Where to find help (the app's Get help screen and GET /v1/safety/resources) when `gentle`. */
  helpPath: z.string().nullable(),
  engine: z.enum(['local', 'model']).nullable(),
});
export type SpectrumNarrative = z.infer<typeof SpectrumNarrative>;

/** One past period in the history list. */
export const SpectrumHistoryItem = z.object({
  start: CalendarDate,
  end: CalendarDate,
  turns: z.number().int().min(0),
  mirrorSessions: z.number().int().min(0),
  trapTotal: z.number().int().min(0),
  topTrap: TrapId.nullable(),
});
export type SpectrumHistoryItem = z.infer<typeof SpectrumHistoryItem>;

export const SpectrumReport = z
  .object({
    kind: SpectrumKind,
    period: SpectrumPeriod,
    previousPeriod: SpectrumPeriod.pick({ start: true, end: true }),
    figures: SpectrumFigures,
    narrative: SpectrumNarrative,
    /** When these figures were computed (now, for a running period). */
    computedAt: z.iso.datetime(),
    /** Completed periods with activity, newest first (up to 26 weeks or 12 months). */
    history: z.array(SpectrumHistoryItem),
  })
  .meta({ id: 'SpectrumReport' });
export type SpectrumReport = z.infer<typeof SpectrumReport>;

/** A Monday, `YYYY-MM-DD`: the ISO week starting that day. */
export const WeeklyQuery = z.strictObject({
  period: CalendarDate.refine((date) => new Date(`${date}T00:00:00Z`).getUTCDay() === 1, { message: 'A week is named by its Monday (YYYY-MM-DD).' }).optional(),
});
export type WeeklyQuery = z.infer<typeof WeeklyQuery>;

/** A calendar month, `YYYY-MM`. */
export const MonthlyQuery = z.strictObject({
  period: z
    .string()
    .regex(/^(19\d\d|[2-9]\d{3})-(0[1-9]|1[0-2])$/, 'A month is YYYY-MM (1900-01 to 9999-12).')
    .optional(),
});
export type MonthlyQuery = z.infer<typeof MonthlyQuery>;

export const exclusionTargets = ['turn', 'mirror_session'] as const;
export const ExclusionRequest = z.strictObject({
  type: z.enum(exclusionTargets),
  id: z.uuid(),
  /** true: leave the item out of Spectrum; false: count it again. */
  excluded: z.boolean(),
});
export type ExclusionRequest = z.infer<typeof ExclusionRequest>;

export const ExclusionResponse = z.object({
  type: z.enum(exclusionTargets),
  id: z.uuid(),
  excluded: z.boolean(),
  /** Periods whose figures will be recomputed: the item's week and month. */
  affected: z.array(z.object({ kind: SpectrumKind, start: CalendarDate })),
});
export type ExclusionResponse = z.infer<typeof ExclusionResponse>;

/** Resetting removes every derived row; the body must say so. */
export const ResetRequest = z.strictObject({ confirm: z.literal('reset spectrum') });
export const ResetResponse = z.object({
  /** Activity before this instant no longer counts. */
  resetAt: z.iso.datetime(),
  removedPeriods: z.number().int().min(0),
});
export type ResetResponse = z.infer<typeof ResetResponse>;

/** Longest window one hard delete may cover (days, inclusive): a year and a day. */
export const MAX_DELETE_WINDOW_DAYS = 366;

/** Hard delete of raw and derived data between two local dates, inclusive. */
export const DeleteWindowRequest = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    confirm: z.literal('delete this window'),
  })
  .superRefine((value, ctx) => {
    if (value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must not be before `from`.' });
    const days = (Date.parse(`${value.to}T00:00:00Z`) - Date.parse(`${value.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > MAX_DELETE_WINDOW_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `A window covers at most ${MAX_DELETE_WINDOW_DAYS} days.` });
  });
export type DeleteWindowRequest = z.input<typeof DeleteWindowRequest>;

export const DeleteWindowResponse = z.object({
  from: CalendarDate,
  to: CalendarDate,
  deleted: z.object({
    turns: z.number().int().min(0),
    mirrorSessions: z.number().int().min(0),
    /** Lens check-ins and action completions dated inside the window. */
    checkins: z.number().int().min(0),
    completions: z.number().int().min(0),
  }),
  /** Periods recomputed because they overlapped the window. */
  affected: z.array(z.object({ kind: SpectrumKind, start: CalendarDate })),
});
export type DeleteWindowResponse = z.infer<typeof DeleteWindowResponse>;

/** Spectrum's part of GET /v1/me/export: every stored period with its figures and narrative. */
export const SpectrumExport = z.object({
  resetAt: z.iso.datetime().nullable(),
  periods: z.array(
    z.object({
      kind: SpectrumKind,
      start: CalendarDate,
      metrics: z.record(z.string(), z.unknown()),
      narrative: z.object({ headline: z.string(), insights: z.array(z.string()) }).nullable(),
      computedAt: z.iso.datetime().nullable(),
    }),
  ),
});
export type SpectrumExport = z.infer<typeof SpectrumExport>;
