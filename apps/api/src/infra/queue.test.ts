import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../test/app.js';
import { rowsOf } from './db.js';
import {
  createBoss,
  createJobRunner,
  deadLetterQueue,
  defineJob,
  eachJob,
  enqueue,
  listDeadLetters,
  queueStats,
  replayDeadLetters,
  UnknownQueueError,
  type JobRunner,
} from './queue.js';

const silent = { info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let boss: PgBoss;

/** What the handlers do, observable from the test: calls per key, and a row per key in the database. */
const calls = new Map<string, number>();
let failing = new Set<string>();
let gate: { promise: Promise<void>; open: () => void } | null = null;

function newGate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

// An idempotent handler: its effect is an upsert keyed by the job's data, so a second run changes nothing.
const effect = defineJob({
  name: 'test-effect',
  summary: 'writes one row per key',
  data: z.object({ key: z.string() }),
  retryLimit: 2,
  retryDelaySeconds: 1,
  retryBackoff: true,
  expireInSeconds: 1,
  handle: eachJob(async (job) => {
    calls.set(job.data.key, (calls.get(job.data.key) ?? 0) + 1);
    if (gate) await gate.promise;
    if (failing.has(job.data.key)) throw new Error(`push service unavailable for ${job.data.key}`);
    await database.handle.db.execute(sql`insert into job_effects (key) values (${job.data.key}) on conflict (key) do nothing`);
  }),
});

const batch = defineJob({
  name: 'test-batch',
  summary: 'a batch handler that fails one job of three',
  data: z.object({ n: z.number().int() }),
  retryLimit: 0,
  retryDelaySeconds: 0,
  retryBackoff: false,
  expireInSeconds: 60,
  batchSize: 10,
  cron: { expression: '*/5 * * * *' },
  async handle(jobs) {
    const failures = new Map<string, Error>();
    for (const job of jobs) if (job.data.n === 2) failures.set(job.id, new Error('two is bad'));
    return failures;
  },
});

let runner: JobRunner;

async function effects(): Promise<string[]> {
  return rowsOf<{ key: string }>(await database.handle.db.execute(sql`select key from job_effects order by key`)).map((row) => row.key);
}

async function jobState(name: string, id: string) {
  return boss.getJobById<{ key: string }>(name, id, { includeArchive: true });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await database.handle.db.execute(sql`create table job_effects (key text primary key)`);
  boss = createBoss(database.handle, { supervise: false });
  boss.on('error', () => {});
  await boss.start();
  runner = createJobRunner({ boss, definitions: [effect, batch], logger: silent, pollingIntervalSeconds: 0.5 });
  await runner.prepare({ schedules: true });
});

afterAll(async () => {
  await runner?.stop();
  await boss?.stop({ graceful: false, wait: true, close: true });
  await database?.drop();
});

beforeEach(() => {
  calls.clear();
  failing = new Set();
  gate = null;
});

