// `npm run test:reliability [-- name ...]`: runs every scenario in scenarios/ (sorted by file name),
// or only those named, each against a real API process on real PostgreSQL and Redis; prints each
// scenario's figures as a table and exits 1 when any scenario reports failures or throws.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ScenarioEnv, ScenarioResult } from './lib.js';

interface ScenarioModule {
  name: string;
  default: (env: ScenarioEnv) => Promise<ScenarioResult>;
}

const databaseUrl = process.env.KALEI_TEST_DATABASE_URL;
const redisUrl = process.env.KALEI_TEST_REDIS_URL;
if (!databaseUrl || !redisUrl) {
  console.error(
    'The reliability suite needs real services: set KALEI_TEST_DATABASE_URL (a PostgreSQL superuser URL, e.g. postgres://postgres@127.0.0.1:5432/postgres) ' +
      'and KALEI_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0). .ci/run exports both.',
  );
  process.exit(2);
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scenarios');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .sort();
const wanted = process.argv.slice(2).filter((a) => a !== '--');
const available = files.map((f) => f.slice(0, -'.ts'.length));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
const chosen = wanted.length > 0 ? available.filter((a) => wanted.includes(a)) : available;

const summary: { scenario: string; result: string; seconds: number }[] = [];
let failed = false;
for (const file of chosen) {
  const mod = (await import(pathToFileURL(path.join(dir, `${file}.ts`)).href)) as ScenarioModule;
  const name = mod.name ?? file;
  const started = performance.now();
  const log = (line: string) => console.log(`[${name}] ${line}`);
  console.log(`\n=== scenario ${name} ===`);
  let outcome: string;
  try {
    const result = await mod.default({ databaseUrl, redisUrl, log });
    if (result.rows.length > 0) console.table(result.rows);
    if (result.failures.length > 0) {
      failed = true;
      console.log(`${name}: ${result.failures.length} failure(s):`);
      for (const failure of result.failures.slice(0, 50)) console.log(`  - ${failure}`);
      if (result.failures.length > 50) console.log(`  ... and ${result.failures.length - 50} more`);
      outcome = `FAILED (${result.failures.length})`;
    } else {
      outcome = 'ok';
    }
  } catch (error) {
    failed = true;
    console.log(`${name} threw: ${(error as Error).stack ?? String(error)}`);
    outcome = 'THREW';
  }
  summary.push({ scenario: name, result: outcome, seconds: Math.round((performance.now() - started) / 100) / 10 });
}

console.log('\n=== reliability suite ===');
console.table(summary);
process.exit(failed ? 1 : 0);
