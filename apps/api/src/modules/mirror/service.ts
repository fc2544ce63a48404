import type { TechniqueId } from '@kalei/contracts/ai-tasks';
import type { TrapId } from '@kalei/contracts/taxonomy';
import {
  FRAGMENT_CONFIDENCE_THRESHOLD,
  MAX_MESSAGES_PER_SESSION,
  type Fragment,
  type MirrorMessage,
  type MirrorSession,
  type MirrorSessionList,
  type MirrorSessionSummary,
} from '@kalei/contracts/mirror';
import { AppError, ConflictError, NotFoundError } from '../../errors.js';
import type { ColumnCipher } from '../../infra/crypto.js';
import type { Database, Executor } from '../../infra/db.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { IdempotencyHandle } from '../../plugins/idempotency.js';
import type { AiGuard, GuardCaller, Guarded } from '../ai-guard/service.js';
import type { AuditService } from '../audit/service.js';
import type { SafetyService } from '../safety/service.js';
import { markSpectrumDirty } from '../spectrum/service.js';
import type { FragmentRow, MessageRow, MirrorRepo, SessionRow } from './repo.js';

const ctx = {
  content: (userId: string) => `mirror_messages.content:${userId}`,
  explanation: (userId: string) => `mirror_fragments.explanation:${userId}`,
  reframe: (userId: string) => `mirror_fragments.reframe:${userId}`,
  reflection: (userId: string) => `mirror_sessions.reflection:${userId}`,
};

const sessionClosed = () =>
  new ConflictError('session_closed', 'This Mirror session is closed; open a new one to keep writing.');
const sessionFull = () =>
  new AppError(409, 'conflict', 'Session is full', { detail: `A session holds at most ${MAX_MESSAGES_PER_SESSION} messages; close it and open a new one.` });

/**
 * Mirror: journaling sessions whose messages are read for thinking-trap fragments, with inline
 * reframes of a fragment and a reflection when the session closes. All text is column-encrypted.
 */
