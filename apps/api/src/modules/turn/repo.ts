import { and, arrayContains, desc, eq, gte, isNotNull, lt, or, sql } from 'drizzle-orm';
import { spectrumTurnAnalysis, turnFeedback, turns } from '../../db/schema.js';
import { rowsOf, type Executor } from '../../infra/db.js';

export type TurnRow = typeof turns.$inferSelect;
export type NewTurnRow = typeof turns.$inferInsert;

export interface TurnListFilter {
  limit: number;
  before?: { createdAt: Date; id: string } | undefined;
  saved?: boolean | undefined;
  trap?: string | undefined;
  /** Created at or after. */
  from?: Date | undefined;
  /** Created before. */
  to?: Date | undefined;
}

/** The fields a new turn is written with; the rest start at their defaults. */
export type NewTurn = Required<
  Pick<NewTurnRow, 'userId' | 'thoughtEnc' | 'contextEnc' | 'reframesEnc' | 'microActionEnc' | 'traps' | 'moodBefore' | 'engine' | 'model' | 'promptVersion' | 'createdAt' | 'updatedAt'>
>;

const turnPlaceholders = Object.fromEntries(
  (['userId', 'thoughtEnc', 'contextEnc', 'reframesEnc', 'microActionEnc', 'traps', 'moodBefore', 'engine', 'model', 'promptVersion', 'createdAt', 'updatedAt'] as const).map(
    (field) => [field, sql.placeholder(field)],
  ),
) as unknown as NewTurn;

/** PostgreSQL array literal of technique ids (plain identifiers: no quoting needed). */
const techniquesLiteral = (techniques: readonly string[]) => `{${techniques.join(',')}}`;

/**
 * `insert into turns … returning`, with the analytics row inserted from it in the same statement.
 * `techniques` (an array literal) gives Spectrum the reframe techniques as plain ids.
 */
function insertWithAnalytics(tx: Executor, values: NewTurn, techniques: unknown) {
  const inserted = tx.$with('inserted').as(tx.insert(turns).values(values).returning());
  const analytics = tx.$with('analytics').as(
    tx
      .insert(spectrumTurnAnalysis)
      .select(
        tx
          .select({
            id: sql`gen_random_uuid()`.as('id'),
            userId: inserted.userId,
            turnId: inserted.id,
            traps: inserted.traps,
            techniques: sql<string[]>`${techniques}::text[]`.as('techniques'),
            moodBefore: inserted.moodBefore,
            occurredAt: inserted.createdAt,
            createdAt: inserted.createdAt,
          })
          .from(inserted),
      )
      .returning({ turnId: spectrumTurnAnalysis.turnId }),
  );
  // PostgreSQL runs every data-modifying WITH clause whether or not the outer query reads it.
  return tx.with(inserted, analytics).select().from(inserted);
}

