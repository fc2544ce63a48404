import { pino } from 'pino';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { DatabaseLockedError } from './infra/db.js';
import { closeInfra, openInfra, type Infra } from './infra/infra.js';
import { createBoss } from './infra/queue.js';
import { loggerOptions } from './infra/telemetry.js';
import { buildJobDefinitions, JOBS_USAGE, runJobsCommand, UsageError } from './jobs.js';

/** `npm run jobs -- <command>`: queue stats, dead letters and replay for operators. */
async function main() {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${JOBS_USAGE}\n`);
    process.exit(argv.length === 0 ? 2 : 0);
  }
  let infra: Infra;
  try {
    const config = loadConfig();
    const opened = await openInfra(config, readEnvironment());
    infra = { ...opened, boss: createBoss(opened.database, { supervise: false }) };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  infra.boss.on('error', () => {});
  try {
    await infra.boss.start();
    const logger = pino({ ...loggerOptions('warn') }, pino.destination(2));
    const output = await runJobsCommand(infra, buildJobDefinitions(infra, logger), argv);
    process.stdout.write(`${output}\n`);
    process.exitCode = 0;
  } catch (error) {
    process.stderr.write(`${error instanceof UsageError ? `${error.message}\n\n${JOBS_USAGE}` : (error as Error).message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  } finally {
    await closeInfra(infra);
  }
}

await main();
