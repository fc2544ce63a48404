import { and, asc, desc, eq, gte, inArray, lte, ne, sql } from 'drizzle-orm';
import type { ActionCadence, GoalStatus } from '@kalei/contracts/lens';
import { lensActionCompletions, lensActions, lensCheckins, lensDailyContent, lensGoals } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';

export type GoalRow = typeof lensGoals.$inferSelect;
export type ActionRow = typeof lensActions.$inferSelect;
export type CheckinRow = typeof lensCheckins.$inferSelect;
export type DailyContentRow = typeof lensDailyContent.$inferSelect;

/** Every SQL statement of the Lens module; every read and write is scoped by the owner's id. */
export function createLensRepo(db: Executor) {
  return {
    /** Serialises goal-limit checks of one user inside a transaction. */
    async lockUser(userId: string, tx: Executor) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lens:${userId}`}, 0))`);
    },

    // ------------------------------------------------------------ goals

    async insertGoal(
      values: { userId: string; titleEnc: string; descriptionEnc: string | null; targetDate: string | null; at: Date },
      tx: Executor = db,
    ): Promise<GoalRow> {
      const { at, ...rest } = values;
      const [row] = await tx
        .insert(lensGoals)
        .values({ ...rest, status: 'active', createdAt: at, updatedAt: at })
        .returning();
      return row!;
    },

    async findGoal(userId: string, id: string, tx: Executor = db): Promise<GoalRow | null> {
      const [row] = await tx
        .select()
        .from(lensGoals)
        .where(and(eq(lensGoals.id, id), eq(lensGoals.userId, userId)));
      return row ?? null;
    },

    async listGoals(userId: string, status: GoalStatus | undefined, tx: Executor = db): Promise<GoalRow[]> {
      return tx
        .select()
        .from(lensGoals)
        .where(and(eq(lensGoals.userId, userId), status ? eq(lensGoals.status, status) : undefined))
        .orderBy(desc(lensGoals.createdAt), desc(lensGoals.id));
    },

    async countActiveGoals(userId: string, tx: Executor = db, exceptId?: string): Promise<number> {
      const [row] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(lensGoals)
        .where(and(eq(lensGoals.userId, userId), eq(lensGoals.status, 'active'), exceptId ? ne(lensGoals.id, exceptId) : undefined));
      return Number(row?.count ?? 0);
    },

    async updateGoal(
      userId: string,
      id: string,
      changes: { titleEnc?: string; descriptionEnc?: string | null; status?: GoalStatus; targetDate?: string | null; at: Date },
      tx: Executor = db,
    ): Promise<GoalRow | null> {
      const { at, ...rest } = changes;
      const [row] = await tx
        .update(lensGoals)
        .set({ ...rest, updatedAt: at })
        .where(and(eq(lensGoals.id, id), eq(lensGoals.userId, userId)))
        .returning();
      return row ?? null;
    },

    /** Deletes a goal with its actions and their completions (foreign keys cascade). */
    async deleteGoal(userId: string, id: string, tx: Executor = db): Promise<boolean> {
      const rows = await tx
        .delete(lensGoals)
        .where(and(eq(lensGoals.id, id), eq(lensGoals.userId, userId)))
        .returning({ id: lensGoals.id });
      return rows.length > 0;
    },

    // ------------------------------------------------------------ actions

    async insertAction(values: { userId: string; goalId: string; titleEnc: string; cadence: ActionCadence; at: Date }, tx: Executor = db): Promise<ActionRow> {
      const { at, ...rest } = values;
      const [row] = await tx
        .insert(lensActions)
        .values({ ...rest, createdAt: at, updatedAt: at })
        .returning();
      return row!;
    },

    async countActions(goalId: string, tx: Executor = db): Promise<number> {
      const [row] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(lensActions)
        .where(eq(lensActions.goalId, goalId));
      return Number(row?.count ?? 0);
    },

    /** An action of the user's, with the status of its goal. */
    async findAction(userId: string, id: string, tx: Executor = db): Promise<(ActionRow & { goalStatus: GoalStatus }) | null> {
      const [row] = await tx
        .select({ action: lensActions, goalStatus: lensGoals.status })
        .from(lensActions)
        .innerJoin(lensGoals, eq(lensGoals.id, lensActions.goalId))
        .where(and(eq(lensActions.id, id), eq(lensActions.userId, userId)));
      return row ? { ...row.action, goalStatus: row.goalStatus } : null;
    },

    async actionsOf(userId: string, goalIds: readonly string[], tx: Executor = db): Promise<ActionRow[]> {
      if (goalIds.length === 0) return [];
      return tx
        .select()
        .from(lensActions)
        .where(and(eq(lensActions.userId, userId), inArray(lensActions.goalId, [...goalIds])))
        .orderBy(asc(lensActions.createdAt), asc(lensActions.id));
    },

    async deleteAction(userId: string, id: string, tx: Executor = db): Promise<boolean> {
      const rows = await tx
        .delete(lensActions)
        .where(and(eq(lensActions.id, id), eq(lensActions.userId, userId)))
        .returning({ id: lensActions.id });
      return rows.length > 0;
    },

    // ------------------------------------------------------------ completions

    /** Records a completion for a local day; null when that day was already recorded. */
    async insertCompletion(values: { userId: string; actionId: string; localDate: string; at: Date }, tx: Executor = db) {
      const [row] = await tx
        .insert(lensActionCompletions)
        .values({ userId: values.userId, actionId: values.actionId, localDate: values.localDate, completedAt: values.at })
        .onConflictDoNothing({ target: [lensActionCompletions.actionId, lensActionCompletions.localDate] })
        .returning({ localDate: lensActionCompletions.localDate, completedAt: lensActionCompletions.completedAt });
      return row ?? null;
    },

    async findCompletion(actionId: string, localDate: string, tx: Executor = db) {
      const [row] = await tx
        .select({ localDate: lensActionCompletions.localDate, completedAt: lensActionCompletions.completedAt })
        .from(lensActionCompletions)
        .where(and(eq(lensActionCompletions.actionId, actionId), eq(lensActionCompletions.localDate, localDate)));
      return row ?? null;
    },

    /** The distinct dates on which an action, or any action of a goal, was completed: what its delete takes out of Spectrum. */
    async completionDatesOf(userId: string, of: { actionId: string } | { goalId: string }, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ localDate: lensActionCompletions.localDate })
        .from(lensActionCompletions)
        .where(
          and(
            eq(lensActionCompletions.userId, userId),
            'actionId' in of
              ? eq(lensActionCompletions.actionId, of.actionId)
              : inArray(lensActionCompletions.actionId, tx.select({ id: lensActions.id }).from(lensActions).where(and(eq(lensActions.goalId, of.goalId), eq(lensActions.userId, userId)))),
          ),
        );
      return rows.map((row) => row.localDate);
    },

    /** Completion dates by action for the given actions. */
    async completionsOf(userId: string, actionIds: readonly string[], tx: Executor = db): Promise<{ actionId: string; localDate: string }[]> {
      if (actionIds.length === 0) return [];
      return tx
        .select({ actionId: lensActionCompletions.actionId, localDate: lensActionCompletions.localDate })
        .from(lensActionCompletions)
        .where(and(eq(lensActionCompletions.userId, userId), inArray(lensActionCompletions.actionId, [...actionIds])))
        .orderBy(asc(lensActionCompletions.localDate));
    },

    /** The distinct local days on which the user completed anything, from `since` on. */
    async completionDays(userId: string, since: string, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectDistinct({ localDate: lensActionCompletions.localDate })
        .from(lensActionCompletions)
        .where(and(eq(lensActionCompletions.userId, userId), gte(lensActionCompletions.localDate, since)))
        .orderBy(asc(lensActionCompletions.localDate));
      return rows.map((row) => row.localDate);
    },

    async countCompletionsBetween(userId: string, from: string, to: string, tx: Executor = db): Promise<number> {
      const [row] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(lensActionCompletions)
        .where(and(eq(lensActionCompletions.userId, userId), gte(lensActionCompletions.localDate, from), lte(lensActionCompletions.localDate, to)));
      return Number(row?.count ?? 0);
    },

    // ------------------------------------------------------------ check-ins

    async findCheckinForUpdate(userId: string, localDate: string, tx: Executor): Promise<CheckinRow | null> {
      const [row] = await tx
        .select()
        .from(lensCheckins)
        .where(and(eq(lensCheckins.userId, userId), eq(lensCheckins.localDate, localDate)))
        .for('update');
      return row ?? null;
    },

    /** Inserts the day's check-in, or updates it when a concurrent request inserted it first. */
    async upsertCheckin(values: { userId: string; localDate: string; mood: number; noteEnc: string | null; at: Date }, tx: Executor = db): Promise<CheckinRow> {
      const [row] = await tx
        .insert(lensCheckins)
        .values({ userId: values.userId, localDate: values.localDate, mood: values.mood, noteEnc: values.noteEnc, createdAt: values.at, updatedAt: values.at })
        .onConflictDoUpdate({
          target: [lensCheckins.userId, lensCheckins.localDate],
          set: { mood: values.mood, noteEnc: values.noteEnc, updatedAt: values.at },
        })
        .returning();
      return row!;
    },

    async listCheckins(userId: string, filter: { from?: string | undefined; to?: string | undefined; limit: number }, tx: Executor = db): Promise<CheckinRow[]> {
      return tx
        .select()
        .from(lensCheckins)
        .where(
          and(
            eq(lensCheckins.userId, userId),
            filter.from ? gte(lensCheckins.localDate, filter.from) : undefined,
            filter.to ? lte(lensCheckins.localDate, filter.to) : undefined,
          ),
        )
        .orderBy(desc(lensCheckins.localDate))
        .limit(filter.limit);
    },

    /** Deletes the user's check-in; the local date it was for, or null when there was none. */
    async deleteCheckin(userId: string, id: string, tx: Executor = db): Promise<string | null> {
      const [row] = await tx
        .delete(lensCheckins)
        .where(and(eq(lensCheckins.id, id), eq(lensCheckins.userId, userId)))
        .returning({ localDate: lensCheckins.localDate });
      return row?.localDate ?? null;
    },

    /** Hard delete of the user's check-ins and completions dated `from`..`to` inclusive (Spectrum's window delete). */
    async deleteDatedBetween(userId: string, from: string, to: string, tx: Executor = db): Promise<{ checkins: number; completions: number }> {
      const checkins = await tx
        .delete(lensCheckins)
        .where(and(eq(lensCheckins.userId, userId), gte(lensCheckins.localDate, from), lte(lensCheckins.localDate, to)))
        .returning({ id: lensCheckins.id });
      const completions = await tx
        .delete(lensActionCompletions)
        .where(and(eq(lensActionCompletions.userId, userId), gte(lensActionCompletions.localDate, from), lte(lensActionCompletions.localDate, to)))
        .returning({ id: lensActionCompletions.id });
      return { checkins: checkins.length, completions: completions.length };
    },

    async countCheckinsBetween(userId: string, from: string, to: string, tx: Executor = db): Promise<number> {
      const [row] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(lensCheckins)
        .where(and(eq(lensCheckins.userId, userId), gte(lensCheckins.localDate, from), lte(lensCheckins.localDate, to)));
      return Number(row?.count ?? 0);
    },

    // ------------------------------------------------------------ daily content

    async findDailyContent(userId: string, localDate: string, tx: Executor = db): Promise<DailyContentRow | null> {
      const [row] = await tx
        .select()
        .from(lensDailyContent)
        .where(and(eq(lensDailyContent.userId, userId), eq(lensDailyContent.localDate, localDate)));
      return row ?? null;
    },

    /** Stores the day's content unless it exists; returns what is stored for the day either way. */
    async insertDailyContent(values: typeof lensDailyContent.$inferInsert, tx: Executor = db): Promise<DailyContentRow> {
      const [inserted] = await tx
        .insert(lensDailyContent)
        .values(values)
        .onConflictDoNothing({ target: [lensDailyContent.userId, lensDailyContent.localDate] })
        .returning();
      if (inserted) return inserted;
      const [existing] = await tx
        .select()
        .from(lensDailyContent)
        .where(and(eq(lensDailyContent.userId, values.userId), eq(lensDailyContent.localDate, values.localDate)));
      return existing!;
    },
  };
}

export type LensRepo = ReturnType<typeof createLensRepo>;
