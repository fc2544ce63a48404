import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser } from '../../test/factories.js';
import { createSafetyRepo } from './repo.js';
import { runSafetyCommand, SafetyUsageError, type SafetyReview } from './review.js';

let ctx: TestContext;
let userId: string;
const now = new Date('2026-12-07T12:00:00.000Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

beforeAll(async () => {
  ctx = await createTestApp();
  userId = (await registerUser(ctx.app)).userId;
  const repo = createSafetyRepo(ctx.infra.database.db);
  const base = { userId, country: 'US', categories: ['suicidal_ideation'] };
  await repo.insertEvent({ ...base, feature: 'turn', stage: 1, ruleIds: ['si.kill_myself', 'si.want_die~history'], outcome: 'crisis_stage1', stage1Score: 0.97, version: 'stage1@x', at: daysAgo(1) });
  await repo.insertEvent({ ...base, feature: 'mirror', stage: 2, ruleIds: ['si.disappear'], outcome: 'cleared_classifier', stage1Score: 0.5, classifierScore: 0.04, version: 'stage1@x+crisis-lr-2', at: daysAgo(2) });
  await repo.insertEvent({ ...base, feature: 'mirror', stage: 2, ruleIds: [], outcome: 'crisis_conversation', stage1Score: 0, classifierScore: 0.65, version: 'stage1@x+crisis-lr-2', at: daysAgo(3) });
  await repo.insertEvent({ ...base, feature: 'lens', stage: 1, ruleIds: ['sh.cut_myself'], outcome: 'crisis_stage1', at: daysAgo(20) });
});
afterAll(async () => ctx?.close());

describe('npm run safety -- review', () => {
  test('lists the window’s events and their distribution by outcome, stage, feature, version, rule and score band', async () => {
    const review = JSON.parse(await runSafetyCommand(ctx.infra.database.db, ['review', '--json'], now)) as SafetyReview;
    expect(review).toMatchObject({ days: 7, total: 3, escalations: 2, cleared: 1 });
    expect(review.distribution.outcome).toEqual([
      { key: 'cleared_classifier', n: 1 },
      { key: 'crisis_conversation', n: 1 },
      { key: 'crisis_stage1', n: 1 },
    ]);
    expect(review.distribution.feature).toEqual([
      { key: 'mirror', n: 2 },
      { key: 'turn', n: 1 },
    ]);
    expect(review.distribution.rule).toEqual(expect.arrayContaining([{ key: 'si.want_die', n: 1 }, { key: 'si.kill_myself', n: 1 }]));
    expect(review.distribution.classifierBand).toEqual([
      { key: '0.0', n: 1 },
      { key: '0.6', n: 1 },
    ]);
    expect(review.recent.map((e) => e.outcome)).toEqual(['crisis_stage1', 'cleared_classifier', 'crisis_conversation']);
    expect(JSON.stringify(review)).not.toContain(userId);
  });

  test('--days widens the window and --limit bounds the list; the text form names every part', async () => {
    const text = await runSafetyCommand(ctx.infra.database.db, ['review', '--days', '30', '--limit', '1'], now);
    expect(text).toContain('(30 days): 4, of which 3 escalations and 1 cleared by stage 2');
    for (const part of ['by outcome', 'by stage', 'by feature', 'by version', 'by rule id', 'by classifier score band', 'newest 1']) expect(text).toContain(part);
    expect(text).toContain('sh.cut_myself');
    expect(text).not.toContain(userId);
  });

  test.each([[[]], [['poetry']], [['review', '--days', '0']], [['review', '--days', 'x']], [['review', 'extra']], [['review', '--limit', '9999']]])('a usage error for %j', async (argv) => {
    await expect(runSafetyCommand(ctx.infra.database.db, argv, now)).rejects.toBeInstanceOf(SafetyUsageError);
  });
});
