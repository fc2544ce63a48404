/**
 * Shared steps of the billing tests: access tokens at the moved test clock, the entitlement
 * view through HTTP, and running queued billing jobs through their real handlers.
 */
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Entitlements } from '@kalei/contracts/billing';
import { entitlementSnapshots } from '../db/schema.js';
import { createAccessTokens } from '../modules/auth/tokens.js';
import { ensureBillingQueues } from '../modules/billing/index.js';
import { BILLING_QUEUES, type BillingService } from '../modules/billing/service.js';
import type { TestContext } from './app.js';
import type { RegisteredUser } from './factories.js';

/** Overrides for createTestApp: billing tests move the clock by months, so sessions must outlive that. */
export const longSessions = { SESSION_ABSOLUTE_TTL_DAYS: '365', SESSION_IDLE_TTL_DAYS: '365' };

/** A fresh access token at the test clock (the one from registration expires as the clock moves). */
export async function authAt(ctx: TestContext, user: Pick<RegisteredUser, 'userId' | 'sessionId'>) {
  const tokens = createAccessTokens({
    signingKeys: ctx.infra.secrets.signingKeys,
    issuer: ctx.infra.config.AUTH_ISSUER,
    audience: ctx.infra.config.AUTH_AUDIENCE,
    ttlSeconds: ctx.infra.config.ACCESS_TOKEN_TTL_SECONDS,
    now: () => ctx.clock.now,
  });
  const { token } = await tokens.sign({ userId: user.userId, sessionId: user.sessionId });
  return { authorization: `Bearer ${token}` };
}

/** GET /v1/billing/entitlements as `user`. */
export async function entitlementsOf(ctx: TestContext, user: RegisteredUser): Promise<Entitlements> {
  const res = await ctx.app.inject({ method: 'GET', url: '/v1/billing/entitlements', headers: await authAt(ctx, user) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Entitlements;
}

/**
 * Runs every queued `billing-process-event` and `billing-refresh-subscription` job through the
 * real handlers, as the worker would (a failing job is failed, so pg-boss retries it later);
 * returns how many ran.
 */
export async function drainBillingJobs(ctx: TestContext, billing: BillingService): Promise<number> {
  await ensureBillingQueues(ctx.infra.boss);
  const handlers: [string, (data: Record<string, string>) => Promise<unknown>][] = [
    [BILLING_QUEUES.processEvent, (data) => billing.processEvent(data.eventId!)],
    [BILLING_QUEUES.refreshSubscription, (data) => billing.refreshSubscription(data.subscriptionId!)],
  ];
  let count = 0;
  for (;;) {
    let ran = 0;
    for (const [queue, handle] of handlers) {
      const jobs = await ctx.infra.boss.fetch<Record<string, string>>(queue, { batchSize: 20 });
      for (const job of jobs) {
        try {
          await handle(job.data);
          await ctx.infra.boss.complete(queue, job.id);
        } catch (error) {
          await ctx.infra.boss.fail(queue, job.id, { message: (error as Error).message });
        }
        ran += 1;
      }
    }
    if (ran === 0) return count;
    count += ran;
  }
}

/** The user's entitlement snapshots, oldest first. */
export async function snapshotsOf(ctx: TestContext, userId: string) {
  return ctx.infra.database.db.select().from(entitlementSnapshots).where(eq(entitlementSnapshots.userId, userId)).orderBy(entitlementSnapshots.createdAt);
}

/** A logger that says nothing. */
export const silentLog = { info() {}, warn() {}, error() {} };
