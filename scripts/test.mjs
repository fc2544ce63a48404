#!/usr/bin/env node
// `npm test`: the whole suite on the embedded default (PGlite, in-process cache), then, when
// KALEI_TEST_DATABASE_URL and KALEI_TEST_REDIS_URL name real servers (as .ci/run sets them),
// the same suite again on real PostgreSQL and Redis; then the app's jest-expo tests. Extra
// arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const resultsDir = path.resolve('.tmp', 'test-results');
mkdirSync(resultsDir, { recursive: true });

const passes = [{ name: 'embedded (PGlite + in-process cache)', env: { KALEI_TEST_DATABASE_URL: '', KALEI_TEST_REDIS_URL: '' } }];
if (process.env.KALEI_TEST_DATABASE_URL && process.env.KALEI_TEST_REDIS_URL) {
  passes.push({
    name: 'PostgreSQL + Redis',
    env: { KALEI_TEST_DATABASE_URL: process.env.KALEI_TEST_DATABASE_URL, KALEI_TEST_REDIS_URL: process.env.KALEI_TEST_REDIS_URL },
  });
} else {
  console.log('KALEI_TEST_DATABASE_URL / KALEI_TEST_REDIS_URL not set: running the embedded pass only.');
}

let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;

/** Adds a vitest or jest JSON report (same shape) to the totals; a missing report counts as a failure. */
function countReport(file, label) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    // A file that failed to load has no failed tests of its own: count the file.
    if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += report.numFailedTestSuites;
  } catch {
    failed += 1;
    console.error(`no test report for ${label}`);
  }
}
for (const [index, pass] of passes.entries()) {
  console.log(`\n=== test pass ${index + 1}/${passes.length}: ${pass.name} ===`);
  const outputFile = path.join(resultsDir, `pass-${index + 1}.json`);
  rmSync(outputFile, { force: true });
  const run = spawnSync(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`, ...args],
    { stdio: 'inherit', env: { ...process.env, ...pass.env } },
  );
  if (run.status !== 0) exitCode = run.status ?? 1;
  countReport(outputFile, `pass ${index + 1}`);
}
// The app's component and hook tests (jest-expo), counted into the same totals.
if (process.env.KALEI_TEST_SKIP_APP !== '1') {
  console.log('\n=== app tests: jest-expo (apps/mobile) ===');
  const appReport = path.join(resultsDir, 'app.json');
  rmSync(appReport, { force: true });
  const app = spawnSync('npx', ['jest', '--ci', '--forceExit', '--json', `--outputFile=${appReport}`], {
    cwd: path.resolve('apps', 'mobile'),
    stdio: 'inherit',
    env: { ...process.env, EXPO_NO_TELEMETRY: '1' },
  });
  if (app.status !== 0) exitCode = app.status ?? 1;
  countReport(appReport, 'the app tests');
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exitCode !== 0 ? exitCode : failed > 0 ? 1 : 0);
