import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorCode } from '@kalei/contracts/problem';
import { UnauthorizedError } from '../errors.js';
import { createAuthRepo } from '../modules/auth/repo.js';
import { createSessionGuard, type SessionGuard, type SessionsRevokedListener } from '../modules/auth/session-guard.js';
import { AccessTokenError, createAccessTokens } from '../modules/auth/tokens.js';

/** The authenticated caller: who, and through which device session. */
export interface RequestAuth {
  userId: string;
  sessionId: string;
}

interface AuthFailure {
  code: ErrorCode;
  detail: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request carries a valid access token of a live session; null otherwise. */
    auth: RequestAuth | null;
    /** Why the bearer token was refused, for `requireAuth` to answer precisely. */
    authFailure: AuthFailure | null;
  }
  interface FastifyInstance {
    /** preHandler: 401 problem+json (`unauthorized`, `invalid_token`, `token_expired`, `session_revoked`) unless `request.auth` is set. */
    requireAuth: preHandlerAsyncHookHandler;
    /** The app's one session guard: the auth module reports revocations to it (see session-guard.ts). */
    sessionGuard: SessionGuard;
    /**
     * Runs `listener(sessionIds, tx)` inside every transaction that revokes device sessions, e.g. to
     * delete the push tokens registered through them. Register it when wiring a module.
     */
    onSessionsRevoked: (listener: SessionsRevokedListener) => void;
  }
}

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

const stateFailures: Record<'revoked' | 'expired' | 'idle', AuthFailure> = {
  revoked: { code: 'session_revoked', detail: 'This session has ended: sign in again.' },
  expired: { code: 'session_revoked', detail: 'This session has expired: sign in again.' },
  idle: { code: 'session_revoked', detail: 'This session has expired: sign in again.' },
};

/**
 * Verifies `Authorization: Bearer <access JWT>` on every request that sends one: EdDSA only,
 * `kid` picks the key among the configured signing keys, `iss`/`aud`/`typ`/`exp` checked, and the
 * device session must be live (checked through the cache, see session-guard.ts). Sets
 * `request.auth`, `request.userHash` and a request logger carrying the hash. Routes that need a
 * signed-in caller add `preHandler: app.requireAuth`.
 */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    const { config, secrets, cache, database } = app.infra;
    const now = () => app.infra.now();
    const tokens = createAccessTokens({
      signingKeys: secrets.signingKeys,
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      now,
    });
    const guard = createSessionGuard({
      repo: createAuthRepo(database.db),
      cache,
      now,
      lifetimes: { idleDays: config.SESSION_IDLE_TTL_DAYS },
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    });

    // The keyed hash of a user id is the same on every request: remember a bounded number of them.
    const userHashes = new Map<string, string>();
    const userHash = (userId: string) => {
      let hash = userHashes.get(userId);
      if (hash === undefined) {
        if (userHashes.size >= 10_000) userHashes.clear();
        hash = app.hashUserId(userId);
        userHashes.set(userId, hash);
      }
      return hash;
    };

    app.decorate('sessionGuard', guard);
    app.decorate('onSessionsRevoked', (listener: SessionsRevokedListener) => guard.onRevoked(listener));
    app.decorateRequest('auth', null);
    app.decorateRequest('authFailure', null);

    app.addHook('onRequest', async (request, reply) => {
      const header = request.headers.authorization;
      if (header === undefined) return;
      const match = BEARER.exec(header);
      if (!match?.[1]) {
        request.authFailure = { code: 'invalid_token', detail: 'Send the access token as `Authorization: Bearer <token>`.' };
        return;
      }
      let claims;
      try {
        claims = await tokens.verify(match[1]);
      } catch (error) {
        if (!(error instanceof AccessTokenError)) throw error;
        request.authFailure = { code: error.code, detail: error.message };
        return;
      }
      const state = await guard.check(claims.sessionId, claims.userId);
      if (state !== 'active') {
        request.authFailure = stateFailures[state];
        return;
      }
      request.auth = claims;
      request.userHash = userHash(claims.userId);
      // Fastify writes "request completed" through reply.log: both carry the hash from here on. The
      // request's logger is already its own pino child, so the binding is added to it in place:
      // a second child per request was a measurable share of a small authenticated request.
      const log = request.log as typeof request.log & { setBindings?: (bindings: Record<string, unknown>) => void };
      if (log.setBindings) log.setBindings({ userHash: request.userHash });
      else request.log = request.log.child({ userHash: request.userHash });
      reply.log = request.log;
    });

    const requireAuth: preHandlerAsyncHookHandler = async (request) => {
      if (request.auth) return;
      const failure = request.authFailure;
      throw new UnauthorizedError(failure?.code ?? 'unauthorized', failure?.detail ?? 'Sign in first: send `Authorization: Bearer <access token>`.');
    };
    app.decorate('requireAuth', requireAuth);
  },
  { name: 'kalei-auth', dependencies: ['kalei-errors', 'kalei-request-context'] },
);

/** The caller of a route behind `app.requireAuth` (throws 401 if a route forgot the preHandler). */
export function authOf(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw new UnauthorizedError();
  return request.auth;
}
