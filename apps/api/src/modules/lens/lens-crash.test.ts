import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';
import { forgetCachedAnswer, lateAnswerLoss } from '../../test/late-answer-loss.js';

// A crash after the action committed and before its answer was kept (found by the reliability
// scenario crash.ts): the retry with the same Idempotency-Key must replay, not add a second action.
vi.mock('../../plugins/idempotency-store.js', async (importOriginal) =>
  (await import('../../test/late-answer-loss.js')).losingLateAnswers(await importOriginal()),
);

let ctx: TestContext;
let user: RegisteredUser;

beforeAll(async () => {
  ctx = await createTestApp();
  user = await registerUser(ctx.app);
});
afterAll(async () => {
  lateAnswerLoss.on = false;
  await ctx?.close();
});

describe('POST /v1/lens/goals/:id/actions across a crash after the write', () => {
  test('the answer commits with the action: the retry replays it and the goal has one action', async () => {
    const goal = await ctx.app.inject({ method: 'POST', url: '/v1/lens/goals', headers: user.auth, payload: { title: 'Calmer evenings' } });
    expect(goal.statusCode).toBe(201);
    const goalId = goal.json().id as string;
    const send = () =>
      ctx.app.inject({
        method: 'POST',
        url: `/v1/lens/goals/${goalId}/actions`,
        headers: { ...user.auth, 'idempotency-key': 'lens-crash-1' },
        payload: { title: 'Phone in the kitchen at ten' },
      });
    lateAnswerLoss.on = true;
    const first = await send();
    expect(first.statusCode).toBe(201);
    await forgetCachedAnswer(ctx.infra.cache, user.userId, '/v1/lens/goals/:id/actions', 'lens-crash-1');
    const retry = await send();
    lateAnswerLoss.on = false;
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const read = (await ctx.app.inject({ method: 'GET', url: `/v1/lens/goals/${goalId}`, headers: user.auth })).json();
    expect(read.actions.map((a: { id: string }) => a.id)).toEqual([first.json().id]);
  });

  test('setting a goal: the retry replays the goal the crash left, no second one', async () => {
    const send = () => ctx.app.inject({ method: 'POST', url: '/v1/lens/goals', headers: { ...user.auth, 'idempotency-key': 'goal-crash-1' }, payload: { title: 'Quieter weekends' } });
    lateAnswerLoss.on = true;
    const first = await send();
    expect(first.statusCode).toBe(201);
    await forgetCachedAnswer(ctx.infra.cache, user.userId, '/v1/lens/goals', 'goal-crash-1');
    const retry = await send();
    lateAnswerLoss.on = false;
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const goals = (await ctx.app.inject({ method: 'GET', url: '/v1/lens/goals', headers: user.auth })).json().goals as { title: string }[];
    expect(goals.filter((g) => g.title === 'Quieter weekends')).toHaveLength(1);
  });
});
