import type { Reframe } from '@kalei/contracts/ai-tasks';
import type { Turn, TurnList } from '@kalei/contracts/turns';
import { NotFoundError } from '../../errors.js';
import type { ColumnCipher } from '../../infra/crypto.js';
import type { Database, Executor } from '../../infra/db.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { AiGuard, GuardCaller, Guarded } from '../ai-guard/service.js';
import type { AuditService } from '../audit/service.js';
import { markSpectrumDirty } from '../spectrum/service.js';
import type { TurnRepo, TurnRow } from './repo.js';

/** Encryption contexts: each value is bound to its column and its owner. */
const ctx = {
  thought: (userId: string) => `turns.thought:${userId}`,
  context: (userId: string) => `turns.context:${userId}`,
  reframes: (userId: string) => `turns.reframes:${userId}`,
  microAction: (userId: string) => `turns.micro_action:${userId}`,
  note: (userId: string) => `turns.save_note:${userId}`,
};

/**
 * Turn (the Kaleidoscope): a thought in, three reframes and a micro-action out, through the
 * guarded AI path; the history, saved patterns and feedback.
 */
export function createTurnService(deps: {
  db: Database;
  repo: TurnRepo;
  guard: Pick<AiGuard, 'run' | 'stream'>;
  cipher: ColumnCipher;
  audit: Pick<AuditService, 'record'>;
  now: () => Date;
}) {
  const { db, repo, guard, cipher, audit, now } = deps;

  type TurnText = Pick<Turn, 'thought' | 'context' | 'reframes' | 'microAction'>;

  const decryptText = (row: TurnRow): TurnText => ({
    thought: cipher.decrypt(row.thoughtEnc, ctx.thought(row.userId)),
    context: row.contextEnc ? cipher.decrypt(row.contextEnc, ctx.context(row.userId)) : null,
    reframes: JSON.parse(cipher.decrypt(row.reframesEnc, ctx.reframes(row.userId))) as Reframe[],
    microAction: JSON.parse(cipher.decrypt(row.microActionEnc, ctx.microAction(row.userId))) as Turn['microAction'],
  });

  /** `text` is given when the caller holds the plaintext it just encrypted: no need to decrypt it back. */
  const toTurn = (row: TurnRow, feedback: { reframeIndex: number; helpful: boolean }[], text: TurnText = decryptText(row)): Turn => ({
    id: row.id,
    ...text,
    traps: row.traps as Turn['traps'],
    moodBefore: row.moodBefore,
    engine: { engine: row.engine as 'local' | 'model', model: row.model, promptVersion: row.promptVersion },
    saved: row.savedAt !== null,
    savedAt: row.savedAt?.toISOString() ?? null,
    saveNote: row.saveNoteEnc ? cipher.decrypt(row.saveNoteEnc, ctx.note(row.userId)) : null,
    feedback: feedback.map(({ reframeIndex, helpful }) => ({ reframeIndex, helpful })).sort((a, b) => a.reframeIndex - b.reframeIndex),
    excludedFromAnalytics: row.excludedFromAnalytics,
    createdAt: row.createdAt.toISOString(),
  });

  const withFeedback = async (rows: TurnRow[]): Promise<Turn[]> => {
    const feedback = await repo.feedbackFor(rows.map((r) => r.id));
    return rows.map((row) => toTurn(row, feedback.filter((f) => f.turnId === row.id)));
  };

  const getOwned = async (userId: string, id: string): Promise<TurnRow> => {
    const row = await repo.findOwned(userId, id);
    if (!row) throw new NotFoundError('turn');
    return row;
  };

  const callFor = (caller: GuardCaller, input: { thought: string; context?: string | undefined; moodBefore?: number | undefined }) => ({
    user: caller,
    feature: 'turn',
    quota: 'turns' as const,
    safetyTexts: [input.thought, input.context ?? ''],
    task: 'turn.reframe' as const,
    input: {
      thought: input.thought,
      ...(input.context ? { context: input.context } : {}),
      ...(input.moodBefore ? { moodBefore: input.moodBefore } : {}),
    },
    persist: async (result: { output: { reframes: Reframe[]; microAction: Turn['microAction']; traps: Turn['traps'] }; engine: Turn['engine'] }) => {
      const userId = caller.userId;
      const values = {
        userId,
        thoughtEnc: cipher.encrypt(input.thought, ctx.thought(userId)),
        contextEnc: input.context ? cipher.encrypt(input.context, ctx.context(userId)) : null,
        reframesEnc: cipher.encrypt(JSON.stringify(result.output.reframes), ctx.reframes(userId)),
        microActionEnc: cipher.encrypt(JSON.stringify(result.output.microAction), ctx.microAction(userId)),
        traps: result.output.traps,
        moodBefore: input.moodBefore ?? null,
        engine: result.engine.engine,
        model: result.engine.model,
        promptVersion: result.engine.promptVersion,
        createdAt: now(),
        updatedAt: now(),
      };
      const techniques = result.output.reframes.map((reframe) => reframe.technique);
      const text = { thought: input.thought, context: input.context ?? null, reframes: result.output.reframes, microAction: result.output.microAction };
      const { idempotency } = caller;
      // One statement writes the turn and its analytics row: together or not at all.
      if (!idempotency) return toTurn(await repo.insert(values, techniques), [], text);
      // With an Idempotency-Key the kept answer joins them, so a retry after a crash replays this turn.
      return db.transaction(async (tx) => {
        const turn = toTurn(await repo.insert(values, techniques, tx), [], text);
        await idempotency.commit(tx, 201, { kind: 'turn', turn });
        return turn;
      });
    },
  });

  return {
    /** Creates a turn, or answers with the crisis response. */
    async create(caller: GuardCaller, input: { thought: string; context?: string | undefined; moodBefore?: number | undefined }): Promise<Guarded<Turn>> {
      return guard.run(callFor(caller, input));
    },

    /** As create, calling `onReframe` for each reframe as soon as it is complete. */
    async createStreaming(
      caller: GuardCaller,
      input: { thought: string; context?: string | undefined; moodBefore?: number | undefined },
      onReframe: (index: number, reframe: Reframe) => void | Promise<void>,
    ): Promise<Guarded<Turn>> {
      let sent = 0;
      const result = await guard.stream(callFor(caller, input), async (event) => {
        const reframes = event.output.reframes ?? [];
        // A reframe is complete once the next one has begun, or once it carries both fields.
        while (sent < reframes.length) {
          const candidate = reframes[sent];
          const complete = sent < reframes.length - 1 || (candidate?.text && candidate.technique);
          if (!complete || !candidate?.text || !candidate.technique) break;
          await onReframe(sent, { text: candidate.text, technique: candidate.technique });
          sent += 1;
        }
      });
      // Engines that answer in one piece (the local engine) send no partials: every reframe still gets its event.
      if (result.kind === 'ok') for (; sent < result.value.reframes.length; sent++) await onReframe(sent, result.value.reframes[sent]!);
      return result;
    },

    async list(
      userId: string,
      query: { cursor?: string | undefined; limit: number; saved?: boolean | undefined; trap?: string | undefined; from?: Date | undefined; to?: Date | undefined },
    ): Promise<TurnList> {
      const rows = await repo.list(userId, {
        limit: query.limit + 1,
        before: decodeCursor(query.cursor),
        saved: query.saved,
        trap: query.trap,
        from: query.from,
        to: query.to,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return { items: await withFeedback(page), nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },

    /** Turns (or saved patterns) per thinking trap, for the Gallery's filter. */
    async trapCounts(userId: string, filter: { saved?: boolean | undefined }): Promise<{ trap: string; count: number }[]> {
      return repo.trapCounts(userId, filter);
    },

    async get(userId: string, id: string): Promise<Turn> {
      return (await withFeedback([await getOwned(userId, id)]))[0]!;
    },

    /** Saves a turn as a pattern for the Gallery; saving again keeps the first date and updates the note. */
    async save(userId: string, id: string, note: string | undefined): Promise<Turn> {
      const noteEnc = note === undefined ? undefined : note === '' ? null : cipher.encrypt(note, ctx.note(userId));
      const row = await repo.markSaved(userId, id, now(), noteEnc);
      if (!row) throw new NotFoundError('turn');
      return (await withFeedback([row]))[0]!;
    },

    async feedback(userId: string, id: string, input: { reframeIndex: number; helpful: boolean }): Promise<Turn> {
      const row = await getOwned(userId, id);
      const at = now();
      // Helpful techniques are a Spectrum figure: feedback on a turn of a finished week recomputes that week.
      await db.transaction(async (tx) => {
        await repo.upsertFeedback({ turnId: row.id, userId, ...input, at }, tx);
        await markSpectrumDirty(tx, userId, [row.createdAt], at);
      });
      return (await withFeedback([row]))[0]!;
    },

    /** Spectrum's exclusion toggle: null for a turn the user does not have. Runs in the caller's transaction. */
    async setAnalyticsExclusion(userId: string, id: string, excluded: boolean, tx: Executor): Promise<{ createdAt: Date; changed: boolean } | null> {
      return repo.setExcluded(userId, id, excluded, now(), tx);
    },

    /** Spectrum's window delete: the user's turns created in [from, to), in the caller's transaction. */
    async deleteCreatedBetween(userId: string, from: Date, to: Date, tx: Executor): Promise<number> {
      return repo.deleteCreatedBetween(userId, from, to, tx);
    },

    /** Hard delete: the turn, its feedback and its analytics row; audited, and its ended Spectrum periods marked for recomputation, in the same transaction. */
    async remove(caller: GuardCaller, id: string): Promise<void> {
      const { userId } = caller;
      const at = now();
      await db.transaction(async (tx) => {
        const createdAt = await repo.delete(userId, id, tx);
        if (!createdAt) throw new NotFoundError('turn');
        await markSpectrumDirty(tx, userId, [createdAt], at);
        await audit.record(
          { userId, actor: 'user', action: 'turn_deleted', targetType: 'turn', targetId: id, ...(caller.requestId ? { requestId: caller.requestId } : {}), at },
          tx,
        );
      });
    },
  };
}
export type TurnService = ReturnType<typeof createTurnService>;
