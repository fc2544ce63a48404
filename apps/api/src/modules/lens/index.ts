import type { FastifyPluginAsync } from 'fastify';
import type { SharedServices } from '../../services.js';
import { createLensRepo } from './repo.js';
import { lensRoutes } from './routes.js';
import { createLensService } from './service.js';

/**
 * Wires Lens (register in app.ts under /v1 with the shared services): goals, actions, completions,
 * check-ins and the daily affirmation through the guarded AI path.
 */
export const lensModule: FastifyPluginAsync<{ shared: Pick<SharedServices, 'guard' | 'cipher' | 'entitlements' | 'audit' | 'profileOf'> }> = async (
  app,
  { shared },
) => {
  const db = app.infra.database.db;
  const service = createLensService({
    db,
    repo: createLensRepo(db),
    cipher: shared.cipher,
    now: () => app.infra.now(),
    entitlements: shared.entitlements,
    guard: shared.guard,
    audit: shared.audit,
    profileOf: shared.profileOf,
    cache: app.infra.cache,
  });
  await app.register(lensRoutes, { service });
};
