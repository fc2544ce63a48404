import { pino } from 'pino';
import { buildApp } from './app.js';
import { exitOnConfigurationError, loadConfigOrExit, readEnvironment } from './config.js';
import { DatabaseLockedError } from './infra/db.js';
import { closeInfra, openInfra } from './infra/infra.js';
import { loggerOptions } from './infra/telemetry.js';
import { onShutdownSignal } from './lib/shutdown.js';
import { startJobs } from './jobs.js';

/** The HTTP process: configuration, logger, listen, graceful shutdown. */
async function main() {
  const config = loadConfigOrExit();
  const logger = pino(loggerOptions(config.LOG_LEVEL));
  const startedAt = performance.now();

  let infra;
  try {
    infra = await openInfra(config, readEnvironment());
  } catch (error) {
    if (error instanceof DatabaseLockedError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  for (const name of infra.secrets.generated) {
    logger.warn({ secret: name }, `${name} is not configured: using a generated value kept in KALEI_DATA_DIR (fine for development, configure it in production)`);
  }
  if (infra.database.kind === 'pglite') {
    logger.info('embedded mode: PGlite database and in-process cache (set DATABASE_URL and REDIS_URL for production)');
    await infra.database.migrate();
  } else {
    const pending = await infra.database.pendingMigrations();
    if (pending > 0) logger.error({ pending }, 'database migrations are pending: run `npm run migrate`; /ready answers 503 until then');
  }

  infra.boss.on('error', (error: Error) => logger.error({ err: { message: error.message } }, 'job queue error'));
  await infra.boss.start();
  // Embedded mode has no separate worker process: jobs and schedules run here (worker.ts with PostgreSQL).
  if (infra.database.kind === 'pglite') await startJobs(infra, logger);
  const app = await buildApp(infra, { logger });
  await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ startupMs: Math.round(performance.now() - startedAt) }, 'Kalei is ready');

  // Draining: Fastify stops accepting, finishes in-flight requests, then the infrastructure closes.
  onShutdownSignal(logger, {
    name: 'API',
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    close: async () => {
      await app.close();
      await closeInfra(infra);
    },
  });
}

await main().catch(exitOnConfigurationError);
