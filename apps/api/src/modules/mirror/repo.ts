import { and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { mirrorFragments, mirrorMessages, mirrorSessions, spectrumSessionAnalysis } from '../../db/schema.js';
import { rowsOf, withTransaction, type Executor } from '../../infra/db.js';

export type SessionRow = typeof mirrorSessions.$inferSelect;
export type MessageRow = typeof mirrorMessages.$inferSelect;
export type FragmentRow = typeof mirrorFragments.$inferSelect;

export type NewMessage = Pick<MessageRow, 'sessionId' | 'userId' | 'contentEnc' | 'engine' | 'model' | 'promptVersion' | 'createdAt'>;
export type NewFragment = Pick<FragmentRow, 'startOffset' | 'endOffset' | 'trap' | 'confidence' | 'explanationEnc'>;

// Rows as the raw statement returns them, as JSON: column names, timestamps in ISO 8601 whatever
// the session's DateStyle and TimeZone (raw SQL bypasses drizzle's mapping).
/** A json column: parsed by the driver, or left as text when its json parser is overridden. */
const fromJson = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

interface RawMessage {
  id: string;
  session_id: string;
  user_id: string;
  seq: number;
  content_enc: string;
  engine: string;
  model: string;
  prompt_version: string;
  created_at: string;
}
interface RawFragment {
  id: string;
  message_id: string;
  session_id: string;
  user_id: string;
  start_offset: number;
  end_offset: number;
  trap: string;
  confidence: number;
  explanation_enc: string;
  reframe_enc: string | null;
  reframe_technique: string | null;
  reframed_at: string | null;
  created_at: string;
}

const toFragmentRecord = (f: NewFragment) => ({
  start_offset: f.startOffset,
  end_offset: f.endOffset,
  trap: f.trap,
  confidence: f.confidence,
  explanation_enc: f.explanationEnc,
});

const messageFromRaw = (raw: RawMessage): MessageRow => ({
  id: raw.id,
  sessionId: raw.session_id,
  userId: raw.user_id,
  seq: Number(raw.seq),
  contentEnc: raw.content_enc,
  engine: raw.engine,
  model: raw.model,
  promptVersion: raw.prompt_version,
  createdAt: new Date(raw.created_at),
});

const fragmentFromRaw = (raw: RawFragment): FragmentRow => ({
  id: raw.id,
  messageId: raw.message_id,
  sessionId: raw.session_id,
  userId: raw.user_id,
  startOffset: raw.start_offset,
  endOffset: raw.end_offset,
  trap: raw.trap,
  confidence: raw.confidence,
  explanationEnc: raw.explanation_enc,
  reframeEnc: raw.reframe_enc,
  reframeTechnique: raw.reframe_technique,
  reframedAt: raw.reframed_at === null ? null : new Date(raw.reframed_at),
  createdAt: new Date(raw.created_at),
});

const ownedSessionQuery = (tx: Executor) =>
  tx
    .select()
    .from(mirrorSessions)
    .where(and(eq(mirrorSessions.id, sql.placeholder('id')), eq(mirrorSessions.userId, sql.placeholder('userId'))));

/** Every SQL statement of the mirror module; every read is scoped by the owner's id. */
export function createMirrorRepo(db: Executor) {
  let findSessionPrepared: ReturnType<ReturnType<typeof ownedSessionQuery>['prepare']> | undefined;
  return {
    transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
      return withTransaction(db, work);
    },

    async insertSession(userId: string, at: Date, tx: Executor = db): Promise<SessionRow> {
      const [row] = await tx.insert(mirrorSessions).values({ userId, createdAt: at, updatedAt: at }).returning();
      return row!;
    },

    async findSession(userId: string, id: string, tx: Executor = db): Promise<SessionRow | null> {
      if (tx !== db) return (await ownedSessionQuery(tx).execute({ id, userId }))[0] ?? null;
      // Every Mirror message asks first: a named prepared statement, built once.
      findSessionPrepared ??= ownedSessionQuery(db).prepare('mirror_session_owned');
      return (await findSessionPrepared.execute({ id, userId }))[0] ?? null;
    },

    async listSessions(
      userId: string,
      filter: {
        limit: number;
        before?: { createdAt: Date; id: string } | undefined;
        trap?: string | undefined;
        status?: 'open' | 'closed' | undefined;
        from?: Date | undefined;
        to?: Date | undefined;
        /** Only sessions holding at least one stored message. */
        nonEmpty?: boolean | undefined;
      },
      tx: Executor = db,
    ): Promise<SessionRow[]> {
      const conditions = [eq(mirrorSessions.userId, userId)];
      if (filter.before) {
        conditions.push(
          or(
            lt(mirrorSessions.createdAt, filter.before.createdAt),
            and(eq(mirrorSessions.createdAt, filter.before.createdAt), lt(mirrorSessions.id, filter.before.id)),
          )!,
        );
      }
      if (filter.status) conditions.push(eq(mirrorSessions.status, filter.status));
      if (filter.nonEmpty) conditions.push(sql`${mirrorSessions.messageCount} > 0`);
      if (filter.from) conditions.push(gte(mirrorSessions.createdAt, filter.from));
      if (filter.to) conditions.push(lt(mirrorSessions.createdAt, filter.to));
      if (filter.trap) {
        conditions.push(
          sql`exists (select 1 from ${mirrorFragments} f where f.session_id = ${mirrorSessions.id} and f.user_id = ${userId} and f.trap = ${filter.trap})`,
        );
      }
      return tx
        .select()
        .from(mirrorSessions)
        .where(and(...conditions))
        .orderBy(desc(mirrorSessions.createdAt), desc(mirrorSessions.id))
        .limit(filter.limit);
    },

    /** How many of the user's Mirror sessions show each thinking trap (a session counts once per trap). */
    async trapCounts(userId: string, tx: Executor = db): Promise<{ trap: string; count: number }[]> {
      const result = await tx.execute(
        sql`select trap, count(distinct session_id)::int as count from mirror_fragments where user_id = ${userId} group by trap`,
      );
      return rowsOf<{ trap: string; count: number }>(result).map((r) => ({ trap: r.trap, count: Number(r.count) }));
    },

    async messagesOf(sessionIds: string[], tx: Executor = db): Promise<MessageRow[]> {
      if (sessionIds.length === 0) return [];
      return tx.select().from(mirrorMessages).where(inArray(mirrorMessages.sessionId, sessionIds)).orderBy(asc(mirrorMessages.seq));
    },

    async fragmentsOfSessions(sessionIds: string[], tx: Executor = db): Promise<FragmentRow[]> {
      if (sessionIds.length === 0) return [];
      return tx
        .select()
        .from(mirrorFragments)
        .where(inArray(mirrorFragments.sessionId, sessionIds))
        .orderBy(asc(mirrorFragments.startOffset));
    },

    /**
     * Appends a message and its fragments to an open session that has room, in one statement: the
     * session row's update takes its lock and hands out the next sequence number, so concurrent
     * messages never collide, and the three writes happen together or not at all, without a
     * transaction's extra round trips. Null when the session is missing, foreign, closed or full.
     */
    async appendMessage(
      message: NewMessage,
      fragments: NewFragment[],
      maxMessages: number,
      tx: Executor = db,
    ): Promise<{ message: MessageRow; fragments: FragmentRow[] } | null> {
      const at = message.createdAt.toISOString();
      const result = await tx.execute(sql`
        with bumped as (
          update mirror_sessions set message_count = message_count + 1, updated_at = ${at}::timestamptz
          where id = ${message.sessionId} and user_id = ${message.userId} and status = 'open' and message_count < ${maxMessages}
          returning id, user_id, message_count
        ), message as (
          insert into mirror_messages (session_id, user_id, seq, content_enc, engine, model, prompt_version, created_at)
          select id, user_id, message_count, ${message.contentEnc}, ${message.engine}, ${message.model}, ${message.promptVersion}, ${at}::timestamptz
          from bumped
          returning id, session_id, user_id, seq, content_enc, engine, model, prompt_version, created_at
        ), fragment as (
          insert into mirror_fragments (message_id, session_id, user_id, start_offset, end_offset, trap, confidence, explanation_enc, created_at)
          select message.id, message.session_id, message.user_id, f.start_offset, f.end_offset, f.trap, f.confidence, f.explanation_enc, ${at}::timestamptz
          from message cross join jsonb_to_recordset(${JSON.stringify(fragments.map(toFragmentRecord))}::jsonb)
            as f(start_offset integer, end_offset integer, trap text, confidence real, explanation_enc text)
          returning id, message_id, session_id, user_id, start_offset, end_offset, trap, confidence, explanation_enc, reframe_enc, reframe_technique, reframed_at, created_at
        )
        select row_to_json(message) as message,
          (select coalesce(json_agg(fragment order by fragment.start_offset, fragment.id), '[]'::json) from fragment) as fragments
        from message`);
      const [row] = rowsOf<{ message: RawMessage | string; fragments: RawFragment[] | string }>(result);
      if (!row) return null;
      return { message: messageFromRaw(fromJson(row.message)), fragments: fromJson(row.fragments).map(fragmentFromRaw) };
    },

    async findFragment(userId: string, id: string, tx: Executor = db): Promise<(FragmentRow & { messageContentEnc: string }) | null> {
      const [row] = await tx
        .select({ fragment: mirrorFragments, messageContentEnc: mirrorMessages.contentEnc })
        .from(mirrorFragments)
        .innerJoin(mirrorMessages, eq(mirrorMessages.id, mirrorFragments.messageId))
        .where(and(eq(mirrorFragments.id, id), eq(mirrorFragments.userId, userId)));
      return row ? { ...row.fragment, messageContentEnc: row.messageContentEnc } : null;
    },

    async setFragmentReframe(id: string, reframeEnc: string, technique: string, at: Date, tx: Executor = db): Promise<FragmentRow> {
      const [row] = await tx
        .update(mirrorFragments)
        .set({ reframeEnc, reframeTechnique: technique, reframedAt: at })
        .where(eq(mirrorFragments.id, id))
        .returning();
      return row!;
    },

    async closeSession(
      id: string,
      values: { reflectionEnc: string | null; themes: string[]; engine: string | null; model: string | null; promptVersion: string | null; at: Date },
      tx: Executor = db,
    ): Promise<SessionRow | null> {
      const [row] = await tx
        .update(mirrorSessions)
        .set({
          status: 'closed',
          reflectionEnc: values.reflectionEnc,
          reflectionThemes: values.themes,
          engine: values.engine,
          model: values.model,
          promptVersion: values.promptVersion,
          closedAt: values.at,
          updatedAt: values.at,
        })
        .where(and(eq(mirrorSessions.id, id), eq(mirrorSessions.status, 'open')))
        .returning();
      return row ?? null;
    },

    async insertSessionAnalysis(row: typeof spectrumSessionAnalysis.$inferInsert, tx: Executor) {
      await tx.insert(spectrumSessionAnalysis).values(row).onConflictDoNothing();
    },

    /** Sets whether a session counts in Spectrum; null when the user has no such session. */
    /** Stores the session's accumulated safety risk (a number, never text). */
    async setSafetyRisk(userId: string, id: string, risk: number, at: Date): Promise<void> {
      await db.update(mirrorSessions).set({ safetyRisk: risk, updatedAt: at }).where(and(eq(mirrorSessions.id, id), eq(mirrorSessions.userId, userId)));
    },

    async setExcluded(userId: string, id: string, excluded: boolean, at: Date, tx: Executor = db): Promise<{ createdAt: Date; changed: boolean } | null> {
      const [row] = await tx
        .select({ createdAt: mirrorSessions.createdAt, excluded: mirrorSessions.excludedFromAnalytics })
        .from(mirrorSessions)
        .where(and(eq(mirrorSessions.id, id), eq(mirrorSessions.userId, userId)))
        .for('update');
      if (!row) return null;
      if (row.excluded === excluded) return { createdAt: row.createdAt, changed: false };
      await tx.update(mirrorSessions).set({ excludedFromAnalytics: excluded, updatedAt: at }).where(eq(mirrorSessions.id, id));
      return { createdAt: row.createdAt, changed: true };
    },

    /** Hard delete of the user's sessions created in [from, to), with their messages, fragments and analytics. */
    async deleteCreatedBetween(userId: string, from: Date, to: Date, tx: Executor = db): Promise<number> {
      const deleted = await tx
        .delete(mirrorSessions)
        .where(and(eq(mirrorSessions.userId, userId), gte(mirrorSessions.createdAt, from), lt(mirrorSessions.createdAt, to)))
        .returning({ id: mirrorSessions.id });
      return deleted.length;
    },

    /** Hard delete: messages, fragments and analytics go with the session (ON DELETE CASCADE). */
    /** Deletes the user's session; when it was opened (which Spectrum periods held it), or null when there was none. */
    async deleteSession(userId: string, id: string, tx: Executor = db): Promise<Date | null> {
      const [deleted] = await tx
        .delete(mirrorSessions)
        .where(and(eq(mirrorSessions.id, id), eq(mirrorSessions.userId, userId)))
        .returning({ createdAt: mirrorSessions.createdAt });
      return deleted?.createdAt ?? null;
    },
  };
}
export type MirrorRepo = ReturnType<typeof createMirrorRepo>;
