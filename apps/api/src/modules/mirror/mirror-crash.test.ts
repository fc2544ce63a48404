import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser, type RegisteredUser } from '../../test/factories.js';
import { forgetCachedAnswer, lateAnswerLoss } from '../../test/late-answer-loss.js';

// A crash after the message committed and before its answer was kept (found by the reliability
// scenario crash.ts): the retry with the same Idempotency-Key must replay, not append again.
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

const turnsOf = (body: { quotas: { feature: string; used: number }[] }) => body.quotas.find((q) => q.feature === 'mirror_messages')!.used;

describe('POST /v1/mirror/messages across a crash after the write', () => {
  test('the answer commits with the message: the retry replays it, one message, one quota unit', async () => {
    const sessionId = (await ctx.app.inject({ method: 'POST', url: '/v1/mirror/sessions', headers: user.auth, payload: {} })).json().id as string;
    const send = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/v1/mirror/messages',
        headers: { ...user.auth, 'idempotency-key': 'mirror-crash-1' },
        payload: { sessionId, text: 'I always say the wrong thing in meetings.' },
      });
    lateAnswerLoss.on = true;
    const first = await send();
    expect(first.statusCode).toBe(201);
    await forgetCachedAnswer(ctx.infra.cache, user.userId, '/v1/mirror/messages', 'mirror-crash-1');
    const retry = await send();
    lateAnswerLoss.on = false;
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().message.id).toBe(first.json().message.id);
    const session = (await ctx.app.inject({ method: 'GET', url: `/v1/mirror/sessions/${sessionId}`, headers: user.auth })).json();
    expect(session.messages).toHaveLength(1);
    expect(turnsOf((await ctx.app.inject({ method: 'GET', url: '/v1/billing/entitlements', headers: user.auth })).json())).toBe(1);
  });

  test('opening a session: the retry replays the session the crash left, no second one', async () => {
    const open = () => ctx.app.inject({ method: 'POST', url: '/v1/mirror/sessions', headers: { ...user.auth, 'idempotency-key': 'open-crash-1' }, payload: {} });
    const before = (await ctx.app.inject({ method: 'GET', url: '/v1/mirror/sessions', headers: user.auth })).json().items.length as number;
    lateAnswerLoss.on = true;
    const first = await open();
    expect(first.statusCode).toBe(201);
    await forgetCachedAnswer(ctx.infra.cache, user.userId, '/v1/mirror/sessions', 'open-crash-1');
    const retry = await open();
    lateAnswerLoss.on = false;
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/mirror/sessions', headers: user.auth })).json().items).toHaveLength(before + 1);
  });
});
