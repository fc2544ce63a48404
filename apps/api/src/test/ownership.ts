import type { InjectOptions } from 'fastify';
import { expect } from 'vitest';
import type { KaleiApp } from '../app.js';

export interface ForeignRequest {
  method: NonNullable<InjectOptions['method']>;
  /** A URL naming a row that belongs to someone other than `otherUser`. */
  url: string;
  payload?: InjectOptions['payload'];
  headers?: Record<string, string>;
  /** The user who does not own the row: anything with `auth` headers, e.g. from `registerUser`. */
  otherUser: { auth: { authorization: string } };
  /**
   * Reads the owner's data; called before and after the request, and the two results must be
   * equal (the foreign request changed nothing).
   */
  unchanged?: () => Promise<unknown>;
}

/**
 * Asserts the ownership rule for any route: a signed-in user asking for (or changing) another
 * user's row gets a 404 problem+json `not_found`, exactly as for a row that does not exist, and
 * nothing changes. One line per cross-user test:
 *
 *   await expectForeignOwnedNotFound(ctx.app, { method: 'DELETE', url: `/v1/turns/${aliceTurn}`, otherUser: bob });
 */
export async function expectForeignOwnedNotFound(app: Pick<KaleiApp, 'inject'>, request: ForeignRequest): Promise<void> {
  const before = request.unchanged ? await request.unchanged() : undefined;
  const res = await app.inject({
    method: request.method,
    url: request.url,
    headers: { ...request.headers, ...request.otherUser.auth },
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  });
  const where = `${request.method} ${request.url}`;
  expect(res.statusCode, `${where} as another user: ${res.body}`).toBe(404);
  expect(res.headers['content-type'], where).toContain('application/problem+json');
  expect(res.json(), where).toMatchObject({ status: 404, code: 'not_found' });
  if (request.unchanged) expect(await request.unchanged(), `${where} changed the owner's data`).toEqual(before);
}
