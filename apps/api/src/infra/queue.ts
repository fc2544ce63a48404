import PgBoss from 'pg-boss';
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database, DatabaseHandle, Executor } from './db.js';
import { rowsOf } from './db.js';

/**
 * Turns pg-boss's `(text, $n values)` calls into a drizzle query on any executor, so a job can be
 * inserted inside the same transaction as the data that causes it.
 */
export function executorAdapter(executor: Executor): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parts = text.split(/\$(\d+)/);
      const chunks: SQL[] = [];
      // A parameter pg-boss uses twice must stay one parameter: PostgreSQL infers its type from every
      // use together (`right($5, 1)` and `CAST($5 AS timestamptz)` in one CASE). drizzle numbers
      // parameters in order of appearance, so later uses refer back to the number the first one got.
      const assigned = new Map<number, number>();
      parts.forEach((part, index) => {
        if (index % 2 === 0) {
          chunks.push(sql.raw(part));
          return;
        }
        const original = Number(part);
        const known = assigned.get(original);
        if (known !== undefined) {
          chunks.push(sql.raw(`$${known}`));
          return;
        }
        assigned.set(original, assigned.size + 1);
        chunks.push(sql`${values[original - 1] ?? null}`);
      });
      return { rows: rowsOf(await executor.execute(sql.join(chunks, sql.raw('')))) };
    },
  };
}

