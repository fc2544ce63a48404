import type { AiTaskName } from '@kalei/contracts/ai-tasks';
import type { Logger } from 'pino';
import type { Cache } from '../../infra/cache.js';
import { localDate, nextLocalMidnight, startOfLocalDate } from '../../lib/time.js';
import type { AiUsageEvent } from '../ai-gateway/service.js';
import type { AuditRecorder } from '../entitlements/service.js';
import { crossedThresholds, decideRouting, monthStart, spendMonth, type DegradationPolicy, type RoutingDecision } from './fns.js';
import type { UsageRepo } from './repo.js';

const MONTH_TTL_MS = 40 * 24 * 60 * 60 * 1000;
/** Usage rows are written in batches: at most this long after the attempt, or at this many rows. */
const USAGE_FLUSH_MS = 50;
const USAGE_BATCH_ROWS = 200;
/** Token budgets are per UTC day: the meter runs inside the gateway, which knows no user timezone. */
const BUDGET_ZONE = 'UTC';

export interface UsageCostSettings extends DegradationPolicy {
  /** Global monthly AI spend cap in micro-units of currency; 0 means no cap. */
  monthlyCapMicros: number;
  /** Optional URL that receives a JSON POST for each spend alert. */
  alertWebhookUrl?: string | undefined;
}

/** A spend estimate held against the cap while a call runs; settled when it ends. */
export interface SpendReservation {
  settle(): Promise<void>;
}

/**
 * Usage metering and the cost guard: records every AI attempt, keeps the month's spend and each
 * user's daily model tokens in the cache (rebuilt from ai_usage_events when missing), sends the
 * spend alerts once each, and decides how a task may run under budget pressure.
 */
