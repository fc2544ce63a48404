import type { NotificationKind, PushDevice, RegisterDeviceRequest } from '@kalei/contracts/notifications';
import { NotFoundError } from '../../errors.js';
import type { Database, Executor } from '../../infra/db.js';
import { addDays, inLocalTimeRange, localDate, startOfLocalDate, zoneOrUtc } from '../../lib/time.js';
import type { AuditService } from '../audit/service.js';
import {
  channelOf,
  dedupeKey,
  dueNotifications,
  messageFor,
  parseDedupeKey,
  parsePreferences,
  stillSendable,
  type DueNotification,
  type MessageFacts,
  type Schedule,
} from './fns.js';
import type { DeliveryOutcome, PushMessage, PushSender } from './push.js';
import { CAPPED_STATUSES, createNotificationsRepo, type DeviceRow, type NotificationsRepo } from './repo.js';

/** What notifications may know about a user's Lens activity: counts and streak lengths, never text. */
export interface ActivitySource {
  /** The user's daily streak as of `today` (local): consecutive days with a completed action, and whether today counts yet. */
  streak(userId: string, zone: string, today: string): Promise<{ current: number; doneToday: boolean }>;
  /** Check-ins and completed actions on local dates `from`..`to` inclusive. */
  activityBetween(userId: string, from: string, to: string): Promise<{ checkins: number; completions: number }>;
}

/** A delivery receipt to look up later, and what it belongs to. */
export interface PendingReceipt {
  notificationId: string;
  receiptId: string;
  deviceId: string;
}

export interface NotificationsLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** A streak shorter than this is not worth a nudge. */
const MIN_STREAK_AT_RISK = 2;
/** Devices kept per user; registering more drops the least recently seen. */
const MAX_DEVICES_PER_USER = 10;
/** Receipts not ready by the third look are given up on (Expo keeps them about a day). */
const MAX_RECEIPT_ATTEMPTS = 3;
/** Users scanned per page by the scheduler. */
const CANDIDATE_PAGE = 500;

function toDevice(row: DeviceRow): PushDevice {
  return {
    id: row.id,
    provider: row.provider,
    platform: row.platform,
    appVersion: row.appVersion,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
  };
}

function summarise(outcomes: Iterable<DeliveryOutcome>): string | null {
  const errors = [...outcomes].flatMap((outcome) =>
    outcome.status === 'rejected' || outcome.status === 'retry' ? [outcome.error] : outcome.status === 'invalid_token' ? ['DeviceNotRegistered'] : [],
  );
  return errors.length > 0 ? [...new Set(errors)].join(', ').slice(0, 200) : null;
}

/**
 * Removes the push tokens registered through a device session. The auth module calls it inside
 * its logout transaction, so the phone that signed out stops receiving pushes at once.
 */
export async function removeDevicesForSession(sessionId: string, tx: Executor): Promise<number> {
  return createNotificationsRepo(tx).deleteDevicesOfSession(sessionId, tx);
}

/**
 * Notifications: push devices, the scheduler that finds whose local reminder time has come, the
 * sender and the receipt check. Every notification is claimed once in notification_log by its
 * dedupe key (user, kind, local day) before its send job is queued in the same transaction, so the
 * same reason is never notified twice, and a send whose outcome is unknown is never repeated.
 */
