import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { enqueue, ensureQueues, type AnyJobDefinition } from './infra/queue.js';
import { buildJobDefinitions, runJobsCommand, UsageError } from './jobs.js';
import { notificationQueues } from './modules/notifications/jobs.js';
import { createTestApp, type TestContext } from './test/app.js';

const silent = { info() {}, warn() {}, error() {} };

let ctx: TestContext;
let definitions: AnyJobDefinition[];

beforeAll(async () => {
  ctx = await createTestApp();
  definitions = buildJobDefinitions(ctx.infra, silent);
  await ensureQueues(ctx.infra.boss, definitions);
});
afterAll(async () => ctx?.close());

const run = (...argv: string[]) => runJobsCommand(ctx.infra, definitions, argv);

describe('npm run jobs', () => {
  test('every queue is registered once, with a dead-letter queue, and the scheduler has its cron', async () => {
    const names = definitions.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['notifications-tick', 'notifications-send', 'notifications-receipts', 'billing-process-event']));
    const listed = JSON.parse(await run('list', '--json')) as { queue: string; cron: string }[];
    expect(listed.find((q) => q.queue === 'notifications-tick')?.cron).toBe('*/5 * * * *');
    for (const name of names) expect((await ctx.infra.boss.getQueue(name))?.deadLetter).toBe(`${name}-dlq`);
    expect(await run('list')).toMatch(/^queue\s+retries\s+backoff/);
  });

  test('stats, list-failed and replay work on a job that was dead-lettered', async () => {
    const id = '7c1d6b2e-4b7f-4a51-9d3e-2f6b8a9c0d1e';
    const jobId = await enqueue(ctx.infra.boss, notificationQueues.send, { notificationId: id });
    // Drive it to the dead-letter queue the way a worker would: fail it past its retry limit.
    const limit = (await ctx.infra.boss.getQueue(notificationQueues.send.name))!.retryLimit!;
    for (let attempt = 0; attempt <= limit; attempt++) {
      await ctx.infra.boss.getDb().executeSql(`update pgboss.job set start_after = now() - interval '1 second' where id = $1`, [jobId]);
      const [job] = await ctx.infra.boss.fetch(notificationQueues.send.name);
      expect(job?.id).toBe(jobId);
      await ctx.infra.boss.fail(notificationQueues.send.name, jobId!, { name: 'Error', message: 'push service: http 503' });
    }

    const stats = JSON.parse(await run('stats', '--json')) as { queue: string; failed: number; deadLettered: number }[];
    expect(stats.find((s) => s.queue === notificationQueues.send.name)).toMatchObject({ failed: 1, deadLettered: 1 });
    expect(await run('stats')).toMatch(/notifications-send\s+0\s+0\s+1\s+1/);

    const failed = JSON.parse(await run('list-failed', notificationQueues.send.name, '--json')) as { id: string; queue: string; error: { message: string }; data: unknown }[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ queue: notificationQueues.send.name, error: { message: 'push service: http 503' }, data: { notificationId: id } });
    expect(await run('list-failed')).toContain(failed[0]!.id);

    expect(await run('replay', notificationQueues.send.name, failed[0]!.id)).toMatch(/^replayed 1 job\(s\) to notifications-send/);
    expect(await run('replay', notificationQueues.send.name, failed[0]!.id)).toMatch(/already replayed/);
    expect(await run('replay', notificationQueues.send.name, '--all')).toBe('nothing to replay in notifications-send');
    const after = JSON.parse(await run('stats', '--json')) as { queue: string; queued: number; deadLettered: number }[];
    expect(after.find((s) => s.queue === notificationQueues.send.name)).toMatchObject({ queued: 1, deadLettered: 0 });
  });

  test.each([
    [[]],
    [['frobnicate']],
    [['replay']],
    [['replay', 'no-such-queue', '--all']],
    [['replay', 'notifications-send']],
    [['replay', 'notifications-send', 'not-a-job-id']],
    [['list-failed', 'no-such-queue']],
  ])('bad usage %j is a usage error', async (argv) => {
    await expect(runJobsCommand(ctx.infra, definitions, argv)).rejects.toBeInstanceOf(UsageError);
  });
});
