import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Infra } from '../../infra/infra.js';
import type { AnyJobDefinition } from '../../infra/queue.js';
import { createAuditService } from '../audit/service.js';
import { createLensRepo } from '../lens/repo.js';
import { createLensActivity } from '../lens/service.js';
import { notificationEnqueuers, notificationJobs } from './jobs.js';
import { createLogPushSender, type PushSender } from './push.js';
import { createExpoPushSender } from './push-expo.js';
import { createNotificationsRepo } from './repo.js';
import { notificationRoutes } from './routes.js';
import { createNotificationsService, type NotificationsLogger, type NotificationsService } from './service.js';

/** The push sender the configuration names: the log adapter (embedded default) or Expo push. */
export function createPushSender(config: Config, deps: { hashUserId: (userId: string) => string; logger: NotificationsLogger }): PushSender {
  if (config.PUSH_SENDER === 'expo') {
    return createExpoPushSender({ baseUrl: config.EXPO_PUSH_BASE_URL, ...(config.EXPO_ACCESS_TOKEN ? { accessToken: config.EXPO_ACCESS_TOKEN } : {}) });
  }
  return createLogPushSender({
    hashUserId: deps.hashUserId,
    log: (entry) => deps.logger.info({ kind: entry.kind, userHash: entry.userHash, devices: entry.devices }, 'push (log adapter)'),
  });
}

/**
 * Wires notifications for the API and the worker: the service (devices, scheduler, sender,
 * receipts) and its queues. `sender` overrides the configured one (tests).
 */
export function createNotifications(
  infra: Infra,
  deps: { logger: NotificationsLogger; hashUserId: (userId: string) => string; sender?: PushSender },
): { service: NotificationsService; jobs: AnyJobDefinition[] } {
  const { config, database } = infra;
  const service = createNotificationsService({
    db: database.db,
    repo: createNotificationsRepo(database.db),
    sender: deps.sender ?? createPushSender(config, deps),
    activity: createLensActivity(createLensRepo(database.db)),
    now: () => infra.now(),
    schedule: {
      weeklySummary: { weekday: config.NOTIFICATIONS_WEEKLY_DAY, time: config.NOTIFICATIONS_WEEKLY_TIME },
      streakCheckTime: config.NOTIFICATIONS_STREAK_TIME,
      windowMinutes: config.NOTIFICATIONS_WINDOW_MINUTES,
    },
    dailyCap: config.NOTIFICATIONS_DAILY_CAP,
    ...notificationEnqueuers(infra.boss, { receiptDelaySeconds: config.PUSH_RECEIPT_DELAY_SECONDS }),
    hashUserId: deps.hashUserId,
    logger: deps.logger,
    audit: createAuditService({ db: database.db }),
  });
  return { service, jobs: notificationJobs(service, { tickCron: config.NOTIFICATIONS_TICK_CRON }) };
}

/** The notification routes (register in app.ts under /v1). */
export const notificationsModule: FastifyPluginAsync = async (app) => {
  const { service } = createNotifications(app.infra, { logger: app.log, hashUserId: app.hashUserId });
  await app.register(notificationRoutes, { service });
};
