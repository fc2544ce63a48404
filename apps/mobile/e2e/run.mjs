#!/usr/bin/env node
// End-to-end test of the web build in headless Chromium against a real API on embedded defaults.
// Starts `node apps/api/dist/server.js` with a temporary KALEI_DATA_DIR on a free port, walks the
// main flows the way a person would, and writes a screenshot of every step to E2E_SCREENSHOTS
// (default .tmp/e2e-screenshots), listing their paths at the end. A step whose endpoint the API does
// not serve yet is reported as waiting (skipped), never faked. axe-core checks every screen that is
// photographed: a serious or critical violation fails the step; the rest are listed at the end (and
// in E2E_AXE_REPORT when set).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shotsDir = path.resolve(repo, process.env.E2E_SCREENSHOTS ?? '.tmp/e2e-screenshots');
const reportFile = process.env.E2E_REPORT ? path.resolve(repo, process.env.E2E_REPORT) : null;
const axeReportFile = process.env.E2E_AXE_REPORT ? path.resolve(repo, process.env.E2E_AXE_REPORT) : null;
// The catalogue the paywall shows: reference prices, as an operator would configure them.
const billingProducts = [
  { store: 'app_store', productId: 'app.kalei.prism.monthly', plan: 'prism', period: 'P1M', price: '4.99', currency: 'USD' },
  { store: 'app_store', productId: 'app.kalei.prism.yearly', plan: 'prism', period: 'P1Y', price: '39.99', currency: 'USD' },
  { store: 'play', productId: 'prism_plus', plan: 'prism_plus', period: 'P1M', price: '9.99', currency: 'USD' },
];
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
const apiEnv = {
  ...process.env,
  KALEI_DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
  REDIS_URL: '',
  BILLING_PRODUCTS: JSON.stringify(billingProducts),
};
function startApi() {
  const child = spawn(process.execPath, ['apps/api/dist/server.js'], { cwd: repo, env: apiEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => apiLog.push(String(chunk)));
  child.stderr.on('data', (chunk) => apiLog.push(String(chunk)));
  return child;
}
/** Stops the API and waits for it to exit: the embedded database is one process's at a time. */
function stopApi(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
let api = startApi();

let browser;
const results = [];
const shots = [];
/** Every axe finding below serious, by rule, with the screens it was seen on. */
const minorFindings = new Map();
let axeScreens = 0;
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
  // The API sends a content security policy; anything the app does against it is a failure here.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text().slice(0, 300));
  });

  const byTest = (id) => page.getByTestId(id).first();
  let index = 0;
  async function shot(name, { audit = true } = {}) {
    index += 1;
    const file = path.join(shotsDir, `${String(index).padStart(2, '0')}-${name}.png`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: file, fullPage: false });
    shots.push(file);
    // No developer page may ever show: Expo's "Unmatched Route" and its Sitemap are for developers.
    if (await page.getByText(/Unmatched Route|Sitemap/).count()) throw new Error(`${name}: Expo's developer page is showing`);
    if (audit) await axe(name);
  }
  /** axe-core on the screen as it is: serious and critical violations fail the step, the rest are collected. */
  async function axe(name) {
    axeScreens += 1;
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of violations.filter((x) => !blocking.includes(x))) {
      const entry = minorFindings.get(v.id) ?? { impact: v.impact, help: v.help, screens: new Set() };
      entry.screens.add(name);
      minorFindings.set(v.id, entry);
    }
    if (blocking.length > 0) {
      const lines = blocking.map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      throw new Error(`axe on ${name}: ${lines.join('; ')}`);
    }
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
      await shot(`failed-${name.replace(/\W+/g, '-')}`, { audit: false }).catch(() => undefined);
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
    await step('find it in the Gallery, with counts per trap', ['/v1/gallery', '/v1/gallery/traps'], async () => {
      await byTest('tab-gallery').click();
      await byTest('gallery').waitFor();
      // Counts on the trap chips, most frequent first.
      const chips = page.getByTestId(/^gallery-trap-/);
      await chips.filter({ hasText: '·' }).first().waitFor();
      const labels = await chips.allInnerTexts();
      const counts = labels.map((label) => Number(/·\s*(\d+)$/.exec(label)?.[1]));
      if (counts.length === 0 || counts.some((n) => !(n > 0))) throw new Error(`trap chips without counts: ${labels.join(', ')}`);
      if (counts.some((n, i) => i > 0 && n > counts[i - 1])) throw new Error(`trap chips not most frequent first: ${labels.join(', ')}`);
      await page.getByRole('button', { name: 'Saved: show saved patterns' }).click();
      await page.getByTestId('gallery-item').filter({ hasText: thought }).first().waitFor();
      await shot('gallery');
      await chips.first().click();
      await page.getByTestId('gallery-item').filter({ hasText: thought }).first().waitFor();
      await shot('gallery-by-trap');
    });
  }

  if (registered) {
    await step('Mirror: a highlighted fragment and its reframe, back by name, finish with a confirmation', ['/v1/mirror/sessions', '/v1/mirror/messages', '/v1/mirror/fragments/{id}/reframe'], async () => {
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
      await byTest('mirror-close').click();
      await byTest('mirror-close-confirm').waitFor();
      await shot('mirror-finish-confirm');
      await byTest('mirror-close-confirm-yes').click();
      await byTest('mirror-reflection').waitFor();
      await shot('mirror-reflection');
      await page.getByRole('button', { name: 'Back to Mirror' }).click();
      await byTest('tab-mirror').waitFor();
    });

    await step('Lens: one check-in per tap, and a visible completion', ['/v1/lens/checkins', '/v1/lens/goals', '/v1/lens/goals/{id}/actions', '/v1/lens/actions/{id}/complete'], async () => {
      await byTest('tab-lens').click();
      await byTest('lens').waitFor();
      await page.getByRole('button', { name: 'Mood 7 of 10' }).click();
      await byTest('checkin-submit').click();
      await byTest('checkin-done').waitFor();
      if (await byTest('checkin-submit').isEnabled()) throw new Error('the check-in button stays enabled after a check-in');
      await page.getByLabel('A new goal').fill('Sleep before midnight');
      await page.getByRole('button', { name: 'Add goal' }).click();
      await page.getByLabel('Add a small action').first().fill('Phone away at 23:00');
      await page.getByRole('button', { name: 'Add action' }).first().click();
      await byTest('lens-action-complete').click();
      await byTest('lens-action-celebration').waitFor();
      await shot('lens-completed');
    });

    await step('crisis text shows the crisis view with 988 (US profile), and the box is cleared after', ['/v1/turns'], async () => {
      await byTest('tab-turn').click();
      if (await byTest('turn-new').isVisible()) await byTest('turn-new').click();
      await byTest('turn-thought').fill('I want to kill myself tonight. I have been thinking about how to end my life.');
      await byTest('turn-submit').click();
      await byTest('crisis-view').waitFor();
      await page.getByText(/988/).first().waitFor();
      await page.getByRole('button', { name: /^Visit 988 .* website$/ }).first().waitFor();
      await shot('crisis-view');
      await byTest('crisis-dismiss').click();
      await byTest('turn-crisis-cleared').waitFor();
      const left = await byTest('turn-thought').inputValue();
      if (left !== '') throw new Error(`the crisis text is still in the Turn box: ${left.length} characters`);
      await shot('turn-after-crisis');
    });

    await step('an unknown address shows a Kalei page with a way home', [], async () => {
      for (const address of ['/spectrum-does-not-exist', '/_sitemap']) {
        await page.goto(`${base}${address}`);
        await byTest('not-found').waitFor();
      }
      await shot('not-found');
      await byTest('not-found-home').click();
      await byTest('turn-screen').waitFor();
    });

    await step('web paywall: plans, prices from the catalogue, how to buy here', ['/v1/billing/catalogue'], async () => {
      await byTest('tab-profile').click();
      await page.getByRole('button', { name: /^See .*Prism/ }).click();
      await byTest('paywall').waitFor();
      await byTest('paywall-price-prism').getByText('$4.99 a month').waitFor();
      await byTest('paywall-price-prism').getByText('$39.99 a year').waitFor();
      await byTest('paywall-price-prism_plus').getByText('$9.99 a month').waitFor();
      await byTest('paywall-web-note').getByText('How to subscribe from this browser').waitFor();
      await shot('paywall');
      await page.getByRole('button', { name: 'Back to Kalei' }).click();
      await byTest('profile').waitFor();
    });

    await step('export my data from Profile', ['/v1/me/export'], async () => {
      await byTest('tab-profile').click();
      const download = page.waitForEvent('download');
      await byTest('profile-export').click();
      const file = await (await download).path();
      const data = JSON.parse(readFileSync(file, 'utf8'));
      if (data.format !== 'kalei-export@1' || data.turns.length < 1 || data.mirrorSessions.length < 1) throw new Error('the export misses what was written');
      await byTest('profile-export-done').getByText(/Downloaded: your account and profile, \d+ turns?/).waitFor();
      await shot('profile-export');
    });

    await step(
      'Spectrum: a free plan sees what it would get; with Prism and two seeded weeks, the charts, the insight, an exclusion and a reset',
      ['/v1/spectrum/weekly', '/v1/spectrum/exclusions', '/v1/spectrum/reset'],
      async () => {
        await byTest('tab-spectrum').click();
        await byTest('spectrum-preview').waitFor();
        await shot('spectrum-free');

        // A Prism user with history from the two weeks before this one, seeded while the API is stopped.
        const spectrumEmail = `e2e-spectrum-${Date.now()}@example.com`;
        await stopApi(api);
        let seeded;
        try {
          seeded = await new Promise((resolve, reject) => {
            const seed = spawn(process.execPath, ['apps/mobile/e2e/seed-spectrum.mjs'], { cwd: repo, env: { ...apiEnv, E2E_EMAIL: spectrumEmail, E2E_PASSWORD: password, E2E_TIMEZONE: 'America/New_York' }, stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            seed.stdout.on('data', (chunk) => (out += chunk));
            seed.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`seed-spectrum exited with ${code}`))));
          });
        } finally {
          // The later steps need the API whatever the seed did.
          api = startApi();
          await waitFor(`${base}/ready`, 90_000);
        }
        console.log(`    seeded: ${JSON.stringify(seeded)}`);
        await page.reload();
        await byTest('tab-profile').click();
        await byTest('profile-sign-out').click();
        await byTest('sign-in-email').fill(spectrumEmail);
        await byTest('sign-in-password').fill(password);
        await byTest('sign-in-submit').click();
        await byTest('turn-screen').waitFor();

        await byTest('tab-spectrum').click();
        await byTest('spectrum-report').waitFor();
        await byTest('spectrum-earlier').click();
        await byTest('spectrum-period').getByText(/^Week of /).waitFor();
        await byTest('spectrum-narrative').waitFor();
        await byTest('spectrum-figure-turns').getByText('Turns: 3').waitFor();
        await byTest('spectrum-figure-turns').getByText('up from 1 last week').waitFor();
        for (const chart of ['traps', 'mood', 'weekdays']) {
          await byTest(`spectrum-chart-${chart}`).locator('svg').first().waitFor();
        }
        await shot('spectrum-last-week');
        await byTest('spectrum-chart-weekdays').scrollIntoViewIfNeeded();
        await shot('spectrum-charts');

        // Leave one of last week's turns out: the week now counts two.
        await byTest('tab-gallery').click();
        const item = page.getByTestId('gallery-item').filter({ hasText: 'presentation goes badly' }).first();
        await item.getByRole('button', { name: /out of Spectrum/ }).click();
        await item.getByTestId('gallery-item-excluded').waitFor();
        await shot('gallery-excluded');
        await byTest('tab-spectrum').click();
        await byTest('spectrum-figure-turns').getByText('Turns: 2').waitFor();

        // Reset from Profile: last week no longer counts anything.
        await byTest('tab-profile').click();
        await byTest('spectrum-reset').click();
        await byTest('spectrum-reset-yes').click();
        await byTest('spectrum-data-done').waitFor();
        await shot('spectrum-reset');
        await byTest('tab-spectrum').click();
        await byTest('spectrum-figure-turns').getByText('Turns: 0').waitFor();
      },
    );

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

    await step('every tab in the dark scheme, and at 200% zoom without sideways scrolling', [], async () => {
      const tabs = [
        ['turn', 'turn-screen'],
        ['mirror', null],
        ['lens', 'lens'],
        ['gallery', 'gallery'],
        ['spectrum', 'spectrum'],
        ['profile', 'profile'],
      ];
      const visit = async (suffix) => {
        for (const [tab, screen] of tabs) {
          await byTest(`tab-${tab}`).click();
          if (screen) await byTest(screen).waitFor();
          await shot(`${tab}-${suffix}`);
          const overflow = await page.evaluate(() => globalThis.document.documentElement.scrollWidth - globalThis.document.documentElement.clientWidth);
          if (overflow > 1) throw new Error(`${tab} (${suffix}) scrolls sideways by ${overflow} px`);
        }
      };
      // axe checks contrast on each screen, now against the dark palette.
      await page.emulateMedia({ colorScheme: 'dark' });
      await visit('dark');
      await page.emulateMedia({ colorScheme: process.env.E2E_COLOR_SCHEME === 'dark' ? 'dark' : 'light' });
      // 200% zoom on this 420 px phone is a 210 CSS px wide viewport at twice the pixel density.
      const size = page.viewportSize();
      await page.setViewportSize({ width: 210, height: 450 });
      try {
        await visit('zoom-200');
      } finally {
        await page.setViewportSize(size);
      }
    });

    await step('delete the account with a typed confirmation', ['/v1/me'], async () => {
      await byTest('tab-profile').click();
      await byTest('profile-delete').click();
      await byTest('profile-delete-subscription').getByText(/no paid subscription/).waitFor();
      if (await byTest('profile-delete-submit').isEnabled()) throw new Error('delete is enabled before the confirmation is typed');
      await byTest('profile-delete-typed').fill('delete my acc');
      if (await byTest('profile-delete-submit').isEnabled()) throw new Error('delete is enabled on a partial confirmation');
      await byTest('profile-delete-typed').fill('delete my account');
      await shot('profile-delete-confirm');
      await byTest('profile-delete-submit').click();
      await byTest('account-deleted').waitFor();
      await shot('account-deleted');
      const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      if (login.status !== 401) throw new Error(`login after deletion answered ${login.status}`);
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
  await stopApi(api);
  rmSync(dataDir, { recursive: true, force: true });
}

const count = (status) => results.filter((r) => r.status === status).length;
console.log(`\nscreenshots (${shots.length}) in ${shotsDir}:`);
for (const file of shots) console.log(`  ${file}`);
for (const r of results.filter((x) => x.status === 'waiting')) console.log(`waiting: ${r.name}: ${r.note}`);
const minor = [...minorFindings].map(([id, f]) => ({ id, impact: f.impact, help: f.help, screens: [...f.screens] }));
console.log(`axe-core on ${axeScreens} screens: no serious or critical violation${results.some((r) => r.error?.startsWith('axe on')) ? ' (except the failures above)' : ''}; below serious:`);
for (const f of minor) console.log(`  ${f.impact} ${f.id}: ${f.help} (${f.screens.length} screens: ${f.screens.slice(0, 4).join(', ')}${f.screens.length > 4 ? ', …' : ''})`);
if (axeReportFile) writeFileSync(axeReportFile, JSON.stringify({ screens: axeScreens, minor }, null, 2));
console.log(`e2e steps in ${Math.round((Date.now() - started) / 1000)} s: ${count('passed')} passed, ${count('failed')} failed, ${count('waiting')} waiting for the API`);
if (reportFile) writeFileSync(reportFile, JSON.stringify({ passed: count('passed'), failed: count('failed'), skipped: count('waiting'), results, screenshots: shots }, null, 2));
process.exit(count('failed') > 0 ? 1 : 0);
