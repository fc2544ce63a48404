import type { Infra } from '../../infra/infra.js';
import type { SharedServices } from '../../services.js';
import { createSpectrumRepo } from './repo.js';
import { createSpectrumService, type SpectrumDeps } from './service.js';

export { spectrumRoutes } from './routes.js';

/** Wires the Spectrum service on the app's infrastructure, shared services and the turn, Mirror and Lens services. */
export function wireSpectrumService(
  infra: Infra,
  shared: Pick<SharedServices, 'cipher' | 'audit' | 'entitlements' | 'profileOf'>,
  items: Pick<SpectrumDeps, 'turns' | 'mirror' | 'lens'>,
) {
  const { db } = infra.database;
  return createSpectrumService({
    db,
    repo: createSpectrumRepo(db),
    cipher: shared.cipher,
    audit: shared.audit,
    entitlements: shared.entitlements,
    profileOf: shared.profileOf,
    turns: items.turns,
    mirror: items.mirror,
    lens: items.lens,
    now: () => infra.now(),
  });
}