describe('queues', () => {
  test('prepare creates every queue with its own dead-letter queue and registers cron schedules', async () => {
    const queue = await boss.getQueue('test-effect');
    expect(queue).toMatchObject({ retryLimit: 2, retryDelay: 1, retryBackoff: true, deadLetter: 'test-effect-dlq' });
    expect(await boss.getQueue(deadLetterQueue('test-effect'))).not.toBeNull();
    const schedules = await boss.getSchedules();
    expect(schedules.map((s) => s.name)).toContain('test-batch');
    expect(schedules.map((s) => s.name)).not.toContain('test-effect');
    // Preparing again (every process start) is harmless.
    await runner.prepare({ schedules: true });
  });

  test('a job sent inside a transaction exists only if the transaction commits', async () => {
    await expect(
      database.handle.db.transaction(async (tx) => {
        await enqueue(boss, effect, { key: 'rolled-back' }, { tx });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const committed = await database.handle.db.transaction(async (tx) => enqueue(boss, effect, { key: 'committed' }, { tx }));
    expect(await runner.runOnce('test-effect')).toEqual({ completed: 1, failed: 0 });
    expect(calls.get('rolled-back')).toBeUndefined();
    expect((await jobState('test-effect', committed!))?.state).toBe('completed');
    expect(await effects()).toContain('committed');
  });

  test('a delayed job sent inside a transaction keeps pg-boss parameters that are used twice intact', async () => {
    const id = await database.handle.db.transaction(async (tx) => enqueue(boss, effect, { key: 'delayed' }, { tx, startAfterSeconds: 900 }));
    const job = await jobState('test-effect', id!);
    const wait = new Date(job!.startAfter).getTime() - Date.now();
    expect(wait).toBeGreaterThan(850_000);
    expect(wait).toBeLessThan(950_000);
    expect(await runner.runOnce('test-effect')).toEqual({ completed: 0, failed: 0 });
    expect(await runner.runOnce('test-effect', { skipDelays: true })).toEqual({ completed: 1, failed: 0 });
  });

  test('sending to a queue that was never created is an error, and bad data never leaves the process', async () => {
    await expect(enqueue(boss, { ...effect, name: 'nowhere' }, { key: 'x' })).rejects.toBeInstanceOf(UnknownQueueError);
    await expect(enqueue(boss, effect, { key: 42 } as unknown as { key: string })).rejects.toThrow();
  });

  test('a failing job is retried with backoff, then dead-lettered, then replayed by an operator', async () => {
    failing.add('flaky');
    const id = (await enqueue(boss, effect, { key: 'flaky' }))!;

    expect(await runner.runOnce('test-effect')).toEqual({ completed: 0, failed: 1 });
    let job = await jobState('test-effect', id);
    expect(job).toMatchObject({ state: 'retry', retryCount: 0 });
    // Backoff: the retry waits (1–2 s for the first), so a worker polling now finds nothing.
    expect(new Date(job!.startAfter).getTime()).toBeGreaterThan(Date.now() + 200);
    expect(await runner.runOnce('test-effect')).toEqual({ completed: 0, failed: 0 });

    // Tests skip the wait; the second and third attempts fail too (retryLimit 2 = three attempts).
    await runner.runOnce('test-effect', { skipDelays: true });
    job = await jobState('test-effect', id);
    expect(job).toMatchObject({ state: 'retry', retryCount: 1 });
    await runner.runOnce('test-effect', { skipDelays: true });
    job = await jobState('test-effect', id);
    expect(job).toMatchObject({ state: 'failed', retryCount: 2 });
    expect(job?.output).toMatchObject({ message: 'push service unavailable for flaky' });
    expect(calls.get('flaky')).toBe(3);

    const dead = await listDeadLetters(boss, ['test-effect']);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ queue: 'test-effect', data: { key: 'flaky' }, error: { message: 'push service unavailable for flaky' } });
    const [stats] = await queueStats(boss, ['test-effect']);
    expect(stats).toMatchObject({ queue: 'test-effect', queued: 0, active: 0, failed: 1, deadLettered: 1 });

    // The outage ends; the operator replays. Nothing was lost, and the replay happens once.
    failing.clear();
    const replay = await replayDeadLetters(boss, database.handle.db, effect, dead[0]!.id);
    expect(replay.replayed).toHaveLength(1);
    expect((await replayDeadLetters(boss, database.handle.db, effect, null)).replayed).toHaveLength(0);
    expect(await queueStats(boss, ['test-effect'])).toMatchObject([{ queued: 1, deadLettered: 0 }]);
    expect(await runner.runOnce('test-effect')).toEqual({ completed: 1, failed: 0 });
    expect(await effects()).toContain('flaky');
    expect(await listDeadLetters(boss, ['test-effect'])).toHaveLength(0);
  });

  test('replay --all sends back every dead letter of the queue', async () => {
    failing = new Set(['a1', 'a2']);
    await enqueue(boss, effect, { key: 'a1' });
    await enqueue(boss, effect, { key: 'a2' });
    for (let i = 0; i < 3; i++) await runner.runOnce('test-effect', { skipDelays: true });
    expect((await listDeadLetters(boss, ['test-effect'])).map((d) => (d.data as { key: string }).key).sort()).toEqual(['a1', 'a2']);
    failing.clear();
    expect((await replayDeadLetters(boss, database.handle.db, effect, null)).replayed).toHaveLength(2);
    expect(await runner.runOnce('test-effect')).toEqual({ completed: 2, failed: 0 });
    expect(await effects()).toEqual(expect.arrayContaining(['a1', 'a2']));
  });

  test('a job that runs twice changes nothing twice', async () => {
    const id = (await enqueue(boss, effect, { key: 'twice' }))!;
    await runner.runOnce('test-effect');
    // An operator retries a job that already completed: pg-boss refuses, and rerunning the handler is harmless.
    await boss.retry('test-effect', id);
    await effect.handle([{ id, data: { key: 'twice' }, retryCount: 0 }]);
    expect(calls.get('twice')).toBe(2);
    expect((await effects()).filter((key) => key === 'twice')).toHaveLength(1);
  });

  test('a batch handler fails only the jobs it names', async () => {
    const ids = [(await enqueue(boss, batch, { n: 1 }))!, (await enqueue(boss, batch, { n: 2 }))!, (await enqueue(boss, batch, { n: 3 }))!];
    expect(await runner.runOnce('test-batch')).toEqual({ completed: 2, failed: 1 });
    const states = await Promise.all(ids.map(async (id) => (await boss.getJobById('test-batch', id))?.state));
    expect(states).toEqual(['completed', 'failed', 'completed']);
    expect(await listDeadLetters(boss, ['test-batch'])).toHaveLength(1);
  });

  test('a job with data that does not parse fails into the dead-letter queue instead of running', async () => {
    await boss.send('test-batch', { n: 'not a number' });
    expect(await runner.runOnce('test-batch')).toEqual({ completed: 0, failed: 1 });
    const dead = await listDeadLetters(boss, ['test-batch']);
    expect(dead.at(-1)?.error?.message).toBe('invalid job data');
  });
});

describe('workers', () => {
  test('a started worker picks jobs up by itself', async () => {
    const worker = createJobRunner({ boss, definitions: [effect], logger: silent, pollingIntervalSeconds: 0.5 });
    await worker.start();
    try {
      await enqueue(boss, effect, { key: 'polled' });
      for (let i = 0; i < 40 && !(await effects()).includes('polled'); i++) await sleep(100);
      expect(await effects()).toContain('polled');
    } finally {
      await worker.stop();
    }
  });

  test('a worker stopped mid-job (without waiting) leaves the job to be retried safely', async () => {
    const other = createBoss(database.handle, { supervise: false, pollingIntervalSeconds: 0.5 });
    other.on('error', () => {});
    await other.start();
    const dying = createJobRunner({ boss: other, definitions: [effect], logger: silent, pollingIntervalSeconds: 0.5 });
    gate = newGate();
    const id = (await enqueue(boss, effect, { key: 'killed' }))!;
    await dying.start();
    for (let i = 0; i < 40 && !calls.get('killed'); i++) await sleep(100);
    expect(calls.get('killed')).toBe(1);
    expect((await jobState('test-effect', id))?.state).toBe('active');

    await other.stop({ graceful: false, wait: false });
    await sleep(100);
    const stopped = await jobState('test-effect', id);
    expect(stopped?.state).toBe('retry');

    // Another worker takes the retry; the zombie handler of the stopped one finishes later.
    const firstGate = gate;
    gate = null;
    expect(await runner.runOnce('test-effect', { skipDelays: true })).toEqual({ completed: 1, failed: 0 });
    firstGate.open();
    await sleep(100);
    expect((await jobState('test-effect', id))?.state).toBe('completed');
    expect(calls.get('killed')).toBe(2);
    expect((await effects()).filter((key) => key === 'killed')).toHaveLength(1);
  });

  test('a worker that dies without a word (no shutdown at all) is noticed by expiry and the job reruns', async () => {
    const id = (await enqueue(boss, effect, { key: 'crashed' }))!;
    // A fetch marks the job active; the "process" then vanishes without completing or failing it.
    const [taken] = await boss.fetch('test-effect');
    expect(taken?.id).toBe(id);
    await sleep(1_300);
    await boss.expire();
    expect((await jobState('test-effect', id))?.state).toBe('retry');
    expect(await runner.runOnce('test-effect', { skipDelays: true })).toEqual({ completed: 1, failed: 0 });
    expect((await effects()).filter((key) => key === 'crashed')).toHaveLength(1);
  });
});
