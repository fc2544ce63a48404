import { z } from 'zod';
import { CalendarDate } from './dates.js';

/**
 * Lens contracts (§10.4): goals with small repeatable actions, completions that build streaks in
 * the user's own timezone, daily check-ins (mood and a short note) and the daily affirmation.
 * Everything the user writes here is private writing: encrypted at rest, owned, deletable, and
 * checked by the safety gate (a crisis answers with a crisis response and nothing is saved).
 */

const timestamp = z.iso.datetime({ offset: true });
/** A calendar date in the user's timezone, `YYYY-MM-DD`. */
export const LocalDate = CalendarDate;

export const LENS_LIMITS = {
  goalTitle: 120,
  goalDescription: 1000,
  actionTitle: 120,
  checkinNote: 500,
  actionsPerGoal: 20,
} as const;

/** One line of text: trimmed, not empty, no control characters. */
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Must not be empty.')
    .max(max, `At most ${max} characters.`)
    .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.');

/** A few lines of text: like `line`, but line breaks and tabs are kept. */
const paragraph = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Must not be empty.')
    .max(max, `At most ${max} characters.`)
    .regex(/^(?:[^\p{Cc}]|[\t\n\r])*$/u, 'Control characters are not allowed.');

export const goalStatuses = ['active', 'completed', 'archived'] as const;
export const GoalStatus = z.enum(goalStatuses);
export type GoalStatus = z.infer<typeof GoalStatus>;

/** How often an action is meant to be done: its streak counts days, weeks, or it is done once. */
export const actionCadences = ['daily', 'weekly', 'once'] as const;
export const ActionCadence = z.enum(actionCadences);
export type ActionCadence = z.infer<typeof ActionCadence>;

export const Streak = z
  .object({
    /** Consecutive periods (days, or weeks for weekly actions) up to now; today or this week not yet done does not break it. */
    current: z.number().int().min(0),
    longest: z.number().int().min(0),
    lastCompletedOn: LocalDate.nullable(),
  })
  .meta({ id: 'LensStreak' });
export type Streak = z.infer<typeof Streak>;

export const LensAction = z
  .object({
    id: z.uuid(),
    goalId: z.uuid(),
    title: z.string(),
    cadence: ActionCadence,
    /** Done in the current period: today (daily), this ISO week (weekly), ever (once). */
    done: z.boolean(),
    completedToday: z.boolean(),
    totalCompletions: z.number().int().min(0),
    streak: Streak,
    createdAt: timestamp,
  })
  .meta({ id: 'LensAction' });
export type LensAction = z.infer<typeof LensAction>;

export const GoalProgress = z
  .object({
    actions: z.number().int().min(0),
    /** Actions done in their current period. */
    actionsDone: z.number().int().min(0),
    /** Share of actions done in their current period, 0–100. */
    percent: z.number().int().min(0).max(100),
    completionsLast7Days: z.number().int().min(0),
    /** Consecutive days with at least one of the goal's actions done. */
    streak: Streak,
  })
  .meta({ id: 'LensGoalProgress' });
export type GoalProgress = z.infer<typeof GoalProgress>;

export const LensGoal = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    status: GoalStatus,
    targetDate: LocalDate.nullable(),
    actions: z.array(LensAction),
    progress: GoalProgress,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'LensGoal' });
export type LensGoal = z.infer<typeof LensGoal>;

export const GoalList = z
  .object({
    goals: z.array(LensGoal),
    /** The user's daily streak across every action. */
    streak: Streak,
    /** Today in the user's timezone: what `completedToday` refers to. */
    today: LocalDate,
    activeGoals: z.number().int().min(0),
    /** The plan's limit of active goals. */
    maxActiveGoals: z.number().int().min(1),
  })
  .meta({ id: 'LensGoalList' });
export type GoalList = z.infer<typeof GoalList>;

export const ListGoalsQuery = z.strictObject({ status: GoalStatus.optional() });

export const CreateGoalRequest = z.strictObject({
  title: line(LENS_LIMITS.goalTitle),
  description: paragraph(LENS_LIMITS.goalDescription).nullable().optional(),
  targetDate: LocalDate.nullable().optional(),
});
export type CreateGoalRequest = z.infer<typeof CreateGoalRequest>;

export const UpdateGoalRequest = z
  .strictObject({
    title: line(LENS_LIMITS.goalTitle).optional(),
    description: paragraph(LENS_LIMITS.goalDescription).nullable().optional(),
    status: GoalStatus.optional(),
    targetDate: LocalDate.nullable().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'Send at least one field to change.');
export type UpdateGoalRequest = z.infer<typeof UpdateGoalRequest>;

export const CreateActionRequest = z.strictObject({
  title: line(LENS_LIMITS.actionTitle),
  cadence: ActionCadence.default('daily'),
});
export type CreateActionRequest = z.infer<typeof CreateActionRequest>;

export const LensIdParams = z.strictObject({ id: z.uuid() });

export const CompleteActionResponse = z
  .object({
    /** False when this request recorded the completion; true when it was already done this period (nothing changed). */
    alreadyCompleted: z.boolean(),
    completion: z.object({ actionId: z.uuid(), localDate: LocalDate, completedAt: timestamp }),
    action: LensAction,
    /** The user's daily streak after this completion. */
    streak: Streak,
  })
  .meta({ id: 'LensCompletion' });
export type CompleteActionResponse = z.infer<typeof CompleteActionResponse>;

export const Mood = z.number().int().min(1).max(10);

/** POST /v1/lens/checkins: today's check-in (in the user's timezone); sending again the same day updates it. */
export const CreateCheckinRequest = z.strictObject({
  mood: Mood,
  note: paragraph(LENS_LIMITS.checkinNote).nullable().optional(),
});
export type CreateCheckinRequest = z.infer<typeof CreateCheckinRequest>;

export const Checkin = z
  .object({
    id: z.uuid(),
    localDate: LocalDate,
    mood: Mood,
    note: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'LensCheckin' });
export type Checkin = z.infer<typeof Checkin>;

export const ListCheckinsQuery = z
  .strictObject({
    from: LocalDate.optional(),
    to: LocalDate.optional(),
    limit: z.coerce.number().int().min(1).max(366).default(30),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { message: '`from` must not be after `to`.', path: ['from'] });

export const CheckinList = z.object({ checkins: z.array(Checkin) }).meta({ id: 'LensCheckinList' });
export type CheckinList = z.infer<typeof CheckinList>;

/** GET /v1/lens/affirmation/today: one per user per local day, grounded in the user's goals. */
export const DailyAffirmation = z
  .object({
    localDate: LocalDate,
    affirmation: z.string(),
    focus: z.string(),
    /** Which engine wrote it: a model, or the local engine's templates when the model or the budget is under pressure. */
    engine: z.object({ engine: z.enum(['local', 'model']), model: z.string(), promptVersion: z.string() }),
  })
  .meta({ id: 'LensDailyAffirmation' });
export type DailyAffirmation = z.infer<typeof DailyAffirmation>;
