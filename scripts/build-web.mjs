#!/usr/bin/env node
// Builds the Expo web app (apps/mobile/web-build) that the API serves at /, when it is missing or
// older than the app's sources. `npm start` runs this first; `--force` always rebuilds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const mobile = path.resolve('apps', 'mobile');
const index = path.join(mobile, 'web-build', 'index.html');
const sources = [path.join(mobile, 'src'), path.join(mobile, 'app.json'), path.resolve('packages', 'contracts', 'src')];

function newest(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((max, name) => Math.max(max, newest(path.join(entry, name))), stat.mtimeMs);
}

const force = process.argv.includes('--force');
const built = existsSync(index) ? statSync(index).mtimeMs : 0;
const changed = Math.max(...sources.map(newest));
if (!force && built > 0 && built >= changed) {
  console.log('web app: apps/mobile/web-build is up to date');
  process.exit(0);
}

console.log(`web app: ${built ? 'sources changed, rebuilding' : 'building it for the first time'} (expo export, about 1–2 minutes)…`);
const started = Date.now();
const run = spawnSync('npx', ['expo', 'export', '--platform', 'web', '--output-dir', 'web-build'], {
  cwd: mobile,
  stdio: 'inherit',
  env: { ...process.env, EXPO_NO_TELEMETRY: '1', CI: process.env.CI ?? '1' },
});
if (run.status !== 0) {
  console.error('web app: the build failed (see above); the API will start without it.');
  process.exit(process.argv.includes('--strict') ? 1 : 0);
}
console.log(`web app: built in ${Math.round((Date.now() - started) / 1000)} s`);
