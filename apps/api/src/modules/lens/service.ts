import type {
  Checkin,
  CheckinList,
  CompleteActionResponse,
  CreateActionRequest,
  CreateCheckinRequest,
  CreateGoalRequest,
  DailyAffirmation,
  GoalList,
  GoalStatus,
  LensAction,
  LensGoal,
  UpdateGoalRequest,
} from '@kalei/contracts/lens';
import { LENS_LIMITS } from '@kalei/contracts/lens';
import { plans } from '@kalei/contracts/plans';
import { AppError, ConflictError, NotFoundError } from '../../errors.js';
import type { Cache } from '../../infra/cache.js';
import type { ColumnCipher } from '../../infra/crypto.js';
import type { Database, Executor } from '../../infra/db.js';
import { addDays, localDate, zoneOrUtc } from '../../lib/time.js';
import type { AiGuard, GuardCaller, Guarded } from '../ai-guard/service.js';
import type { AuditService } from '../audit/service.js';
import type { EntitlementsService } from '../entitlements/service.js';
import { markSpectrumDirtyOnDates } from '../spectrum/service.js';
import { actionStreak, completionInPeriod, dailyStreak, goalProgress } from './fns.js';
import type { ActionRow, CheckinRow, DailyContentRow, GoalRow, LensRepo } from './repo.js';

/** Encryption contexts: each value is bound to its column and its owner. */
const ctx = {
  goalTitle: (userId: string) => `lens_goals.title:${userId}`,
  goalDescription: (userId: string) => `lens_goals.description:${userId}`,
  actionTitle: (userId: string) => `lens_actions.title:${userId}`,
  checkinNote: (userId: string) => `lens_checkins.note:${userId}`,
  affirmation: (userId: string) => `lens_daily_content.affirmation:${userId}`,
  focus: (userId: string) => `lens_daily_content.focus:${userId}`,
};

/** Streak history read for the daily streak; longer runs than this are shown as this long. */
const STREAK_HORIZON_DAYS = 730;
/** Goals handed to the model for the daily affirmation. */
const AFFIRMATION_GOALS = 10;
/** How long a request waits for a concurrent one generating the same day's affirmation. */
const GENERATION_WAIT_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 409 when activating one more goal would pass the plan's limit. */
class GoalLimitError extends AppError {
  constructor(limit: number, plan: string) {
    super(409, 'conflict', 'Too many active goals', {
      detail: `The ${plans[plan as keyof typeof plans]?.name ?? plan} plan allows ${limit} active goals. Complete or archive one first.`,
      extra: { limit, plan },
    });
  }
}

const ok = <T>(value: T): Guarded<T> => ({ kind: 'ok', value });

const dailyStreakOf = async (repo: Pick<LensRepo, 'completionDays'>, userId: string, today: string) =>
  dailyStreak(await repo.completionDays(userId, addDays(today, -STREAK_HORIZON_DAYS)), today);

/**
 * What other modules may know about a user's Lens activity (notifications use it): streak lengths
 * and counts, never text. Needs only the repo, so the worker can build it without the AI path.
 */
export function createLensActivity(repo: Pick<LensRepo, 'completionDays' | 'countCheckinsBetween' | 'countCompletionsBetween'>) {
  return {
    /** The user's daily streak as of their local `today`, and whether today counts yet. */
    async streak(userId: string, _zone: string, today: string): Promise<{ current: number; doneToday: boolean }> {
      const streak = await dailyStreakOf(repo, userId, today);
      return { current: streak.current, doneToday: streak.lastCompletedOn === today };
    },
    /** Check-ins and completions on local dates `from`..`to` inclusive. */
    async activityBetween(userId: string, from: string, to: string): Promise<{ checkins: number; completions: number }> {
      const [checkins, completions] = await Promise.all([repo.countCheckinsBetween(userId, from, to), repo.countCompletionsBetween(userId, from, to)]);
      return { checkins, completions };
    },
  };
}

/**
 * Lens: goals with small actions, completions and streaks in the user's timezone, daily check-ins
 * and the daily affirmation. Text the user writes passes the safety gate before anything is saved
 * and is stored encrypted; every read and write is scoped by the caller's id (404 otherwise).
 */
