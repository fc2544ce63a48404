import type PgBoss from 'pg-boss';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import { SpectrumKind, spectrumKinds } from '@kalei/contracts/spectrum';
import type { Database } from '../../infra/db.js';
import type { Infra } from '../../infra/infra.js';
import { defineJob, eachJob, enqueue, type AnyJobDefinition, type JobLogger } from '../../infra/queue.js';
import { loggerOptions } from '../../infra/telemetry.js';
import { createSharedServices, type SharedServices } from '../../services.js';
import { createSpectrumRepo, type PeriodTarget, type SpectrumRepo } from './repo.js';
import { writeNarratives, type NarrativeDeps } from './service.js';
import { hasActivity, parseMetrics } from './fns.js';
import { createNotifications } from '../notifications/index.js';
import { createUserHasher } from '../../infra/telemetry.js';

/** Users per aggregation job: one statement computes and stores them all. */
export const AGGREGATE_BATCH = 1000;
/** Periods per narrative job (one model call each). */
export const NARRATIVE_BATCH = 50;
/** Dirty periods claimed per scheduler transaction. */
const CLAIM_PAGE = 10_000;

const Target = z.object({ userId: z.uuid(), start: z.iso.date() });

/** Queue names and data schemas. Job data is ids and dates only. */
export const spectrumQueues = {
  tick: { name: 'spectrum-tick', data: z.object({}) },
  aggregate: { name: 'spectrum-aggregate', data: z.object({ kind: SpectrumKind, targets: z.array(Target).min(1).max(AGGREGATE_BATCH) }) },
  narrative: { name: 'spectrum-narrative', data: z.object({ kind: SpectrumKind, targets: z.array(Target).min(1).max(NARRATIVE_BATCH) }) },
} as const;

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export interface SpectrumWorkDeps {
  db: Database;
  repo: SpectrumRepo;
  boss: PgBoss;
  now: () => Date;
  /** Built on first use: the narrative job's AI path (jobs that never write one never build it). */
  narrative: () => NarrativeDeps;
  /** "Your week in Spectrum" through notifications (preferences, quiet hours, daily cap); `waiting` asks again later. */
  notify: (userId: string, weekStart: string) => Promise<'claimed' | 'suppressed' | 'duplicate' | 'off' | 'waiting'>;
  logger: JobLogger;
}

/**
 * Spectrum's background work. The tick opens the rows of periods that just ended in each user's
 * timezone, claims every dirty ended period (new, late data, exclusions, deletes) and queues them
 * in batches in the same transaction; aggregation jobs compute a batch in one statement and queue
 * the narratives that are due; narrative jobs write them. Every step is safe to run twice.
 */
export function createSpectrumWork(deps: SpectrumWorkDeps) {
  const { db, repo, boss, now, logger } = deps;

  /** Notifies each ready week with activity once; quiet hours leave it for a later tick. */
  const notifyReady = async (targets: readonly PeriodTarget[]) => {
    let sent = 0;
    for (const row of await repo.findMany('weekly', targets)) {
      if (row.narrativeStatus !== 'ready' || row.notifiedAt || row.dirty) continue;
      const target = { userId: row.userId, start: row.start };
      if (!hasActivity(parseMetrics(row.metrics))) {
        await repo.markNotified(target, now());
        continue;
      }
      const outcome = await deps.notify(row.userId, row.start);
      if (outcome === 'waiting') continue;
      await repo.markNotified(target, now());
      if (outcome === 'claimed') sent += 1;
    }
    return sent;
  };

  return {
    async tick(): Promise<{ opened: number; queued: number; resumed: number; notified: number }> {
      const at = now();
      const totals = { opened: 0, queued: 0, resumed: 0, notified: 0 };
      for (const kind of spectrumKinds) {
        totals.opened += await repo.openEndedPeriods(kind, at);
        for (;;) {
          const claimed = await db.transaction(async (tx) => {
            const targets = await repo.claimDirty(kind, at, CLAIM_PAGE, tx);
            for (const batch of chunks(targets, AGGREGATE_BATCH)) await enqueue(boss, spectrumQueues.aggregate, { kind, targets: batch }, { tx });
            return targets.length;
          });
          totals.queued += claimed;
          if (claimed < CLAIM_PAGE) break;
        }
        if (!(await deps.narrative().paused())) {
          for (;;) {
            const resumed = await db.transaction(async (tx) => {
              const targets = await repo.resumePaused(kind, CLAIM_PAGE, tx);
              for (const batch of chunks(targets, NARRATIVE_BATCH)) await enqueue(boss, spectrumQueues.narrative, { kind, targets: batch }, { tx });
              return targets.length;
            });
            totals.resumed += resumed;
            if (resumed < CLAIM_PAGE) break;
          }
        }
      }
      totals.notified = await notifyReady(await repo.unnotified(at, CLAIM_PAGE));
      if (totals.opened + totals.queued + totals.resumed + totals.notified > 0) logger.info(totals, 'spectrum periods scheduled');
      return totals;
    },

    /** Computes and stores one batch, and queues the narratives now due, in one transaction. */
    async aggregate(kind: SpectrumKind, targets: readonly PeriodTarget[]): Promise<number> {
      return db.transaction(async (tx) => {
        const due = await repo.computeAndStore(kind, targets, now(), tx);
        for (const batch of chunks(due, NARRATIVE_BATCH)) await enqueue(boss, spectrumQueues.narrative, { kind, targets: batch }, { tx });
        return due.length;
      });
    },

    async narrate(kind: SpectrumKind, targets: readonly PeriodTarget[]) {
      const written = await writeNarratives(deps.narrative(), kind, targets);
      if (kind === 'weekly') await notifyReady(targets);
      return written;
    },
  };
}
export type SpectrumWork = ReturnType<typeof createSpectrumWork>;

