#!/usr/bin/env node
// End-to-end test of the web build in headless Chromium against a real API on embedded defaults.
// Starts `node apps/api/dist/server.js` with a temporary KALEI_DATA_DIR on a free port, walks the
// main flows the way a person would, and writes a screenshot of every step to E2E_SCREENSHOTS
// (default .tmp/e2e-screenshots), listing their paths at the end. A step whose endpoint the API does
// not serve yet is reported as waiting (skipped), never faked.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shotsDir = path.resolve(repo, process.env.E2E_SCREENSHOTS ?? '.tmp/e2e-screenshots');
const reportFile = process.env.E2E_REPORT ? path.resolve(repo, process.env.E2E_REPORT) : null;
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP_TIMEOUT = 30_000;

for (const required of ['apps/api/dist/server.js', 'apps/mobile/web-build/index.html']) {
  if (!existsSync(path.join(repo, required))) {
    console.error(`e2e: ${required} is missing; run \`npm run build\` and \`npm run build:web\` first.`);
    process.exit(1);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready in ${timeoutMs} ms`);
}

rmSync(shotsDir, { recursive: true, force: true });
mkdirSync(shotsDir, { recursive: true });
const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-e2e-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const apiLog = [];
const api = spawn(process.execPath, ['apps/api/dist/server.js'], {
  cwd: repo,
  env: { ...process.env, KALEI_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
api.stdout.on('data', (chunk) => apiLog.push(String(chunk)));
api.stderr.on('data', (chunk) => apiLog.push(String(chunk)));

let browser;
const results = [];
const shots = [];
const started = Date.now();
try {
  await waitFor(`${base}/ready`, 90_000);
  const openapi = await (await fetch(`${base}/openapi.json`)).json();
  const served = new Set(Object.keys(openapi.paths ?? {}));
  const serves = (...paths) => paths.every((p) => served.has(p));

  // A fresh profile every run (Playwright passes it as --user-data-dir).
  const context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'kalei-chromium-')), {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 420, height: 900 },
    locale: 'en-US',
    timezoneId: 'America/New_York',
    colorScheme: process.env.E2E_COLOR_SCHEME === 'dark' ? 'dark' : 'light',
  });
  browser = context;
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const byTest = (id) => page.getByTestId(id).first();
  let index = 0;
  async function shot(name) {
    index += 1;
    const file = path.join(shotsDir, `${String(index).padStart(2, '0')}-${name}.png`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: file, fullPage: false });
    shots.push(file);
  }
  async function step(name, needs, body) {
    if (needs.length > 0 && !serves(...needs)) {
      results.push({ name, status: 'waiting', note: `the API does not serve ${needs.filter((p) => !served.has(p)).join(', ')} yet` });
      console.log(`  … ${name}: waiting for ${needs.filter((p) => !served.has(p)).join(', ')}`);
      return false;
    }
    const t0 = Date.now();
    try {
      await body();
      results.push({ name, status: 'passed', ms: Date.now() - t0 });
      console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
      return true;
    } catch (error) {
      results.push({ name, status: 'failed', error: error.message });
      console.log(`  ✗ ${name}: ${error.message.split('\n')[0]}`);
      await shot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
      return false;
    }
  }

  const email = `e2e-${Date.now()}@example.com`;
  const password = 'calm-river-stones-42';
  const thought = 'I always mess everything up at work and everyone thinks I am useless.';
  console.log(`e2e: Chromium against ${base}`);

  const registered = await step('register', ['/v1/auth/register'], async () => {
    await page.goto(base);
    await byTest('welcome').waitFor();
    await shot('welcome');
    await byTest('welcome-register').click();
    await byTest('register-email').fill(email);
    await byTest('register-name').fill('Robin');
    await byTest('register-password').fill(password);
    await byTest('register-country').fill('US');
    await shot('register');
    await byTest('register-submit').click();
    await byTest('turn-screen').waitFor();
    await shot('home-turn');
  });

  const turned =
    registered &&
    (await step('turn with three reframes', ['/v1/turns'], async () => {
      await byTest('turn-thought').fill(thought);
      await byTest('turn-submit').click();
      await byTest('turn-result').waitFor();
      for (const i of [0, 1, 2]) await byTest(`reframe-${i}`).waitFor();
      await byTest('micro-action').waitFor();
      await shot('turn-reframes');
    }));

  const saved =
    turned &&
    (await step('save the turn', ['/v1/turns/{id}/save'], async () => {
      await byTest('turn-save').click();
      await byTest('turn-saved').waitFor();
      await shot('turn-saved');
    }));

  if (saved) {
    await step('find it in the Gallery', ['/v1/gallery'], async () => {
      await byTest('tab-gallery').click();
      await page.getByText('Saved patterns', { exact: true }).first().click();
      await page.getByTestId('gallery-item').filter({ hasText: thought }).first().waitFor();
      await shot('gallery');
    });
  }

  if (registered) {
    await step('Mirror: a highlighted fragment and its reframe', ['/v1/mirror/sessions', '/v1/mirror/messages', '/v1/mirror/fragments/{id}/reframe'], async () => {
      await byTest('tab-mirror').click();
      await byTest('mirror-start').click();
      await byTest('mirror-input').fill('I should have finished the project by now. I always let everyone down, and they must think I am a failure.');
      await byTest('mirror-send').click();
      await byTest('mirror-fragment').waitFor();
      await shot('mirror-highlights');
      await byTest('mirror-fragment').click();
      await byTest('fragment-panel').waitFor();
      await byTest('fragment-reframe-button').click();
      await byTest('fragment-reframe').waitFor();
      await shot('mirror-fragment-reframe');
      await page.goBack();
    });

    await step('crisis text shows the crisis view with 988 (US profile)', ['/v1/turns'], async () => {
      await byTest('tab-turn').click();
      if (await byTest('turn-new').isVisible()) await byTest('turn-new').click();
      await byTest('turn-thought').fill('I want to kill myself tonight. I have been thinking about how to end my life.');
      await byTest('turn-submit').click();
      await byTest('crisis-view').waitFor();
      await page.getByText(/988/).first().waitFor();
      await shot('crisis-view');
      await byTest('crisis-dismiss').click();
    });

    await step('log out and back in', ['/v1/auth/logout', '/v1/auth/login'], async () => {
      await byTest('tab-profile').click();
      await byTest('profile-sign-out').click();
      await byTest('sign-in').waitFor();
      await shot('signed-out');
      await byTest('sign-in-email').fill(email);
      await byTest('sign-in-password').fill(password);
      await byTest('sign-in-submit').click();
      await byTest('turn-screen').waitFor();
      await shot('signed-back-in');
    });
  }
  if (pageErrors.length > 0) {
    results.push({ name: 'no uncaught page errors', status: 'failed', error: pageErrors.join('; ') });
    console.log(`  ✗ uncaught page errors: ${pageErrors.join('; ')}`);
  }
} catch (error) {
  results.push({ name: 'setup', status: 'failed', error: error.message });
  console.error(`e2e setup failed: ${error.message}`);
  console.error(apiLog.join('').slice(-4000));
} finally {
  await browser?.close().catch(() => undefined);
  api.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dataDir, { recursive: true, force: true });
}

const count = (status) => results.filter((r) => r.status === status).length;
console.log(`\nscreenshots (${shots.length}) in ${shotsDir}:`);
for (const file of shots) console.log(`  ${file}`);
for (const r of results.filter((x) => x.status === 'waiting')) console.log(`waiting: ${r.name}: ${r.note}`);
console.log(`e2e steps in ${Math.round((Date.now() - started) / 1000)} s: ${count('passed')} passed, ${count('failed')} failed, ${count('waiting')} waiting for the API`);
if (reportFile) writeFileSync(reportFile, JSON.stringify({ passed: count('passed'), failed: count('failed'), skipped: count('waiting'), results, screenshots: shots }, null, 2));
process.exit(count('failed') > 0 ? 1 : 0);
