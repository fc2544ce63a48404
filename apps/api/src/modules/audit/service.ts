import type { Database, Executor } from '../../infra/db.js';
import { createAuditRepo } from './repo.js';

/** Small scalar facts only: ids, counts, reasons, names of changed fields. */
export type AuditMetadata = Record<string, string | number | boolean | null | readonly string[]>;

export interface AuditEvent {
  /** The account the event is about; null when there is none (e.g. a failed login for an unknown email). */
  userId: string | null;
  actor: 'user' | 'system' | 'admin' | 'store';
  /** A stable snake_case name, e.g. `login`, `refresh_reuse`, `profile_updated`. */
  action: string;
  targetType?: string;
  targetId?: string;
  requestId?: string;
  /** Keyed hash of the client address, never the address itself. */
  ipHash?: string;
  /** Never text the user wrote, never secrets or tokens. */
  metadata?: AuditMetadata;
  /** Defaults to the database's clock; pass `infra.now()` where tests move time. */
  at?: Date;
}

/**
 * The audit log (§11.1): security-relevant events (auth, entitlement changes, deletes, safety)
 * for every module. Pass the caller's transaction so the event commits or rolls back with its cause.
 */
export function createAuditService({ db }: { db: Database }) {
  const repo = createAuditRepo(db);
  return {
    async record(event: AuditEvent, tx?: Executor): Promise<void> {
      await repo.insert(
        {
          userId: event.userId,
          actor: event.actor,
          action: event.action,
          targetType: event.targetType ?? null,
          targetId: event.targetId ?? null,
          requestId: event.requestId ?? null,
          ipHash: event.ipHash ?? null,
          metadata: event.metadata ?? {},
          ...(event.at ? { createdAt: event.at } : {}),
        },
        tx,
      );
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
