import { desc, gte, sql } from 'drizzle-orm';
import { safetyEvents } from '../../db/schema.js';
import { rowsOf, type Executor } from '../../infra/db.js';

/** One safety event as the review sees it: no user id, no text. */
export interface ReviewEvent {
  createdAt: Date;
  feature: string;
  stage: number;
  outcome: string;
  ruleIds: string[];
  stage1Score: number | null;
  stage2Confidence: number | null;
  classifierScore: number | null;
  version: string | null;
}

/** Counts of events since a point in time, by one key. */
export interface ReviewCount {
  key: string;
  n: number;
}

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

    /** The most recent events since `since`, newest first, without user ids. */
    async recentEvents(since: Date, limit: number): Promise<ReviewEvent[]> {
      return db
        .select({
          createdAt: safetyEvents.createdAt,
          feature: safetyEvents.feature,
          stage: safetyEvents.stage,
          outcome: safetyEvents.outcome,
          ruleIds: safetyEvents.ruleIds,
          stage1Score: safetyEvents.stage1Score,
          stage2Confidence: safetyEvents.stage2Confidence,
          classifierScore: safetyEvents.classifierScore,
          version: safetyEvents.version,
        })
        .from(safetyEvents)
        .where(gte(safetyEvents.createdAt, since))
        .orderBy(desc(safetyEvents.createdAt))
        .limit(limit);
    },

    /**
     * The distribution of events since `since`: by outcome, stage, feature, version, rule id
     * (stripped of its ~soft suffix) and classifier score band (tenths), each as `{ key, n }`.
     */
    async distribution(since: Date): Promise<Record<'outcome' | 'stage' | 'feature' | 'version' | 'rule' | 'classifierBand', ReviewCount[]>> {
      const at = since.toISOString();
      const result = await db.execute(sql`
        with e as (select * from safety_events where created_at >= ${at}::timestamptz)
        select 'outcome' as dim, outcome as key, count(*)::int as n from e group by outcome
        union all select 'stage', stage::text, count(*)::int from e group by stage
        union all select 'feature', feature, count(*)::int from e group by feature
        union all select 'version', coalesce(version, '(none)'), count(*)::int from e group by version
        union all select 'rule', split_part(r, '~', 1), count(*)::int from e cross join unnest(e.rule_ids) as r group by split_part(r, '~', 1)
        union all select 'classifierBand', to_char(least(floor(classifier_score * 10), 9) / 10, 'FM0.0'), count(*)::int from e where classifier_score is not null group by 2`);
      const out = { outcome: [], stage: [], feature: [], version: [], rule: [], classifierBand: [] } as Record<'outcome' | 'stage' | 'feature' | 'version' | 'rule' | 'classifierBand', ReviewCount[]>;
      for (const row of rowsOf<{ dim: keyof typeof out; key: string; n: number }>(result)) out[row.dim].push({ key: row.key, n: Number(row.n) });
      for (const list of Object.values(out)) list.sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
      return out;
    },
  };
}
