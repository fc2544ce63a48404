import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import type PgBoss from 'pg-boss';
import { ConfigError, type Config } from '../../config.js';
import type { Infra } from '../../infra/infra.js';
import { deadLetterQueue, executorAdapter, UnknownQueueError } from '../../infra/queue.js';
import { createAuditService } from '../audit/service.js';
import { createProfileReader } from '../auth/profile-reader.js';
import { createAuthRepo } from '../auth/repo.js';
import { createEntitlementsRepo } from '../entitlements/repo.js';
import { createEntitlementsService } from '../entitlements/service.js';
import { createAppleVerifier, createAppStoreApi, loadAppleRootCertificates } from './apple.js';
import { createCatalogue } from './fns.js';
import { createPlayClient, createPushVerifier, loadServiceAccount } from './google.js';
import { createBillingRepo } from './repo.js';
import { billingRoutes } from './routes.js';
import { BILLING_QUEUES, createBillingService, type BillingLog, type BillingService } from './service.js';

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`APPLE_API_PRIVATE_KEY_FILE: cannot read the key (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/**
 * App Store settings, or null when APPLE_BUNDLE_ID is unset. loadConfig has checked which
 * variables go together; a file that cannot be read stops the process here.
 */
function appleSettings(config: Config) {
  if (!config.APPLE_BUNDLE_ID) return null;
  let rootCertificates;
  try {
    rootCertificates = loadAppleRootCertificates(config.APPLE_ROOT_CERTIFICATES);
  } catch (error) {
    throw new ConfigError(`APPLE_ROOT_CERTIFICATES: cannot read a certificate (${(error as Error).message}).`);
  }
  const verifier = createAppleVerifier({
    bundleId: config.APPLE_BUNDLE_ID,
    appAppleId: config.APPLE_APP_APPLE_ID,
    rootCertificates,
    environments: config.APPLE_ENVIRONMENTS,
    onlineChecks: config.APPLE_ONLINE_CHECKS,
  });
  const api =
    config.APPLE_API_KEY_ID && config.APPLE_API_ISSUER_ID && config.APPLE_API_PRIVATE_KEY_FILE
      ? createAppStoreApi({
          keyId: config.APPLE_API_KEY_ID,
          issuerId: config.APPLE_API_ISSUER_ID,
          privateKey: readKeyFile(config.APPLE_API_PRIVATE_KEY_FILE),
          bundleId: config.APPLE_BUNDLE_ID,
          baseUrl: config.APPLE_API_BASE_URL,
        })
      : null;
  return { verifier, api };
}

/** Google Play settings, or null when GOOGLE_PLAY_PACKAGE_NAME is unset. */
function googleSettings(config: Config, now: () => Date) {
  if (!config.GOOGLE_PLAY_PACKAGE_NAME) return null;
  let credentials;
  try {
    credentials = loadServiceAccount({ file: config.GOOGLE_PLAY_SERVICE_ACCOUNT_FILE, json: config.GOOGLE_PLAY_SERVICE_ACCOUNT_JSON });
  } catch (error) {
    throw new ConfigError(
      `GOOGLE_PLAY_SERVICE_ACCOUNT_FILE or GOOGLE_PLAY_SERVICE_ACCOUNT_JSON must hold a service-account key when GOOGLE_PLAY_PACKAGE_NAME is set (${(error as Error).name}).`,
    );
  }
  const push =
    config.GOOGLE_PUBSUB_AUDIENCE && config.GOOGLE_PUBSUB_SERVICE_ACCOUNT
      ? createPushVerifier({
          jwksUrl: config.GOOGLE_PUBSUB_JWKS_URL,
          audience: config.GOOGLE_PUBSUB_AUDIENCE,
          serviceAccountEmail: config.GOOGLE_PUBSUB_SERVICE_ACCOUNT,
          now,
        })
      : null;
  return {
    packageName: config.GOOGLE_PLAY_PACKAGE_NAME,
    play: createPlayClient({
      packageName: config.GOOGLE_PLAY_PACKAGE_NAME,
      credentials,
      apiBaseUrl: config.GOOGLE_PLAY_API_BASE_URL,
      tokenUrl: config.GOOGLE_OAUTH_TOKEN_URL,
    }),
    push,
    acceptTestPurchases: config.GOOGLE_PLAY_ACCEPT_TEST_PURCHASES,
  };
}

/** Builds the billing service on the given infrastructure (the HTTP module, the worker and tests share it). */
export function createBilling(infra: Infra, log: BillingLog): BillingService {
  const { config, database, cache } = infra;
  const db = database.db;
  const now = () => infra.now();
  const authRepo = createAuthRepo(db);
  let queuesReady: Promise<void> | null = null;
  const entitlements = createEntitlementsService({
    repo: createEntitlementsRepo(db),
    cache,
    now,
    audit: createAuditService({ db }),
    quotaScale: config.QUOTA_SCALE,
  });
  const profileOf = createProfileReader(db, cache);
  return createBillingService({
    db,
    repo: createBillingRepo(db),
    entitlements,
    users: {
      async exists(userId, tx) {
        return (await authRepo.findUserStatus(userId, tx)) !== undefined;
      },
      async timezone(userId) {
        return (await profileOf(userId)).timezone;
      },
    },
    catalogue: createCatalogue(config.BILLING_PRODUCTS),
    apple: appleSettings(config),
    google: googleSettings(config, now),
    prepareQueues() {
      queuesReady ??= ensureBillingQueues(infra.boss).catch((error: unknown) => {
        queuesReady = null;
        throw error;
      });
      return queuesReady;
    },
    async enqueue(queue, data, options) {
      const id = await infra.boss.send(queue, data, {
        ...(options.tx ? { db: executorAdapter(options.tx) } : {}),
        ...(options.singletonKey ? { singletonKey: options.singletonKey, singletonSeconds: options.singletonSeconds ?? 60 } : {}),
      });
      // pg-boss answers null, not an error, for a missing queue; losing a store event is not an option.
      if (!id && !options.singletonKey) throw new UnknownQueueError(`job queue ${queue} does not exist`);
      return id !== null;
    },
    now,
    log,
    reconcileWindowHours: config.BILLING_RECONCILE_WINDOW_HOURS,
  });
}

/**
 * Creates the billing queues when missing, so the API can take store events before a worker has
 * ever run. The worker's job registry (jobs.ts) owns their policy and brings it in line
 * (`ensureQueues`); this only makes sure a send never finds no queue.
 */
export async function ensureBillingQueues(boss: PgBoss): Promise<void> {
  for (const name of Object.values(BILLING_QUEUES)) {
    const dlq = deadLetterQueue(name);
    await boss.createQueue(dlq, { name: dlq, retryLimit: 0, retentionMinutes: 30 * 24 * 60 });
    await boss.createQueue(name, { name, retryLimit: 8, retryDelay: 30, retryBackoff: true, deadLetter: dlq });
  }
}

/**
 * Wires the billing module (register in app.ts under the /v1 prefix, after the auth plugin):
 * GET /billing/entitlements, client-submitted purchases and the two store webhooks.
 */
export const billingModule: FastifyPluginAsync = async (app) => {
  const service = createBilling(app.infra, app.log);
  await app.register(billingRoutes, { service });
};
