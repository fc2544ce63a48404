import { z } from 'zod';
import type { Infra } from './infra/infra.js';
import {
  createJobRunner,
  defineJob,
  eachJob,
  ensureQueues,
  listDeadLetters,
  queueStats,
  replayDeadLetters,
  type AnyJobDefinition,
  type JobLogger,
  type JobRunner,
} from './infra/queue.js';
import { createUserHasher } from './infra/telemetry.js';
import { sweepIdempotencyKeys } from './plugins/idempotency.js';
import { createBilling } from './modules/billing/index.js';
import { BILLING_QUEUES } from './modules/billing/service.js';
import { createNotifications } from './modules/notifications/index.js';
import { spectrumJobs } from './modules/spectrum/jobs.js';

/**
 * Every queue of the application, listed explicitly like app.ts lists every module: a module that
 * owns background work contributes its definitions here. worker.ts, the embedded server and the
 * jobs CLI all read this one list.
 */
export function buildJobDefinitions(infra: Infra, logger: JobLogger): AnyJobDefinition[] {
  const hashUserId = createUserHasher(infra.secrets.logHashKey);
  return [
    ...createNotifications(infra, { logger, hashUserId }).jobs,
    ...billingJobs(infra, logger),
    idempotencySweepJob(infra),
    ...spectrumJobs(infra, logger, { tickCron: infra.config.SPECTRUM_TICK_CRON }),
  ];
}

/** Hourly: deletes Idempotency-Key answers past their 24 h (plugins/idempotency.ts). */
function idempotencySweepJob(infra: Infra): AnyJobDefinition {
  return defineJob({
    name: 'idempotency-sweep',
    summary: 'hourly: deletes kept Idempotency-Key answers older than 24 h',
    data: z.object({}),
    retryLimit: 2,
    retryDelaySeconds: 60,
    retryBackoff: false,
    expireInSeconds: 600,
    cron: { expression: '17 * * * *' },
    handle: eachJob(async () => {
      await sweepIdempotencyKeys(infra.database.db, infra.now());
    }),
  });
}

/**
 * The billing queues (their handlers are the billing service's), with the retry policy billing
 * chose: webhooks only store and enqueue, so a store event is processed here, retried with
 * backoff, and dead-lettered (never dropped) when it keeps failing.
 */
function billingJobs(infra: Infra, logger: JobLogger): AnyJobDefinition[] {
  const billing = createBilling(infra, logger);
  const policy = { retryLimit: 8, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 300 };
  return [
    defineJob({
      name: BILLING_QUEUES.processEvent,
      summary: 'applies a stored App Store / Google Play notification to the subscription and the plan',
      data: z.object({ eventId: z.string().min(1) }),
      ...policy,
      handle: eachJob(async (job) => {
        await billing.processEvent(job.data.eventId);
      }),
    }),
    defineJob({
      name: BILLING_QUEUES.refreshSubscription,
      summary: 're-reads one subscription from its store (reconciliation, acknowledgement retries)',
      data: z.object({ subscriptionId: z.string().min(1) }),
      ...policy,
      handle: eachJob(async (job) => {
        await billing.refreshSubscription(job.data.subscriptionId);
      }),
    }),
    defineJob({
      name: BILLING_QUEUES.reconcile,
      summary: 'nightly: queues a refresh of every subscription close to its expiry',
      data: z.object({}),
      retryLimit: 2,
      retryDelaySeconds: 300,
      retryBackoff: false,
      expireInSeconds: 1800,
      cron: { expression: infra.config.BILLING_RECONCILE_CRON },
      handle: eachJob(async () => {
        await billing.reconcile();
      }),
    }),
  ];
}

/**
 * Creates the queues, registers the cron schedules and starts a worker per queue on `infra.boss`
 * (already started, supervising). The worker process calls it; so does the embedded server.
 */
