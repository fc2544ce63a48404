import { ConfigError, loadConfig } from './config.js';
import { closeInfra, openInfra } from './infra/infra.js';

/** `npm run migrate`: applies the committed migrations to PostgreSQL (DATABASE_URL) or the embedded database. */
try {
  const config = loadConfig();
  const infra = await openInfra(config);
  try {
    const before = await infra.database.pendingMigrations();
    await infra.database.migrate();
    process.stdout.write(`${infra.database.kind}: applied ${before} migration(s); schema is up to date\n`);
  } finally {
    await closeInfra(infra);
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`}\n`);
  process.exit(1);
}
