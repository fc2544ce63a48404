import type { AiTaskInput, AiTaskName } from '@kalei/contracts/ai-tasks';
import { plans, type QuotaFeature } from '@kalei/contracts/plans';
import type { CrisisResponse } from '@kalei/contracts/safety';
import { UnavailableError } from '../../errors.js';
import type { AiGateway, AiRunResult, AiStreamEvent } from '../ai-gateway/service.js';
import type { IdempotencyHandle } from '../../plugins/idempotency.js';
import type { EntitlementsService, QuotaReservation } from '../entitlements/service.js';
import type { SafetyService } from '../safety/service.js';
import type { UsageCostService } from '../usage-cost/service.js';

/** Who is asking: the guard loads the rest (country, locale, timezone) from the profile. */
export interface GuardCaller {
  userId: string;
  requestId?: string;
  /**
   * The request's Idempotency-Key (plugins/idempotency.ts), when it sent one: a retry of an attempt
   * that died holds that attempt's quota unit instead of a second, and `commit` writes the kept
   * answer in the write's own transaction.
   */
  idempotency?: Pick<IdempotencyHandle, 'token' | 'commit'> | null;
}

/** The profile fields the guard needs: timezone for quotas, country and locale for crisis resources. */
export interface GuardProfile {
  country: string | null;
  locale: string;
  timezone: string;
}

export type Guarded<R> = { kind: 'crisis'; crisis: CrisisResponse } | { kind: 'ok'; value: R };

export interface GuardedCall<T extends AiTaskName, R> {
  user: GuardCaller;
  /** Product feature for metering and safety events (turn, mirror, lens, spectrum). */
  feature: string;
  /** The daily quota this request uses, if any: reserved first, given back unless the request completes. */
  quota?: QuotaFeature;
  /** Everything the user wrote in this request: checked before any model sees it. */
  safetyTexts: string[];
  /** The safety risk the conversation already carries (a Mirror session's), so risk spread over messages adds up. */
  priorRisk?: number;
  task: T;
  input: AiTaskInput<T>;
  /** Saves the result (repo writes); a failure here gives the quota back and nothing is half-saved. */
  persist: (result: AiRunResult<T>) => Promise<R>;
}

/**
 * The one path every AI-facing request takes (ARCHITECTURE.md): plan and daily quota, safety
 * precheck (crisis: the crisis response, a safety event, no model call, no quota used), the cost
 * guard's routing decision, the gateway task with a spend estimate held, save, and only then the
 * quota is kept. Routes call this; no feature can skip the gate or the meter.
 */
export function createAiGuard(deps: {
  entitlements: Pick<EntitlementsService, 'reserve' | 'currentPlan'>;
  safety: Pick<SafetyService, 'precheck'>;
  gateway: Pick<AiGateway, 'run' | 'stream'>;
  usage: Pick<UsageCostService, 'decide' | 'reserve'>;
  estimateMicros: <T extends AiTaskName>(task: T, input: AiTaskInput<T>) => number;
  profileOf: (userId: string) => Promise<GuardProfile>;
}) {
  const { entitlements, safety, gateway, usage, profileOf } = deps;

  const screen = async (userId: string, profile: GuardProfile, feature: string, texts: string[], priorRisk?: number): Promise<Guarded<null>> => {
    for (const text of texts) {
      if (text.trim() === '') continue;
      const verdict = await safety.precheck(text, { userId, country: profile.country, locale: profile.locale, feature, ...(priorRisk === undefined ? {} : { priorRisk }) });
      if (verdict.kind === 'crisis') return { kind: 'crisis', crisis: verdict.response };
    }
    return { kind: 'ok', value: null };
  };

  /** Safety only, for user text that no model reads (Lens goals, check-in notes). */
  const checkText = async (user: GuardCaller, feature: string, texts: string[]): Promise<Guarded<null>> =>
    screen(user.userId, await profileOf(user.userId), feature, texts);

  /** Quota, safety and routing: everything before the model. Returns a crisis or what the call needs. */
  const prepare = async <T extends AiTaskName, R>(call: GuardedCall<T, R>) => {
    // Both are cache reads: issued together they share one round trip.
    const [profile, { plan }] = await Promise.all([profileOf(call.user.userId), entitlements.currentPlan(call.user.userId)]);
    const reservation: QuotaReservation | null = call.quota ? await entitlements.reserve(call.user.userId, call.quota, profile.timezone, plan, call.user.idempotency?.token) : null;
    try {
      const verdict = await screen(call.user.userId, profile, call.feature, call.safetyTexts, call.priorRisk);
      if (verdict.kind === 'crisis') {
        await reservation?.release();
        return { kind: 'crisis' as const, crisis: verdict.crisis };
      }
      const decision = await usage.decide(call.task, {
        userId: call.user.userId,
        dailyTokenBudget: plans[plan].dailyTokenBudget,
      });
      if (decision.paused) throw new UnavailableError('This feature is paused for a while to keep costs in hand.', 3600);
      const spend = await usage.reserve(decision.forceLocal ? 0 : deps.estimateMicros(call.task, call.input));
      const ctx = {
        userId: call.user.userId,
        feature: call.feature,
        ...(call.user.requestId ? { requestId: call.user.requestId } : {}),
        forceLocal: decision.forceLocal,
      };
      return { kind: 'ready' as const, reservation, spend, ctx };
    } catch (error) {
      await reservation?.release();
      throw error;
    }
  };

  return {
    checkText,

    /** Runs a gateway task through the whole guarded path. */
    async run<T extends AiTaskName, R>(call: GuardedCall<T, R>): Promise<Guarded<R>> {
      const prepared = await prepare(call);
      if (prepared.kind === 'crisis') return prepared;
      const { reservation, spend, ctx } = prepared;
      try {
        const result = await gateway.run(call.task, call.input, ctx);
        const value = await call.persist(result);
        return { kind: 'ok', value };
      } catch (error) {
        await reservation?.release();
        throw error;
      } finally {
        await spend.settle();
      }
    },

    /**
     * The streaming form of run: `onPartial` sees each partial output as it arrives; the result is
     * persisted once the final event comes. A crisis yields no partials.
     */
    async stream<T extends AiTaskName, R>(
      call: GuardedCall<T, R>,
      onPartial: (event: Extract<AiStreamEvent<T>, { type: 'partial' }>) => void | Promise<void>,
    ): Promise<Guarded<R>> {
      const prepared = await prepare(call);
      if (prepared.kind === 'crisis') return prepared;
      const { reservation, spend, ctx } = prepared;
      try {
        for await (const event of gateway.stream(call.task, call.input, ctx)) {
          if (event.type === 'partial') await onPartial(event);
          else return { kind: 'ok', value: await call.persist(event) };
        }
        throw new UnavailableError('The answer ended early.', 5, 'ai_unavailable');
      } catch (error) {
        await reservation?.release();
        throw error;
      } finally {
        await spend.settle();
      }
    },
  };
}
export type AiGuard = ReturnType<typeof createAiGuard>;
