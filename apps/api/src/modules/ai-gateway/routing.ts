import { z } from 'zod';
import { hash32 } from './local/text.js';
import { lanes, type Lane } from './prompts.js';

/** The name of the deployment every lane ends with: the local engine. */
export const LOCAL_DEPLOYMENT_NAME = 'local';

const price = z.object({ input: z.number().min(0), output: z.number().min(0) });

/** One place a task can run: a model behind an OpenAI-compatible server, or the local engine. */
export const deploymentSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore, at most 64'),
    provider: z.enum(['openai-compatible', 'local']),
    /** Base URL including the API version path, e.g. http://127.0.0.1:8000/v1 for vLLM. */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    model: z.string().min(1).optional(),
    /** Name of the environment variable holding the API key; self-hosted servers usually need none. */
    apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
    /** Per attempt; for streams, the longest silence between chunks. */
    timeoutMs: z.number().int().min(100).max(300_000).default(20_000),
    /** Retries on this deployment before falling over to the next one (429, 5xx, timeouts, connection errors). */
    maxRetries: z.number().int().min(0).max(5).default(1),
    /** Currency units per million tokens; converted to integer micro-units per attempt. */
    pricePerMillion: price.default({ input: 0, output: 0 }),
  })
  .strict()
  .superRefine((deployment, ctx) => {
    if (deployment.provider === 'openai-compatible') {
      if (deployment.baseUrl === undefined) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'required for openai-compatible' });
      if (deployment.model === undefined) ctx.addIssue({ code: 'custom', path: ['model'], message: 'required for openai-compatible' });
    }
  });
export type DeploymentConfig = z.infer<typeof deploymentSchema>;

/**
 * A canary for one lane: a share of users whose calls try a new deployment first, then the lane's
 * own deployments as usual. Membership is sticky: a hash of the salt and the user id decides it.
 */
export const canarySchema = z
  .object({
    deployment: deploymentSchema,
    /** Share of users, 0 to 100 (two decimals), whose calls go to the canary first. */
    percent: z.number().min(0).max(100),
    /** Changing the salt reshuffles who is in the canary; keep it while a rollout runs. */
    salt: z.string().min(1).max(64).default('canary'),
  })
  .strict();
export type CanaryConfig = z.infer<typeof canarySchema>;

