import { auditEvents } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';

export type AuditEventRow = typeof auditEvents.$inferInsert;

/** Every SQL statement of the audit log. */
export function createAuditRepo(db: Executor) {
  return {
    /** Appends one event; `tx` joins the caller's transaction so the event commits with its cause. */
    async insert(row: AuditEventRow, tx: Executor = db): Promise<void> {
      await tx.insert(auditEvents).values(row);
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
