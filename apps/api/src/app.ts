import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  createJsonSchemaTransformObject,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Infra } from './infra/infra.js';
import { createMetrics } from './infra/metrics.js';
import { jobCounts } from './infra/queue.js';
import { startTracing } from './infra/tracing.js';
import { createUserHasher } from './infra/telemetry.js';
import { authPlugin } from './plugins/auth.js';
import { clientErrorHandler, errorsPlugin, frameworkErrorHandler } from './plugins/errors.js';
import { metricsPlugin } from './plugins/metrics.js';
import { requestRateLimitPlugin } from './plugins/rate-limit.js';
import { requestContextPlugin } from './plugins/request-context.js';
import { securityPlugin } from './plugins/security.js';
import { webAppRoutes } from './plugins/web-app.js';
import { accountRoutes, createAccountService } from './modules/auth/account.js';
import { authModule, wireAuthService } from './modules/auth/index.js';
import { billingModule } from './modules/billing/index.js';
import { healthRoutes } from './modules/health/routes.js';
import { galleryRoutes } from './modules/gallery/routes.js';
import { createGalleryService } from './modules/gallery/service.js';
import { mirrorRoutes, wireMirrorService } from './modules/mirror/index.js';
import { turnRoutes, wireTurnService } from './modules/turn/index.js';
import { lensModule, wireLensService } from './modules/lens/index.js';
import { spectrumRoutes, wireSpectrumService } from './modules/spectrum/index.js';
import { notificationsModule } from './modules/notifications/index.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { createSharedServices } from './services.js';
import { safetyRoutes } from './modules/safety/routes.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,64}$/;

export interface BuildAppOptions {
  /** A pino logger; tests pass a silent one. */
  logger: Logger;
}

/** Builds the Kalei API on the given infrastructure. It never listens: server.ts and tests do. */
export async function buildApp(infra: Infra, options: BuildAppOptions) {
  const { config } = infra;
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // A client's request id is kept when it looks like one, so traces join up across the edge.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
    // Probes would drown the log; every other request gets its start and end lines.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: (request) => request.url === '/health' || request.url === '/ready',
    }),
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false } },
    // The router's and Node's own refusals answer problem+json too, without quoting the input.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const hashUserId = createUserHasher(infra.secrets.logHashKey);
  app.decorate('infra', infra);
  app.decorate('hashUserId', hashUserId);

  await app.register(errorsPlugin);
  // Before any route: each route's content security policy is chosen as it is added.
  await app.register(securityPlugin, { corsOrigins: config.CORS_ORIGINS });
  await app.register(requestRateLimitPlugin, {
    cache: infra.cache,
    perAddress: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    perUser: config.RATE_LIMIT_PER_USER_PER_MINUTE,
    hashAddress: hashUserId,
  });
  // Tracing before the routes: the instrumentation wraps each route as it is added.
  const { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_SERVICE_NAME: serviceName } = infra.config;
  if (otlpEndpoint) {
    const tracing = startTracing({ endpoint: otlpEndpoint, serviceName });
    const instrumentation = new FastifyOtelInstrumentation({
      // A span for the request and one for its handler; not one per hook of every plugin.
      instrumentHooks: false,
      // Exception messages can quote what was sent (validation errors): they stay out of traces.
      recordExceptions: false,
      // The path without its query string, as in the logs.
      requestHook: (span, request) => span.setAttribute('url.path', request.url.split('?')[0]!),
    });
    instrumentation.setTracerProvider(tracing.provider);
    await app.register(instrumentation.plugin());
    app.addHook('onClose', async () => tracing.shutdown());
  }
  // After the error handler (a route keeps the handler in place when it was added), before the routes it times.
  // The spend source is bound once the shared services exist (below); a scrape before that has none.
  const spendSource: { read?: () => Promise<{ spendMicros: number; capMicros: number }> } = {};
  const metrics = infra.config.METRICS_TOKEN
    ? createMetrics({
        jobCounts: () => jobCounts(infra.boss),
        spend: () => (spendSource.read ? spendSource.read() : Promise.reject(new Error('not ready'))),
        // The in-process cache of the embedded mode is no dependency that can be down.
        dependencies: {
          database: () => infra.database.ping(),
          ...(infra.cache.kind === 'redis' ? { redis: () => infra.cache.ping() } : {}),
        },
      })
    : null;
  if (metrics) {
    const stopObserving = infra.database.observeQueries((seconds) => metrics.dbQuery(seconds));
    app.addHook('onClose', async () => stopObserving());
  }
  await app.register(metricsPlugin, { metrics, token: infra.config.METRICS_TOKEN });
  await app.register(requestContextPlugin, { db: infra.database.db });
  await app.register(authPlugin);
  const shared = createSharedServices(infra, options.logger, metrics);
  const capMicros = Math.round(infra.config.AI_MONTHLY_SPEND_CAP * 1_000_000);
  spendSource.read = async () => ({ spendMicros: await shared.usage.monthSpend(), capMicros });
  await app.register(idempotencyPlugin, { cache: infra.cache, db: infra.database.db, cipher: shared.cipher, now: () => infra.now() });

  app.addHook('onClose', async () => {
    shared.gateway.close();
    await shared.usage.flush();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kalei API',
        version: '1.0.0',
        description: 'Notice an unhelpful thought, turn it, and see your patterns over time. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: createJsonSchemaTransformObject({}),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { database: infra.database, cache: infra.cache });
  const auth = wireAuthService(app);
  await app.register(authModule, { prefix: '/v1', service: auth });
  await app.register(billingModule, { prefix: '/v1' });
  const turns = wireTurnService(infra, shared);
  const mirror = wireMirrorService(infra, shared);
  await app.register(turnRoutes, { prefix: '/v1', service: turns });
  await app.register(mirrorRoutes, { prefix: '/v1', service: mirror });
  await app.register(galleryRoutes, { prefix: '/v1', service: createGalleryService({ turns, mirror }) });
  const lens = wireLensService(infra, shared);
  await app.register(lensModule, { prefix: '/v1', service: lens });
  const spectrum = wireSpectrumService(infra, shared, { turns, mirror, lens });
  await app.register(spectrumRoutes, { prefix: '/v1', service: spectrum });
  const account = createAccountService({
    db: infra.database.db,
    auth,
    turns,
    mirror,
    lens,
    spectrum,
    audit: shared.audit,
    hashUserId,
    now: () => infra.now(),
  });
  await app.register(accountRoutes, { prefix: '/v1', service: account });
  await app.register(safetyRoutes, { prefix: '/v1', profileOf: shared.profileOf });
  await app.register(notificationsModule, { prefix: '/v1' });

  // Last: the Expo web build at / (its SPA fallback never answers for API paths).
  await app.register(webAppRoutes);

  return app;
}

export type KaleiApp = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    infra: Infra;
    hashUserId: (userId: string) => string;
  }
}

export type { FastifyInstance };
