import { randomUUID } from 'node:crypto';
import {
  passwordRuleMessages,
  type AppleSignInRequest,
  type AuthResult,
  type AuthTokens,
  type DeviceInfo,
  type DeviceSession,
  type GoogleSignInRequest,
  type IdentityProvider,
  type LoginRequest,
  type Me,
  type PasswordRule,
  type Profile,
  type ProfilePatchRequest,
  type RegisterRequest,
} from '@kalei/contracts/auth';
import type { Config } from '../../config.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError, RateLimitedError, UnauthorizedError } from '../../errors.js';
import type { Cache } from '../../infra/cache.js';
import type { Database, Executor } from '../../infra/db.js';
import type { RequestAuth } from '../../plugins/auth.js';
import type { AuditService } from '../audit/service.js';
import { removeDevicesForSession } from '../notifications/service.js';
import {
  checkPasswordPolicy,
  idleExpiresAt,
  mergeNotificationPreferences,
  normaliseEmail,
  normalisePassword,
  notificationPreferencesFromStored,
  refreshDecision,
  refreshTokenExpiresAt,
  sessionExpiresAt,
  sessionState,
  type SessionLifetimes,
} from './fns.js';
import type { PasswordHasher } from './passwords.js';
import type { AuthRepo, ProfileRow, SessionRow } from './repo.js';
import { profileCacheKey } from './profile-reader.js';
import type { SessionGuard } from './session-guard.js';
import type { SocialVerifier } from './social.js';
import { hashRefreshToken, newRefreshToken, type AccessTokens } from './tokens.js';

/** Who is asking, as far as the auth module records it. */
export interface ClientMeta {
  ip: string;
  userAgent: string | undefined;
  requestId: string;
}

export type AuthConfig = Pick<
  Config,
  | 'ACCESS_TOKEN_TTL_SECONDS'
  | 'SESSION_ABSOLUTE_TTL_DAYS'
  | 'SESSION_IDLE_TTL_DAYS'
  | 'REFRESH_REUSE_GRACE_SECONDS'
  | 'LOGIN_RATE_LIMIT_PER_ACCOUNT'
  | 'LOGIN_RATE_LIMIT_PER_IP'
  | 'LOGIN_RATE_LIMIT_PER_ACCOUNT_ANY_ADDRESS'
  | 'RATE_LIMIT_WINDOW_SECONDS'
>;

export interface AuthServiceDeps {
  db: Database;
  repo: AuthRepo;
  cache: Pick<Cache, 'hit' | 'del'>;
  config: AuthConfig;
  now: () => Date;
  audit: Pick<AuditService, 'record'>;
  tokens: Pick<AccessTokens, 'sign'>;
  passwords: PasswordHasher;
  social: Pick<SocialVerifier, 'verify'>;
  sessions: Pick<SessionGuard, 'revoking' | 'markRevoked' | 'forget'>;
  /** Keyed hash for client addresses and emails in rate-limit keys and audit rows. */
  keyedHash: (value: string) => string;
  /** The successor of a refresh token (tokens.ts `createRefreshSuccessor`). */
  refreshSuccessor: (refreshToken: string) => string;
}

const USER_AGENT_MAX = 256;

class WeakPasswordError extends AppError {
  constructor(failed: PasswordRule[]) {
    super(400, 'weak_password', 'Password too weak', {
      detail: 'The password does not meet the password policy.',
      extra: {
        rules: failed,
        errors: failed.map((rule) => ({ path: 'body.password', message: passwordRuleMessages[rule] })),
      },
    });
  }
}

const invalidCredentials = () => new UnauthorizedError('invalid_credentials', 'The email or password is not correct.');
const sessionEnded = (detail: string) => new UnauthorizedError('session_revoked', detail);

/**
 * Registration, password and social sign-in, refresh-token rotation, device sessions and the
 * profile. Every function that reads or changes a user's rows is scoped by the caller's id.
 */
