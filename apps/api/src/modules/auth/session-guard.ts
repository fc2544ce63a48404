import type { Cache } from '../../infra/cache.js';
import type { Executor } from '../../infra/db.js';
import { sessionState, type SessionLifetimes, type SessionState } from './fns.js';
import type { AuthRepo } from './repo.js';

const REVOKED = 'revoked';
/** How long a session's facts are trusted from the shared cache; revocation overwrites them at once. */
const SHARED_TTL_MS = 60_000;
/**
 * How long this process trusts what it last read from the shared cache. Revocations made by this
 * process apply at once; those made by another process reach this one within this time.
 */
const LOCAL_TTL_MS = 1_000;
const LOCAL_MAX_ENTRIES = 10_000;

/**
 * Called inside the transaction that revokes device sessions (logout, revoking one or all others,
 * refresh-token reuse, account-wide revocation), so another module's cleanup commits with it.
 */
export type SessionsRevokedListener = (sessionIds: readonly string[], tx: Executor) => Promise<void>;

interface SessionFacts {
  u: string;
  e: number;
  l: number;
}

/**
 * Answers "can this session still be used?" for every authenticated request without a database
 * round trip each time. A session's facts (owner, absolute end, last use) are cached in the cache
 * port for a minute and judged against the current clock on every request; revocation writes
 * `revoked` over them, so it takes effect at once on every process sharing the cache. Readers only
 * set the facts when the key is absent, so a read racing a revocation cannot put them back.
 * In front of the shared cache sits a one-second in-process layer: under load the extra network
 * hop per request costs more than the rest of a small authenticated request.
 *
 * One guard per app: the auth plugin creates it and the auth service tells it about revocations,
 * which it passes on to listeners other modules registered (`app.onSessionsRevoked`).
 */
export function createSessionGuard(deps: {
  repo: Pick<AuthRepo, 'findSessionFacts'>;
  cache: Cache;
  now: () => Date;
  lifetimes: Pick<SessionLifetimes, 'idleDays'>;
  /** How long a revocation marker must outlive the last access token of the session. */
  accessTokenTtlSeconds: number;
}) {
  const key = (sessionId: string) => `auth:session:${sessionId}`;
  const listeners: SessionsRevokedListener[] = [];
  const revokedTtlMs = deps.accessTokenTtlSeconds * 1000 + SHARED_TTL_MS;
  // Monotonic time for the in-process layer: it is about freshness, not about the business clock.
  const local = new Map<string, { value: string; until: number }>();
  const remember = (sessionId: string, value: string, ttlMs: number) => {
    if (local.size >= LOCAL_MAX_ENTRIES && !local.has(sessionId)) {
      const oldest = local.keys().next();
      if (!oldest.done) local.delete(oldest.value);
    }
    local.set(sessionId, { value, until: performance.now() + ttlMs });
  };

  async function read(sessionId: string): Promise<string> {
    const near = local.get(sessionId);
    if (near && near.until > performance.now()) return near.value;
    let value = await deps.cache.get(key(sessionId));
    if (value === null) {
      const row = await deps.repo.findSessionFacts(sessionId);
      if (!row || row.revokedAt) {
        value = REVOKED;
        await deps.cache.setIfAbsent(key(sessionId), value, revokedTtlMs);
      } else {
        value = JSON.stringify({ u: row.userId, e: row.expiresAt.getTime(), l: row.lastUsedAt.getTime() } satisfies SessionFacts);
        await deps.cache.setIfAbsent(key(sessionId), value, SHARED_TTL_MS);
      }
    }
    remember(sessionId, value, value === REVOKED ? revokedTtlMs : LOCAL_TTL_MS);
    return value;
  }

  return {
    /** The session's state for an access token naming `userId`; a session of another user counts as revoked. */
    async check(sessionId: string, userId: string): Promise<SessionState> {
      const value = await read(sessionId);
      if (value === REVOKED) return 'revoked';
      const facts = JSON.parse(value) as SessionFacts;
      if (facts.u !== userId) return 'revoked';
      return sessionState({ revokedAt: null, expiresAt: new Date(facts.e), lastUsedAt: new Date(facts.l) }, deps.now(), deps.lifetimes);
    },

    /** Registers a listener for revocations (see SessionsRevokedListener). */
    onRevoked(listener: SessionsRevokedListener): void {
      listeners.push(listener);
    },

    /** Call inside the revoking transaction: runs every listener in it. */
    async revoking(sessionIds: readonly string[], tx: Executor): Promise<void> {
      if (sessionIds.length === 0) return;
      for (const listener of listeners) await listener(sessionIds, tx);
    },

    /** Call after a revocation commits: every process stops accepting the session's access tokens. */
    async markRevoked(sessionIds: readonly string[]): Promise<void> {
      for (const id of sessionIds) remember(id, REVOKED, revokedTtlMs);
      await Promise.all(sessionIds.map((id) => deps.cache.set(key(id), REVOKED, revokedTtlMs)));
    },

    /** Call after a session's facts change (a refresh moves its last use): the next check rereads them. */
    async forget(sessionId: string): Promise<void> {
      local.delete(sessionId);
      await deps.cache.del(key(sessionId));
    },
  };
}

export type SessionGuard = ReturnType<typeof createSessionGuard>;