/** Every SQL statement of the turn module; every read is scoped by the owner's id. */
export function createTurnRepo(db: Executor) {
  let preparedInsert: ReturnType<ReturnType<typeof insertWithAnalytics>['prepare']> | undefined;
  return {

    /**
     * Inserts a turn and its analytics row in one statement: atomic without a transaction's round
     * trips. On the database itself it runs as a named prepared statement: building this query was
     * the largest single cost of POST /v1/turns, and PostgreSQL then parses it once per connection.
     */
    async insert(row: NewTurn, techniques: readonly string[], tx: Executor = db): Promise<TurnRow> {
      if (tx !== db) {
        const [saved] = await insertWithAnalytics(tx, row, techniquesLiteral(techniques));
        return saved!;
      }
      preparedInsert ??= insertWithAnalytics(db, turnPlaceholders, sql.placeholder('techniques')).prepare('turn_insert_with_analytics');
      const [saved] = await preparedInsert.execute({ ...row, techniques: techniquesLiteral(techniques) });
      return saved!;
    },

    async findOwned(userId: string, id: string, tx: Executor = db): Promise<TurnRow | null> {
      const [row] = await tx.select().from(turns).where(and(eq(turns.id, id), eq(turns.userId, userId)));
      return row ?? null;
    },

    async list(userId: string, filter: TurnListFilter, tx: Executor = db): Promise<TurnRow[]> {
      const conditions = [eq(turns.userId, userId)];
      if (filter.before) {
        conditions.push(
          or(lt(turns.createdAt, filter.before.createdAt), and(eq(turns.createdAt, filter.before.createdAt), lt(turns.id, filter.before.id)))!,
        );
      }
      if (filter.saved === true) conditions.push(isNotNull(turns.savedAt));
      if (filter.saved === false) conditions.push(sql`${turns.savedAt} is null`);
      if (filter.trap) conditions.push(arrayContains(turns.traps, [filter.trap]));
      if (filter.from) conditions.push(gte(turns.createdAt, filter.from));
      if (filter.to) conditions.push(lt(turns.createdAt, filter.to));
      return tx
        .select()
        .from(turns)
        .where(and(...conditions))
        .orderBy(desc(turns.createdAt), desc(turns.id))
        .limit(filter.limit);
    },

    /** How many of the user's turns (or saved patterns) show each thinking trap, in one grouped statement. */
    async trapCounts(userId: string, filter: { saved?: boolean | undefined }, tx: Executor = db): Promise<{ trap: string; count: number }[]> {
      const saved = filter.saved ? sql`and saved_at is not null` : sql``;
      const result = await tx.execute(
        sql`select trap, count(*)::int as count from turns, unnest(traps) as trap where user_id = ${userId} ${saved} group by trap`,
      );
      return rowsOf<{ trap: string; count: number }>(result).map((r) => ({ trap: r.trap, count: Number(r.count) }));
    },

    async markSaved(userId: string, id: string, savedAt: Date, noteEnc: string | null | undefined, tx: Executor = db): Promise<TurnRow | null> {
      const [row] = await tx
        .update(turns)
        .set({ savedAt: sql`coalesce(${turns.savedAt}, ${savedAt.toISOString()}::timestamptz)`, ...(noteEnc === undefined ? {} : { saveNoteEnc: noteEnc }), updatedAt: savedAt })
        .where(and(eq(turns.id, id), eq(turns.userId, userId)))
        .returning();
      return row ?? null;
    },

    /** Deletes the user's turn; its creation time (which Spectrum periods held it), or null when there was none. */
    async delete(userId: string, id: string, tx: Executor = db): Promise<Date | null> {
      const [deleted] = await tx.delete(turns).where(and(eq(turns.id, id), eq(turns.userId, userId))).returning({ createdAt: turns.createdAt });
      return deleted?.createdAt ?? null;
    },

    /** Sets whether a turn counts in Spectrum; null when the user has no such turn. */
    async setExcluded(userId: string, id: string, excluded: boolean, at: Date, tx: Executor = db): Promise<{ createdAt: Date; changed: boolean } | null> {
      const [row] = await tx
        .select({ createdAt: turns.createdAt, excluded: turns.excludedFromAnalytics })
        .from(turns)
        .where(and(eq(turns.id, id), eq(turns.userId, userId)))
        .for('update');
      if (!row) return null;
      if (row.excluded === excluded) return { createdAt: row.createdAt, changed: false };
      await tx.update(turns).set({ excludedFromAnalytics: excluded, updatedAt: at }).where(eq(turns.id, id));
      return { createdAt: row.createdAt, changed: true };
    },

    /** Hard delete of the user's turns created in [from, to); feedback and analytics go with them. */
    async deleteCreatedBetween(userId: string, from: Date, to: Date, tx: Executor = db): Promise<number> {
      const deleted = await tx
        .delete(turns)
        .where(and(eq(turns.userId, userId), gte(turns.createdAt, from), lt(turns.createdAt, to)))
        .returning({ id: turns.id });
      return deleted.length;
    },

    async feedbackFor(turnIds: string[], tx: Executor = db) {
      if (turnIds.length === 0) return [];
      return tx
        .select({ turnId: turnFeedback.turnId, reframeIndex: turnFeedback.reframeIndex, helpful: turnFeedback.helpful })
        .from(turnFeedback)
        .where(sql`${turnFeedback.turnId} in ${turnIds}`);
    },

    async upsertFeedback(row: { turnId: string; userId: string; reframeIndex: number; helpful: boolean; at: Date }, tx: Executor = db) {
      await tx
        .insert(turnFeedback)
        .values({ turnId: row.turnId, userId: row.userId, reframeIndex: row.reframeIndex, helpful: row.helpful, createdAt: row.at, updatedAt: row.at })
        .onConflictDoUpdate({ target: [turnFeedback.turnId, turnFeedback.reframeIndex], set: { helpful: row.helpful, updatedAt: row.at } });
    },
  };
}
export type TurnRepo = ReturnType<typeof createTurnRepo>;
