import type PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Executor } from '../../infra/db.js';
import { defineJob, eachJob, enqueue, type AnyJobDefinition } from '../../infra/queue.js';
import type { NotificationsService, PendingReceipt } from './service.js';

/** The send job of one claimed notification: its notification_log id, nothing else. */
export const SendJobData = z.object({ notificationId: z.uuid() });
export const ReceiptsJobData = z.object({
  receipts: z.array(z.object({ notificationId: z.uuid(), receiptId: z.string().min(1).max(100), deviceId: z.uuid() })).min(1).max(1000),
  attempt: z.number().int().min(1).max(10),
});

/** Queue names and data schemas, for code that only enqueues. */
export const notificationQueues = {
  tick: { name: 'notifications-tick', data: z.object({}) },
  send: { name: 'notifications-send', data: SendJobData },
  receipts: { name: 'notifications-receipts', data: ReceiptsJobData },
} as const;

/** How notifications enqueue their own follow-up jobs, inside the caller's transaction. */
export function notificationEnqueuers(boss: PgBoss, options: { receiptDelaySeconds: number }) {
  return {
    enqueueSend: async (notificationId: string, tx: Executor) => {
      await enqueue(boss, notificationQueues.send, { notificationId }, { tx });
    },
    enqueueReceipts: async (receipts: PendingReceipt[], attempt: number, tx: Executor) => {
      for (let i = 0; i < receipts.length; i += 1000) {
        await enqueue(boss, notificationQueues.receipts, { receipts: receipts.slice(i, i + 1000), attempt }, { tx, startAfterSeconds: options.receiptDelaySeconds });
      }
    },
  };
}

/** The notification queues with their policies and handlers. */
export function notificationJobs(service: Pick<NotificationsService, 'tick' | 'send' | 'checkReceipts'>, options: { tickCron: string }): AnyJobDefinition[] {
  return [
    defineJob({
      ...notificationQueues.tick,
      summary: 'scheduler: claims the reminders, weekly summaries and streak nudges whose local time has come',
      retryLimit: 2,
      retryDelaySeconds: 30,
      retryBackoff: false,
      expireInSeconds: 240,
      cron: { expression: options.tickCron },
      handle: eachJob(async () => {
        await service.tick();
      }),
    }),
    defineJob({
      ...notificationQueues.send,
      summary: 'sends claimed notifications to the push service in chunks; rate limits and outages retry with backoff',
      // 30 s, 1 min, 2 min, 4 min, 8 min (each up to twice that with jitter): about half an hour in all.
      retryLimit: 5,
      retryDelaySeconds: 30,
      retryBackoff: true,
      expireInSeconds: 120,
      batchSize: 50,
      async handle(jobs) {
        const failures = await service.send(jobs.map((job) => job.data.notificationId));
        const byJob = new Map<string, Error>();
        for (const job of jobs) {
          const failure = failures.get(job.data.notificationId);
          if (failure) byJob.set(job.id, failure);
        }
        return byJob;
      },
    }),
    defineJob({
      ...notificationQueues.receipts,
      summary: 'reads delivery receipts about 15 minutes after sending; deletes tokens the service no longer knows',
      retryLimit: 5,
      retryDelaySeconds: 60,
      retryBackoff: true,
      expireInSeconds: 120,
      handle: eachJob(async (job) => {
        await service.checkReceipts(job.data.receipts, job.data.attempt);
      }),
    }),
  ];
}
