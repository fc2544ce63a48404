import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aiUsageEvents, safetyEvents } from '../../db/schema.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../test/fake-openai-server.js';
import { canaryReport, formatCanaryReport } from './canary-report.js';
import { canaryFor, parseRouting } from './routing.js';

// A weighted, sticky canary through the real API: two OpenAI-compatible servers on loopback, the
// baseline and the canary, and the per-deployment report read back from the database.

const reply = (model: string) => ({
  reframes: [
    { text: `One rough meeting does not decide every meeting that follows (${model}).`, technique: 'evidence_check' },
    { text: 'Even if it goes badly, you have handled hard days before and will again.', technique: 'decatastrophize' },
    { text: 'A friend in your place would get kindness from you; you can offer yourself the same.', technique: 'compassionate_reframe' },
  ],
  microAction: { text: 'Write down one thing that went fine today.', minutes: 3 },
  traps: ['overgeneralization'],
});

let baseline: FakeOpenAi;
let canary: FakeOpenAi;
let ctx: TestContext;
let routingJson: unknown;
let canaryDown = false;

beforeAll(async () => {
  baseline = await startFakeOpenAi({ fallback: { kind: 'reply', content: JSON.stringify(reply('base-1')), usage: { prompt_tokens: 10, completion_tokens: 20 } } });
  canary = await startFakeOpenAi({
    fallback: () =>
      canaryDown ? { kind: 'error', status: 500 } : { kind: 'reply', content: JSON.stringify(reply('canary-2')), usage: { prompt_tokens: 10, completion_tokens: 20 } },
  });
  routingJson = {
    lanes: { quality: [{ name: 'base', provider: 'openai-compatible', baseUrl: baseline.baseUrl, model: 'base-1', maxRetries: 0 }] },
    canaries: {
      quality: { deployment: { name: 'canary', provider: 'openai-compatible', baseUrl: canary.baseUrl, model: 'canary-2', maxRetries: 0 }, percent: 50, salt: 'test-rollout' },
    },
  };
  ctx = await createTestApp({ AI_ROUTING: JSON.stringify(routingJson), SAFETY_STAGE2: 'false' });
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await baseline?.close();
  await canary?.close();
});

const turn = (user: RegisteredUser, thought: string) =>
  ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: user.auth, payload: { thought } });

describe('model canary', () => {
  test('a share of users goes to the canary first, each user always to the same one, and the report counts usage and outcomes per deployment', async () => {
    const routing = parseRouting(routingJson, {});
    const users: RegisteredUser[] = [];
    // Enough users that both arms are present (the assignment is a hash: 50% of ids).
    while (users.length < 8 || !users.some((u) => canaryFor(routing, 'quality', u.userId)) || users.every((u) => canaryFor(routing, 'quality', u.userId))) {
      users.push(await registerUser(ctx.app));
      if (users.length > 60) throw new Error('no mix of arms in 60 users');
    }
    const armOf = (u: RegisteredUser) => (canaryFor(routing, 'quality', u.userId) ? 'canary' : 'baseline');
    for (const user of users) {
      const models = new Set<string>();
      for (const thought of ['I always mess up meetings.', 'Nobody at work ever listens to me.']) {
        const res = await turn(user, thought);
        expect(res.statusCode, res.body).toBe(201);
        const body = (res.json() as { turn: { id: string; engine: { model: string } } }).turn;
        models.add(body.engine.model);
        // Canary users rate their reframes helpful, the others not: the report must tell them apart.
        const fb = await ctx.app.inject({
          method: 'POST',
          url: `/v1/turns/${body.id}/feedback`,
          headers: user.auth,
          payload: { reframeIndex: 0, helpful: armOf(user) === 'canary' },
        });
        expect(fb.statusCode, fb.body).toBe(200);
      }
      expect([...models]).toEqual([armOf(user) === 'canary' ? 'canary-2' : 'base-1']);
    }
    const canaryUsers = users.filter((u) => armOf(u) === 'canary');
    const baselineUsers = users.filter((u) => armOf(u) === 'baseline');

    // One canary user writes something that escalates: the escalation lands in the canary arm.
    const crisis = await turn(canaryUsers[0]!, 'I want to kill myself tonight.');
    expect(crisis.statusCode).toBeLessThan(500);
    const [escalations] = await ctx.infra.database.db.select({ n: count() }).from(safetyEvents);
    expect(escalations?.n).toBeGreaterThan(0);

    // A failing canary costs its users a failed attempt, not the answer: the lane answers.
    canaryDown = true;
    const failedOver = await turn(canaryUsers[0]!, 'Everyone thinks I am boring.');
    expect(failedOver.statusCode).toBe(201);
    expect((failedOver.json() as { turn: { engine: { model: string } } }).turn.engine.model).toBe('base-1');
    canaryDown = false;

    // Usage rows are written in batches: wait for every attempt (2 per user, then 2 for the failover).
    const expected = users.length * 2 + 2;
    for (let i = 0; i < 100; i++) {
      const [row] = await ctx.infra.database.db.select({ n: count() }).from(aiUsageEvents);
      if ((row?.n ?? 0) >= expected) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const since = new Date(Date.now() - 3_600_000);
    const [quality, economy] = await canaryReport(ctx.infra.database.db, routing, since);
    expect(economy?.canary).toBeNull();
    expect(quality?.canary).toEqual({ deployment: 'canary', percent: 50 });
    const usage = Object.fromEntries((quality?.usage ?? []).map((u) => [u.deployment, u]));
    expect(usage.canary).toMatchObject({ attempts: canaryUsers.length * 2 + 1, ok: canaryUsers.length * 2, failed: 1 });
    expect(usage.base).toMatchObject({ attempts: baselineUsers.length * 2 + 1, ok: baselineUsers.length * 2 + 1, failed: 0 });
    const arms = Object.fromEntries((quality?.arms ?? []).map((a) => [a.arm, a]));
    expect(arms.canary).toMatchObject({ users: canaryUsers.length, feedback: canaryUsers.length * 2, helpful: canaryUsers.length * 2, helpfulRate: 1 });
    expect(arms.baseline).toMatchObject({ users: baselineUsers.length, feedback: baselineUsers.length * 2, helpful: 0, helpfulRate: 0, safetyEscalations: 0 });
    expect(arms.canary?.safetyEscalations).toBeGreaterThan(0);
    const text = formatCanaryReport([quality!, economy!], since);
    expect(text).toContain('canary canary at 50% of users');
    expect(text).toMatch(/\| canary \| \d+ \| \d+ \| 1 \|/);
  }, 120_000);
});
