import type { Infra } from '../../infra/infra.js';
import type { SharedServices } from '../../services.js';
import { createMirrorRepo } from './repo.js';
import { createMirrorService } from './service.js';

export { mirrorRoutes } from './routes.js';

/** Wires the mirror service on the app's infrastructure and shared services. */
export function wireMirrorService(infra: Infra, shared: Pick<SharedServices, 'guard' | 'cipher' | 'audit' | 'safety'>) {
  const { db } = infra.database;
  return createMirrorService({ db, repo: createMirrorRepo(db), guard: shared.guard, cipher: shared.cipher, audit: shared.audit, safety: shared.safety, now: () => infra.now() });
}
