// `npm run bench`: every benchmark, results printed and written to .tmp/bench/results.json.
// HTTP benchmarks need PostgreSQL and Redis (KALEI_TEST_DATABASE_URL / KALEI_TEST_REDIS_URL,
// which scripts/bench.sh provides); without them they are skipped with a note.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runHttpBench } from './http.js';
import { runStartupBench } from './startup.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = path.join(root, 'node_modules/.bin/tsx');
const lastJsonLine = (output: string) => JSON.parse(output.trim().split('\n').filter((l) => l.startsWith('{')).at(-1) ?? '{}');

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadavg1m: loadavg()[0] },
};

console.log('== safety latency on 2 KB texts: stage 1 (target p99 <= 0.2 ms) and the local classifier (target p99 <= 1 ms)');
const safety = lastJsonLine(execFileSync(tsx, [path.join(root, 'apps/api/bench/safety-stage1.ts')], { encoding: 'utf8' }));
results.safety = safety;
for (const part of ['stage1', 'classifier'] as const) {
  const figures = safety[part] as { p50_ms: number; p99_ms: number; cpu_p99_ms: number } | undefined;
  if (figures) console.log(`${part}: p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms (CPU per call p99 ${figures.cpu_p99_ms} ms), load ${safety.loadavg1m}`);
}

console.log('== local engine quality (PatternReframe valid)');
const quality = execFileSync(tsx, [path.join(root, 'apps/api/bench/quality.ts')], { encoding: 'utf8' });
console.log(quality.split('\n').filter((l) => !l.startsWith('{')).join('\n'));
results.quality = lastJsonLine(quality);

console.log('== model client CPU per call (openai SDK over Node fetch vs over undici request)');
results.modelClient = lastJsonLine(execFileSync(tsx, [path.join(root, 'apps/api/bench/model-client.ts')], { encoding: 'utf8' }));
console.log(results.modelClient);

console.log('== startup to /ready (embedded)');
results.startup = await runStartupBench();
console.log(results.startup);

const databaseUrl = process.env.KALEI_TEST_DATABASE_URL;
const redisUrl = process.env.KALEI_TEST_REDIS_URL;
if (databaseUrl && redisUrl) {
  console.log('== HTTP on PostgreSQL + Redis (50 connections, 10 s a run)');
  results.http = await runHttpBench(databaseUrl, redisUrl, Number(process.env.BENCH_ROUNDS ?? 2));
  console.log(JSON.stringify(results.http, null, 2));
} else {
  console.log('== HTTP skipped: set KALEI_TEST_DATABASE_URL and KALEI_TEST_REDIS_URL, or run through scripts/bench.sh');
}

if (databaseUrl && !process.env.BENCH_ONLY) {
  console.log('== Spectrum weekly aggregation through the job system (10,000 users x 30 events)');
  results.spectrum = lastJsonLine(
    execFileSync(tsx, [path.join(root, 'apps/api/bench/spectrum.ts'), '--users', process.env.BENCH_SPECTRUM_USERS ?? '10000'], { encoding: 'utf8', env: process.env }),
  );
  console.log(results.spectrum);
}

const out = path.join(root, '.tmp', 'bench');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
console.log(`results written to ${path.join(out, 'results.json')}`);
