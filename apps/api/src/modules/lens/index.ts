import type { FastifyPluginAsync } from 'fastify';
import type { Infra } from '../../infra/infra.js';
import type { SharedServices } from '../../services.js';
import { createLensRepo } from './repo.js';
import { lensRoutes } from './routes.js';
import { createLensService } from './service.js';

/** Builds the Lens service on the app's infrastructure and shared services. */
export function wireLensService(infra: Infra, shared: Pick<SharedServices, 'guard' | 'cipher' | 'entitlements' | 'audit' | 'profileOf'>) {
  const db = infra.database.db;
  return createLensService({
    db,
    repo: createLensRepo(db),
    cipher: shared.cipher,
    now: () => infra.now(),
    entitlements: shared.entitlements,
    guard: shared.guard,
    audit: shared.audit,
    profileOf: shared.profileOf,
    cache: infra.cache,
  });
}

/**
 * Lens routes (register in app.ts under /v1): goals, actions, completions, check-ins and the daily
 * affirmation through the guarded AI path.
 */
export const lensModule: FastifyPluginAsync<{ service: ReturnType<typeof wireLensService> }> = async (app, { service }) => {
  await app.register(lensRoutes, { service });
};