/** PGlite runs several statements only through exec() and parameters only through query(). */
function pgliteAdapter(handle: DatabaseHandle): PgBoss.Db {
  if (handle.raw.kind !== 'pglite') throw new Error('not a PGlite handle');
  const client = handle.raw.client;
  return {
    async executeSql(text: string, values: unknown[] = []) {
      if (values.length > 0) return { rows: (await client.query(text, values)).rows };
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}

export interface QueueOptions {
  /** Run cron schedules and maintenance here (the worker process, or the embedded server). */
  supervise: boolean;
  pollingIntervalSeconds?: number;
}

/** pg-boss on the same database as the data: PostgreSQL through its own small pool, PGlite through an adapter. */
export function createBoss(handle: DatabaseHandle, options: QueueOptions): PgBoss {
  const common = {
    schema: 'pgboss',
    supervise: options.supervise,
    schedule: options.supervise,
    migrate: true,
    ...(options.pollingIntervalSeconds ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {}),
  };
  if (handle.raw.kind === 'postgres') {
    const poolOptions = handle.raw.pool.options;
    return new PgBoss({ ...common, connectionString: poolOptions.connectionString, max: 4 });
  }
  return new PgBoss({ ...common, db: pgliteAdapter(handle) });
}

// ---------------------------------------------------------------- named queues, workers and operator tools

/** Where pg-boss keeps its tables (createBoss passes the same name). */
const BOSS_SCHEMA = 'pgboss';

/** One job as a handler sees it: the data is already validated. */
export interface JobRun<T> {
  id: string;
  data: T;
  /** 0 on the first attempt. */
  retryCount: number;
}

/**
 * What a queue is: its name, policy and handler. Handlers must be idempotent (a job can run twice:
 * a retry after a crash, an operator replay), so they write through unique keys and upserts.
 * Job data carries ids and small facts only, never user text, tokens or secrets.
 */
export interface JobDefinition<T = unknown> {
  name: string;
  /** One line for `npm run jobs -- list` and the docs. */
  summary: string;
  data: z.ZodType<T>;
  /** Attempts after the first before the job is dead-lettered. */
  retryLimit: number;
  /**
   * At least 1 when retryLimit > 0: pg-boss completes a worker's jobs after the handler returns,
   * and a retry must not be taken by another worker before that.
   */
  retryDelaySeconds: number;
  /** Exponential backoff with jitter from retryDelaySeconds (pg-boss doubles it per attempt). */
  retryBackoff: boolean;
  /** An active job older than this is failed by maintenance (a worker that died) and retried. */
  expireInSeconds: number;
  /** Jobs handed to one handler call (default 1). */
  batchSize?: number;
  /** A cron schedule (supervising process only); pg-boss keeps at most one run per minute. */
  cron?: { expression: string; timezone?: string };
  /**
   * Runs a batch. Throwing fails every job of the batch; returning a map fails only the jobs it
   * names (each is retried with backoff, then dead-lettered); the others complete.
   */
  handle(jobs: JobRun<T>[]): Promise<Map<string, Error> | void>;
}

/** A definition of any data type, as registries hold them (the runner validates each job's data). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

/** Keeps a definition's data type for enqueue() while the registry holds mixed definitions. */
export function defineJob<T>(definition: JobDefinition<T>): JobDefinition<T> {
  return definition;
}

/** A handler for definitions whose jobs are independent: each runs on its own, failures stay per job. */
export function eachJob<T>(run: (job: JobRun<T>) => Promise<void>): JobDefinition<T>['handle'] {
  return async (jobs) => {
    const failures = new Map<string, Error>();
    for (const job of jobs) {
      try {
        await run(job);
      } catch (error) {
        failures.set(job.id, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return failures;
  };
}

/** Every queue has its own dead-letter queue; failed jobs wait there for an operator. */
export function deadLetterQueue(name: string): string {
  return `${name}-dlq`;
}

/** Raised when a job is sent to a queue that does not exist yet (ensureQueues was not run). */
export class UnknownQueueError extends Error {
  override name = 'UnknownQueueError';
}

export interface EnqueueOptions {
  /** Send inside this transaction: the job commits or rolls back with the data that caused it. */
  tx?: Executor;
  /** Delay before the job may start. */
  startAfterSeconds?: number;
  /** At most one queued job per key (pg-boss singleton). */
  singletonKey?: string;
}

/** Sends one job to a defined queue, validating its data first. Returns the job id, or null for a suppressed singleton. */
export async function enqueue<T>(boss: PgBoss, definition: Pick<JobDefinition<T>, 'name' | 'data'>, data: T, options: EnqueueOptions = {}): Promise<string | null> {
  const parsed = definition.data.parse(data) as object;
  const id = await boss.send(definition.name, parsed, {
    ...(options.tx ? { db: executorAdapter(options.tx) } : {}),
    ...(options.startAfterSeconds ? { startAfter: Math.ceil(options.startAfterSeconds) } : {}),
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
  });
  if (id === null && !options.singletonKey) {
    // pg-boss answers null, not an error, when the queue is missing.
    throw new UnknownQueueError(`queue ${definition.name} does not exist: start the worker (or the embedded server) once to create it`);
  }
  return id;
}

/** Creates each queue and its dead-letter queue, and brings their policy in line with the definitions. */
export async function ensureQueues(boss: PgBoss, definitions: readonly AnyJobDefinition[]): Promise<void> {
  for (const definition of definitions) {
    const dlq = deadLetterQueue(definition.name);
    // Dead letters wait for an operator: no worker and no retries of their own (pg-boss keeps each copy
    // twice as long as its original).
    const dlqPolicy = { name: dlq, policy: 'standard' as const, retryLimit: 0, retentionMinutes: 30 * 24 * 60 };
    await boss.createQueue(dlq, dlqPolicy);
    await boss.updateQueue(dlq, dlqPolicy);
    const policy = {
      name: definition.name,
      policy: 'standard' as const,
      retryLimit: definition.retryLimit,
      retryDelay: definition.retryDelaySeconds,
      retryBackoff: definition.retryBackoff,
      expireInSeconds: definition.expireInSeconds,
      retentionMinutes: 14 * 24 * 60,
      deadLetter: dlq,
    };
    await boss.createQueue(definition.name, policy);
    await boss.updateQueue(definition.name, policy);
  }
}

/** The slice of a pino logger the runner uses. */
export interface JobLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

interface BossJob {
  id: string;
  data: unknown;
  retryCount?: number;
}

/** Error output stored on a failed job: the message and class only (never data). */
function failureOutput(error: Error): object {
  return { name: error.name, message: error.message.slice(0, 500) };
}

/**
 * The job registry of one process: creates queues, registers cron schedules (when supervising),
 * starts one worker loop per queue and stops them. `runOnce` works a queue's waiting jobs now,
 * for tests and for operators.
 */
export function createJobRunner(deps: {
  boss: PgBoss;
  definitions: readonly AnyJobDefinition[];
  logger: JobLogger;
  pollingIntervalSeconds?: number;
}) {
  const { boss, logger } = deps;
  const definitions = deps.definitions;
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const workerIds: string[] = [];

  const runBatch = async (definition: AnyJobDefinition, jobs: readonly BossJob[]): Promise<{ completed: number; failed: number }> => {
    const failures = new Map<string, Error>();
    const valid: JobRun<unknown>[] = [];
    for (const job of jobs) {
      const parsed = definition.data.safeParse(job.data);
      if (parsed.success) valid.push({ id: job.id, data: parsed.data, retryCount: job.retryCount ?? 0 });
      else failures.set(job.id, new Error('invalid job data'));
    }
    if (valid.length > 0) {
      try {
        const returned = await definition.handle(valid);
        for (const [id, error] of returned ?? []) failures.set(id, error);
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const job of valid) failures.set(job.id, failure);
      }
    }
    for (const [id, error] of failures) {
      logger.warn({ queue: definition.name, jobId: id, err: { name: error.name, message: error.message } }, 'job failed');
      await boss.fail(definition.name, id, failureOutput(error));
    }
    const done = jobs.filter((job) => !failures.has(job.id)).map((job) => job.id);
    if (done.length > 0) await boss.complete(definition.name, done);
    return { completed: done.length, failed: failures.size };
  };

  const find = (name: string) => {
    const definition = byName.get(name);
    if (!definition) throw new UnknownQueueError(`no queue named ${name}`);
    return definition;
  };

  return {
    definitions,

    /** Creates the queues; with `schedules`, registers every cron schedule (the supervising process). */
    async prepare(options: { schedules: boolean }): Promise<void> {
      await ensureQueues(boss, definitions);
      if (!options.schedules) return;
      for (const definition of definitions) {
        if (definition.cron) await boss.schedule(definition.name, definition.cron.expression, {}, { tz: definition.cron.timezone ?? 'UTC' });
        else await boss.unschedule(definition.name);
      }
    },

    /** Starts one worker loop per queue. */
    async start(): Promise<void> {
      for (const definition of definitions) {
        const id = await boss.work(
          definition.name,
          {
            batchSize: definition.batchSize ?? 1,
            includeMetadata: true,
            ...(deps.pollingIntervalSeconds ? { pollingIntervalSeconds: deps.pollingIntervalSeconds } : {}),
          },
          // Every job is completed or failed here, so pg-boss's own completion afterwards is a no-op.
          async (jobs) => {
            await runBatch(definition, jobs);
          },
        );
        workerIds.push(id);
      }
      logger.info({ queues: definitions.map((definition) => definition.name) }, 'job workers started');
    },

    /** Stops the worker loops (the boss itself is stopped by its owner). */
    async stop(): Promise<void> {
      for (const id of workerIds.splice(0)) await boss.offWork({ id });
    },

    /**
     * Works the waiting jobs of one queue now, each at most once, in batches of its batch size.
     * `skipDelays` first makes delayed jobs and retries waiting out their backoff due (tests, and
     * an operator draining a queue after an outage).
     */
    async runOnce(name: string, options: { limit?: number; skipDelays?: boolean } = {}): Promise<{ completed: number; failed: number }> {
      const definition = find(name);
      if (options.skipDelays) {
        await boss
          .getDb()
          .executeSql(`update ${BOSS_SCHEMA}.job set start_after = now() - interval '1 second' where name = $1 and state in ('created', 'retry') and start_after > now() - interval '1 second'`, [
            definition.name,
          ]);
      }
      const total = { completed: 0, failed: 0 };
      let left = options.limit ?? 1000;
      while (left > 0) {
        // A job that fails here is retried later (its backoff starts now), so it is not fetched again in this loop.
        const jobs = (await boss.fetch(definition.name, { batchSize: Math.min(left, definition.batchSize ?? 1), includeMetadata: true })) as BossJob[];
        if (jobs.length === 0) break;
        left -= jobs.length;
        const result = await runBatch(definition, jobs);
        total.completed += result.completed;
        total.failed += result.failed;
      }
      return total;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

export interface QueueStats {
  queue: string;
  /** Waiting to run: new, delayed and waiting for a retry. */
  queued: number;
  active: number;
  /** Failed for good and not yet archived (each also has a copy in the dead-letter queue). */
  failed: number;
  /** Waiting in the dead-letter queue for an operator. */
  deadLettered: number;
  completed: number;
  /**
   * How long the oldest job that is due has been due, in seconds (0 when none): a waiting job since
   * its start time, a retrying or running one since it was created (a retry moves its start time).
   */
  overdueSeconds: number;
}

const countsSql = `select name, state::text as state, count(*)::int as count,
    coalesce(extract(epoch from now() - min(case when state = 'created' then start_after else created_on end)
      filter (where state in ('retry', 'active') or (state = 'created' and start_after <= now()))), 0)::float8 as due_for
  from ${BOSS_SCHEMA}.job where name = any($1::text[]) group by name, state`;

/** Per-queue counts: queued, active, failed, dead-lettered (and completed, until archived). */
export async function queueStats(boss: PgBoss, names: readonly string[]): Promise<QueueStats[]> {
  const all = [...names, ...names.map(deadLetterQueue)];
  const { rows } = await boss.getDb().executeSql(countsSql, [all]);
  const typed = rows as { name: string; state: string; count: number; due_for: number }[];
  const count = (name: string, states: string[]) =>
    typed.filter((row) => row.name === name && states.includes(row.state)).reduce((sum, row) => sum + Number(row.count), 0);
  const overdue = (name: string) => typed.filter((row) => row.name === name).reduce((most, row) => Math.max(most, Math.max(0, Number(row.due_for))), 0);
  return names.map((queue) => ({
    queue,
    queued: count(queue, ['created', 'retry']),
    active: count(queue, ['active']),
    failed: count(queue, ['failed']),
    deadLettered: count(deadLetterQueue(queue), ['created', 'retry']),
    completed: count(queue, ['completed']),
    overdueSeconds: Math.round(overdue(queue)),
  }));
}

/** Counts for every queue pg-boss knows, each with its dead letters (dead-letter queues are not listed on their own). */
export async function jobCounts(boss: PgBoss): Promise<QueueStats[]> {
  const names = (await boss.getQueues()).map((queue) => queue.name);
  const deadLetterQueues = new Set(names.map(deadLetterQueue));
  return queueStats(
    boss,
    names.filter((name) => !deadLetterQueues.has(name)),
  );
}

export interface DeadLetter {
  id: string;
  queue: string;
  /** When the job was dead-lettered. */
  failedAt: Date;
  /** The last error's class and message. */
  error: { name?: string; message?: string } | null;
  data: unknown;
}

/** Jobs waiting in the dead-letter queues of `names`, oldest first. */
export async function listDeadLetters(boss: PgBoss, names: readonly string[], limit = 100): Promise<DeadLetter[]> {
  const { rows } = await boss.getDb().executeSql(
    `select id, name, created_on, output, data from ${BOSS_SCHEMA}.job
     where name = any($1::text[]) and state in ('created', 'retry')
     order by created_on, id limit $2`,
    [names.map(deadLetterQueue), limit],
  );
  const original = new Map(names.map((name) => [deadLetterQueue(name), name]));
  return (rows as { id: string; name: string; created_on: Date | string; output: unknown; data: unknown }[]).map((row) => {
    const output = row.output as { name?: string; message?: string; value?: { message?: string } } | null;
    return {
      id: row.id,
      queue: original.get(row.name) ?? row.name,
      failedAt: new Date(row.created_on),
      error: output ? { name: output.name, message: output.message ?? output.value?.message } : null,
      data: row.data,
    };
  });
}

/**
 * Sends dead-lettered jobs back to their queue with a fresh retry budget, in one transaction:
 * each dead letter is marked completed (with the id it was replayed as) and the new job is
 * inserted together, so a replay that runs twice replays nothing twice. `id` null replays all.
 */
export async function replayDeadLetters(
  boss: PgBoss,
  db: Database,
  definition: Pick<AnyJobDefinition, 'name'>,
  id: string | null,
): Promise<{ replayed: { deadLetterId: string; jobId: string }[] }> {
  const dlq = deadLetterQueue(definition.name);
  return db.transaction(async (tx) => {
    const adapter = executorAdapter(tx);
    const { rows } = await adapter.executeSql(
      `select id, data from ${BOSS_SCHEMA}.job
       where name = $1 and state in ('created', 'retry') and ($2::uuid is null or id = $2::uuid)
       order by created_on, id for update skip locked`,
      [dlq, id],
    );
    const replayed: { deadLetterId: string; jobId: string }[] = [];
    for (const row of rows as { id: string; data: object | null }[]) {
      const jobId = await boss.send(definition.name, row.data ?? {}, { db: adapter });
      if (!jobId) throw new UnknownQueueError(`queue ${definition.name} does not exist`);
      await adapter.executeSql(
        `update ${BOSS_SCHEMA}.job set state = 'completed', completed_on = now(), output = $3::jsonb where name = $1 and id = $2::uuid`,
        [dlq, row.id, JSON.stringify({ replayedAs: jobId })],
      );
      replayed.push({ deadLetterId: row.id, jobId });
    }
    return { replayed };
  });
}