export function createUsageCostService(deps: {
  repo: UsageRepo;
  cache: Cache;
  now: () => Date;
  audit: AuditRecorder;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  settings: UsageCostSettings;
  fetch?: typeof fetch;
}) {
  const { repo, cache, now, audit, logger, settings } = deps;
  const post = deps.fetch ?? fetch;

  const spendKey = (time: Date) => `spend:${spendMonth(time)}`;
  const tokensKey = (userId: string, day: string) => `tokens:${userId}:${day}`;

  // Write-behind for ai_usage_events: one multi-row insert per batch instead of a statement per AI
  // attempt (the counters that enforce budgets are updated at once; these rows are the ledger).
  // The app flushes on close (a crash loses at most USAGE_FLUSH_MS of rows), and a counter being
  // reseeded from the table flushes first, so the ledger it reads is complete.
  const buffered: { event: AiUsageEvent; at: Date }[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const writeBuffered = async () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = buffered.splice(0);
    if (batch.length === 0) return;
    try {
      await repo.insertUsage(batch);
    } catch {
      // One bad row must not take the batch with it. A row whose user was deleted in the meantime
      // is kept with the user detached (as safety events are), so spend totals lose nothing.
      for (const row of batch) {
        await repo.insertUsage([row]).catch(async (error: unknown) => {
          if (databaseErrorCode(error) === FOREIGN_KEY_VIOLATION && row.event.userId !== null) {
            const detached = await repo.insertUsage([{ ...row, event: { ...row.event, userId: null } }]).then(
              () => true,
              () => false,
            );
            if (detached) return;
          }
          // The driver's message carries the statement's parameters (a raw user id): log the code only.
          logger.error({ err: { code: databaseErrorCode(error) }, task: row.event.task }, 'could not record AI usage');
        });
      }
    }
  };

  /** Writes every buffered usage row; resolves when they are stored. */
  const flush = (): Promise<void> => {
    writing = writing.then(writeBuffered);
    return writing;
  };

  const bufferUsage = (event: AiUsageEvent, at: Date) => {
    buffered.push({ event, at });
    if (buffered.length >= USAGE_BATCH_ROWS) void flush();
    else if (!flushTimer) {
      flushTimer = setTimeout(() => void flush(), USAGE_FLUSH_MS);
      flushTimer.unref();
    }
  };

  /** A read of the usage table, after the rows waiting in the buffer are written. */
  const afterFlush = async <T>(read: () => Promise<T>): Promise<T> => {
    await flush();
    return read();
  };

  /** The month's spend counter, seeded from the database the first time it is needed. */
  const monthSpend = async (time: Date): Promise<number> => {
    const key = spendKey(time);
    const cached = await cache.get(key);
    if (cached !== null) return Number(cached);
    const total = await afterFlush(() => repo.spendSince(monthStart(time)));
    await cache.setIfAbsent(key, String(total), MONTH_TTL_MS);
    return Number((await cache.get(key)) ?? total);
  };

  /**
   * Adds to a counter in one round trip while it exists; when the cache lost it (restart,
   * eviction, a new month or day), seeds it from ai_usage_events first.
   */
  const addToCounter = async (key: string, by: number, ttlMs: () => number, seed: () => Promise<number>): Promise<number> => {
    const after = await cache.incrIfExists(key, by);
    if (after !== null) return after;
    await cache.setIfAbsent(key, String(await seed()), ttlMs());
    return cache.incr(key, by, ttlMs());
  };

  const addSpend = async (micros: number, time: Date): Promise<{ before: number; after: number }> => {
    const after = await addToCounter(spendKey(time), micros, () => MONTH_TTL_MS, () => afterFlush(() => repo.spendSince(monthStart(time))));
    return { before: after - micros, after };
  };

  const sendAlert = async (threshold: number, spend: number, time: Date) => {
    const month = spendMonth(time);
    const key = `${month}:${Math.round(threshold * 100)}`;
    if (!(await cache.setIfAbsent(`spend-alert:${key}`, '1', MONTH_TTL_MS))) return;
    if (await repo.alertAlreadySent(key)) return;
    const detail = { month, thresholdPercent: Math.round(threshold * 100), spendMicros: spend, capMicros: settings.monthlyCapMicros };
    logger.warn(detail, 'AI spend alert');
    await audit.record({ userId: null, actor: 'system', action: 'spend_alert', targetType: 'spend_cap', targetId: key, metadata: detail });
    if (settings.alertWebhookUrl) {
      await post(settings.alertWebhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event: 'kalei.spend_alert', ...detail }),
        signal: AbortSignal.timeout(5_000),
      }).catch((error: unknown) => logger.error({ err: { message: (error as Error).message } }, 'spend alert webhook failed'));
    }
  };

  /** The user's budget day: its counter key, and (only needed when seeding) its start and the counter's lifetime. */
  const tokenDay = (userId: string, time: Date) => {
    const day = localDate(time, BUDGET_ZONE);
    return {
      key: tokensKey(userId, day),
      start: () => startOfLocalDate(day, BUDGET_ZONE),
      ttlMs: () => nextLocalMidnight(time, BUDGET_ZONE).getTime() - time.getTime() + 60 * 60 * 1000,
    };
  };

  const userTokensToday = async (userId: string, time: Date): Promise<number> => {
    const { key, start, ttlMs } = tokenDay(userId, time);
    const cached = await cache.get(key);
    if (cached !== null) return Number(cached);
    const total = await afterFlush(() => repo.userTokensSince(userId, start()));
    await cache.setIfAbsent(key, String(total), ttlMs());
    return total;
  };

  const addTokens = (userId: string, tokens: number, time: Date): Promise<number> => {
    const { key, start, ttlMs } = tokenDay(userId, time);
    return addToCounter(key, tokens, ttlMs, () => afterFlush(() => repo.userTokensSince(userId, start())));
  };

  return {
    /** The gateway's recordUsage: counters, one (buffered) row per attempt, alerts. Never throws into the AI path. */
    async recordUsage(event: AiUsageEvent) {
      const time = now();
      try {
        // Counters before the row, so a counter seeded from the table does not count this event twice.
        const userId = event.provider !== 'local' ? event.userId : null;
        const [spend] = await Promise.all([
          event.costMicros > 0 ? addSpend(event.costMicros, time) : null,
          userId ? addTokens(userId, event.inputTokens + event.outputTokens, time) : null,
        ]);
        bufferUsage(event, time);
        if (spend) for (const threshold of crossedThresholds(spend.before, spend.after, settings.monthlyCapMicros)) await sendAlert(threshold, spend.after, time);
      } catch (error) {
        logger.error({ err: { message: (error as Error).message }, task: event.task }, 'could not record AI usage');
      }
    },

    /** How a task may run now for this user (the degradation order and the user's token budget). */
    async decide(task: AiTaskName, user: { userId: string | null; dailyTokenBudget: number }): Promise<RoutingDecision> {
      const time = now();
      const [spend, tokens] = await Promise.all([
        monthSpend(time),
        user.userId ? userTokensToday(user.userId, time) : Promise.resolve(0),
      ]);
      return decideRouting({
        task,
        spendMicros: spend,
        capMicros: settings.monthlyCapMicros,
        userTokensToday: tokens,
        userDailyBudget: user.dailyTokenBudget,
        policy: settings,
      });
    },

    /**
     * Holds an estimate against the month's spend before a call, so concurrent calls see each
     * other's cost; settle() removes it once the real cost has been recorded.
     */
    async reserve(estimateMicros: number): Promise<SpendReservation> {
      const time = now();
      if (estimateMicros <= 0) return { settle: async () => {} };
      await addSpend(estimateMicros, time);
      let settled = false;
      return {
        async settle() {
          if (settled) return;
          settled = true;
          // A counter lost since the reserve is reseeded from recorded usage, which never held the
          // estimate: nothing to take back then (and a negative counter would never be reseeded).
          await cache.incrIfExists(spendKey(time), -estimateMicros);
        },
      };
    },

    monthSpend: () => monthSpend(now()),

    flush,
  };
}
export type UsageCostService = ReturnType<typeof createUsageCostService>;

const FOREIGN_KEY_VIOLATION = '23503';

/** The SQLSTATE of a database error, whether the driver's own or wrapped by drizzle (`cause`). */
function databaseErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