export async function startJobs(infra: Infra, logger: JobLogger): Promise<JobRunner> {
  const runner = createJobRunner({
    boss: infra.boss,
    definitions: buildJobDefinitions(infra, logger),
    logger,
    pollingIntervalSeconds: infra.config.JOBS_POLLING_INTERVAL_SECONDS,
  });
  await runner.prepare({ schedules: true });
  await runner.start();
  return runner;
}

// ---------------------------------------------------------------- operator commands (npm run jobs)

/** Usage text of `npm run jobs`. */
export const JOBS_USAGE = `Usage: npm run jobs -- <command> [options]

  list                          every queue with its retry policy and schedule
  stats [--json]                queued, active, failed and dead-lettered jobs per queue
  list-failed [queue] [--json]  jobs waiting in the dead-letter queues (all queues, or one)
  replay <queue> <id|--all>     sends dead-lettered jobs back to their queue with a fresh retry budget

Reads the same configuration as the server (DATABASE_URL, or the embedded database in KALEI_DATA_DIR,
which must not be in use by a running server).`;

/** A command line that does not make sense: print the usage. */
export class UsageError extends Error {}

function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '(none)';
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(columns.map((column) => String(row[column]))))].join('\n');
}

function queueNamed(definitions: readonly AnyJobDefinition[], name: string | undefined): AnyJobDefinition {
  const definition = definitions.find((d) => d.name === name);
  if (!definition) throw new UsageError(`no queue named ${name ?? '(missing)'}; queues: ${definitions.map((d) => d.name).join(', ')}`);
  return definition;
}

/** Runs one command; returns what to print. */
export async function runJobsCommand(infra: Infra, definitions: readonly AnyJobDefinition[], argv: readonly string[]): Promise<string> {
  const json = argv.includes('--json');
  const [command, ...args] = argv.filter((arg) => arg !== '--json');
  const names = definitions.map((d) => d.name);
  switch (command) {
    case 'list': {
      const rows = definitions.map((d) => ({
        queue: d.name,
        retries: d.retryLimit,
        backoff: `${d.retryDelaySeconds}s${d.retryBackoff ? ' exp' : ''}`,
        expires: `${d.expireInSeconds}s`,
        batch: d.batchSize ?? 1,
        cron: d.cron?.expression ?? '-',
        summary: d.summary,
      }));
      return json ? JSON.stringify(rows, null, 2) : table(rows);
    }
    case 'stats': {
      const stats = await queueStats(infra.boss, names);
      return json ? JSON.stringify(stats, null, 2) : table(stats.map(({ queue, queued, active, failed, deadLettered }) => ({ queue, queued, active, failed, deadLettered })));
    }
    case 'list-failed': {
      const only = args[0] ? [queueNamed(definitions, args[0]).name] : names;
      const dead = await listDeadLetters(infra.boss, only, 500);
      if (json) return JSON.stringify(dead, null, 2);
      return table(
        dead.map((d) => ({
          id: d.id,
          queue: d.queue,
          failedAt: d.failedAt.toISOString(),
          error: `${d.error?.name ?? ''}${d.error?.message ? `: ${d.error.message}` : ''}`.slice(0, 100),
          data: JSON.stringify(d.data).slice(0, 80),
        })),
      );
    }
    case 'replay': {
      const definition = queueNamed(definitions, args[0]);
      const target = args[1];
      if (!target) throw new UsageError('replay needs a job id from list-failed, or --all');
      if (target !== '--all' && !/^[0-9a-f-]{36}$/i.test(target)) throw new UsageError(`not a job id: ${target}`);
      await ensureQueues(infra.boss, [definition]);
      const { replayed } = await replayDeadLetters(infra.boss, infra.database.db, definition, target === '--all' ? null : target);
      if (json) return JSON.stringify(replayed, null, 2);
      if (replayed.length === 0) return target === '--all' ? `nothing to replay in ${definition.name}` : `no dead letter ${target} in ${definition.name} (already replayed?)`;
      return `replayed ${replayed.length} job(s) to ${definition.name}:\n${table(replayed.map((r) => ({ deadLetter: r.deadLetterId, newJob: r.jobId })))}`;
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command');
  }
}