export function createMirrorService(deps: {
  db: Database;
  repo: MirrorRepo;
  guard: Pick<AiGuard, 'run'>;
  cipher: ColumnCipher;
  audit: Pick<AuditService, 'record'>;
  /** The conversation's safety risk after a message: the session carries it from message to message. */
  safety: Pick<SafetyService, 'conversationRisk'>;
  now: () => Date;
}) {
  const { db, repo, guard, cipher, audit, safety, now } = deps;

  const toFragment = (row: FragmentRow): Fragment => ({
    id: row.id,
    messageId: row.messageId,
    start: row.startOffset,
    end: row.endOffset,
    trap: row.trap as TrapId,
    confidence: row.confidence,
    explanation: cipher.decrypt(row.explanationEnc, ctx.explanation(row.userId)),
    reframe: row.reframeEnc
      ? { text: cipher.decrypt(row.reframeEnc, ctx.reframe(row.userId)), technique: row.reframeTechnique as TechniqueId }
      : null,
  });

  /** `text` is given when the caller holds the plaintext it just encrypted. */
  const toMessage = (row: MessageRow, fragments: FragmentRow[], text = cipher.decrypt(row.contentEnc, ctx.content(row.userId))): MirrorMessage => ({
    id: row.id,
    seq: row.seq,
    text,
    fragments: fragments.filter((f) => f.messageId === row.id).map(toFragment),
    engine: { engine: row.engine as 'local' | 'model', model: row.model, promptVersion: row.promptVersion },
    createdAt: row.createdAt.toISOString(),
  });

  const toSummary = (row: SessionRow, fragments: FragmentRow[]): MirrorSessionSummary => ({
    id: row.id,
    status: row.status,
    messageCount: row.messageCount,
    traps: [...new Set(fragments.filter((f) => f.sessionId === row.id).map((f) => f.trap as TrapId))],
    reflection: row.reflectionEnc ? cipher.decrypt(row.reflectionEnc, ctx.reflection(row.userId)) : null,
    excludedFromAnalytics: row.excludedFromAnalytics,
    createdAt: row.createdAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
  });

  const ownedSession = async (userId: string, id: string) => {
    const session = await repo.findSession(userId, id);
    if (!session) throw new NotFoundError('Mirror session');
    return session;
  };

  return {
    /** With an Idempotency-Key the kept answer commits with the session: a retry after a crash replays it, never opens a second. */
    async open(userId: string, idempotency?: Pick<IdempotencyHandle, 'commit'> | null): Promise<MirrorSessionSummary> {
      if (!idempotency) return toSummary(await repo.insertSession(userId, now()), []);
      return db.transaction(async (tx) => {
        const session = toSummary(await repo.insertSession(userId, now(), tx), []);
        await idempotency.commit(tx, 201, session);
        return session;
      });
    },

    /** Adds a message and returns its fragments; crisis text is answered with the crisis response and not stored. */
    async addMessage(caller: GuardCaller, sessionId: string, text: string): Promise<Guarded<MirrorMessage>> {
      const userId = caller.userId;
      const session = await ownedSession(userId, sessionId);
      if (session.status === 'closed') throw sessionClosed();
      if (session.messageCount >= MAX_MESSAGES_PER_SESSION) throw sessionFull();
      // Risk spread over messages adds up: the screen sees what the session carries, and the
      // session keeps the new risk whether this message was answered or met the crisis response.
      const risk = safety.conversationRisk(session.safetyRisk, text);
      const answer = await guard.run({
        user: caller,
        feature: 'mirror',
        quota: 'mirror_messages',
        safetyTexts: [text],
        priorRisk: session.safetyRisk,
        task: 'mirror.detectFragments',
        input: { text },
        persist: async (result) => {
          const kept = result.output.fragments.filter((f) => f.confidence >= FRAGMENT_CONFIDENCE_THRESHOLD && f.start < f.end && f.end <= text.length);
          const append = (tx?: Executor) => repo.appendMessage(
            {
              sessionId,
              userId,
              contentEnc: cipher.encrypt(text, ctx.content(userId)),
              engine: result.engine.engine,
              model: result.engine.model,
              promptVersion: result.engine.promptVersion,
              createdAt: now(),
            },
            kept.map((f) => ({
              startOffset: f.start,
              endOffset: f.end,
              trap: f.trap,
              confidence: f.confidence,
              explanationEnc: cipher.encrypt(f.explanation, ctx.explanation(userId)),
            })),
            MAX_MESSAGES_PER_SESSION,
            tx,
          );
          const { idempotency } = caller;
          // With an Idempotency-Key the kept answer commits with the message, so a retry after a
          // crash replays this message instead of appending a second one.
          const appended = idempotency
            ? await db.transaction(async (tx) => {
                const row = await append(tx);
                if (row) await idempotency.commit(tx, 201, { kind: 'message', message: toMessage(row.message, row.fragments, text) });
                return row;
              })
            : await append();
          if (appended) return toMessage(appended.message, appended.fragments, text);
          // Nothing was written: the session changed while the model answered. Say how.
          const current = await ownedSession(userId, sessionId);
          if (current.status === 'closed') throw sessionClosed();
          throw sessionFull();
        },
      });
      await repo.setSafetyRisk(userId, sessionId, risk, now());
      return answer;
    },

    /** An inline reframe of one fragment; asking again returns the stored one without a new AI call. */
    async reframeFragment(caller: GuardCaller, fragmentId: string): Promise<Guarded<Fragment>> {
      const userId = caller.userId;
      const fragment = await repo.findFragment(userId, fragmentId);
      if (!fragment) throw new NotFoundError('fragment');
      if (fragment.reframeEnc) return { kind: 'ok', value: toFragment(fragment) };
      const message = cipher.decrypt(fragment.messageContentEnc, ctx.content(userId));
      const fragmentText = message.slice(fragment.startOffset, fragment.endOffset);
      return guard.run({
        user: caller,
        feature: 'mirror',
        quota: 'fragment_reframes',
        safetyTexts: [fragmentText],
        task: 'mirror.reframeFragment',
        input: { fragmentText, trap: fragment.trap as TrapId, context: message },
        persist: async (result) =>
          toFragment(
            await repo.setFragmentReframe(fragment.id, cipher.encrypt(result.output.reframe, ctx.reframe(userId)), result.output.technique, now()),
          ),
      });
    },

    /** Closes a session with its reflection; closing a closed session returns it as it is. */
    async close(caller: GuardCaller, sessionId: string): Promise<Guarded<MirrorSessionSummary>> {
      const userId = caller.userId;
      const session = await ownedSession(userId, sessionId);
      const fragments = await repo.fragmentsOfSessions([session.id]);
      if (session.status === 'closed') return { kind: 'ok', value: toSummary(session, fragments) };
      const messages = (await repo.messagesOf([session.id])).map((m) => cipher.decrypt(m.contentEnc, ctx.content(userId)));
      const traps = [...new Set(fragments.map((f) => f.trap as TrapId))];
      if (messages.length === 0) {
        // Nothing was written: close without a reflection rather than ask a model about nothing.
        const closed = await repo.closeSession(
          session.id,
          { reflectionEnc: null, themes: [], engine: null, model: null, promptVersion: null, at: now() },
          undefined,
        );
        return { kind: 'ok', value: toSummary(closed ?? session, []) };
      }
      return guard.run({
        user: caller,
        feature: 'mirror',
        safetyTexts: [],
        task: 'mirror.reflect',
        input: { messages, traps },
        persist: (result) =>
          repo.transaction(async (tx) => {
            const at = now();
            const closed = await repo.closeSession(
              session.id,
              {
                reflectionEnc: cipher.encrypt(result.output.reflection, ctx.reflection(userId)),
                themes: result.output.themes,
                engine: result.engine.engine,
                model: result.engine.model,
                promptVersion: result.engine.promptVersion,
                at,
              },
              tx,
            );
            const final = closed ?? (await repo.findSession(userId, session.id, tx));
            if (!final) throw new NotFoundError('Mirror session');
            const trapCounts: Record<string, number> = {};
            for (const f of fragments) trapCounts[f.trap] = (trapCounts[f.trap] ?? 0) + 1;
            await repo.insertSessionAnalysis(
              { userId, sessionId: session.id, trapCounts, messageCount: final.messageCount, occurredAt: final.createdAt },
              tx,
            );
            // Dated when the session opened: a session closed after its week or month ended is late data.
            await markSpectrumDirty(tx, userId, [final.createdAt], now());
            return toSummary(final, fragments);
          }),
      });
    },

    async list(
      userId: string,
      query: {
        cursor?: string | undefined;
        limit: number;
        trap?: string | undefined;
        status?: 'open' | 'closed' | undefined;
        from?: Date | undefined;
        to?: Date | undefined;
        nonEmpty?: boolean | undefined;
      },
    ): Promise<MirrorSessionList> {
      const rows = await repo.listSessions(userId, {
        limit: query.limit + 1,
        before: decodeCursor(query.cursor),
        trap: query.trap,
        status: query.status,
        from: query.from,
        to: query.to,
        nonEmpty: query.nonEmpty,
      });
      const page = rows.slice(0, query.limit);
      const fragments = await repo.fragmentsOfSessions(page.map((r) => r.id));
      const last = page.at(-1);
      return {
        items: page.map((row) => toSummary(row, fragments)),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
      };
    },

    /** Sessions per thinking trap, for the Gallery's filter. */
    async trapCounts(userId: string): Promise<{ trap: string; count: number }[]> {
      return repo.trapCounts(userId);
    },

    async get(userId: string, id: string): Promise<MirrorSession> {
      const session = await ownedSession(userId, id);
      const [messages, fragments] = await Promise.all([repo.messagesOf([id]), repo.fragmentsOfSessions([id])]);
      return { ...toSummary(session, fragments), messages: messages.map((m) => toMessage(m, fragments)) };
    },

    /** Spectrum's exclusion toggle: null for a session the user does not have. Runs in the caller's transaction. */
    async setAnalyticsExclusion(userId: string, id: string, excluded: boolean, tx: Executor): Promise<{ createdAt: Date; changed: boolean } | null> {
      return repo.setExcluded(userId, id, excluded, now(), tx);
    },

    /** Spectrum's window delete: the user's sessions created in [from, to), in the caller's transaction. */
    async deleteCreatedBetween(userId: string, from: Date, to: Date, tx: Executor): Promise<number> {
      return repo.deleteCreatedBetween(userId, from, to, tx);
    },

    /** Hard delete of the session, its messages, fragments and analytics; audited in the same transaction. */
    async remove(caller: GuardCaller, id: string): Promise<void> {
      const { userId } = caller;
      const at = now();
      await db.transaction(async (tx) => {
        const createdAt = await repo.deleteSession(userId, id, tx);
        if (!createdAt) throw new NotFoundError('Mirror session');
        await markSpectrumDirty(tx, userId, [createdAt], at);
        await audit.record(
          { userId, actor: 'user', action: 'mirror_session_deleted', targetType: 'mirror_session', targetId: id, ...(caller.requestId ? { requestId: caller.requestId } : {}), at },
          tx,
        );
      });
    },
  };
}
export type MirrorService = ReturnType<typeof createMirrorService>;
