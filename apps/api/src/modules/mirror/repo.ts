import { and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { mirrorFragments, mirrorMessages, mirrorSessions, spectrumSessionAnalysis } from '../../db/schema.js';
import { withTransaction, type Executor } from '../../infra/db.js';

export type SessionRow = typeof mirrorSessions.$inferSelect;
export type MessageRow = typeof mirrorMessages.$inferSelect;
export type FragmentRow = typeof mirrorFragments.$inferSelect;

/** Every SQL statement of the mirror module; every read is scoped by the owner's id. */
export function createMirrorRepo(db: Executor) {
  return {
    transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
      return withTransaction(db, work);
    },

    async insertSession(userId: string, at: Date, tx: Executor = db): Promise<SessionRow> {
      const [row] = await tx.insert(mirrorSessions).values({ userId, createdAt: at, updatedAt: at }).returning();
      return row!;
    },

    async findSession(userId: string, id: string, tx: Executor = db): Promise<SessionRow | null> {
      const [row] = await tx.select().from(mirrorSessions).where(and(eq(mirrorSessions.id, id), eq(mirrorSessions.userId, userId)));
      return row ?? null;
    },

    /** Locks the session row while a message is added, so sequence numbers never collide. */
    async lockSession(userId: string, id: string, tx: Executor): Promise<SessionRow | null> {
      const [row] = await tx
        .select()
        .from(mirrorSessions)
        .where(and(eq(mirrorSessions.id, id), eq(mirrorSessions.userId, userId)))
        .for('update');
      return row ?? null;
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

    async insertMessage(row: typeof mirrorMessages.$inferInsert, tx: Executor): Promise<MessageRow> {
      const [inserted] = await tx.insert(mirrorMessages).values(row).returning();
      return inserted!;
    },

    async insertFragments(rows: (typeof mirrorFragments.$inferInsert)[], tx: Executor): Promise<FragmentRow[]> {
      if (rows.length === 0) return [];
      return tx.insert(mirrorFragments).values(rows).returning();
    },

    async touchSession(id: string, messageCount: number, at: Date, tx: Executor) {
      await tx.update(mirrorSessions).set({ messageCount, updatedAt: at }).where(eq(mirrorSessions.id, id));
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

    /** Hard delete: messages, fragments and analytics go with the session (ON DELETE CASCADE). */
    async deleteSession(userId: string, id: string, tx: Executor = db): Promise<boolean> {
      const deleted = await tx
        .delete(mirrorSessions)
        .where(and(eq(mirrorSessions.id, id), eq(mirrorSessions.userId, userId)))
        .returning({ id: mirrorSessions.id });
      return deleted.length > 0;
    },
  };
}
export type MirrorRepo = ReturnType<typeof createMirrorRepo>;
