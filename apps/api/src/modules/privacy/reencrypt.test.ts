import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createColumnCipher, generateDataKey, parseDataKeys } from '../../infra/crypto.js';
import { rowsOf } from '../../infra/db.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser } from '../../test/factories.js';
import { reencryptAll } from './reencrypt.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

test('rotation: every value moves to the new active key and still reads back through the API', async () => {
  const user = await registerUser(ctx.app);
  const turn = (await ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: user.auth, payload: { thought: 'I always fail.', context: 'at work' } })).json().turn;
  const session = (await ctx.app.inject({ method: 'POST', url: '/v1/mirror/sessions', headers: user.auth, payload: {} })).json();
  await ctx.app.inject({ method: 'POST', url: '/v1/mirror/messages', headers: user.auth, payload: { sessionId: session.id, text: 'Everyone must think I am useless.' } });
  await ctx.app.inject({ method: 'POST', url: `/v1/mirror/sessions/${session.id}/close`, headers: user.auth });

  const oldRing = ctx.infra.secrets.dataKeys;
  const rotated = createColumnCipher([...parseDataKeys(generateDataKey('next')), ...oldRing]);
  const moved = await reencryptAll(ctx.infra.database.db, rotated, 2);
  expect(moved['turns.thought_enc']).toBeGreaterThanOrEqual(1);
  expect(moved['mirror_messages.content_enc']).toBeGreaterThanOrEqual(1);
  expect(moved['mirror_sessions.reflection_enc']).toBeGreaterThanOrEqual(1);
  const thought = rowsOf<{ thought_enc: string }>(await ctx.infra.database.db.execute(sql`select thought_enc from turns where id = ${turn.id}`))[0]!;
  expect(rotated.kidOf(thought.thought_enc)).toBe('next');
  expect(rotated.decrypt(thought.thought_enc, `turns.thought:${user.userId}`)).toBe('I always fail.');
  // A second pass has nothing left to move.
  expect(await reencryptAll(ctx.infra.database.db, rotated)).toEqual({});
});
