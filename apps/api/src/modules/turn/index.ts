import type { Infra } from '../../infra/infra.js';
import type { SharedServices } from '../../services.js';
import { createTurnRepo } from './repo.js';
import { createTurnService } from './service.js';

export { turnRoutes } from './routes.js';

/** Wires the turn service on the app's infrastructure and shared services. */
export function wireTurnService(infra: Infra, shared: Pick<SharedServices, 'guard' | 'cipher' | 'audit'>) {
  const { db } = infra.database;
  return createTurnService({ db, repo: createTurnRepo(db), guard: shared.guard, cipher: shared.cipher, audit: shared.audit, now: () => infra.now() });
}
