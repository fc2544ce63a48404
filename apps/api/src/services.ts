import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Infra } from './infra/infra.js';
import { createColumnCipher } from './infra/crypto.js';
import type { Metrics } from './infra/metrics.js';
import { estimateCallMicros } from './modules/ai-guard/fns.js';
import { createAiGuard } from './modules/ai-guard/service.js';
import { createAiGatewayFromConfig } from './modules/ai-gateway/index.js';
import { loadRouting } from './modules/ai-gateway/routing.js';
import { createAuditService } from './modules/audit/service.js';
import { createProfileReader } from './modules/auth/profile-reader.js';
import { createEntitlementsRepo } from './modules/entitlements/repo.js';
import { createEntitlementsService } from './modules/entitlements/service.js';
import { confirmLocally } from './modules/safety/local-stage2.js';
import { createSafetyRepo } from './modules/safety/repo.js';
import { createSafetyService } from './modules/safety/service.js';
import { createUsageRepo } from './modules/usage-cost/repo.js';
import { createUsageCostService } from './modules/usage-cost/service.js';

/**
 * The services several modules share, built once per app: audit, entitlements, the cost guard,
 * the AI gateway, safety, and the guarded AI path over them. Product modules receive the
 * narrow parts they use as plugin options in app.ts.
 */
export function createSharedServices(infra: Infra, logger: Logger, metrics: Metrics | null = null) {
  const { config, cache, database } = infra;
  const db = database.db;
  const now = () => infra.now();
  const audit = createAuditService({ db });
  const cipher = createColumnCipher(infra.secrets.dataKeys);
  const profileOf = createProfileReader(db, cache);
  const entitlements = createEntitlementsService({ repo: createEntitlementsRepo(db), cache, now, audit, quotaScale: config.QUOTA_SCALE });
  const usage = createUsageCostService({
    repo: createUsageRepo(db),
    cache,
    now,
    audit,
    logger: logger.child({ module: 'usage-cost' }),
    settings: {
      monthlyCapMicros: Math.round(config.AI_MONTHLY_SPEND_CAP * 1_000_000),
      lensLocalAt: config.AI_DEGRADE_LENS_AT,
      spectrumPauseAt: config.AI_PAUSE_SPECTRUM_AT,
      alertWebhookUrl: config.AI_SPEND_ALERT_WEBHOOK_URL,
    },
  });
  const routing = loadRouting(config, { env: infra.env, readFile: (path) => readFileSync(path, 'utf8') });
  const gateway = createAiGatewayFromConfig(config, {
    env: infra.env,
    cache,
    recordUsage: (event) => {
      metrics?.aiAttempt(event);
      return usage.recordUsage(event);
    },
    logger: logger.child({ module: 'ai-gateway' }),
    // With no model, or the lane's models down, the local engine answers safety.confirm with the learned classifier.
    confirmSafety: (text) => confirmLocally(text),
  });
  const safetyRepo = createSafetyRepo(db);
  const safety = createSafetyService({
    stage2Enabled: config.SAFETY_STAGE2,
    // Stage 2 asks the quality lane; when its local engine answers, the safety service's own classifier decides.
    confirm: async (text) => {
      const result = await gateway.run('safety.confirm', { text }, { feature: 'safety' });
      const by = result.engine.engine === 'local' ? ({ engine: 'local' } as const) : ({ engine: 'model', version: `${result.engine.model}@${result.engine.promptVersion}` } as const);
      return { ...result.output, by };
    },
    recordEvent: (event) => {
      metrics?.safetyEvent(event);
      return safetyRepo.insertEvent({ ...event, at: now() });
    },
  });
  const guard = createAiGuard({
    entitlements,
    safety,
    gateway,
    usage,
    profileOf,
    estimateMicros: (task, input) => estimateCallMicros(routing, task, input),
  });
  return { audit, cipher, profileOf, entitlements, usage, gateway, safety, guard };
}
export type SharedServices = ReturnType<typeof createSharedServices>;