export function createAuthService(deps: AuthServiceDeps) {
  const { db, repo, config, audit, passwords } = deps;
  const lifetimes: SessionLifetimes = { absoluteDays: config.SESSION_ABSOLUTE_TTL_DAYS, idleDays: config.SESSION_IDLE_TTL_DAYS };
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;

  async function limit(bucket: string, subject: string, max: number) {
    const result = await deps.cache.hit(`rl:${bucket}:${deps.keyedHash(subject)}`, max, windowMs);
    if (!result.allowed) throw new RateLimitedError(result.resetMs / 1000);
  }

  const auditBase = (client: ClientMeta) => ({ requestId: client.requestId, ipHash: deps.keyedHash(client.ip) });

  /** Opens a device session with its first refresh token (inside the caller's transaction). */
  async function openSession(tx: Executor, userId: string, device: DeviceInfo | undefined, client: ClientMeta, at: Date) {
    const sessionId = randomUUID();
    const expiresAt = sessionExpiresAt(at, lifetimes);
    await repo.insertSession(
      {
        id: sessionId,
        userId,
        deviceName: device?.name ?? null,
        platform: device?.platform ?? null,
        userAgent: client.userAgent ? client.userAgent.slice(0, USER_AGENT_MAX) : null,
        ipHash: deps.keyedHash(client.ip),
        at,
        expiresAt,
      },
      tx,
    );
    const refresh = await issueRefreshToken(tx, { sessionId, userId, sessionEnd: expiresAt }, at);
    return { sessionId, ...refresh };
  }

  async function issueRefreshToken(
    tx: Executor,
    session: { sessionId: string; userId: string; sessionEnd: Date },
    at: Date,
    id = randomUUID(),
    refreshToken = newRefreshToken(),
  ) {
    const expiresAt = refreshTokenExpiresAt(at, session.sessionEnd, lifetimes);
    await repo.insertRefreshToken(
      { id, sessionId: session.sessionId, userId: session.userId, tokenHash: hashRefreshToken(refreshToken), at, expiresAt },
      tx,
    );
    return { refreshToken, refreshTokenExpiresAt: expiresAt };
  }

  async function tokenPair(userId: string, sessionId: string, refresh: { refreshToken: string; refreshTokenExpiresAt: Date }): Promise<AuthTokens> {
    const access = await deps.tokens.sign({ userId, sessionId });
    return {
      tokenType: 'Bearer',
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshToken: refresh.refreshToken,
      refreshTokenExpiresAt: refresh.refreshTokenExpiresAt.toISOString(),
      sessionId,
    };
  }

  async function loadMe(userId: string, tx: Executor = db): Promise<Me> {
    const row = await repo.findMe(userId, tx);
    if (!row) throw new NotFoundError('account');
    return {
      id: row.id,
      email: row.email,
      hasPassword: Boolean(row.hasPassword),
      identities: (row.identities ?? []) as IdentityProvider[],
      createdAt: row.createdAt.toISOString(),
      profile: toProfile(row.profile, row.createdAt),
    };
  }

  /** After the revoking transaction commits: every process stops accepting those sessions' tokens. */
  async function publishRevoked(sessionIds: readonly string[]) {
    if (sessionIds.length > 0) await deps.sessions.markRevoked(sessionIds);
  }

  /** Find-or-create the account behind a verified Apple or Google identity, then open a session. */
  async function socialSignIn(
    provider: IdentityProvider,
    input: AppleSignInRequest | GoogleSignInRequest,
    client: ClientMeta,
  ): Promise<AuthResult> {
    await limit('social:ip', client.ip, config.LOGIN_RATE_LIMIT_PER_IP);
    const identity = await deps.social.verify(provider, input.idToken, input.nonce);
    await limit('social:account', `${provider}:${identity.subject}`, config.LOGIN_RATE_LIMIT_PER_ACCOUNT);
    const at = deps.now();

    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await repo.findIdentity(provider, identity.subject);
      if (existing) {
        if (existing.status !== 'active') throw new ForbiddenError('This account is disabled.');
        const result = await db.transaction(async (tx) => {
          const session = await openSession(tx, existing.userId, input.device, client, at);
          await audit.record(
            { userId: existing.userId, actor: 'user', action: 'login', targetType: 'session', targetId: session.sessionId, metadata: { method: provider }, ...auditBase(client), at },
            tx,
          );
          return { session, me: await loadMe(existing.userId, tx) };
        });
        return { user: result.me, tokens: await tokenPair(existing.userId, result.session.sessionId, result.session), isNewUser: false };
      }

      // No automatic linking to an existing password account: the token proves the email, not
      // that its owner wants the two joined. The person signs in with their password instead.
      const email = identity.emailVerified ? identity.email : null;
      if (email) {
        const owner = await repo.findUserByEmail(email);
        if (owner) {
          // A concurrent first sign-in with this same identity may have just created it.
          if (await repo.findIdentity(provider, identity.subject)) continue;
          throw new ConflictError(
            'email_taken',
            `An account with this email already exists. Sign in with your email and password.`,
          );
        }
      }
      const created = await db
        .transaction(async (tx) => {
          // The email was taken meanwhile: by a concurrent first sign-in with this identity (the
          // retry finds it) or by a new password account (the retry answers email_taken).
          const user = await repo.insertUser({ email, passwordHash: null, at }, tx);
          if (!user) throw new LostRace();
          const linked = await repo.insertIdentity({ userId: user.id, provider, subject: identity.subject, email: identity.email, at }, tx);
          // A concurrent first sign-in with the same identity won: roll back and use its account.
          if (!linked) throw new LostRace();
          await repo.insertProfile({ userId: user.id, displayName: input.displayName, locale: input.locale, timezone: input.timezone, country: input.country, at }, tx);
          const session = await openSession(tx, user.id, input.device, client, at);
          await audit.record(
            { userId: user.id, actor: 'user', action: 'register', targetType: 'session', targetId: session.sessionId, metadata: { method: provider }, ...auditBase(client), at },
            tx,
          );
          return { userId: user.id, session, me: await loadMe(user.id, tx) };
        })
        .catch((error: unknown) => {
          if (error instanceof LostRace) return undefined;
          throw error;
        });
      if (created) {
        return { user: created.me, tokens: await tokenPair(created.userId, created.session.sessionId, created.session), isNewUser: true };
      }
    }
    throw new ConflictError('conflict', 'Sign-in raced with another; try again.');
  }

  return {
    /** Creates a password account (409 `email_taken` when the email is in use: the app needs to say so). */
    async register(input: RegisterRequest, client: ClientMeta): Promise<AuthResult> {
      await limit('register:ip', client.ip, config.LOGIN_RATE_LIMIT_PER_IP);
      const email = normaliseEmail(input.email);
      const password = normalisePassword(input.password);
      const failed = checkPasswordPolicy(password, email);
      if (failed.length > 0) throw new WeakPasswordError(failed);
      const passwordHash = await passwords.hash(password);
      const at = deps.now();

      const result = await db.transaction(async (tx) => {
        const user = await repo.insertUser({ email, passwordHash, at }, tx);
        if (!user) throw new ConflictError('email_taken', 'An account with this email already exists. Sign in instead.');
        await repo.insertProfile({ userId: user.id, displayName: input.displayName, locale: input.locale, timezone: input.timezone, country: input.country, at }, tx);
        const session = await openSession(tx, user.id, input.device, client, at);
        await audit.record(
          { userId: user.id, actor: 'user', action: 'register', targetType: 'session', targetId: session.sessionId, metadata: { method: 'password' }, ...auditBase(client), at },
          tx,
        );
        return { userId: user.id, session, me: await loadMe(user.id, tx) };
      });
      return { user: result.me, tokens: await tokenPair(result.userId, result.session.sessionId, result.session), isNewUser: true };
    },

    /**
     * Password sign-in. Unknown email, social-only account and wrong password answer alike, and
     * take alike (an unknown email is verified against a dummy hash).
     */
    async login(input: LoginRequest, client: ClientMeta): Promise<AuthResult> {
      const email = normaliseEmail(input.email);
      await limit('login:ip', client.ip, config.LOGIN_RATE_LIMIT_PER_IP);
      // Per account *and* address, so a stranger guessing an email locks out only their own
      // address, never the owner's; the wider per-account ceiling still slows guessing spread
      // over many addresses.
      await limit('login:account-address', `${email}\0${client.ip}`, config.LOGIN_RATE_LIMIT_PER_ACCOUNT);
      await limit('login:account', email, config.LOGIN_RATE_LIMIT_PER_ACCOUNT_ANY_ADDRESS);
      const password = normalisePassword(input.password);
      const user = await repo.findUserByEmail(email);
      const verified = user?.passwordHash ? await passwords.verify(user.passwordHash, password) : await passwords.verifyDummy(password);
      const at = deps.now();
      if (!user || !verified) {
        await audit.record({
          userId: user?.id ?? null,
          actor: 'user',
          action: 'login_failed',
          metadata: { reason: !user ? 'unknown_email' : user.passwordHash ? 'wrong_password' : 'no_password' },
          ...auditBase(client),
          at,
        });
        throw invalidCredentials();
      }
      if (user.status !== 'active') throw new ForbiddenError('This account is disabled.');

      // Parameters changed since this hash was made: upgrade it while the password is at hand.
      const rehash = user.passwordHash && passwords.needsRehash(user.passwordHash) ? await passwords.hash(password) : null;
      const result = await db.transaction(async (tx) => {
        if (rehash) await repo.updatePasswordHash(user.id, rehash, at, tx);
        const session = await openSession(tx, user.id, input.device, client, at);
        await audit.record(
          { userId: user.id, actor: 'user', action: 'login', targetType: 'session', targetId: session.sessionId, metadata: { method: 'password', rehashed: rehash !== null }, ...auditBase(client), at },
          tx,
        );
        return { session, me: await loadMe(user.id, tx) };
      });
      return { user: result.me, tokens: await tokenPair(user.id, result.session.sessionId, result.session), isNewUser: false };
    },

    signInWithApple(input: AppleSignInRequest, client: ClientMeta): Promise<AuthResult> {
      return socialSignIn('apple', input, client);
    },

    signInWithGoogle(input: GoogleSignInRequest, client: ClientMeta): Promise<AuthResult> {
      return socialSignIn('google', input, client);
    },

    /**
     * Exchanges a refresh token for a new pair. Rotation is one conditional UPDATE, so of two
     * concurrent refreshes with the same token exactly one rotates it. The successor is derived
     * from the token with a server key, so a second use within the grace window (a concurrent
     * refresh, or a retry whose answer was lost) gets the same successor back: one chain, never a
     * fork a thief could keep. A token used again after the window is a stolen copy: the whole
     * session is revoked and the event audited.
     */
    async refresh(refreshToken: string, client: ClientMeta): Promise<AuthTokens> {
      await limit('refresh:ip', client.ip, config.LOGIN_RATE_LIMIT_PER_IP);
      const row = await repo.findRefreshToken(hashRefreshToken(refreshToken));
      if (!row) throw new UnauthorizedError('invalid_token', 'The refresh token is not valid.');
      await limit('refresh:account', row.userId, config.LOGIN_RATE_LIMIT_PER_ACCOUNT);
      const at = deps.now();
      const { session } = row;

      const state = sessionState(session, at, lifetimes);
      if (state === 'revoked') throw sessionEnded('This session has ended: sign in again.');
      if (state !== 'active') throw sessionEnded('This session has expired: sign in again.');
      if (row.userStatus !== 'active') throw new ForbiddenError('This account is disabled.');

      const sessionRef = { sessionId: session.id, userId: row.userId, sessionEnd: session.expiresAt };
      const successor = deps.refreshSuccessor(refreshToken);
      const outcome = await db.transaction(async (tx) => {
        let decision = refreshDecision(row, at, config.REFRESH_REUSE_GRACE_SECONDS);
        if (decision === 'rotate') {
          const successorId = randomUUID();
          if (await repo.markRefreshTokenRotated(row.id, at, successorId, tx)) {
            const refresh = await issueRefreshToken(tx, sessionRef, at, successorId, successor);
            if (!(await repo.touchSession(session.id, at, tx))) throw sessionEnded('This session has ended: sign in again.');
            return { kind: 'tokens' as const, refresh };
          }
          decision = 'grace';
        }
        if (decision === 'grace') {
          // Already exchanged (by a concurrent call, or earlier within the window): judge again by
          // when that happened, and hand back the successor that exchange issued.
          const rotation = await repo.findRefreshTokenRotation(row.id, tx);
          decision = refreshDecision({ rotatedAt: rotation?.rotatedAt ?? at, expiresAt: row.expiresAt }, at, config.REFRESH_REUSE_GRACE_SECONDS);
          if (decision === 'grace' && rotation?.successorExpiresAt) {
            if (!(await repo.touchSession(session.id, at, tx))) throw sessionEnded('This session has ended: sign in again.');
            return { kind: 'tokens' as const, refresh: { refreshToken: successor, refreshTokenExpiresAt: rotation.successorExpiresAt } };
          }
          if (decision === 'grace') decision = 'reuse';
        }
        if (decision === 'expired') return { kind: 'expired' as const };
        if (await repo.revokeSession(session.id, at, 'refresh_reuse', undefined, tx)) await deps.sessions.revoking([session.id], tx);
        await audit.record(
          {
            userId: row.userId,
            actor: 'system',
            action: 'refresh_reuse',
            targetType: 'session',
            targetId: session.id,
            metadata: { tokenId: row.id, rotatedSecondsAgo: row.rotatedAt ? Math.round((at.getTime() - row.rotatedAt.getTime()) / 1000) : 0 },
            ...auditBase(client),
            at,
          },
          tx,
        );
        return { kind: 'reused' as const };
      });

      if (outcome.kind === 'reused') {
        await publishRevoked([session.id]);
        throw new UnauthorizedError(
          'refresh_token_reused',
          'This refresh token was already used, so the session has been ended to protect the account: sign in again.',
        );
      }
      if (outcome.kind === 'expired') throw sessionEnded('This session has expired: sign in again.');
      await deps.sessions.forget(session.id);
      return tokenPair(row.userId, session.id, outcome.refresh);
    },

    /**
     * Ends the caller's session: the access token's when it is valid, otherwise the refresh
     * token's. 401 when neither identifies a session.
     */
    async logout(auth: RequestAuth | null, refreshToken: string | undefined, client: ClientMeta): Promise<void> {
      let target = auth;
      if (!target && refreshToken !== undefined) {
        const row = await repo.findRefreshToken(hashRefreshToken(refreshToken));
        if (!row) throw new UnauthorizedError('invalid_token', 'The refresh token is not valid.');
        if (row.session.revokedAt) return;
        target = { userId: row.userId, sessionId: row.session.id };
      }
      if (!target) throw new UnauthorizedError('unauthorized', 'Send a valid access token or the session’s refresh token.');
      const { userId, sessionId } = target;
      const at = deps.now();
      const revoked = await db.transaction(async (tx) => {
        const done = await repo.revokeSession(sessionId, at, 'logout', userId, tx);
        if (done) {
          await deps.sessions.revoking([sessionId], tx);
          await removeDevicesForSession(sessionId, tx);
          await audit.record({ userId, actor: 'user', action: 'logout', targetType: 'session', targetId: sessionId, ...auditBase(client), at }, tx);
        }
        return done;
      });
      if (revoked) await publishRevoked([sessionId]);
    },

    /** The caller's account and profile. */
    me(userId: string): Promise<Me> {
      return loadMe(userId);
    },

    /** Changes the caller's profile; notification preferences merge field by field. */
    async updateProfile(userId: string, patch: ProfilePatchRequest, client: ClientMeta): Promise<Profile> {
      const at = deps.now();
      const changed = Object.keys(patch).sort();
      const row = await db.transaction(async (tx) => {
        let current = await repo.findProfileForUpdate(userId, tx);
        if (!current) {
          await repo.insertProfile({ userId, at }, tx);
          current = await repo.findProfileForUpdate(userId, tx);
          if (!current) throw new NotFoundError('account');
        }
        const updated = await repo.updateProfile(
          userId,
          {
            ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
            ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
            ...(patch.country !== undefined ? { country: patch.country } : {}),
            ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
            ...(patch.notificationPreferences !== undefined
              ? {
                  notificationPrefs: mergeNotificationPreferences(
                    notificationPreferencesFromStored(current.notificationPrefs),
                    patch.notificationPreferences,
                  ),
                }
              : {}),
            at,
          },
          tx,
        );
        // Only the names of the fields: a display name is the person's own text.
        await audit.record({ userId, actor: 'user', action: 'profile_updated', targetType: 'profile', targetId: userId, metadata: { fields: changed }, ...auditBase(client), at }, tx);
        return updated;
      });
      if (!row) throw new NotFoundError('account');
      // Other modules read country, locale and timezone through a cache: the change applies at once.
      await deps.cache.del(profileCacheKey(userId));
      return toProfile(row, at);
    },

    /** The caller's live device sessions, most recently used first, marking the current one. */
    async listSessions(auth: RequestAuth): Promise<DeviceSession[]> {
      const now = deps.now();
      const idleCutoff = new Date(now.getTime() - lifetimes.idleDays * 86_400_000);
      const rows = await repo.listLiveSessions(auth.userId, now, idleCutoff);
      return rows.map((row) => toDeviceSession(row, auth.sessionId, lifetimes));
    },

    /** Revokes one of the caller's sessions; another user's session id is a 404, like an unknown one. */
    async revokeSession(auth: RequestAuth, sessionId: string, client: ClientMeta): Promise<void> {
      const at = deps.now();
      const revoked = await db.transaction(async (tx) => {
        const done = await repo.revokeSession(sessionId, at, 'user_revoked', auth.userId, tx);
        if (!done) return false;
        await deps.sessions.revoking([sessionId], tx);
        await audit.record(
          { userId: auth.userId, actor: 'user', action: 'session_revoked', targetType: 'session', targetId: sessionId, metadata: { current: sessionId === auth.sessionId }, ...auditBase(client), at },
          tx,
        );
        return true;
      });
      if (!revoked) throw new NotFoundError('session');
      await publishRevoked([sessionId]);
    },

    /** Revokes every session of the caller except the current one ("sign out everywhere else"). */
    async revokeOtherSessions(auth: RequestAuth, client: ClientMeta): Promise<number> {
      const at = deps.now();
      const ids = await db.transaction(async (tx) => {
        const revoked = await repo.revokeUserSessions(auth.userId, at, 'user_revoked_others', auth.sessionId, tx);
        await deps.sessions.revoking(revoked, tx);
        if (revoked.length > 0) {
          await audit.record(
            { userId: auth.userId, actor: 'user', action: 'session_revoked', targetType: 'user', targetId: auth.userId, metadata: { scope: 'others', count: revoked.length }, ...auditBase(client), at },
            tx,
          );
        }
        return revoked;
      });
      await publishRevoked(ids);
      return ids.length;
    },

    /**
     * Revokes every session of a user (account deletion, disabling, password reset). Runs in the
     * caller's transaction when given; call `afterCommit` once it commits.
     */
    async revokeAllSessions(userId: string, reason: string, tx?: Executor) {
      const executor = tx ?? db;
      const ids = await repo.revokeUserSessions(userId, deps.now(), reason, undefined, executor);
      await deps.sessions.revoking(ids, executor);
      return { revoked: ids.length, afterCommit: () => publishRevoked(ids) };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

class LostRace extends Error {}

function toProfile(row: ProfileRow | null, fallbackUpdatedAt: Date): Profile {
  return {
    displayName: row?.displayName ?? null,
    locale: row?.locale ?? 'en-US',
    country: row?.country ?? null,
    timezone: row?.timezone ?? 'UTC',
    notificationPreferences: notificationPreferencesFromStored(row?.notificationPrefs ?? {}),
    updatedAt: (row?.updatedAt ?? fallbackUpdatedAt).toISOString(),
  };
}

function toDeviceSession(row: SessionRow, currentSessionId: string, lifetimes: SessionLifetimes): DeviceSession {
  return {
    id: row.id,
    deviceName: row.deviceName,
    platform: row.platform,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    idleExpiresAt: idleExpiresAt(row.lastUsedAt, lifetimes).toISOString(),
    current: row.id === currentSessionId,
  };
}
