import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { DatabaseLockedError } from './infra/db.js';
import { closeInfra, openInfra, type Infra } from './infra/infra.js';
import { canaryReport, formatCanaryReport } from './modules/ai-gateway/canary-report.js';
import { loadRouting, RoutingConfigError } from './modules/ai-gateway/routing.js';

const USAGE = 'usage: npm run canary -- report [--days N]   (usage and outcomes per AI deployment and canary arm; default 7 days)';

/** `npm run canary -- report [--days N]`: the canary's scorecard from the database (counts only, never text). */
async function main() {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { days: { type: 'string', default: '7' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const { positionals, values } = parsed;
  const days = Number(values.days);
  if (values.help || positionals[0] !== 'report' || positionals.length !== 1 || !Number.isFinite(days) || days <= 0 || days > 366) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  let infra: Infra;
  try {
    const config = loadConfig();
    infra = await openInfra(config, readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  infra.boss.on('error', () => {});
  try {
    if ((await infra.database.pendingMigrations()) > 0) {
      throw new Error('database migrations are pending: run `npm run migrate` (or start the API once in embedded mode) first');
    }
    const routing = loadRouting(infra.config, { env: infra.env, readFile: (path) => readFileSync(path, 'utf8') });
    const since = new Date(infra.now().getTime() - days * 86_400_000);
    process.stdout.write(`${formatCanaryReport(await canaryReport(infra.database.db, routing, since), since)}\n`);
    process.exitCode = 0;
  } catch (error) {
    process.stderr.write(`${error instanceof RoutingConfigError ? error.message : (error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await closeInfra(infra);
  }
}

await main();
