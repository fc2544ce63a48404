import { pino } from 'pino';
import { onShutdownSignal } from './lib/shutdown.js';
import { exitOnConfigurationError, loadConfigOrExit, readEnvironment } from './config.js';
import { closeInfra, openInfra } from './infra/infra.js';
import { createBoss } from './infra/queue.js';
import { loggerOptions } from './infra/telemetry.js';
import { startJobs } from './jobs.js';

/**
 * The job process (production, PostgreSQL): supervises pg-boss (cron schedules, expiry of jobs
 * whose worker died, archiving) and works every queue. Run one or more beside the API; pg-boss
 * hands each job to one worker. In embedded mode (PGlite) the server runs the jobs itself and
 * this process refuses to start.
 */
async function main() {
  const config = loadConfigOrExit();
  const logger = pino(loggerOptions(config.LOG_LEVEL)).child({ process: 'worker' });
  if (!config.DATABASE_URL) {
    logger.fatal('the worker needs DATABASE_URL (PostgreSQL); in embedded mode `npm start` runs the jobs in-process');
    process.exit(1);
  }

  const opened = await openInfra(config, readEnvironment());
  const pending = await opened.database.pendingMigrations();
  if (pending > 0) {
    logger.fatal({ pending }, 'database migrations are pending: run `npm run migrate` first');
    await closeInfra(opened);
    process.exit(1);
  }
  // openInfra's boss does not supervise with PostgreSQL (the API's); this process does.
  const infra = { ...opened, boss: createBoss(opened.database, { supervise: true }) };
  infra.boss.on('error', (error: Error) => logger.error({ err: { message: error.message } }, 'job queue error'));
  await infra.boss.start();
  const runner = await startJobs(infra, logger);
  logger.info({ queues: runner.definitions.length }, 'Kalei worker is ready');

  // Jobs in flight finish; any that do not by the deadline expire and are retried elsewhere.
  onShutdownSignal(logger, {
    name: 'worker',
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS + 5_000,
    close: async () => {
      await runner.stop();
      await infra.boss.stop({ graceful: true, wait: true, timeout: config.SHUTDOWN_TIMEOUT_MS });
      await closeInfra(infra);
    },
  });
}

await main().catch(exitOnConfigurationError);
