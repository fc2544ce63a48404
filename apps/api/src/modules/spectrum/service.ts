import type { SpectrumNarrativeOutput } from '@kalei/contracts/ai-tasks';
import { plans, type PlanId } from '@kalei/contracts/plans';
import type {
  DeleteWindowResponse,
  ExclusionRequest,
  ExclusionResponse,
  ResetResponse,
  SpectrumExport,
  SpectrumKind,
  SpectrumNarrative,
  SpectrumReport,
} from '@kalei/contracts/spectrum';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { ColumnCipher } from '../../infra/crypto.js';
import type { Database, Executor } from '../../infra/db.js';
import { addDays, localDate, startOfLocalDate, zoneOrUtc } from '../../lib/time.js';
import type { AuditService } from '../audit/service.js';
import {
  compareFigures,
  gentleNarrative,
  HELP_PATH,
  historyItem,
  narrativeInput,
  parseMetrics,
  periodContaining,
  periodNamed,
  periodsOfDate,
  periodsOverlapping,
  previousPeriod,
  type PeriodBounds,
  type PeriodMetrics,
} from './fns.js';
import { createSpectrumRepo, type PeriodTarget, type SpectrumRepo, type StoredPeriod } from './repo.js';

/** 403 for a plan without Spectrum: says which plans have it and where to upgrade. */
export class PlanRequiredError extends AppError {
  constructor(plan: PlanId) {
    super(403, 'plan_required', 'Upgrade required', {
      detail: 'Spectrum is part of the Prism and Prism+ plans.',
      extra: {
        plan,
        feature: 'spectrum',
        requiredPlans: (Object.keys(plans) as PlanId[]).filter((id) => plans[id].spectrum),
        upgrade: { screen: '/paywall', entitlements: '/v1/billing/entitlements' },
      },
    });
  }
}

const HISTORY = { weekly: 26, monthly: 12 } as const;
const narrativeContext = (kind: SpectrumKind, userId: string) => `${kind === 'weekly' ? 'spectrum_weekly' : 'spectrum_monthly'}.narrative:${userId}`;

interface StoredNarrative {
  headline: string;
  insights: string[];
  gentle: boolean;
}

/** What an item belongs to: both of its periods, in the user's timezone. */
const itemPeriods = (createdAt: Date, zone: string): PeriodBounds[] => periodsOfDate(localDate(createdAt, zone));
const asAffected = (periods: PeriodBounds[]) => periods.map((p) => ({ kind: p.kind, start: p.start }));

/**
 * Late data for Spectrum: marks the weeks and months containing `instants` (in the user's profile
 * timezone) for recomputation, inside the caller's transaction. Mirror calls it when a session
 * closes (its analysis row is dated when the session opened, possibly in a finished week).
 */
export async function markSpectrumDirty(tx: Executor, userId: string, instants: readonly Date[], at: Date): Promise<void> {
  await createSpectrumRepo(tx).markDirtyAt(userId, instants, at, tx);
}

/** As markSpectrumDirty, for local calendar dates: Lens check-ins and action completions are dated in the user's zone. */
export async function markSpectrumDirtyOnDates(tx: Executor, userId: string, dates: readonly string[], at: Date): Promise<void> {
  await createSpectrumRepo(tx).markDirtyOnDates(userId, dates, at, tx);
}

export interface SpectrumDeps {
  db: Database;
  repo: SpectrumRepo;
  cipher: ColumnCipher;
  audit: Pick<AuditService, 'record'>;
  entitlements: { currentPlan(userId: string): Promise<{ plan: PlanId }> };
  profileOf: (userId: string) => Promise<{ timezone: string }>;
  turns: { setAnalyticsExclusion(userId: string, id: string, excluded: boolean, tx: Executor): Promise<{ createdAt: Date; changed: boolean } | null>; deleteCreatedBetween(userId: string, from: Date, to: Date, tx: Executor): Promise<number> };
  mirror: { setAnalyticsExclusion(userId: string, id: string, excluded: boolean, tx: Executor): Promise<{ createdAt: Date; changed: boolean } | null>; deleteCreatedBetween(userId: string, from: Date, to: Date, tx: Executor): Promise<number> };
  /** Lens's dated rows: check-ins and action completions between two local dates, inclusive. */
  lens: { deleteDatedBetween(userId: string, from: string, to: string, tx: Executor): Promise<{ checkins: number; completions: number }> };
  now: () => Date;
}

