import { readFileSync } from 'node:fs';
import type { AiTaskOutput } from '@kalei/contracts/ai-tasks';
import type { Cache } from '../../infra/cache.js';
import { createLocalEngine } from './local/engine.js';
import { loadRouting, type AiConfig } from './routing.js';
import { createAiGateway, type AiGateway, type AiGatewayDeps, type AiUsageEvent, type GatewayLogger } from './service.js';

/** Breaker and retry settings from the parsed environment. */
export function gatewaySettings(config: AiConfig): Pick<AiGatewayDeps, 'breaker' | 'retry'> {
  return {
    breaker: {
      errorThresholdPercentage: config.AI_BREAKER_ERROR_PERCENT,
      volumeThreshold: config.AI_BREAKER_MIN_REQUESTS,
      resetTimeoutMs: config.AI_BREAKER_RESET_MS,
      rollingWindowMs: config.AI_BREAKER_WINDOW_MS,
    },
    retry: {
      baseMs: config.AI_RETRY_BASE_MS,
      maxMs: config.AI_RETRY_MAX_MS,
      maxRetryAfterMs: config.AI_RETRY_AFTER_MAX_MS,
    },
  };
}

/**
 * Wires the gateway for the API and the worker: routing from AI_ROUTING / AI_ROUTING_FILE, the real
 * local engine as every lane's last resort. Throws RoutingConfigError when the routing is wrong.
 */
export function createAiGatewayFromConfig(
  config: AiConfig,
  deps: {
    /** The raw environment, read only for each deployment's `apiKeyEnv`. */
    env: Readonly<Record<string, string | undefined>>;
    cache: Pick<Cache, 'get' | 'set' | 'del'>;
    recordUsage: (event: AiUsageEvent) => void | Promise<void>;
    logger: GatewayLogger;
    /** The safety module's second opinion for `safety.confirm` when it runs locally. */
    confirmSafety?: (text: string) => AiTaskOutput<'safety.confirm'>;
    readFile?: (path: string) => string;
  },
): AiGateway {
  const routing = loadRouting(config, { env: deps.env, readFile: deps.readFile ?? ((path) => readFileSync(path, 'utf8')) });
  const localEngine = createLocalEngine(deps.confirmSafety ? { confirmSafety: deps.confirmSafety } : {});
  return createAiGateway({
    routing,
    cache: deps.cache,
    recordUsage: deps.recordUsage,
    logger: deps.logger,
    localEngine,
    ...gatewaySettings(config),
  });
}
