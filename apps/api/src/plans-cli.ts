import { userInfo } from 'node:os';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { DatabaseLockedError } from './infra/db.js';
import { closeInfra, openInfra, type Infra } from './infra/infra.js';
import { PLANS_USAGE, PlansUsageError, runPlansCommand } from './plans.js';

/** `npm run plans -- grant EMAIL PLAN [--days N]` / `revoke EMAIL`: plans outside the stores. */
async function main() {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${PLANS_USAGE}\n`);
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
    const output = await runPlansCommand(infra, argv, `cli:${userInfo().username}`);
    process.stdout.write(`${output}\n`);
    process.exitCode = 0;
  } catch (error) {
    process.stderr.write(`${error instanceof PlansUsageError ? `${error.message}\n\n${PLANS_USAGE}` : (error as Error).message}\n`);
    process.exitCode = error instanceof PlansUsageError ? 2 : 1;
  } finally {
    await closeInfra(infra);
  }
}

await main();
