import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { createUserHasher } from '../../infra/telemetry.js';
import { createAuditService } from '../audit/service.js';
import { createPasswordHasher } from './passwords.js';
import { createAuthRepo } from './repo.js';
import { authRoutes } from './routes.js';
import { createAuthService } from './service.js';
import { createSocialVerifier } from './social.js';
import { createAccessTokens, createRefreshSuccessor } from './tokens.js';

/**
 * Builds the auth service (after the auth plugin, whose session guard it shares); app.ts hands
 * it to authModule and to the account routes.
 */
export function wireAuthService(app: Pick<FastifyInstance, 'infra' | 'sessionGuard'>) {
  const { config, secrets, cache, database } = app.infra;
  const now = () => app.infra.now();
  const repo = createAuthRepo(database.db);
  return createAuthService({
    db: database.db,
    repo,
    cache,
    config,
    now,
    audit: createAuditService({ db: database.db }),
    tokens: createAccessTokens({
      signingKeys: secrets.signingKeys,
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      now,
    }),
    passwords: createPasswordHasher({
      memoryCost: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
      parallelism: config.ARGON2_PARALLELISM,
    }),
    social: createSocialVerifier({ config, now }),
    // The guard the auth plugin checks requests with, so revocations apply at once in this process too.
    sessions: app.sessionGuard,
    // Client addresses and emails only ever reach rate-limit keys and audit rows as keyed hashes.
    keyedHash: createUserHasher(secrets.logHashKey),
    refreshSuccessor: createRefreshSuccessor(secrets.logHashKey),
  });
}

/**
 * The auth module's routes (register in app.ts under the /v1 prefix, after the auth plugin):
 * accounts, password and social sign-in, token rotation, device sessions and the profile.
 */
export const authModule: FastifyPluginAsync<{ service: ReturnType<typeof wireAuthService> }> = async (app, { service }) => {
  await app.register(authRoutes, { service });
};
