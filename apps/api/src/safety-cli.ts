import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { DatabaseLockedError } from './infra/db.js';
import { closeInfra, openInfra, type Infra } from './infra/infra.js';
import { runSafetyCommand, SAFETY_USAGE, SafetyUsageError } from './modules/safety/review.js';

/** `npm run safety -- review [--days N] [--limit N] [--json]`: recent safety events and their distribution, for tuning. */
async function main() {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${SAFETY_USAGE}\n`);
    process.exit(argv.length === 0 ? 2 : 0);
  }
  let infra: Infra;
  try {
    infra = await openInfra(loadConfig(), readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  infra.boss.on('error', () => {});
  try {
    process.stdout.write(`${await runSafetyCommand(infra.database.db, argv, infra.now())}\n`);
    process.exitCode = 0;
  } catch (error) {
    process.stderr.write(`${error instanceof SafetyUsageError ? `${error.message}\n\n${SAFETY_USAGE}` : (error as Error).message}\n`);
    process.exitCode = error instanceof SafetyUsageError ? 2 : 1;
  } finally {
    await closeInfra(infra);
  }
}

await main();
