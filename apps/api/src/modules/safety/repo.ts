import { safetyEvents } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';

/** Every SQL statement of the safety module: events without any of the user's text. */
export function createSafetyRepo(db: Executor) {
  return {
    async insertEvent(event: {
      userId: string | null;
      feature: string;
      categories: string[];
      stage: number;
      ruleIds: string[];
      country: string | null;
      outcome: string;
      stage1Score?: number | null;
      stage2Confidence?: number | null;
      classifierScore?: number | null;
      version?: string | null;
      at?: Date;
    }) {
      await db.insert(safetyEvents).values({
        userId: event.userId,
        feature: event.feature,
        categories: event.categories,
        stage: event.stage,
        ruleIds: event.ruleIds,
        country: event.country,
        outcome: event.outcome,
        stage1Score: event.stage1Score ?? null,
        stage2Confidence: event.stage2Confidence ?? null,
        classifierScore: event.classifierScore ?? null,
        version: event.version ?? null,
        ...(event.at ? { createdAt: event.at } : {}),
      });
    },
  };
}