export function createLensService(deps: {
  db: Database;
  repo: LensRepo;
  cipher: ColumnCipher;
  now: () => Date;
  entitlements: Pick<EntitlementsService, 'currentPlan'>;
  guard: Pick<AiGuard, 'checkText' | 'run'>;
  audit: Pick<AuditService, 'record'>;
  /** The profile facts Lens needs: the timezone its days and streaks are counted in. */
  profileOf: (userId: string) => Promise<{ timezone: string }>;
  /** Holds the day's generation lock, so concurrent first requests share one affirmation. */
  cache: Pick<Cache, 'setIfAbsent' | 'del'>;
}) {
  const { db, repo, cipher, now, entitlements, guard, audit } = deps;

  /** The user's local date now; a stored timezone that went bad counts as UTC. */
  const todayOf = async (userId: string): Promise<{ zone: string; today: string }> => {
    const zone = zoneOrUtc((await deps.profileOf(userId)).timezone);
    return { zone, today: localDate(now(), zone) };
  };

  const screen = async (caller: GuardCaller, texts: (string | null | undefined)[]) =>
    guard.checkText(
      caller,
      'lens',
      texts.filter((text): text is string => typeof text === 'string' && text.length > 0),
    );

  const assertRoomForActiveGoal = async (userId: string, tx: Parameters<Parameters<Database['transaction']>[0]>[0], exceptId?: string) => {
    const { plan } = await entitlements.currentPlan(userId, tx);
    const limit = plans[plan].maxActiveGoals;
    if ((await repo.countActiveGoals(userId, tx, exceptId)) >= limit) throw new GoalLimitError(limit, plan);
    return limit;
  };

  const toAction = (row: ActionRow, dates: readonly string[], today: string): LensAction => ({
    id: row.id,
    goalId: row.goalId,
    title: cipher.decrypt(row.titleEnc, ctx.actionTitle(row.userId)),
    cadence: row.cadence,
    done: completionInPeriod(row.cadence, dates, today) !== null,
    completedToday: dates.includes(today),
    totalCompletions: dates.length,
    streak: actionStreak(row.cadence, dates, today),
    createdAt: row.createdAt.toISOString(),
  });

  /** Goals with their actions, completions and progress. */
  const assemble = async (userId: string, goals: GoalRow[], today: string, tx?: Executor): Promise<LensGoal[]> => {
    const actions = await repo.actionsOf(
      userId,
      goals.map((goal) => goal.id),
      tx,
    );
    const completions = await repo.completionsOf(
      userId,
      actions.map((action) => action.id),
      tx,
    );
    const datesOf = new Map<string, string[]>();
    for (const completion of completions) datesOf.set(completion.actionId, [...(datesOf.get(completion.actionId) ?? []), completion.localDate]);
    return goals.map((goal) => {
      const own = actions.filter((action) => action.goalId === goal.id);
      return {
        id: goal.id,
        title: cipher.decrypt(goal.titleEnc, ctx.goalTitle(userId)),
        description: goal.descriptionEnc ? cipher.decrypt(goal.descriptionEnc, ctx.goalDescription(userId)) : null,
        status: goal.status,
        targetDate: goal.targetDate,
        actions: own.map((action) => toAction(action, datesOf.get(action.id) ?? [], today)),
        progress: goalProgress(
          own.map((action) => ({ cadence: action.cadence, dates: datesOf.get(action.id) ?? [] })),
          today,
        ),
        createdAt: goal.createdAt.toISOString(),
        updatedAt: goal.updatedAt.toISOString(),
      };
    });
  };

  const oneGoal = async (userId: string, goal: GoalRow): Promise<LensGoal> => {
    const { today } = await todayOf(userId);
    const [assembled] = await assemble(userId, [goal], today);
    return assembled!;
  };

  const userStreak = async (userId: string, today: string) => dailyStreakOf(repo, userId, today);

  const toCheckin = (row: CheckinRow): Checkin => ({
    id: row.id,
    localDate: row.localDate,
    mood: row.mood,
    note: row.noteEnc ? cipher.decrypt(row.noteEnc, ctx.checkinNote(row.userId)) : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });

  const toAffirmation = (row: DailyContentRow): DailyAffirmation => ({
    localDate: row.localDate,
    affirmation: cipher.decrypt(row.affirmationEnc, ctx.affirmation(row.userId)),
    focus: cipher.decrypt(row.focusEnc, ctx.focus(row.userId)),
    engine: { engine: row.engine as 'local' | 'model', model: row.model, promptVersion: row.promptVersion },
  });

  /**
   * Generates and stores a day's affirmation and focus. The affirmation holds the day's quota; the
   * focus is generated inside its save step, so a failure of either gives the quota back and
   * nothing half-made is kept.
   */
  const generate = async (caller: GuardCaller, today: string): Promise<DailyContentRow> => {
    const { userId } = caller;
    const goals = (await repo.listGoals(userId, 'active')).slice(0, AFFIRMATION_GOALS).map((goal) => cipher.decrypt(goal.titleEnc, ctx.goalTitle(userId)));
    const input = { goals, recentTraps: [], localDate: today };
    const stored = await guard.run({
      user: caller,
      feature: 'lens',
      quota: 'lens_affirmations',
      safetyTexts: [],
      task: 'lens.affirmation',
      input,
      persist: async (affirmation) => {
        const focus = await guard.run({ user: caller, feature: 'lens', safetyTexts: [], task: 'lens.focus', input, persist: async (result) => result });
        if (focus.kind !== 'ok') throw new Error('unexpected crisis verdict without user text');
        return repo.insertDailyContent({
          userId,
          localDate: today,
          affirmationEnc: cipher.encrypt(affirmation.output.affirmation, ctx.affirmation(userId)),
          focusEnc: cipher.encrypt(focus.value.output.focus, ctx.focus(userId)),
          // The weaker engine of the two names the day's content (local when either degraded).
          engine: affirmation.engine.engine === 'local' || focus.value.engine.engine === 'local' ? 'local' : 'model',
          model: affirmation.engine.model,
          promptVersion: affirmation.engine.promptVersion,
          createdAt: now(),
        });
      },
    });
    // No text of the user's goes through the safety gate here, so a crisis cannot come back.
    if (stored.kind !== 'ok') throw new Error('unexpected crisis verdict without user text');
    return stored.value;
  };

  return {
    // ------------------------------------------------------------ goals

    async listGoals(userId: string, status?: GoalStatus): Promise<GoalList> {
      const { today } = await todayOf(userId);
      const [goals, streak, { plan }, activeGoals] = await Promise.all([
        repo.listGoals(userId, status),
        userStreak(userId, today),
        entitlements.currentPlan(userId),
        repo.countActiveGoals(userId),
      ]);
      return { goals: await assemble(userId, goals, today), streak, today, activeGoals, maxActiveGoals: plans[plan].maxActiveGoals };
    },

    async getGoal(userId: string, id: string): Promise<LensGoal> {
      const goal = await repo.findGoal(userId, id);
      if (!goal) throw new NotFoundError('goal');
      return oneGoal(userId, goal);
    },

    /** Creates an active goal: safety first, then the plan's active-goal limit (409 past it). */
    async createGoal(caller: GuardCaller, input: CreateGoalRequest): Promise<Guarded<LensGoal>> {
      const verdict = await screen(caller, [input.title, input.description]);
      if (verdict.kind === 'crisis') return verdict;
      const { userId } = caller;
      const at = now();
      const { today } = await todayOf(userId);
      const created = await db.transaction(async (tx) => {
        await repo.lockUser(userId, tx);
        await assertRoomForActiveGoal(userId, tx);
        const goal = await repo.insertGoal(
          {
            userId,
            titleEnc: cipher.encrypt(input.title, ctx.goalTitle(userId)),
            descriptionEnc: input.description ? cipher.encrypt(input.description, ctx.goalDescription(userId)) : null,
            targetDate: input.targetDate ?? null,
            at,
          },
          tx,
        );
        const [assembled] = await assemble(userId, [goal], today, tx);
        // With an Idempotency-Key the kept answer commits with the goal: a retry after a crash replays it, never sets a second.
        await caller.idempotency?.commit(tx, 201, assembled);
        return assembled!;
      });
      return ok(created);
    },

    /** Changes a goal's text, status or target date; reactivating counts against the plan's limit. */
    async updateGoal(caller: GuardCaller, id: string, input: UpdateGoalRequest): Promise<Guarded<LensGoal>> {
      const { userId } = caller;
      if (!(await repo.findGoal(userId, id))) throw new NotFoundError('goal');
      const verdict = await screen(caller, [input.title, input.description]);
      if (verdict.kind === 'crisis') return verdict;
      const at = now();
      const goal = await db.transaction(async (tx) => {
        await repo.lockUser(userId, tx);
        const current = await repo.findGoal(userId, id, tx);
        if (!current) throw new NotFoundError('goal');
        if (input.status === 'active' && current.status !== 'active') await assertRoomForActiveGoal(userId, tx, id);
        return repo.updateGoal(
          userId,
          id,
          {
            ...(input.title !== undefined ? { titleEnc: cipher.encrypt(input.title, ctx.goalTitle(userId)) } : {}),
            ...(input.description !== undefined
              ? { descriptionEnc: input.description === null ? null : cipher.encrypt(input.description, ctx.goalDescription(userId)) }
              : {}),
            ...(input.status !== undefined ? { status: input.status } : {}),
            ...(input.targetDate !== undefined ? { targetDate: input.targetDate } : {}),
            at,
          },
          tx,
        );
      });
      if (!goal) throw new NotFoundError('goal');
      return ok(await oneGoal(userId, goal));
    },

    /** Deletes a goal with its actions and completions; the ended Spectrum periods those completions counted in are recomputed. */
    async deleteGoal(caller: GuardCaller, id: string): Promise<void> {
      const { userId } = caller;
      const at = now();
      await db.transaction(async (tx) => {
        const dates = await repo.completionDatesOf(userId, { goalId: id }, tx);
        if (!(await repo.deleteGoal(userId, id, tx))) throw new NotFoundError('goal');
        await markSpectrumDirtyOnDates(tx, userId, dates, at);
        await audit.record(
          { userId, actor: 'user', action: 'lens_goal_deleted', targetType: 'lens_goal', targetId: id, ...(caller.requestId ? { requestId: caller.requestId } : {}), at },
          tx,
        );
      });
    },

    // ------------------------------------------------------------ actions

    /** Adds an action to an active goal (at most LENS_LIMITS.actionsPerGoal). */
    async addAction(caller: GuardCaller, goalId: string, input: CreateActionRequest): Promise<Guarded<LensAction>> {
      const { userId } = caller;
      const goal = await repo.findGoal(userId, goalId);
      if (!goal) throw new NotFoundError('goal');
      const verdict = await screen(caller, [input.title]);
      if (verdict.kind === 'crisis') return verdict;
      const at = now();
      const { today } = await todayOf(userId);
      const action = await db.transaction(async (tx) => {
        await repo.lockUser(userId, tx);
        const current = await repo.findGoal(userId, goalId, tx);
        if (!current) throw new NotFoundError('goal');
        if (current.status !== 'active') throw new ConflictError('conflict', 'Actions can only be added to an active goal.');
        if ((await repo.countActions(goalId, tx)) >= LENS_LIMITS.actionsPerGoal) {
          throw new ConflictError('conflict', `A goal can have at most ${LENS_LIMITS.actionsPerGoal} actions.`, { extra: { limit: LENS_LIMITS.actionsPerGoal } });
        }
        const row = await repo.insertAction({ userId, goalId, titleEnc: cipher.encrypt(input.title, ctx.actionTitle(userId)), cadence: input.cadence, at }, tx);
        const created = toAction(row, [], today);
        // With an Idempotency-Key the kept answer commits with the action: a retry after a crash replays it, never adds a second.
        await caller.idempotency?.commit(tx, 201, created);
        return created;
      });
      return ok(action);
    },

    /** Deletes an action with its completions; audited, and its ended Spectrum periods marked for recomputation, in the same transaction. */
    async deleteAction(caller: GuardCaller, id: string): Promise<void> {
      const { userId } = caller;
      const at = now();
      await db.transaction(async (tx) => {
        const dates = await repo.completionDatesOf(userId, { actionId: id }, tx);
        if (!(await repo.deleteAction(userId, id, tx))) throw new NotFoundError('action');
        await markSpectrumDirtyOnDates(tx, userId, dates, at);
        await audit.record(
          { userId, actor: 'user', action: 'lens_action_deleted', targetType: 'lens_action', targetId: id, ...(caller.requestId ? { requestId: caller.requestId } : {}), at },
          tx,
        );
      });
    },

    /**
     * Completes an action for the user's local today. Idempotent per period: completing again the
     * same day (or week, for weekly actions; ever, for one-off actions) returns the existing
     * completion and changes nothing.
     */
    async completeAction(caller: GuardCaller, id: string): Promise<{ created: boolean; result: CompleteActionResponse }> {
      const { userId } = caller;
      const action = await repo.findAction(userId, id);
      if (!action) throw new NotFoundError('action');
      if (action.goalStatus !== 'active') throw new ConflictError('conflict', 'This action belongs to a goal that is not active.');
      const { today } = await todayOf(userId);
      const at = now();
      const datesBefore = (await repo.completionsOf(userId, [id])).map((completion) => completion.localDate);
      const covering = completionInPeriod(action.cadence, datesBefore, today);
      let completion = covering ? await repo.findCompletion(id, covering) : null;
      let created = false;
      if (!completion) {
        completion = await repo.insertCompletion({ userId, actionId: id, localDate: today, at });
        created = completion !== null;
        // Lost a race with a concurrent request for the same day: that one recorded it.
        completion ??= await repo.findCompletion(id, today);
      }
      const dates = created ? [...datesBefore, today] : datesBefore;
      return {
        created,
        result: {
          alreadyCompleted: !created,
          completion: { actionId: id, localDate: completion!.localDate, completedAt: completion!.completedAt.toISOString() },
          action: toAction(action, dates, today),
          streak: await userStreak(userId, today),
        },
      };
    },

    // ------------------------------------------------------------ check-ins

    /** Today's check-in: created, or updated when one exists for the user's local today. */
    async checkIn(caller: GuardCaller, input: CreateCheckinRequest): Promise<Guarded<{ created: boolean; checkin: Checkin }>> {
      const verdict = await screen(caller, [input.note]);
      if (verdict.kind === 'crisis') return verdict;
      const { userId } = caller;
      const { today } = await todayOf(userId);
      const at = now();
      const noteEnc = input.note ? cipher.encrypt(input.note, ctx.checkinNote(userId)) : null;
      const result = await db.transaction(async (tx) => {
        const existing = await repo.findCheckinForUpdate(userId, today, tx);
        const row = await repo.upsertCheckin({ userId, localDate: today, mood: input.mood, noteEnc, at }, tx);
        return { created: !existing, row };
      });
      return ok({ created: result.created, checkin: toCheckin(result.row) });
    },

    async listCheckins(userId: string, query: { from?: string | undefined; to?: string | undefined; limit: number }): Promise<CheckinList> {
      return { checkins: (await repo.listCheckins(userId, query)).map(toCheckin) };
    },

    /** Deletes a check-in; audited, and its ended Spectrum periods marked for recomputation, in the same transaction. */
    async deleteCheckin(caller: GuardCaller, id: string): Promise<void> {
      const { userId } = caller;
      const at = now();
      await db.transaction(async (tx) => {
        const date = await repo.deleteCheckin(userId, id, tx);
        if (!date) throw new NotFoundError('check-in');
        await markSpectrumDirtyOnDates(tx, userId, [date], at);
        await audit.record(
          { userId, actor: 'user', action: 'lens_checkin_deleted', targetType: 'lens_checkin', targetId: id, ...(caller.requestId ? { requestId: caller.requestId } : {}), at },
          tx,
        );
      });
    },

    /** Spectrum's window delete: the user's check-ins and completions dated `from`..`to` inclusive, in the caller's transaction. */
    async deleteDatedBetween(userId: string, from: string, to: string, tx: Executor): Promise<{ checkins: number; completions: number }> {
      return repo.deleteDatedBetween(userId, from, to, tx);
    },

    // ------------------------------------------------------------ daily affirmation

    /**
     * Today's affirmation and focus, generated once per local day through the guarded AI path
     * (economy lane; the local engine's templates when the model or the budget is under pressure)
     * and kept encrypted for the rest of the day.
     */
    async affirmationToday(caller: GuardCaller): Promise<DailyAffirmation> {
      const { userId } = caller;
      const { today } = await todayOf(userId);
      const cached = await repo.findDailyContent(userId, today);
      if (cached) return toAffirmation(cached);

      // One request generates the day's content; concurrent ones wait for it instead of using the quota again.
      const lock = `lens:affirmation:${userId}:${today}`;
      const mine = await deps.cache.setIfAbsent(lock, '1', GENERATION_WAIT_MS * 2);
      if (!mine) {
        for (let waited = 0; waited < GENERATION_WAIT_MS; waited += 100) {
          await sleep(100);
          const ready = await repo.findDailyContent(userId, today);
          if (ready) return toAffirmation(ready);
        }
      }
      try {
        return toAffirmation(await generate(caller, today));
      } catch (error) {
        // A concurrent request generated today's content first (and used the day's quota): serve that.
        const raced = await repo.findDailyContent(userId, today);
        if (raced) return toAffirmation(raced);
        throw error;
      } finally {
        if (mine) await deps.cache.del(lock);
      }
    },
  };
}

export type LensService = ReturnType<typeof createLensService>;
