import { eq } from 'drizzle-orm';
import { auditEvents } from '../db/schema.js';
import type { Executor } from '../infra/db.js';

/** The audit rows naming one target (e.g. a deleted turn's id), as tests compare them. */
export async function auditRowsFor(db: Executor, targetId: string) {
  return db
    .select({
      userId: auditEvents.userId,
      actor: auditEvents.actor,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      requestId: auditEvents.requestId,
      metadata: auditEvents.metadata,
    })
    .from(auditEvents)
    .where(eq(auditEvents.targetId, targetId));
}
