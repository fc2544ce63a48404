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
        ...(event.at ? { createdAt: event.at } : {}),
      });
    },
  };
}
