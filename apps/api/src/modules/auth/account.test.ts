import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rowsOf } from '../../infra/db.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { registerUser } from '../../test/factories.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

const count = async (table: string, userId: string) =>
  rowsOf<{ n: number }>(await ctx.infra.database.db.execute(sql.raw(`select count(*)::int as n from ${table} where user_id = '${userId}'`)))[0]!.n;

describe('account export and deletion', () => {
  test('the export holds the account, every turn and every Mirror session, decrypted', async () => {
    const user = await registerUser(ctx.app);
    const turn = (await ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: user.auth, payload: { thought: 'I always get it wrong.' } })).json().turn;
    const session = (await ctx.app.inject({ method: 'POST', url: '/v1/mirror/sessions', headers: user.auth, payload: {} })).json();
    await ctx.app.inject({ method: 'POST', url: '/v1/mirror/messages', headers: user.auth, payload: { sessionId: session.id, text: 'Nobody ever listens to me.' } });
    const goal = await ctx.app.inject({ method: 'POST', url: '/v1/lens/goals', headers: user.auth, payload: { title: 'Walk every morning' } });
    expect(goal.statusCode, goal.body).toBe(201);
    const checkin = await ctx.app.inject({ method: 'POST', url: '/v1/lens/checkins', headers: user.auth, payload: { mood: 6, note: 'a calm day' } });
    expect(checkin.statusCode, checkin.body).toBeLessThan(300);
    const other = await registerUser(ctx.app);
    await ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: other.auth, payload: { thought: 'Not mine to export.' } });

    const res = await ctx.app.inject({ method: 'GET', url: '/v1/me/export', headers: user.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const body = res.json();
    expect(body.account.id).toBe(user.userId);
    expect(body.turns.map((t: { id: string }) => t.id)).toEqual([turn.id]);
    expect(body.turns[0].thought).toBe('I always get it wrong.');
    expect(body.mirrorSessions).toHaveLength(1);
    expect(body.mirrorSessions[0].messages[0].text).toBe('Nobody ever listens to me.');
    expect(body.lens.goals.map((g: { title: string }) => g.title)).toEqual(['Walk every morning']);
    expect(body.lens.checkins.map((c: { note: string | null }) => c.note)).toEqual(['a calm day']);
    expect(JSON.stringify(body)).not.toContain('Not mine to export');
  });

  test('deleting needs the confirmation phrase, then removes the account and everything it owns', async () => {
    const user = await registerUser(ctx.app);
    await ctx.app.inject({ method: 'POST', url: '/v1/turns', headers: user.auth, payload: { thought: 'I ruin everything.' } });
    const session = (await ctx.app.inject({ method: 'POST', url: '/v1/mirror/sessions', headers: user.auth, payload: {} })).json();
    await ctx.app.inject({ method: 'POST', url: '/v1/mirror/messages', headers: user.auth, payload: { sessionId: session.id, text: 'They all hate me.' } });

    const unconfirmed = await ctx.app.inject({ method: 'DELETE', url: '/v1/me', headers: user.auth, payload: { confirm: 'yes' } });
    expect(unconfirmed.statusCode).toBe(400);
    expect(await count('turns', user.userId)).toBe(1);

    const res = await ctx.app.inject({ method: 'DELETE', url: '/v1/me', headers: user.auth, payload: { confirm: 'delete my account' } });
    expect(res.statusCode).toBe(204);
    for (const table of ['turns', 'mirror_sessions', 'mirror_messages', 'mirror_fragments', 'auth_sessions', 'refresh_tokens', 'spectrum_turn_analysis', 'profiles']) {
      expect(await count(table, user.userId), table).toBe(0);
    }
    const after = await ctx.app.inject({ method: 'GET', url: '/v1/me', headers: user.auth });
    expect(after.statusCode).toBe(401);
    const login = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: user.email, password: user.password } });
    expect(login.statusCode).toBe(401);
  });

  test('both need a token', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/me/export' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'DELETE', url: '/v1/me', payload: { confirm: 'delete my account' } })).statusCode).toBe(401);
  });
});
