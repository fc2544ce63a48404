import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestContext } from '../test/app.js';
import { registerUser, type RegisteredUser } from '../test/factories.js';

const TOKEN = 'scrape-token-for-the-metrics-test';
const THOUGHT = 'I always ruin every meeting and my boss must think I am useless.';

describe('metrics, when METRICS_TOKEN is set', () => {
  let ctx: TestContext;
  let user: RegisteredUser;
  beforeAll(async () => {
    ctx = await createTestApp({ METRICS_TOKEN: TOKEN });
    user = await registerUser(ctx.app);
  });
  afterAll(async () => ctx?.close());

  const scrape = async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };
  const turn = (thought: string) => ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: user.auth, payload: { thought } });

  test('a scrape without the token, or with another, is 401 problem+json', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-the-scrape-token-at-all' }, { authorization: user.auth.authorization }]) {
      const res = await ctx.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  test('job queue depth and dead letters are read when scraped', async () => {
    const boss = ctx.infra.boss;
    await boss.createQueue('metrics-probe-dlq');
    await boss.createQueue('metrics-probe', { name: 'metrics-probe', deadLetter: 'metrics-probe-dlq' });
    await boss.send('metrics-probe', { n: 1 });
    await boss.send('metrics-probe', { n: 2 });
    await boss.send('metrics-probe-dlq', { n: 3 });
    const text = await scrape();
    expect(text).toContain('kalei_jobs{queue="metrics-probe",state="queued"} 2');
    expect(text).toContain('kalei_jobs{queue="metrics-probe",state="dead_lettered"} 1');
    expect(text).toContain('kalei_jobs{queue="metrics-probe",state="active"} 0');
    expect(text).not.toContain('queue="metrics-probe-dlq"');
    expect(text).toContain('kalei_jobs_scrape_errors_total 0');
  });

  test('a queue reports how long its oldest due job has waited; a job due later does not count', async () => {
    const boss = ctx.infra.boss;
    await boss.createQueue('metrics-overdue');
    await boss.createQueue('metrics-later');
    // pg-boss takes startAfter as the time the job is due; one due 3 h ago is 3 h overdue.
    await boss.send('metrics-overdue', {}, { startAfter: new Date(Date.now() - 3 * 60 * 60 * 1000) });
    await boss.send('metrics-overdue', {}, { startAfter: new Date(Date.now() - 60 * 1000) });
    await boss.send('metrics-later', {}, { startAfter: new Date(Date.now() + 60 * 60 * 1000) });
    const text = await scrape();
    const overdue = Number(/kalei_jobs_overdue_seconds\{queue="metrics-overdue"\} (\d+)/.exec(text)?.[1]);
    expect(overdue).toBeGreaterThanOrEqual(3 * 60 * 60 - 5);
    expect(overdue).toBeLessThan(3 * 60 * 60 + 120);
    expect(text).toContain('kalei_jobs_overdue_seconds{queue="metrics-later"} 0');
  });

  test("the month's spend against the cap, the dependencies' state and database statement latency", async () => {
    const text = await scrape();
    // AI_MONTHLY_SPEND_CAP defaults to 100 currency units.
    expect(text).toContain('kalei_ai_spend_cap_micros 100000000');
    expect(text).toMatch(/\nkalei_ai_spend_month_micros \d+\n/);
    expect(text).toContain('kalei_dependency_up{dependency="database"} 1');
    if (ctx.infra.cache.kind === 'redis') expect(text).toContain('kalei_dependency_up{dependency="redis"} 1');
    else expect(text).not.toContain('dependency="redis"');
    const statements = Number(/\nkalei_db_query_duration_seconds_count (\d+)/.exec(text)?.[1]);
    if (ctx.infra.database.kind === 'postgres') expect(statements).toBeGreaterThan(0);
    else expect(statements).toBe(0);
  });

  test('requests by route pattern, AI attempts by feature, quota denials and safety escalations are counted', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: user.auth })).statusCode).toBe(200);
    const missing = randomUUID();
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/turns/${missing}`, headers: user.auth })).statusCode).toBe(404);
    expect((await turn('I want to kill myself tonight.')).json().kind).toBe('crisis');
    // The free plan's five turns a day, then a denial.
    for (let i = 0; i < 5; i++) expect((await turn(THOUGHT)).statusCode).toBe(201);
    expect((await turn(THOUGHT)).statusCode).toBe(429);

    const text = await scrape();
    expect(text).toContain('kalei_http_requests_total{method="GET",route="/v1/me",status="200"} 1');
    expect(text).toContain('kalei_http_requests_total{method="GET",route="/v1/turns/:id",status="404"} 1');
    expect(text).toContain('kalei_http_requests_total{method="POST",route="/v1/turns",status="201"} 5');
    expect(text).toMatch(/kalei_http_request_duration_seconds_count\{method="POST",route="\/v1\/turns"\} 7\n/);
    expect(text).toContain('kalei_problems_total{code="quota_exceeded"} 1');
    expect(text).toContain('kalei_problems_total{code="not_found"} 1');
    expect(text).toContain('kalei_ai_attempts_total{feature="turn",task="turn.reframe",provider="local",deployment="local",outcome="ok"} 5');
    expect(text).toMatch(/kalei_ai_tokens_total\{feature="turn",task="turn.reframe",direction="output"\} [1-9]/);
    expect(text).toContain('kalei_safety_events_total{feature="turn",outcome="crisis_stage1"} 1');
    expect(text).toContain('kalei_process_cpu_user_seconds_total');

    // Nothing that identifies a person or what they wrote.
    for (const secret of [user.userId, user.email, ctx.app.hashUserId(user.userId), missing, 'ruin', 'kill']) expect(text).not.toContain(secret);
  });
});

describe('metrics, when METRICS_TOKEN is unset', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(async () => ctx?.close());

  test('there is no /metrics route', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'route_not_found' });
    expect(ctx.app.metrics).toBeNull();
  });
});