/** The routing file: an ordered list of deployments per lane, tried first to last, and optional canaries. */
export const routingSchema = z
  .object({
    lanes: z
      .object({
        quality: z.array(deploymentSchema).default([]),
        economy: z.array(deploymentSchema).default([]),
      })
      .strict(),
    canaries: z
      .object({
        quality: canarySchema.optional(),
        economy: canarySchema.optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type RoutingConfig = z.infer<typeof routingSchema>;

/** A deployment ready to call: its API key resolved from the environment. */
export type Deployment = DeploymentConfig & { apiKey: string | undefined };

/** A resolved canary: its deployment (API key resolved), share and salt. */
export interface Canary {
  deployment: Deployment;
  percent: number;
  salt: string;
}

/** Resolved routing: every lane ends with the local engine; a lane may have a canary. */
export interface Routing {
  lanes: Record<Lane, Deployment[]>;
  canaries?: Partial<Record<Lane, Canary>>;
}

/** The user's bucket in [0, 10000) for a salt: stable across processes and restarts. */
export function canaryBucket(salt: string, userId: string): number {
  return hash32(`${salt}\u0000${userId}`) % 10_000;
}

/**
 * The canary deployment a user's call in this lane tries first, or null: none configured, the
 * user outside its share, or no user (anonymous calls stay on the lane's own deployments).
 */
export function canaryFor(routing: Routing, lane: Lane, userId: string | null | undefined): Deployment | null {
  const canary = routing.canaries?.[lane];
  if (!canary || !userId || canary.percent <= 0) return null;
  return canaryBucket(canary.salt, userId) < Math.round(canary.percent * 100) ? canary.deployment : null;
}

const positiveInt = z.coerce.number().int().min(1);

/**
 * The gateway's environment variables, for the API's single config schema to include
 * (`z.object({ ...other, ...aiConfigSchema.shape })`).
 */
export const aiConfigSchema = z.object({
  /** Routing as a JSON string; takes the shape of routingSchema. */
  AI_ROUTING: z.string().optional(),
  /** Path of a JSON file with the routing; use one of AI_ROUTING and AI_ROUTING_FILE. */
  AI_ROUTING_FILE: z.string().optional(),
  /** Failure percentage within the window above which a deployment's breaker opens. */
  AI_BREAKER_ERROR_PERCENT: z.coerce.number().min(1).max(100).default(50),
  /** Attempts a deployment must see within the window before its breaker may open. */
  AI_BREAKER_MIN_REQUESTS: positiveInt.default(5),
  /** How long an open breaker stays open before a single probe is let through. */
  AI_BREAKER_RESET_MS: positiveInt.default(30_000),
  /** Length of the rolling window the failure rate is measured over. */
  AI_BREAKER_WINDOW_MS: positiveInt.default(60_000),
  /** Delay before the first retry (then doubling, with jitter). */
  AI_RETRY_BASE_MS: positiveInt.default(250),
  /** Longest computed delay between retries. */
  AI_RETRY_MAX_MS: positiveInt.default(4_000),
  /** A Retry-After longer than this skips to the next deployment instead of waiting. */
  AI_RETRY_AFTER_MAX_MS: positiveInt.default(10_000),
});
export type AiConfig = z.infer<typeof aiConfigSchema>;

export class RoutingConfigError extends Error {
  override name = 'RoutingConfigError';
}

/** The local engine as a deployment: appended to every lane that does not already end with it. */
export const LOCAL_DEPLOYMENT: Deployment = {
  name: LOCAL_DEPLOYMENT_NAME,
  provider: 'local',
  timeoutMs: 20_000,
  maxRetries: 0,
  pricePerMillion: { input: 0, output: 0 },
  apiKey: undefined,
};

/**
 * Loads routing from AI_ROUTING or AI_ROUTING_FILE. With neither, every lane is just the local engine.
 * `env` is the raw environment, used only to look up each deployment's `apiKeyEnv`.
 * Throws RoutingConfigError naming every problem.
 */
export function loadRouting(
  config: Pick<AiConfig, 'AI_ROUTING' | 'AI_ROUTING_FILE'>,
  deps: { readFile: (path: string) => string; env: Readonly<Record<string, string | undefined>> },
): Routing {
  if (config.AI_ROUTING !== undefined && config.AI_ROUTING_FILE !== undefined) {
    throw new RoutingConfigError('Set only one of AI_ROUTING and AI_ROUTING_FILE.');
  }
  let text: string | undefined = config.AI_ROUTING;
  let source = 'AI_ROUTING';
  if (config.AI_ROUTING_FILE !== undefined) {
    source = `AI_ROUTING_FILE (${config.AI_ROUTING_FILE})`;
    try {
      text = deps.readFile(config.AI_ROUTING_FILE);
    } catch (error) {
      throw new RoutingConfigError(`${source}: cannot read the file: ${(error as Error).message}`);
    }
  }
  if (text === undefined) return resolveRouting({ lanes: { quality: [], economy: [] }, canaries: {} }, deps.env, source);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RoutingConfigError(`${source}: not valid JSON.`);
  }
  return parseRouting(json, deps.env, source);
}

/** Validates a routing object (already parsed JSON) and resolves it. */
export function parseRouting(json: unknown, env: Readonly<Record<string, string | undefined>>, source = 'routing'): Routing {
  const parsed = routingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new RoutingConfigError(`${source} is invalid:\n${problems.join('\n')}`);
  }
  return resolveRouting(parsed.data, env, source);
}

function resolveRouting(config: RoutingConfig, env: Readonly<Record<string, string | undefined>>, source: string): Routing {
  const problems: string[] = [];
  const byName = new Map<string, string>();
  const resolved = {} as Record<Lane, Deployment[]>;
  for (const lane of lanes) {
    const list = config.lanes[lane];
    const names = new Set<string>();
    const deployments: Deployment[] = [];
    list.forEach((deployment, index) => {
      const where = `lanes.${lane}.${index}`;
      if (names.has(deployment.name)) problems.push(`${where}: deployment "${deployment.name}" appears twice in the lane`);
      names.add(deployment.name);
      // One breaker per name, so a name used in two lanes must mean the same deployment.
      const fingerprint = JSON.stringify(deployment);
      const seen = byName.get(deployment.name);
      if (seen !== undefined && seen !== fingerprint) problems.push(`${where}: deployment "${deployment.name}" is defined differently in another lane`);
      byName.set(deployment.name, fingerprint);
      if (deployment.provider === 'local' && index !== list.length - 1) {
        problems.push(`${where}: the local engine always answers, so it must be the last deployment of a lane`);
      }
      if (deployment.provider === 'local' && deployment.name !== LOCAL_DEPLOYMENT_NAME) {
        problems.push(`${where}: the local deployment must be named "${LOCAL_DEPLOYMENT_NAME}"`);
      }
      if (deployment.provider !== 'local' && deployment.name === LOCAL_DEPLOYMENT_NAME) {
        problems.push(`${where}: the name "${LOCAL_DEPLOYMENT_NAME}" is reserved for the local engine`);
      }
      let apiKey: string | undefined;
      if (deployment.apiKeyEnv !== undefined) {
        apiKey = env[deployment.apiKeyEnv];
        if (apiKey === undefined || apiKey === '') problems.push(`${where}: environment variable ${deployment.apiKeyEnv} is not set`);
      }
      deployments.push({ ...deployment, apiKey });
    });
    const last = deployments.at(-1);
    if (last === undefined || last.provider !== 'local') deployments.push(LOCAL_DEPLOYMENT);
    resolved[lane] = deployments;
  }
  const canaries: Partial<Record<Lane, Canary>> = {};
  for (const lane of lanes) {
    const canary = config.canaries[lane];
    if (!canary) continue;
    const where = `canaries.${lane}`;
    const { deployment } = canary;
    if (deployment.provider === 'local') problems.push(`${where}.deployment: a canary is a model deployment; the local engine already ends every lane`);
    if (deployment.name === LOCAL_DEPLOYMENT_NAME) problems.push(`${where}.deployment: the name "${LOCAL_DEPLOYMENT_NAME}" is reserved for the local engine`);
    if (config.lanes[lane].some((d) => d.name === deployment.name)) {
      problems.push(`${where}.deployment: "${deployment.name}" is already in lanes.${lane}; a canary is a new deployment`);
    }
    const fingerprint = JSON.stringify(deployment);
    const seen = byName.get(deployment.name);
    if (seen !== undefined && seen !== fingerprint) problems.push(`${where}.deployment: "${deployment.name}" is defined differently elsewhere`);
    byName.set(deployment.name, fingerprint);
    let apiKey: string | undefined;
    if (deployment.apiKeyEnv !== undefined) {
      apiKey = env[deployment.apiKeyEnv];
      if (apiKey === undefined || apiKey === '') problems.push(`${where}.deployment: environment variable ${deployment.apiKeyEnv} is not set`);
    }
    canaries[lane] = { deployment: { ...deployment, apiKey }, percent: canary.percent, salt: canary.salt };
  }
  if (problems.length > 0) throw new RoutingConfigError(`${source} is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { lanes: resolved, canaries };
}
