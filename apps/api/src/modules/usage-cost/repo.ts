import { and, eq, gte, sql } from 'drizzle-orm';
import { aiUsageEvents, auditEvents } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';
import type { AiUsageEvent } from '../ai-gateway/service.js';

/** Every SQL statement of the usage-cost module. */
export function createUsageRepo(db: Executor) {
  return {
    /** Writes usage rows; `at` is the service clock's time, the same the cache counters were keyed by. */
    async insertUsage(rows: { event: AiUsageEvent; at: Date }[]) {
      if (rows.length === 0) return;
      await db.insert(aiUsageEvents).values(
        rows.map(({ event, at }) => ({
          userId: event.userId,
          requestId: event.requestId,
          feature: event.feature,
          task: event.task,
          promptVersion: event.promptVersion,
          lane: event.lane,
          provider: event.provider,
          deployment: event.deployment,
          model: event.model,
          inputTokens: event.inputTokens,
          outputTokens: event.outputTokens,
          costMicros: event.costMicros,
          latencyMs: Math.round(event.latencyMs),
          outcome: event.outcome,
          attempt: event.attempt,
          estimated: event.estimated,
          createdAt: at,
        })),
      );
    },
    /** Spend since `from`: the source of truth when the cache has no counter (restart, eviction). */
    async spendSince(from: Date): Promise<number> {
      const [row] = await db
        .select({ total: sql<string | null>`coalesce(sum(${aiUsageEvents.costMicros}), 0)` })
        .from(aiUsageEvents)
        .where(gte(aiUsageEvents.createdAt, from));
      return Number(row?.total ?? 0);
    },
    /** Model tokens a user used since `from` (local answers cost nothing and are not counted). */
    async userTokensSince(userId: string, from: Date): Promise<number> {
      const [row] = await db
        .select({ total: sql<string | null>`coalesce(sum(${aiUsageEvents.inputTokens} + ${aiUsageEvents.outputTokens}), 0)` })
        .from(aiUsageEvents)
        .where(and(eq(aiUsageEvents.userId, userId), gte(aiUsageEvents.createdAt, from), sql`${aiUsageEvents.provider} <> 'local'`));
      return Number(row?.total ?? 0);
    },
    async alertAlreadySent(key: string): Promise<boolean> {
      const [row] = await db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'spend_alert'), eq(auditEvents.targetId, key)))
        .limit(1);
      return row !== undefined;
    },
  };
}
export type UsageRepo = ReturnType<typeof createUsageRepo>;
