import { z } from 'zod';
import { aiConfigSchema, RoutingConfigError } from './modules/ai-gateway/routing.js';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/**
 * Every environment variable Kalei reads, with its default. README.md documents each one;
 * keep the two in step. process.env is read nowhere else.
 */
export const configSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Directory for embedded state: the PGlite database and generated development keys. */
  KALEI_DATA_DIR: z.string().default('./.kalei'),
  /** PostgreSQL connection string; when absent Kalei runs on embedded PGlite in KALEI_DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Redis connection string; when absent an in-process cache is used (single process only). */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_KEY_PREFIX: z.string().default('kalei:'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
  TRUST_PROXY: booleanFromEnv.default(false),
  /** Web origins (`https://app.example.com`) whose pages may call the API from a browser; empty: none (same-origin only). */
  CORS_ORIGINS: commaList
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s*]+$/, 'each origin is scheme://host[:port], without path or wildcard')))
    // As browsers send it: lower-case host, no default port.
    .transform((origins, ctx) =>
      origins.map((origin) => {
        try {
          return new URL(origin).origin;
        } catch {
          ctx.addIssue({ code: 'custom', message: `${origin} is not a valid origin` });
          return z.NEVER;
        }
      }),
    )
    .default([]),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** OTLP/HTTP endpoint of a trace collector (`/v1/traces` is appended); unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('kalei-api'),
  /** Serves Prometheus metrics at GET /metrics to scrapes carrying `Authorization: Bearer <token>`; unset: no metrics. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** Column-encryption key ring `kid:base64(32 bytes)[,…]`; the first encrypts. Generated into KALEI_DATA_DIR when absent. */
  KALEI_DATA_KEYS: z.string().optional(),
  // The AI gateway's routing, breaker and retry settings (docs/ai-gateway.md).
  ...aiConfigSchema.shape,
  /** Multiplies every plan's daily limits (operators: betas and load tests); 1 keeps docs/plans.md's figures. */
  QUOTA_SCALE: z.coerce.number().min(0).max(10_000).default(1),
  /** Global monthly AI spend cap in currency units (0: no cap); alerts at 50/80/95%, degradation beyond. */
  AI_MONTHLY_SPEND_CAP: z.coerce.number().min(0).default(100),
  /** Share of the cap at which Lens moves to the local engine, and at which Spectrum narratives pause. */
  AI_DEGRADE_LENS_AT: z.coerce.number().min(0).max(1).default(0.8),
  AI_PAUSE_SPECTRUM_AT: z.coerce.number().min(0).max(1).default(0.95),
  /** Receives a JSON POST for each spend alert. */
  AI_SPEND_ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Ask the quality lane to confirm ambiguous safety texts (stage 2); without it they are treated as crisis. */
  SAFETY_STAGE2: booleanFromEnv.default(true),
  /** Key for the keyed hash of user ids in logs; generated into KALEI_DATA_DIR when absent. */
  LOG_HASH_KEY: z.string().min(32).optional(),

  AUTH_ISSUER: z.string().default('kalei'),
  AUTH_AUDIENCE: z.string().default('kalei-app'),
  /** JSON array of Ed25519 private JWKs with `kid`; the first signs. Generated into KALEI_DATA_DIR when absent. */
  AUTH_SIGNING_KEYS: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  SESSION_ABSOLUTE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(60),
  SESSION_IDLE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8192).default(19456),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).default(1),
  LOGIN_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(50),
  LOGIN_RATE_LIMIT_PER_ACCOUNT_ANY_ADDRESS: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Requests a minute to any route (probes and metrics excepted) from one client address, and by one signed-in user; 0: no limit. */
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  RATE_LIMIT_PER_USER_PER_MINUTE: z.coerce.number().int().min(0).default(300),

  APPLE_CLIENT_IDS: commaList.default([]),
  APPLE_JWKS_URL: z.url().default('https://appleid.apple.com/auth/keys'),
  APPLE_ISSUER: z.string().default('https://appleid.apple.com'),
  GOOGLE_CLIENT_IDS: commaList.default([]),
  GOOGLE_JWKS_URL: z.url().default('https://www.googleapis.com/oauth2/v3/certs'),
  GOOGLE_ISSUERS: commaList.default(['https://accounts.google.com', 'accounts.google.com']),

  // ---------------------------------------------------------------- billing (docs/billing.md)
  // Store endpoints answer 501 until their store is configured; GET /v1/billing/entitlements always works.
  /** Product catalogue: JSON array of `{store, productId, basePlanId?, plan, period, price?, currency?}`; maps store products to plans. */
  BILLING_PRODUCTS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array (see docs/billing.md)' });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .array(
          z.strictObject({
            store: z.enum(['app_store', 'play']),
            productId: z.string().min(1).max(200),
            /** Google Play base plan; omitted, the entry matches every base plan of the product. */
            basePlanId: z.string().min(1).max(200).optional(),
            plan: z.enum(['prism', 'prism_plus']),
            /** ISO 8601 billing period: P1W, P1M, P3M, P6M, P1Y. */
            period: z.string().regex(/^P\d{1,2}[DWMY]$/, 'an ISO 8601 period such as P1M or P1Y'),
            /** The reference price the paywall shows (the store charges its own local price), e.g. "4.99", with `currency`. */
            price: z.string().regex(/^\d{1,6}(\.\d{1,2})?$/, 'a decimal amount such as 4.99').optional(),
            /** ISO 4217 code of `price`, e.g. USD. */
            currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').optional(),
          }),
        )
        .refine(
          (items) => new Set(items.map((i) => `${i.store}|${i.productId}|${i.basePlanId ?? ''}`)).size === items.length,
          'has the same store product twice',
        )
        .refine((items) => items.every((i) => i.store === 'play' || i.basePlanId === undefined), 'basePlanId is for Google Play products only')
        .refine((items) => items.every((i) => (i.price === undefined) === (i.currency === undefined)), 'price and currency go together'),
    )
    .default([]),
  /** pg-boss cron (UTC) of the reconciliation job, and how close to expiry a subscription must be to be re-read. */
  BILLING_RECONCILE_CRON: z.string().default('20 3 * * *'),
  BILLING_RECONCILE_WINDOW_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(48),
  /** App Store: the app's bundle id; setting it turns App Store billing on. */
  APPLE_BUNDLE_ID: z.string().min(1).optional(),
  /** App Store: the app's Apple ID (numeric), required when Production is accepted. */
  APPLE_APP_APPLE_ID: z.coerce.number().int().positive().optional(),
  /** App Store: comma list of Apple root certificate files (DER .cer or PEM). */
  APPLE_ROOT_CERTIFICATES: commaList.default([]),
  /** App Store environments whose purchases grant plans; each gets its own verifier. */
  APPLE_ENVIRONMENTS: commaList.pipe(z.array(z.enum(['Production', 'Sandbox'])).min(1)).default(['Production', 'Sandbox']),
  /** OCSP revocation checks of Apple's signing certificates; off only in tests. */
  APPLE_ONLINE_CHECKS: booleanFromEnv.default(true),
  /** App Store Server API key (In-App Purchase key) for reconciliation; optional. */
  APPLE_API_KEY_ID: z.string().min(1).optional(),
  APPLE_API_ISSUER_ID: z.string().min(1).optional(),
  APPLE_API_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  /** Overrides Apple's API base URL for both environments (tests, egress proxies). */
  APPLE_API_BASE_URL: z.url().optional(),
  /** Google Play: the app's package name; setting it turns Google Play billing on. */
  GOOGLE_PLAY_PACKAGE_NAME: z.string().min(1).optional(),
  /** Google Play: service-account key, as a file path or as the JSON itself. */
  GOOGLE_PLAY_SERVICE_ACCOUNT_FILE: z.string().min(1).optional(),
  GOOGLE_PLAY_SERVICE_ACCOUNT_JSON: z.string().min(1).optional(),
  GOOGLE_PLAY_API_BASE_URL: z.url().default('https://androidpublisher.googleapis.com/'),
  GOOGLE_OAUTH_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
  /** Whether license-tester (test) purchases grant plans. */
  GOOGLE_PLAY_ACCEPT_TEST_PURCHASES: booleanFromEnv.default(true),
  /** Pub/Sub push: the audience set on the push subscription and the service account it signs as. */
  GOOGLE_PUBSUB_AUDIENCE: z.string().min(1).optional(),
  GOOGLE_PUBSUB_SERVICE_ACCOUNT: z.string().min(3).optional(),
  GOOGLE_PUBSUB_JWKS_URL: z.url().default('https://www.googleapis.com/oauth2/v3/certs'),

  // ---------------------------------------------------------------- jobs and notifications (docs/jobs.md, docs/notifications.md)
  /** How often each job worker polls its queue when idle. */
  JOBS_POLLING_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  /** Where pushes go: `log` (one log line per notification, nothing leaves the machine) or `expo` (Expo push service). */
  PUSH_SENDER: z.enum(['log', 'expo']).default('log'),
  /** Expo push API origin; tests point it at a local stand-in. */
  EXPO_PUSH_BASE_URL: z.url().default('https://exp.host'),
  /** Expo access token, when the project requires one (enhanced push security). */
  EXPO_ACCESS_TOKEN: z.string().min(1).optional(),
  /** Delay before delivery receipts are read (Expo makes them available within about 15 minutes). */
  PUSH_RECEIPT_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** pg-boss cron (UTC) of the scheduler that finds whose local notification time has come. */
  NOTIFICATIONS_TICK_CRON: z.string().default('*/5 * * * *'),
  /** Most notifications one user gets in one local day, every kind together. */
  NOTIFICATIONS_DAILY_CAP: z.coerce.number().int().min(1).max(20).default(3),
  /** How long after its local time a notification may still go out (missed ticks, quiet hours ending, retries). */
  NOTIFICATIONS_WINDOW_MINUTES: z.coerce.number().int().min(5).max(720).default(90),
  /** ISO weekday (1 Monday … 7 Sunday) of the weekly summary, and its local time when the user chose no reminder time. */
  NOTIFICATIONS_WEEKLY_DAY: z.coerce.number().int().min(1).max(7).default(7),
  NOTIFICATIONS_WEEKLY_TIME: z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('18:00'),
  /** Local time at which a daily streak not yet kept today counts as at risk. */
  NOTIFICATIONS_STREAK_TIME: z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('19:30'),
  /** pg-boss cron (UTC) of the Spectrum scheduler: periods that just ended in each timezone, and recomputations. */
  SPECTRUM_TICK_CRON: z.string().default('*/15 * * * *'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The raw process environment: read here only, for AI deployments' `apiKeyEnv` secrets. */
export function readEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/**
 * Requirements between variables that the schema cannot state field by field. Each names the
 * variable to set and what to do; files are read later, by the module that uses them.
 */
function crossFieldProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.APPLE_BUNDLE_ID) {
    if (config.APPLE_ROOT_CERTIFICATES.length === 0) {
      problems.push('APPLE_ROOT_CERTIFICATES: must list Apple root certificate files when APPLE_BUNDLE_ID is set (docs/billing.md)');
    }
    if (config.APPLE_ENVIRONMENTS.includes('Production') && config.APPLE_APP_APPLE_ID === undefined) {
      problems.push("APPLE_APP_APPLE_ID: required when APPLE_ENVIRONMENTS includes Production: set the app's numeric Apple ID (docs/billing.md)");
    }
  }
  const appleApiKey = { APPLE_API_KEY_ID: config.APPLE_API_KEY_ID, APPLE_API_ISSUER_ID: config.APPLE_API_ISSUER_ID, APPLE_API_PRIVATE_KEY_FILE: config.APPLE_API_PRIVATE_KEY_FILE };
  const missingApiParts = Object.entries(appleApiKey).filter(([, value]) => !value).map(([name]) => name);
  if (missingApiParts.length > 0 && missingApiParts.length < 3) {
    problems.push(`${missingApiParts.join(', ')}: set all of APPLE_API_KEY_ID, APPLE_API_ISSUER_ID and APPLE_API_PRIVATE_KEY_FILE, or none (docs/billing.md)`);
  }
  if (config.GOOGLE_PLAY_PACKAGE_NAME && !config.GOOGLE_PLAY_SERVICE_ACCOUNT_FILE && !config.GOOGLE_PLAY_SERVICE_ACCOUNT_JSON) {
    problems.push('GOOGLE_PLAY_SERVICE_ACCOUNT_FILE or GOOGLE_PLAY_SERVICE_ACCOUNT_JSON: must hold a service-account key when GOOGLE_PLAY_PACKAGE_NAME is set (docs/billing.md)');
  }
  if (Boolean(config.GOOGLE_PUBSUB_AUDIENCE) !== Boolean(config.GOOGLE_PUBSUB_SERVICE_ACCOUNT)) {
    const missing = config.GOOGLE_PUBSUB_AUDIENCE ? 'GOOGLE_PUBSUB_SERVICE_ACCOUNT' : 'GOOGLE_PUBSUB_AUDIENCE';
    problems.push(`${missing}: set both GOOGLE_PUBSUB_AUDIENCE and GOOGLE_PUBSUB_SERVICE_ACCOUNT, or neither; the Google webhook needs both (docs/billing.md)`);
  }
  return problems;
}

/** Parses the environment once; throws a one-line ConfigError naming every wrong variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = readEnvironment()): Config {
  // Empty strings mean "unset" so `FOO= npm start` behaves like no FOO at all.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw invalidConfiguration(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw invalidConfiguration(problems);
  return parsed.data;
}

function invalidConfiguration(problems: string[]): ConfigError {
  return new ConfigError(`Invalid configuration: ${problems.join('; ')} (README.md lists every variable and its default)`);
}

/**
 * For process entry points: a configuration error (found when parsing, or later when a module
 * reads a configured file) ends the process with one line on stderr and exit code 1, never a
 * stack trace. Anything else is rethrown.
 */
export function exitOnConfigurationError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof RoutingConfigError) {
    const line = error.message
      .split('\n')
      .map((part) => part.trim())
      .filter(Boolean)
      .join(' ');
    process.stderr.write(`${line}\n`);
    process.exit(1);
  }
  throw error;
}

/** For process entry points: the parsed configuration, or one clear line and exit 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    return exitOnConfigurationError(error);
  }
}