/**
 * Spectrum for the user: the weekly and monthly reports (gated by plan), exclusions, reset and
 * the window delete. Reports read the stored rows the jobs wrote; a running period, or one whose
 * row is missing or marked dirty, is computed on the spot by the same set-based statement.
 */
export function createSpectrumService(deps: SpectrumDeps) {
  const { db, repo, cipher, audit, now } = deps;

  const assertPlan = async (userId: string) => {
    const { plan } = await deps.entitlements.currentPlan(userId);
    if (!plans[plan].spectrum) throw new PlanRequiredError(plan);
  };

  const zoneOf = async (userId: string) => zoneOrUtc((await deps.profileOf(userId)).timezone);

  const readNarrative = (kind: SpectrumKind, row: StoredPeriod): StoredNarrative | null => {
    if (!row.narrativeEnc) return null;
    return JSON.parse(cipher.decrypt(row.narrativeEnc, narrativeContext(kind, row.userId))) as StoredNarrative;
  };

  const narrativeOf = (kind: SpectrumKind, complete: boolean, row: StoredPeriod | undefined, crisis: boolean): SpectrumNarrative => {
    const empty = { headline: null, insights: [], gentle: crisis, helpPath: crisis ? HELP_PATH : null, engine: null };
    if (!complete) return { status: 'not_available', ...empty };
    const stored = row && row.narrativeStatus === 'ready' && !row.dirty ? readNarrative(kind, row) : null;
    if (!stored) {
      return { status: row?.narrativeStatus === 'paused' ? 'paused' : 'pending', ...empty };
    }
    return {
      status: 'ready',
      headline: stored.headline,
      insights: stored.insights,
      gentle: stored.gentle,
      helpPath: stored.gentle ? HELP_PATH : null,
      engine: row!.engine === 'model' ? 'model' : 'local',
    };
  };

  /** The figures of `periods` for one user: stored when fresh, else computed now (in one statement). */
  const metricsFor = async (kind: SpectrumKind, userId: string, periods: PeriodBounds[], today: string) => {
    const stored = await repo.find(kind, userId, periods.map((p) => p.start));
    const byStart = new Map(stored.map((row) => [row.start, row]));
    const fresh = (p: PeriodBounds) => {
      const row = byStart.get(p.start);
      return p.next <= today && row && row.computedAt && !row.dirty ? row : null;
    };
    const live = await repo.compute(
      kind,
      periods.filter((p) => !fresh(p)).map((p) => ({ userId, start: p.start })),
    );
    return periods.map((p) => {
      const row = fresh(p);
      const computed = live.find((l) => l.start === p.start);
      return {
        period: p,
        row: byStart.get(p.start),
        metrics: parseMetrics(row ? row.metrics : computed?.metrics),
        crisis: row ? row.crisis : computed?.crisis === true,
      };
    });
  };

  return {
    /** The report of one period (the running one by default), with the previous period beside it. */
    async report(userId: string, kind: SpectrumKind, periodName: string | undefined): Promise<SpectrumReport> {
      await assertPlan(userId);
      const zone = await zoneOf(userId);
      const at = now();
      const today = localDate(at, zone);
      const period = periodName ? periodNamed(kind, periodName) : periodContaining(kind, today);
      if (period.start > today) throw new ValidationError('That period has not started yet.', [{ path: 'period', message: 'must not be in the future' }]);
      const previous = previousPeriod(period);
      const [current, before] = await metricsFor(kind, userId, [period, previous], today);
      const complete = period.next <= today;
      const history = (await repo.history(kind, userId, period.start, HISTORY[kind]))
        .map((row) => historyItem(periodContaining(kind, row.start), parseMetrics(row.metrics)))
        .filter((item) => item.turns + item.mirrorSessions + item.trapTotal > 0);
      return {
        kind,
        period: { start: period.start, end: period.end, timezone: zone, complete },
        previousPeriod: { start: previous.start, end: previous.end },
        figures: compareFigures(current!.metrics, before!.metrics),
        narrative: narrativeOf(kind, complete, current!.row, current!.crisis),
        computedAt: (current!.row && complete && current!.row.computedAt && !current!.row.dirty ? current!.row.computedAt : at).toISOString(),
        history,
      };
    },

    /** Leaves a turn or Mirror session out of Spectrum, or counts it again; both of its periods are recomputed. */
    async setExclusion(caller: { userId: string; requestId?: string }, input: ExclusionRequest): Promise<ExclusionResponse> {
      const { userId } = caller;
      await assertPlan(userId);
      const zone = await zoneOf(userId);
      const at = now();
      return db.transaction(async (tx) => {
        const owner = input.type === 'turn' ? deps.turns : deps.mirror;
        const result = await owner.setAnalyticsExclusion(userId, input.id, input.excluded, tx);
        if (!result) throw new NotFoundError(input.type === 'turn' ? 'turn' : 'Mirror session');
        if (!result.changed) {
          throw new ConflictError('conflict', input.excluded ? 'This item is already excluded from Spectrum.' : 'This item is already counted in Spectrum.', {
            extra: { excluded: input.excluded },
          });
        }
        const periods = itemPeriods(result.createdAt, zone);
        await markPeriods(tx, userId, periods, at);
        await audit.record(
          {
            userId,
            actor: 'user',
            action: input.excluded ? 'spectrum_item_excluded' : 'spectrum_item_included',
            targetType: input.type,
            targetId: input.id,
            ...(caller.requestId ? { requestId: caller.requestId } : {}),
            at,
          },
          tx,
        );
        return { type: input.type, id: input.id, excluded: input.excluded, affected: asAffected(periods) };
      });
    },

    /**
     * Removes every derived Spectrum row and starts afresh: only activity after now counts. A
     * second reset with nothing new since the first is a 409.
     */
    async reset(caller: { userId: string; requestId?: string }): Promise<ResetResponse> {
      const { userId } = caller;
      await assertPlan(userId);
      const at = now();
      return db.transaction(async (tx) => {
        const previous = await repo.lockState(userId, at, tx);
        const removed = await repo.deleteDerived(userId, tx);
        if (previous && removed === 0 && !(await repo.hasAnalysisSince(userId, previous, tx))) {
          throw new ConflictError('conflict', 'Spectrum was already reset and nothing has been added since.', { extra: { resetAt: previous.toISOString() } });
        }
        await repo.setResetAt(userId, at, tx);
        await audit.record(
          { userId, actor: 'user', action: 'spectrum_reset', targetType: 'spectrum', targetId: userId, metadata: { removedPeriods: removed }, ...(caller.requestId ? { requestId: caller.requestId } : {}), at },
          tx,
        );
        return { resetAt: at.toISOString(), removedPeriods: removed };
      });
    },

    /** Hard delete of turns, Mirror sessions and Lens check-ins and completions (raw and derived) between two local dates, inclusive. */
    async deleteWindow(caller: { userId: string; requestId?: string }, window: { from: string; to: string }): Promise<DeleteWindowResponse> {
      const { userId } = caller;
      await assertPlan(userId);
      const zone = await zoneOf(userId);
      const at = now();
      if (window.from > localDate(at, zone)) throw new ValidationError('The window starts in the future.', [{ path: 'from', message: 'must not be in the future' }]);
      const fromTs = startOfLocalDate(window.from, zone);
      const endExclusive = startOfLocalDate(addDays(window.to, 1), zone);
      return db.transaction(async (tx) => {
        const turns = await deps.turns.deleteCreatedBetween(userId, fromTs, endExclusive, tx);
        const mirrorSessions = await deps.mirror.deleteCreatedBetween(userId, fromTs, endExclusive, tx);
        const { checkins, completions } = await deps.lens.deleteDatedBetween(userId, window.from, window.to, tx);
        const periods = periodsOverlapping(window.from, window.to);
        await markPeriods(tx, userId, periods, at);
        await audit.record(
          {
            userId,
            actor: 'user',
            action: 'spectrum_window_deleted',
            targetType: 'spectrum',
            targetId: userId,
            metadata: { from: window.from, to: window.to, turns, mirrorSessions, checkins, completions },
            ...(caller.requestId ? { requestId: caller.requestId } : {}),
            at,
          },
          tx,
        );
        return { from: window.from, to: window.to, deleted: { turns, mirrorSessions, checkins, completions }, affected: asAffected(periods) };
      });
    },

    /** Spectrum's part of the account export: every stored period, decrypted. No plan check: it is the user's data. */
    async exportFor(userId: string): Promise<SpectrumExport> {
      const resetAt = await repo.resetStateOf(userId);
      const periods: SpectrumExport['periods'] = [];
      for (const kind of ['weekly', 'monthly'] as const) {
        for (const row of await repo.allOf(kind, userId)) {
          const narrative = readNarrative(kind, row);
          periods.push({
            kind,
            start: row.start,
            metrics: parseMetrics(row.metrics) as unknown as Record<string, unknown>,
            narrative: narrative ? { headline: narrative.headline, insights: narrative.insights } : null,
            computedAt: row.computedAt?.toISOString() ?? null,
          });
        }
      }
      return { resetAt: resetAt?.toISOString() ?? null, periods };
    },
  };

  async function markPeriods(tx: Executor, userId: string, periods: PeriodBounds[], at: Date) {
    for (const kind of ['weekly', 'monthly'] as const) {
      await repo.markDirty(kind, periods.filter((p) => p.kind === kind).map((p) => ({ userId, start: p.start })), at, tx);
    }
  }
}
export type SpectrumService = ReturnType<typeof createSpectrumService>;

