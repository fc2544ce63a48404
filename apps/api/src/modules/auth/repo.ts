import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { authSessions, profiles, refreshTokens, userIdentities, users } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';

export type SessionRow = typeof authSessions.$inferSelect;
export type ProfileRow = typeof profiles.$inferSelect;
export type IdentityProvider = (typeof userIdentities.$inferInsert)['provider'];

/**
 * Every SQL statement of the auth module. Each function takes an optional executor so it can run
 * inside a transaction the service started. Queries on a user's rows are scoped by that user's id.
 */
export function createAuthRepo(db: Executor) {
  const meFields = {
    id: users.id,
    email: users.email,
    hasPassword: sql<boolean>`${users.passwordHash} is not null`,
    createdAt: users.createdAt,
    identities: sql<string[] | null>`(select array_agg(${userIdentities.provider} order by ${userIdentities.provider}) from ${userIdentities} where ${userIdentities.userId} = ${users.id})`,
    profile: profiles,
  };
  // The two queries behind every authenticated GET /v1/me are prepared once: building a drizzle
  // query costs more than running a primary-key lookup.
  const meQuery = db
    .select(meFields)
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare('auth_find_me');
  const sessionFactsQuery = db
    .select({
      userId: authSessions.userId,
      expiresAt: authSessions.expiresAt,
      lastUsedAt: authSessions.lastUsedAt,
      revokedAt: authSessions.revokedAt,
    })
    .from(authSessions)
    .where(eq(authSessions.id, sql.placeholder('sessionId')))
    .prepare('auth_session_facts');

  return {
    // ------------------------------------------------------------ users and identities

    /** The account for a (normalised) email; uses the unique index on lower(email). */
    async findUserByEmail(email: string, tx: Executor = db) {
      const [row] = await tx
        .select({ id: users.id, passwordHash: users.passwordHash, status: users.status })
        .from(users)
        .where(sql`lower(${users.email}) = ${email}`)
        .limit(1);
      return row;
    },

    /** Inserts a user; undefined when the email is already taken (case-insensitively). */
    async insertUser(values: { email: string | null; passwordHash: string | null; at: Date }, tx: Executor = db) {
      const [row] = await tx
        .insert(users)
        .values({ email: values.email, passwordHash: values.passwordHash, createdAt: values.at, updatedAt: values.at })
        .onConflictDoNothing()
        .returning({ id: users.id });
      return row;
    },

    async updatePasswordHash(userId: string, passwordHash: string, at: Date, tx: Executor = db) {
      await tx.update(users).set({ passwordHash, updatedAt: at }).where(eq(users.id, userId));
    },

    async findUserStatus(userId: string, tx: Executor = db) {
      const [row] = await tx.select({ status: users.status }).from(users).where(eq(users.id, userId));
      return row?.status;
    },

    async findIdentity(provider: IdentityProvider, subject: string, tx: Executor = db) {
      const [row] = await tx
        .select({ userId: userIdentities.userId, status: users.status })
        .from(userIdentities)
        .innerJoin(users, eq(users.id, userIdentities.userId))
        .where(and(eq(userIdentities.provider, provider), eq(userIdentities.subject, subject)));
      return row;
    },

    /** Links a provider identity; false when (provider, subject) is already linked. */
    async insertIdentity(
      values: { userId: string; provider: IdentityProvider; subject: string; email: string | null; at: Date },
      tx: Executor = db,
    ) {
      const rows = await tx
        .insert(userIdentities)
        .values({ userId: values.userId, provider: values.provider, subject: values.subject, email: values.email, createdAt: values.at })
        .onConflictDoNothing()
        .returning({ id: userIdentities.id });
      return rows.length > 0;
    },

    /** The account and profile behind GET /v1/me, in one round trip. */
    async findMe(userId: string, tx: Executor = db) {
      if (tx === db) return (await meQuery.execute({ userId }))[0];
      const [row] = await tx.select(meFields).from(users).leftJoin(profiles, eq(profiles.userId, users.id)).where(eq(users.id, userId));
      return row;
    },

    // ------------------------------------------------------------ profiles

    async insertProfile(
      values: { userId: string; displayName?: string | null; locale?: string; country?: string | null; timezone?: string; at: Date },
      tx: Executor = db,
    ) {
      await tx
        .insert(profiles)
        .values({
          userId: values.userId,
          displayName: values.displayName ?? null,
          country: values.country ?? null,
          ...(values.locale ? { locale: values.locale } : {}),
          ...(values.timezone ? { timezone: values.timezone } : {}),
          createdAt: values.at,
          updatedAt: values.at,
        })
        .onConflictDoNothing();
    },

    /** Locks the caller's profile row for a read-modify-write. */
    async findProfileForUpdate(userId: string, tx: Executor = db): Promise<ProfileRow | undefined> {
      const [row] = await tx.select().from(profiles).where(eq(profiles.userId, userId)).for('update');
      return row;
    },

    async updateProfile(
      userId: string,
      values: Partial<Pick<ProfileRow, 'displayName' | 'locale' | 'country' | 'timezone' | 'notificationPrefs'>> & { at: Date },
      tx: Executor = db,
    ): Promise<ProfileRow | undefined> {
      const { at, ...fields } = values;
      const [row] = await tx
        .update(profiles)
        .set({ ...fields, updatedAt: at })
        .where(eq(profiles.userId, userId))
        .returning();
      return row;
    },

    // ------------------------------------------------------------ sessions and refresh tokens

    async insertSession(
      values: {
        id: string;
        userId: string;
        deviceName: string | null;
        platform: string | null;
        userAgent: string | null;
        ipHash: string | null;
        at: Date;
        expiresAt: Date;
      },
      tx: Executor = db,
    ) {
      await tx.insert(authSessions).values({
        id: values.id,
        userId: values.userId,
        deviceName: values.deviceName,
        platform: values.platform,
        userAgent: values.userAgent,
        ipHash: values.ipHash,
        createdAt: values.at,
        lastUsedAt: values.at,
        expiresAt: values.expiresAt,
      });
    },

    /** What the access-token check needs about a session: one primary-key lookup. */
    async findSessionFacts(sessionId: string) {
      return (await sessionFactsQuery.execute({ sessionId }))[0];
    },

    /** Records a use of a session that is still unrevoked; false when it was revoked meanwhile. */
    async touchSession(sessionId: string, at: Date, tx: Executor = db): Promise<boolean> {
      const rows = await tx
        .update(authSessions)
        .set({ lastUsedAt: at })
        .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)))
        .returning({ id: authSessions.id });
      return rows.length > 0;
    },

    /** Revokes one session; with `userId`, only when it belongs to that user. Undefined when nothing was revoked. */
    async revokeSession(sessionId: string, at: Date, reason: string, userId?: string, tx: Executor = db) {
      const [row] = await tx
        .update(authSessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(
          and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt), userId === undefined ? undefined : eq(authSessions.userId, userId)),
        )
        .returning({ id: authSessions.id });
      return row;
    },

    /** Revokes every live session of a user except `keepSessionId` (when given); returns the revoked ids. */
    async revokeUserSessions(userId: string, at: Date, reason: string, keepSessionId?: string, tx: Executor = db) {
      const rows = await tx
        .update(authSessions)
        .set({ revokedAt: at, revokedReason: reason })
        .where(
          and(
            eq(authSessions.userId, userId),
            isNull(authSessions.revokedAt),
            keepSessionId === undefined ? undefined : ne(authSessions.id, keepSessionId),
          ),
        )
        .returning({ id: authSessions.id });
      return rows.map((row) => row.id);
    },

    /** A user's sessions that are neither revoked nor past their absolute end or inactivity timeout. */
    async listLiveSessions(userId: string, now: Date, idleCutoff: Date, tx: Executor = db) {
      return tx
        .select()
        .from(authSessions)
        .where(
          and(
            eq(authSessions.userId, userId),
            isNull(authSessions.revokedAt),
            gt(authSessions.expiresAt, now),
            gt(authSessions.lastUsedAt, idleCutoff),
          ),
        )
        .orderBy(desc(authSessions.lastUsedAt), desc(authSessions.id));
    },

    async insertRefreshToken(
      values: { id: string; sessionId: string; userId: string; tokenHash: string; at: Date; expiresAt: Date },
      tx: Executor = db,
    ) {
      await tx.insert(refreshTokens).values({
        id: values.id,
        sessionId: values.sessionId,
        userId: values.userId,
        tokenHash: values.tokenHash,
        createdAt: values.at,
        expiresAt: values.expiresAt,
      });
    },

    /** A refresh token by its hash, with its session and the account's status. */
    async findRefreshToken(tokenHash: string, tx: Executor = db) {
      const [row] = await tx
        .select({
          id: refreshTokens.id,
          userId: refreshTokens.userId,
          expiresAt: refreshTokens.expiresAt,
          rotatedAt: refreshTokens.rotatedAt,
          session: {
            id: authSessions.id,
            expiresAt: authSessions.expiresAt,
            lastUsedAt: authSessions.lastUsedAt,
            revokedAt: authSessions.revokedAt,
          },
          userStatus: users.status,
        })
        .from(refreshTokens)
        .innerJoin(authSessions, eq(authSessions.id, refreshTokens.sessionId))
        .innerJoin(users, eq(users.id, refreshTokens.userId))
        .where(eq(refreshTokens.tokenHash, tokenHash));
      return row;
    },

    /** When a token was exchanged, and when the successor it was exchanged for expires. */
    async findRefreshTokenRotation(tokenId: string, tx: Executor = db) {
      const successor = alias(refreshTokens, 'successor');
      const [row] = await tx
        .select({ rotatedAt: refreshTokens.rotatedAt, successorExpiresAt: successor.expiresAt })
        .from(refreshTokens)
        .leftJoin(successor, eq(successor.id, refreshTokens.replacedById))
        .where(eq(refreshTokens.id, tokenId));
      return row;
    },

    /**
     * Marks a token used, atomically: only one of any number of concurrent callers gets true
     * (the others wait on the row lock and then see `rotated_at` set).
     */
    async markRefreshTokenRotated(tokenId: string, at: Date, replacedById: string, tx: Executor = db): Promise<boolean> {
      const rows = await tx
        .update(refreshTokens)
        .set({ rotatedAt: at, replacedById })
        .where(and(eq(refreshTokens.id, tokenId), isNull(refreshTokens.rotatedAt)))
        .returning({ id: refreshTokens.id });
      return rows.length > 0;
    },
  };
}

export type AuthRepo = ReturnType<typeof createAuthRepo>;
