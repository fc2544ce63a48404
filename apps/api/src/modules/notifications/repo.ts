import { and, asc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { DevicePlatform, NotificationKind, PushProvider } from '@kalei/contracts/notifications';
import { authSessions, notificationLog, profiles, pushDevices } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';

/** Statuses of a notification_log row. */
export type NotificationStatus =
  /** Claimed by the scheduler; its send job is queued (or waiting for a retry). */
  | 'pending'
  /** Handed to the push service; a row left here means the sender died mid-request. */
  | 'sending'
  | 'sent'
  /** No device accepted it and retrying would not help. */
  | 'failed'
  /** Not sent on purpose: daily cap, channel switched off, no reachable device, no longer relevant. */
  | 'suppressed'
  /** Its moment passed before it could go out (a long outage, a late replay). */
  | 'expired'
  /** A send whose outcome is unknown (the worker died mid-request): never sent again, to avoid a duplicate. */
  | 'unknown';

/** Rows that count towards the daily cap: everything that went out or may have. */
export const CAPPED_STATUSES: NotificationStatus[] = ['pending', 'sending', 'sent', 'unknown'];

export type DeviceRow = typeof pushDevices.$inferSelect;
export type NotificationRow = typeof notificationLog.$inferSelect;

/** Every SQL statement of the notifications module. */
export function createNotificationsRepo(db: Executor) {
  return {
    // ------------------------------------------------------------ devices

    async findDeviceByToken(token: string, tx: Executor = db): Promise<DeviceRow | undefined> {
      const [row] = await tx.select().from(pushDevices).where(eq(pushDevices.token, token)).for('update');
      return row;
    },

    async insertDevice(
      values: { userId: string; sessionId: string | null; token: string; provider: PushProvider; platform: DevicePlatform; appVersion: string | null; at: Date },
      tx: Executor = db,
    ): Promise<DeviceRow> {
      const [row] = await tx
        .insert(pushDevices)
        .values({ ...values, createdAt: values.at, lastSeenAt: values.at })
        .returning();
      return row!;
    },

    /** Moves a token to its (new) owner and session, and refreshes what the device says about itself. */
    async updateDevice(
      id: string,
      values: { userId: string; sessionId: string | null; provider: PushProvider; platform: DevicePlatform; appVersion: string | null; at: Date },
      tx: Executor = db,
    ): Promise<DeviceRow> {
      const { at, ...rest } = values;
      const [row] = await tx
        .update(pushDevices)
        .set({ ...rest, lastSeenAt: at })
        .where(eq(pushDevices.id, id))
        .returning();
      return row!;
    },

    async devicesOf(userIds: readonly string[], tx: Executor = db): Promise<DeviceRow[]> {
      if (userIds.length === 0) return [];
      return tx.select().from(pushDevices).where(inArray(pushDevices.userId, [...userIds])).orderBy(asc(pushDevices.createdAt));
    },

    /**
     * Devices that may receive pushes: those of a session that was revoked (logout, "sign out other
     * devices", a password change) are left out even before they are deleted.
     */
    async reachableDevicesOf(userIds: readonly string[], tx: Executor = db): Promise<DeviceRow[]> {
      if (userIds.length === 0) return [];
      const rows = await tx
        .select({ device: pushDevices })
        .from(pushDevices)
        .leftJoin(authSessions, eq(authSessions.id, pushDevices.sessionId))
        .where(and(inArray(pushDevices.userId, [...userIds]), isNull(authSessions.revokedAt)))
        .orderBy(asc(pushDevices.createdAt));
      return rows.map((row) => row.device);
    },

    /** Deletes devices registered through sessions that have since been revoked. */
    async deleteDevicesOfRevokedSessions(tx: Executor = db): Promise<number> {
      const rows = await tx
        .delete(pushDevices)
        .where(sql`${pushDevices.sessionId} in (select ${authSessions.id} from ${authSessions} where ${authSessions.revokedAt} is not null)`)
        .returning({ id: pushDevices.id });
      return rows.length;
    },

    /** Deletes the caller's device; false when there is no such device of theirs. */
    async deleteOwnedDevice(userId: string, id: string, tx: Executor = db): Promise<boolean> {
      const rows = await tx
        .delete(pushDevices)
        .where(and(eq(pushDevices.id, id), eq(pushDevices.userId, userId)))
        .returning({ id: pushDevices.id });
      return rows.length > 0;
    },

    async deleteDevices(ids: readonly string[], tx: Executor = db): Promise<number> {
      if (ids.length === 0) return 0;
      const rows = await tx.delete(pushDevices).where(inArray(pushDevices.id, [...ids])).returning({ id: pushDevices.id });
      return rows.length;
    },

    async deleteDevicesOfSession(sessionId: string, tx: Executor = db): Promise<number> {
      const rows = await tx.delete(pushDevices).where(eq(pushDevices.sessionId, sessionId)).returning({ id: pushDevices.id });
      return rows.length;
    },

    /** Keeps a user's `keep` most recently seen devices and deletes the rest. */
    async pruneDevices(userId: string, keep: number, tx: Executor = db): Promise<number> {
      const rows = await tx.execute(sql`
        delete from ${pushDevices} where ${pushDevices.id} in (
          select ${pushDevices.id} from ${pushDevices} where ${pushDevices.userId} = ${userId}
          order by ${pushDevices.lastSeenAt} desc, ${pushDevices.createdAt} desc offset ${keep}
        )`);
      return (rows as { rowCount?: number; affectedRows?: number }).rowCount ?? (rows as { affectedRows?: number }).affectedRows ?? 0;
    },

    // ------------------------------------------------------------ profiles (read only; owned by auth)

    /**
     * Users who could receive something: at least one device and at least one channel switched on.
     * Paged by user id so a large install is scanned in bounded steps.
     */
    async candidates(afterUserId: string | null, limit: number, tx: Executor = db) {
      return tx
        .select({ userId: profiles.userId, timezone: profiles.timezone, prefs: profiles.notificationPrefs })
        .from(profiles)
        .where(
          and(
            afterUserId ? sql`${profiles.userId} > ${afterUserId}` : undefined,
            sql`exists (select 1 from ${pushDevices} where ${pushDevices.userId} = ${profiles.userId})`,
            sql`((${profiles.notificationPrefs} -> 'channels') @> '{"daily_reminder": true}'::jsonb
              or (${profiles.notificationPrefs} -> 'channels') @> '{"weekly_summary": true}'::jsonb
              or (${profiles.notificationPrefs} -> 'channels') @> '{"streak": true}'::jsonb)`,
          ),
        )
        .orderBy(asc(profiles.userId))
        .limit(limit);
    },

    async profilesOf(userIds: readonly string[], tx: Executor = db) {
      if (userIds.length === 0) return [];
      return tx
        .select({ userId: profiles.userId, timezone: profiles.timezone, prefs: profiles.notificationPrefs })
        .from(profiles)
        .where(inArray(profiles.userId, [...userIds]));
    },

    // ------------------------------------------------------------ notification log

    /** Serialises scheduling for one user inside a transaction, so the daily cap holds under concurrency. */
    async lockUser(userId: string, tx: Executor) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`notifications:${userId}`}, 0))`);
    },

    async countSince(userId: string, since: Date, statuses: readonly NotificationStatus[], tx: Executor = db): Promise<number> {
      const [row] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(notificationLog)
        .where(and(eq(notificationLog.userId, userId), gte(notificationLog.createdAt, since), inArray(notificationLog.status, [...statuses])));
      return Number(row?.count ?? 0);
    },

    /** Claims a notification by its dedupe key; null when it was claimed before (never the same reason twice). */
    async claim(
      values: { userId: string; kind: NotificationKind; dedupeKey: string; status: NotificationStatus; error?: string | null; at: Date },
      tx: Executor = db,
    ): Promise<string | null> {
      const rows = await tx
        .insert(notificationLog)
        .values({ userId: values.userId, kind: values.kind, dedupeKey: values.dedupeKey, status: values.status, error: values.error ?? null, createdAt: values.at })
        .onConflictDoNothing({ target: notificationLog.dedupeKey })
        .returning({ id: notificationLog.id });
      return rows[0]?.id ?? null;
    },

    async findNotifications(ids: readonly string[], tx: Executor = db): Promise<NotificationRow[]> {
      if (ids.length === 0) return [];
      return tx.select().from(notificationLog).where(inArray(notificationLog.id, [...ids]));
    },

    /** Moves rows from one status to another; only rows still in `from` change (a concurrent run loses). */
    async transition(ids: readonly string[], from: readonly NotificationStatus[], to: NotificationStatus, error: string | null, tx: Executor = db): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await tx
        .update(notificationLog)
        .set({ status: to, error })
        .where(and(inArray(notificationLog.id, [...ids]), inArray(notificationLog.status, [...from])))
        .returning({ id: notificationLog.id });
      return rows.map((row) => row.id);
    },

    async markSent(id: string, ticketIds: string[], error: string | null, tx: Executor = db): Promise<void> {
      await tx
        .update(notificationLog)
        .set({ status: 'sent', ticketIds, error })
        .where(and(eq(notificationLog.id, id), eq(notificationLog.status, 'sending')));
    },

    async markReceiptsChecked(ids: readonly string[], at: Date, tx: Executor = db): Promise<void> {
      if (ids.length === 0) return;
      await tx
        .update(notificationLog)
        .set({ receiptsCheckedAt: at })
        .where(and(inArray(notificationLog.id, [...ids]), isNull(notificationLog.receiptsCheckedAt)));
    },

    /** Notes a delivery error from a receipt without changing the status (the notification did go out). */
    async noteError(id: string, error: string, tx: Executor = db): Promise<void> {
      await tx.update(notificationLog).set({ error }).where(eq(notificationLog.id, id));
    },
  };
}

export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