export function createNotificationsService(deps: {
  db: Database;
  repo: NotificationsRepo;
  sender: PushSender;
  activity: ActivitySource;
  now: () => Date;
  schedule: Schedule;
  dailyCap: number;
  /** Queues the send job of a claimed notification, inside the claiming transaction. */
  enqueueSend: (notificationId: string, tx: Executor) => Promise<void>;
  /** Queues a receipt check (delayed), inside the transaction that records the tickets. */
  enqueueReceipts: (receipts: PendingReceipt[], attempt: number, tx: Executor) => Promise<void>;
  hashUserId: (userId: string) => string;
  logger: NotificationsLogger;
  audit: Pick<AuditService, 'record'>;
}) {
  const { db, repo, sender, activity, now, schedule, logger } = deps;

  /** Facts for a message, or null when the notification is no longer relevant. */
  const factsFor = async (kind: NotificationKind, userId: string, zone: string, forDate: string): Promise<MessageFacts | null> => {
    if (kind === 'streak_at_risk') {
      const streak = await activity.streak(userId, zone, forDate);
      return streak.current >= MIN_STREAK_AT_RISK && !streak.doneToday ? { streakDays: streak.current } : null;
    }
    if (kind === 'weekly_summary') return activity.activityBetween(userId, addDays(forDate, -6), forDate);
    return {};
  };

  return {
    // ------------------------------------------------------------ devices

    /** Registers (or refreshes) the caller's push token; a token another account held moves to the caller. */
    async registerDevice(caller: { userId: string; sessionId: string }, input: RegisterDeviceRequest): Promise<{ device: PushDevice; created: boolean }> {
      const at = now();
      const values = {
        userId: caller.userId,
        sessionId: caller.sessionId,
        provider: input.provider,
        platform: input.platform,
        appVersion: input.appVersion ?? null,
        at,
      };
      return db.transaction(async (tx) => {
        const existing = await repo.findDeviceByToken(input.token, tx);
        const row = existing ? await repo.updateDevice(existing.id, values, tx) : await repo.insertDevice({ ...values, token: input.token }, tx);
        await repo.pruneDevices(caller.userId, MAX_DEVICES_PER_USER, tx);
        if (existing && existing.userId !== caller.userId) {
          logger.info({ userHash: deps.hashUserId(caller.userId), deviceId: row.id }, 'push token moved to another account');
        }
        return { device: toDevice(row), created: !existing || existing.userId !== caller.userId };
      });
    },

    async listDevices(userId: string): Promise<PushDevice[]> {
      return (await repo.devicesOf([userId])).map(toDevice);
    },

    /** Deletes one of the caller's devices; another user's device is a 404 like a missing one. */
    /** Removes one of the caller's devices; audited in the same transaction. */
    async removeDevice(caller: { userId: string; requestId?: string }, deviceId: string): Promise<void> {
      const { userId } = caller;
      await db.transaction(async (tx) => {
        if (!(await repo.deleteOwnedDevice(userId, deviceId, tx))) throw new NotFoundError('device');
        await deps.audit.record(
          { userId, actor: 'user', action: 'push_device_deleted', targetType: 'push_device', targetId: deviceId, ...(caller.requestId ? { requestId: caller.requestId } : {}), at: now() },
          tx,
        );
      });
    },

    /** Removes the push tokens registered through a device session (on logout): that phone stops receiving. */
    async removeDevicesForSession(sessionId: string, tx?: Executor): Promise<number> {
      return repo.deleteDevicesOfSession(sessionId, tx);
    },

    // ------------------------------------------------------------ scheduling

    /**
     * The scheduler (every few minutes): claims each notification that has come due in its user's
     * local time and queues its send job in the same transaction. Running it twice claims nothing twice.
     * It also sweeps away devices of revoked sessions (sends already skip them).
     */
    async tick(): Promise<{ scanned: number; claimed: number; suppressed: number; removedDevices: number }> {
      const at = now();
      const totals = { scanned: 0, claimed: 0, suppressed: 0, removedDevices: await repo.deleteDevicesOfRevokedSessions() };
      let after: string | null = null;
      for (;;) {
        const page = await repo.candidates(after, CANDIDATE_PAGE);
        if (page.length === 0) break;
        after = page.at(-1)!.userId;
        totals.scanned += page.length;
        for (const candidate of page) {
          const zone = zoneOrUtc(candidate.timezone);
          const prefs = parsePreferences(candidate.prefs);
          const due = dueNotifications({ now: at, zone, prefs, schedule });
          const relevant: DueNotification[] = [];
          for (const item of due) {
            if (item.kind === 'streak_at_risk' && !(await factsFor(item.kind, candidate.userId, zone, item.localDate))) continue;
            relevant.push(item);
          }
          if (relevant.length === 0) continue;
          await db.transaction(async (tx) => {
            await repo.lockUser(candidate.userId, tx);
            let used = await repo.countSince(candidate.userId, startOfLocalDate(localDate(at, zone), zone), CAPPED_STATUSES, tx);
            for (const item of relevant) {
              const capped = used >= deps.dailyCap;
              const id = await repo.claim(
                {
                  userId: candidate.userId,
                  kind: item.kind,
                  dedupeKey: dedupeKey(item.kind, candidate.userId, item.localDate),
                  status: capped ? 'suppressed' : 'pending',
                  error: capped ? 'daily_cap' : null,
                  at,
                },
                tx,
              );
              if (!id) continue;
              if (capped) {
                totals.suppressed += 1;
                continue;
              }
              used += 1;
              totals.claimed += 1;
              await deps.enqueueSend(id, tx);
            }
          });
        }
      }
      if (totals.claimed + totals.suppressed + totals.removedDevices > 0) logger.info(totals, 'notifications scheduled');
      return totals;
    },

    /**
     * A notification another module decided on now (Spectrum: the week's report is ready), through
     * the same rules as the scheduler's: the user's channel switch, quiet hours and the daily cap,
     * claimed once per dedupe key and sent by the send job. `waiting`: in quiet hours, ask again later.
     */
    async notifyNow(userId: string, kind: NotificationKind, forDate: string): Promise<'claimed' | 'suppressed' | 'duplicate' | 'off' | 'waiting'> {
      const at = now();
      const [profile] = await repo.profilesOf([userId]);
      if (!profile) return 'off';
      const zone = zoneOrUtc(profile.timezone);
      const prefs = parsePreferences(profile.prefs);
      if (!prefs.channels[channelOf[kind]]) return 'off';
      if (prefs.quietHours && inLocalTimeRange(at, zone, prefs.quietHours)) return 'waiting';
      return db.transaction(async (tx) => {
        await repo.lockUser(userId, tx);
        const capped = (await repo.countSince(userId, startOfLocalDate(localDate(at, zone), zone), CAPPED_STATUSES, tx)) >= deps.dailyCap;
        const id = await repo.claim(
          { userId, kind, dedupeKey: dedupeKey(kind, userId, forDate), status: capped ? 'suppressed' : 'pending', error: capped ? 'daily_cap' : null, at },
          tx,
        );
        if (!id) return 'duplicate';
        if (capped) return 'suppressed';
        await deps.enqueueSend(id, tx);
        return 'claimed';
      });
    },

    // ------------------------------------------------------------ sending

    /**
     * Sends claimed notifications (one send job each, worked in batches). Returns the notifications
     * to retry later (the push service was rate limiting or down); everything else is settled:
     * sent, failed, suppressed or expired. A notification already settled is left alone.
     */
    async send(notificationIds: readonly string[]): Promise<Map<string, Error>> {
      const at = now();
      const retry = new Map<string, Error>();
      const rows = await repo.findNotifications(notificationIds);

      // A row left in `sending` was handed to the push service by a worker that died before it
      // recorded the answer: it may have been delivered, so it is never sent again.
      const interrupted = rows.filter((row) => row.status === 'sending').map((row) => row.id);
      if (interrupted.length > 0) {
        await repo.transition(interrupted, ['sending'], 'unknown', 'interrupted mid-send');
        logger.warn({ count: interrupted.length }, 'notifications interrupted mid-send marked unknown');
      }

      const pending = rows.filter((row) => row.status === 'pending');
      if (pending.length === 0) return retry;
      const userIds = [...new Set(pending.map((row) => row.userId))];
      const [profiles, devices] = await Promise.all([repo.profilesOf(userIds), repo.reachableDevicesOf(userIds)]);

      const messages: PushMessage[] = [];
      const settle = async (id: string, status: 'suppressed' | 'expired', reason: string) => {
        await repo.transition([id], ['pending'], status, reason);
      };
      for (const row of pending) {
        const key = parseDedupeKey(row.dedupeKey);
        const profile = profiles.find((p) => p.userId === row.userId);
        if (!key || !profile) {
          await settle(row.id, 'suppressed', 'no_profile');
          continue;
        }
        const zone = zoneOrUtc(profile.timezone);
        const prefs = parsePreferences(profile.prefs);
        const verdict = stillSendable({ now: at, zone, prefs, kind: key.kind, claimedAt: row.createdAt, windowMinutes: schedule.windowMinutes });
        if (verdict !== 'ok') {
          await settle(row.id, verdict === 'expired' ? 'expired' : 'suppressed', verdict);
          continue;
        }
        const targets = devices
          .filter((device) => device.userId === row.userId && sender.supports(device.provider))
          .map((device) => ({ deviceId: device.id, provider: device.provider, token: device.token }));
        if (targets.length === 0) {
          await settle(row.id, 'suppressed', 'no_device');
          continue;
        }
        const facts = await factsFor(key.kind, row.userId, zone, key.localDate);
        if (!facts) {
          await settle(row.id, 'suppressed', 'no_longer_relevant');
          continue;
        }
        messages.push({ notificationId: row.id, userId: row.userId, kind: key.kind, ...messageFor(key.kind, facts), targets });
      }
      if (messages.length === 0) return retry;

      // Only the rows this run moves to `sending` go out: a concurrent run of the same job loses here.
      const mine = new Set(await repo.transition(messages.map((message) => message.notificationId), ['pending'], 'sending', null));
      const outgoing = messages.filter((message) => mine.has(message.notificationId));
      if (outgoing.length === 0) return retry;

      let outcomes: Map<string, Map<string, DeliveryOutcome>>;
      try {
        outcomes = await sender.send(outgoing);
      } catch (error) {
        // Senders report service errors per target; a throw happened before anything was handed over.
        await repo.transition(
          outgoing.map((message) => message.notificationId),
          ['sending'],
          'pending',
          'sender error',
        );
        throw error;
      }

      const deadDevices: string[] = [];
      const receipts: PendingReceipt[] = [];
      const stats = { sent: 0, failed: 0, retry: 0 };
      await db.transaction(async (tx) => {
        for (const message of outgoing) {
          const perDevice = outcomes.get(message.notificationId) ?? new Map<string, DeliveryOutcome>();
          for (const [deviceId, outcome] of perDevice) if (outcome.status === 'invalid_token') deadDevices.push(deviceId);
          const accepted = [...perDevice].filter(([, outcome]) => outcome.status === 'accepted');
          const summary = summarise(perDevice.values());
          if (accepted.length > 0) {
            const ticketIds: string[] = [];
            for (const [deviceId, outcome] of accepted) {
              if (outcome.status === 'accepted' && outcome.receiptId) {
                ticketIds.push(outcome.receiptId);
                receipts.push({ notificationId: message.notificationId, receiptId: outcome.receiptId, deviceId });
              }
            }
            await repo.markSent(message.notificationId, ticketIds, summary, tx);
            stats.sent += 1;
          } else if ([...perDevice.values()].some((outcome) => outcome.status === 'retry') || perDevice.size === 0) {
            await repo.transition([message.notificationId], ['sending'], 'pending', summary ?? 'no answer', tx);
            retry.set(message.notificationId, new Error(`push service: ${summary ?? 'no answer'}`));
            stats.retry += 1;
          } else {
            await repo.transition([message.notificationId], ['sending'], 'failed', summary, tx);
            stats.failed += 1;
          }
        }
        await repo.deleteDevices(deadDevices, tx);
        if (receipts.length > 0) await deps.enqueueReceipts(receipts, 1, tx);
      });
      logger.info({ sender: sender.name, ...stats, removedDevices: deadDevices.length }, 'notifications sent');
      return retry;
    },

    /**
     * Reads delivery receipts (about 15 minutes after sending): a device the service no longer
     * knows is deleted, other errors are noted on the notification, receipts not ready yet are
     * looked up again later. Safe to run twice.
     */
    async checkReceipts(receipts: readonly PendingReceipt[], attempt: number): Promise<void> {
      if (receipts.length === 0) return;
      const outcomes = await sender.checkReceipts(receipts.map((receipt) => receipt.receiptId));
      const dead: string[] = [];
      const notReady: PendingReceipt[] = [];
      const errors = new Map<string, string>();
      for (const receipt of receipts) {
        const outcome = outcomes.get(receipt.receiptId);
        if (!outcome) notReady.push(receipt);
        else if (outcome.status === 'invalid_token') {
          dead.push(receipt.deviceId);
          errors.set(receipt.notificationId, 'DeviceNotRegistered');
        } else if (outcome.status === 'error') errors.set(receipt.notificationId, outcome.error);
      }
      const waiting = new Set(notReady.map((receipt) => receipt.notificationId));
      const resolved = [...new Set(receipts.map((receipt) => receipt.notificationId))].filter((id) => !waiting.has(id));
      await db.transaction(async (tx) => {
        await repo.deleteDevices(dead, tx);
        for (const [id, error] of errors) await repo.noteError(id, `receipt: ${error}`.slice(0, 200), tx);
        await repo.markReceiptsChecked(resolved, now(), tx);
        if (notReady.length > 0 && attempt < MAX_RECEIPT_ATTEMPTS) await deps.enqueueReceipts(notReady, attempt + 1, tx);
      });
      logger.info({ checked: receipts.length, removedDevices: dead.length, notReady: notReady.length, attempt }, 'push receipts checked');
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
