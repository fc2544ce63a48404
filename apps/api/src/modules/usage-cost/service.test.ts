import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, inArray } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { aiUsageEvents, auditEvents } from '../../db/schema.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser } from '../../test/factories.js';
import type { AiUsageEvent } from '../ai-gateway/service.js';
import { createAuditService } from '../audit/service.js';
import { createUsageRepo } from './repo.js';
import { createUsageCostService } from './service.js';

// The cost guard against the real database and cache of the run (PGlite + memory, or PostgreSQL + Redis).
let ctx: TestContext;
let webhook: Server;
let webhookUrl: string;
const alertsReceived: Record<string, unknown>[] = [];

beforeAll(async () => {
  ctx = await createTestApp();
  webhook = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      alertsReceived.push(JSON.parse(body) as Record<string, unknown>);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/alerts`;
});
afterAll(async () => {
  await new Promise((resolve) => webhook.close(resolve));
  await ctx.close();
});
beforeEach(() => {
  alertsReceived.length = 0;
});

// Each test works in its own month, so spend counters and alerts never meet.
let monthOffset = 0;
function serviceInOwnMonth(capMicros: number) {
  monthOffset += 1;
  const time = { now: new Date(Date.UTC(2030, monthOffset, 10, 12)) };
  const db = ctx.infra.database.db;
  const service = createUsageCostService({
    repo: createUsageRepo(db),
    cache: ctx.infra.cache,
    now: () => time.now,
    audit: createAuditService({ db }),
    logger: pino({ level: 'silent' }),
    settings: { monthlyCapMicros: capMicros, lensLocalAt: 0.8, spectrumPauseAt: 0.95, alertWebhookUrl: webhookUrl },
  });
  return { service, time, month: time.now.toISOString().slice(0, 7) };
}

const usageEvent = (overrides: Partial<AiUsageEvent>): AiUsageEvent => ({
  userId: null,
  feature: 'turn',
  task: 'turn.reframe',
  promptVersion: 'turn.reframe@test',
  lane: 'quality',
  provider: 'openai-compatible',
  deployment: 'test',
  model: 'test-model',
  inputTokens: 100,
  outputTokens: 50,
  costMicros: 0,
  latencyMs: 12,
  outcome: 'ok',
  attempt: 1,
  estimated: false,
  requestId: null,
  ...overrides,
});

describe('usage-cost service', () => {
  test('spend alerts at 50, 80 and 95 percent are sent once each: log, audit event and webhook', async () => {
    const { service, month } = serviceInOwnMonth(1_000);
    await service.recordUsage(usageEvent({ costMicros: 400 }));
    expect(alertsReceived).toHaveLength(0);
    await service.recordUsage(usageEvent({ costMicros: 150 }));
    await service.recordUsage(usageEvent({ costMicros: 300 }));
    await service.recordUsage(usageEvent({ costMicros: 10 }));
    expect(alertsReceived.map((a) => a.thresholdPercent)).toEqual([50, 80]);
    await service.recordUsage(usageEvent({ costMicros: 200 }));
    await service.recordUsage(usageEvent({ costMicros: 200 }));
    expect(alertsReceived.map((a) => a.thresholdPercent)).toEqual([50, 80, 95]);
    expect(alertsReceived[0]).toMatchObject({ event: 'kalei.spend_alert', month, capMicros: 1_000 });

    const audited = await ctx.infra.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'spend_alert'));
    expect(audited.filter((row) => row.targetId?.startsWith(month)).map((row) => row.targetId)).toEqual([`${month}:50`, `${month}:80`, `${month}:95`]);
    expect(await service.monthSpend()).toBe(1_260);
  });

  test('a lost spend counter is rebuilt from recorded usage, and an alert already audited is not sent again', async () => {
    const { service, month } = serviceInOwnMonth(1_000);
    await service.recordUsage(usageEvent({ costMicros: 600 }));
    expect(alertsReceived.map((a) => a.thresholdPercent)).toEqual([50]);
    // The cache loses everything for this month (restart of an in-process cache, Redis eviction).
    await ctx.infra.cache.del(`spend:${month}`);
    await ctx.infra.cache.del(`spend-alert:${month}:50`);

    await service.recordUsage(usageEvent({ costMicros: 100 }));
    expect(await service.monthSpend()).toBe(700);
    expect(alertsReceived.map((a) => a.thresholdPercent)).toEqual([50]);
    await service.recordUsage(usageEvent({ costMicros: 150 }));
    expect(alertsReceived.map((a) => a.thresholdPercent)).toEqual([50, 80]);
  });

  test('a reservation holds its estimate until settled, and settling twice takes it back once', async () => {
    const { service, month } = serviceInOwnMonth(10_000);
    await service.recordUsage(usageEvent({ costMicros: 1_000 }));
    const held = await service.reserve(4_000);
    expect(await service.monthSpend()).toBe(5_000);
    await service.recordUsage(usageEvent({ costMicros: 900 }));
    await held.settle();
    await held.settle();
    expect(await service.monthSpend()).toBe(1_900);

    // A counter lost while a call runs is rebuilt without the estimate, and settling leaves it alone.
    const second = await service.reserve(4_000);
    await ctx.infra.cache.del(`spend:${month}`);
    await second.settle();
    expect(await ctx.infra.cache.get(`spend:${month}`)).toBeNull();
    expect(await service.monthSpend()).toBe(1_900);
  });

  test('usage rows are written in batches, each with the service clock, and flush writes what is waiting', async () => {
    const { service, time } = serviceInOwnMonth(0);
    const { userId } = await registerUser(ctx.app);
    const countRows = async () => (await ctx.infra.database.db.select().from(aiUsageEvents).where(eq(aiUsageEvents.userId, userId))).length;
    for (let i = 0; i < 5; i++) await service.recordUsage(usageEvent({ userId, requestId: `req-${i}` }));
    expect(await countRows()).toBe(0);
    await service.flush();
    const rows = await ctx.infra.database.db.select().from(aiUsageEvents).where(eq(aiUsageEvents.userId, userId));
    expect(rows.map((row) => row.requestId).sort()).toEqual(['req-0', 'req-1', 'req-2', 'req-3', 'req-4']);
    expect(rows.every((row) => row.createdAt.getTime() === time.now.getTime())).toBe(true);

    // Without a flush the rows still arrive, a moment later.
    await service.recordUsage(usageEvent({ userId, requestId: 'later' }));
    await vi.waitFor(async () => expect(await countRows()).toBe(6), { timeout: 2_000, interval: 20 });
  });

  test('a row whose user is gone does not take the rest of its batch with it', async () => {
    const { service } = serviceInOwnMonth(0);
    const { userId } = await registerUser(ctx.app);
    await service.recordUsage(usageEvent({ userId, requestId: 'kept-1' }));
    await service.recordUsage(usageEvent({ userId: '00000000-0000-4000-8000-000000000000', requestId: 'orphan' }));
    await service.recordUsage(usageEvent({ userId, requestId: 'kept-2' }));
    await service.flush();
    const rows = await ctx.infra.database.db.select().from(aiUsageEvents).where(eq(aiUsageEvents.userId, userId));
    expect(rows.map((row) => row.requestId).sort()).toEqual(['kept-1', 'kept-2']);
    // The orphan's spend is not lost: it is kept with the user detached.
    const [orphan] = await ctx.infra.database.db.select().from(aiUsageEvents).where(eq(aiUsageEvents.requestId, 'orphan'));
    expect(orphan?.userId).toBeNull();
  });

  test('usage rows still buffered when their account is deleted are kept, detached, and nothing logs the raw user id', async () => {
    const lines: string[] = [];
    const logged = createUsageCostService({
      repo: createUsageRepo(ctx.infra.database.db),
      cache: ctx.infra.cache,
      now: () => new Date(),
      audit: createAuditService({ db: ctx.infra.database.db }),
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
      settings: { monthlyCapMicros: 0, lensLocalAt: 0.8, spectrumPauseAt: 0.95, alertWebhookUrl: undefined },
    });
    const user = await registerUser(ctx.app);
    await logged.recordUsage(usageEvent({ userId: user.userId, requestId: 'before-delete', costMicros: 1234 }));
    const deleted = await ctx.app.inject({ method: 'DELETE', url: '/v1/me', headers: user.auth, payload: { confirm: 'delete my account' } });
    expect(deleted.statusCode, deleted.body).toBeLessThan(300);
    await logged.recordUsage(usageEvent({ userId: user.userId, requestId: 'after-delete', costMicros: 99 }));
    await logged.flush();
    const rows = await ctx.infra.database.db
      .select()
      .from(aiUsageEvents)
      .where(inArray(aiUsageEvents.requestId, ['before-delete', 'after-delete']));
    expect(rows.map((row) => [row.requestId, row.userId, row.costMicros]).sort()).toEqual([
      ['after-delete', null, 99],
      ['before-delete', null, 1234],
    ]);
    expect(lines.join('\n')).not.toContain(user.userId);
  });

  test('the degradation order follows the month spend: Lens local first, Spectrum paused, then every task local', async () => {
    const { service } = serviceInOwnMonth(1_000);
    const user = { userId: null, dailyTokenBudget: 1_000_000 };
    expect(await service.decide('lens.affirmation', user)).toMatchObject({ forceLocal: false, reason: 'normal' });
    await service.recordUsage(usageEvent({ costMicros: 800 }));
    expect(await service.decide('lens.affirmation', user)).toMatchObject({ forceLocal: true, reason: 'lens_degraded' });
    expect(await service.decide('turn.reframe', user)).toMatchObject({ forceLocal: false, reason: 'normal' });
    await service.recordUsage(usageEvent({ costMicros: 150 }));
    expect(await service.decide('spectrum.narrative', user)).toMatchObject({ paused: true, reason: 'spectrum_paused' });
    await service.recordUsage(usageEvent({ costMicros: 50 }));
    expect(await service.decide('turn.reframe', user)).toMatchObject({ forceLocal: true, reason: 'spend_cap_reached' });
    expect(await service.decide('safety.confirm', user)).toMatchObject({ forceLocal: false, reason: 'normal' });
  });

  test("a user's model tokens count against their daily budget, local answers do not, and the count survives a lost counter", async () => {
    const { service, time } = serviceInOwnMonth(0);
    const { userId } = await registerUser(ctx.app);
    const budget = { userId, dailyTokenBudget: 1_000 };
    await service.recordUsage(usageEvent({ userId, inputTokens: 400, outputTokens: 200 }));
    await service.recordUsage(usageEvent({ userId, provider: 'local', deployment: 'local', inputTokens: 900, outputTokens: 900 }));
    expect(await service.decide('turn.reframe', budget)).toMatchObject({ forceLocal: false, reason: 'normal' });

    await ctx.infra.cache.del(`tokens:${userId}:${time.now.toISOString().slice(0, 10)}`);
    await service.recordUsage(usageEvent({ userId, inputTokens: 300, outputTokens: 100 }));
    expect(await service.decide('turn.reframe', budget)).toMatchObject({ forceLocal: true, reason: 'user_budget_spent' });

    await service.flush();
    const rows = await ctx.infra.database.db.select().from(aiUsageEvents).where(and(eq(aiUsageEvents.userId, userId)));
    expect(rows).toHaveLength(3);

    // A new day starts a new budget.
    time.now = new Date(time.now.getTime() + 24 * 60 * 60 * 1000);
    expect(await service.decide('turn.reframe', budget)).toMatchObject({ forceLocal: false, reason: 'normal' });
  });
});