// ---------------------------------------------------------------- background work (jobs.ts calls these)

/** The narrative dependencies: the guarded AI path, the cost guard's pause decision and the safety screen. */
export interface NarrativeDeps {
  repo: SpectrumRepo;
  cipher: ColumnCipher;
  now: () => Date;
  /** Whether Spectrum narratives are paused now (AI_PAUSE_SPECTRUM_AT). */
  paused: () => Promise<boolean>;
  /** Runs spectrum.narrative through the guarded AI path (gateway on the economy lane, metering). */
  generate: (userId: string, input: ReturnType<typeof narrativeInput>) => Promise<{ output: SpectrumNarrativeOutput; engine: 'local' | 'model'; model: string }>;
  /** The safety screen of AI output: true when a text needs the crisis path. */
  unsafe: (userId: string, text: string) => Promise<boolean>;
}

/**
 * Writes the narratives of computed periods that lack one. A crisis period gets the gentle fixed
 * narrative; a paused cost guard leaves the period `paused` (the tick re-queues it later); an
 * output that fails the safety screen is replaced by the gentle narrative. Safe to run twice.
 */
export async function writeNarratives(deps: NarrativeDeps, kind: SpectrumKind, targets: readonly PeriodTarget[]): Promise<{ written: number; paused: number }> {
  const { repo, cipher } = deps;
  const rows = await repo.findMany(kind, targets);
  const totals = { written: 0, paused: 0 };
  const previousTargets = rows.map((row) => ({ userId: row.userId, start: previousPeriod(periodContaining(kind, row.start)).start }));
  const previousRows = await repo.findMany(kind, previousTargets);
  for (const row of rows) {
    if (!row.computedAt || row.narrativeStatus === 'ready') continue;
    const metrics = parseMetrics(row.metrics);
    const previousStart = previousPeriod(periodContaining(kind, row.start)).start;
    const previous = previousRows.find((p) => p.userId === row.userId && p.start === previousStart);
    const save = async (narrative: StoredNarrative, engine: 'local' | 'model', model: string) => {
      await repo.saveNarrative(kind, {
        userId: row.userId,
        start: row.start,
        narrativeEnc: cipher.encrypt(JSON.stringify(narrative), narrativeContext(kind, row.userId)),
        status: 'ready',
        engine,
        model,
        at: deps.now(),
      });
      totals.written += 1;
    };
    if (row.crisis) {
      await save({ ...gentleNarrative(kind), gentle: true }, 'local', 'gentle-template');
      continue;
    }
    if (await deps.paused()) {
      await repo.saveNarrative(kind, { userId: row.userId, start: row.start, narrativeEnc: null, status: 'paused', engine: null, model: null, at: deps.now() });
      totals.paused += 1;
      continue;
    }
    const input = narrativeInput(kind, metrics, previous?.computedAt ? parseMetrics(previous.metrics) : null);
    const result = await deps.generate(row.userId, input);
    const texts = [result.output.headline, ...result.output.insights];
    let flagged = false;
    for (const text of texts) if (await deps.unsafe(row.userId, text)) flagged = true;
    if (flagged) await save({ ...gentleNarrative(kind), gentle: true }, 'local', 'gentle-template');
    else await save({ headline: result.output.headline, insights: result.output.insights, gentle: false }, result.engine, result.model);
  }
  return totals;
}

export type { PeriodMetrics };