/** The narrative path on the shared services: cost guard pause, the guarded gateway call, the safety screen of the output. */
export function narrativeDepsFrom(shared: SharedServices, repo: SpectrumRepo, now: () => Date): NarrativeDeps {
  return {
    repo,
    cipher: shared.cipher,
    now,
    paused: async () => (await shared.usage.decide('spectrum.narrative', { userId: null, dailyTokenBudget: Number.MAX_SAFE_INTEGER })).paused,
    async generate(userId, input) {
      const result = await shared.guard.run({
        user: { userId },
        feature: 'spectrum',
        // Aggregates only: there is no user text to screen, and none is sent.
        safetyTexts: [],
        task: 'spectrum.narrative',
        input,
        persist: async (run) => run,
      });
      if (result.kind !== 'ok') throw new Error('unexpected crisis answer for aggregates');
      return { output: result.value.output, engine: result.value.engine.engine, model: result.value.engine.model };
    },
    async unsafe(userId, text) {
      const profile = await shared.profileOf(userId);
      return (await shared.safety.precheck(text, { userId, country: profile.country, locale: profile.locale, feature: 'spectrum' })).kind === 'crisis';
    },
  };
}

/** Spectrum's queues for jobs.ts: the scheduler (cron), aggregation batches and narrative batches. */
export function spectrumJobs(infra: Infra, logger: JobLogger, options: { tickCron: string }): AnyJobDefinition[] {
  const { db } = infra.database;
  const repo = createSpectrumRepo(db);
  const now = () => infra.now();
  let narrative: NarrativeDeps | undefined;
  const { service: notifications } = createNotifications(infra, { logger, hashUserId: createUserHasher(infra.secrets.logHashKey) });
  const work = createSpectrumWork({
    db,
    repo,
    boss: infra.boss,
    now,
    logger,
    notify: (userId, weekStart) => notifications.notifyNow(userId, 'spectrum_weekly', weekStart),
    narrative: () => {
      const base: Logger = typeof (logger as Partial<Logger>).child === 'function' ? (logger as Logger) : pino(loggerOptions(infra.config.LOG_LEVEL));
      narrative ??= narrativeDepsFrom(createSharedServices(infra, base), repo, now);
      return narrative;
    },
  });
  return [
    defineJob({
      ...spectrumQueues.tick,
      summary: 'scheduler: opens the weeks and months that just ended in each user’s timezone and queues every dirty period in batches',
      retryLimit: 2,
      retryDelaySeconds: 60,
      retryBackoff: false,
      expireInSeconds: 600,
      cron: { expression: options.tickCron },
      handle: eachJob(async () => {
        await work.tick();
      }),
    }),
    defineJob({
      ...spectrumQueues.aggregate,
      summary: `computes and stores up to ${AGGREGATE_BATCH} users’ Spectrum periods in one statement, then queues their narratives`,
      retryLimit: 5,
      retryDelaySeconds: 30,
      retryBackoff: true,
      expireInSeconds: 600,
      handle: eachJob(async (job) => {
        await work.aggregate(job.data.kind, job.data.targets);
      }),
    }),
    defineJob({
      ...spectrumQueues.narrative,
      summary: 'writes Spectrum narratives from aggregates only (economy lane, local engine when no model), screened by safety; paused near the spend cap',
      retryLimit: 5,
      retryDelaySeconds: 60,
      retryBackoff: true,
      expireInSeconds: 900,
      handle: eachJob(async (job) => {
        await work.narrate(job.data.kind, job.data.targets);
      }),
    }),
  ];
}
