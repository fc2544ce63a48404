#!/usr/bin/env node
// Seeds a Prism user with two past weeks of history while the API is stopped (PGlite is one
// process's at a time). The user registers and writes each turn through the real app's HTTP
// routes with the app's clock set back to that day, as if it happened then; the plan is granted
// the way an operator does (`npm run plans -- grant`); then Spectrum's jobs run once at the real
// time, so last week is computed and has its written insight. Prints one JSON line.
//
//   KALEI_DATA_DIR=… E2E_EMAIL=… E2E_PASSWORD=… E2E_TIMEZONE=America/New_York node apps/mobile/e2e/seed-spectrum.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'api', 'dist');
const load = (file) => import(path.join(dist, file));
const { buildApp } = await load('app.js');
const { loadConfig } = await load('config.js');
const { closeInfra, openInfra } = await load('infra/infra.js');
const { createJobRunner, enqueue } = await load('infra/queue.js');
const { buildJobDefinitions } = await load('jobs.js');
const { runPlansCommand } = await load('plans.js');
const { spectrumQueues } = await load('modules/spectrum/jobs.js');

const { E2E_EMAIL: email, E2E_PASSWORD: password, E2E_TIMEZONE: zone = 'UTC' } = process.env;
if (!email || !password || !process.env.KALEI_DATA_DIR) throw new Error('KALEI_DATA_DIR, E2E_EMAIL and E2E_PASSWORD are needed');

const silent = { info() {}, warn() {}, error() {} };
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const infra = await openInfra(config, process.env);
const clock = { now: new Date() };
infra.now = () => clock.now;
try {
  await infra.database.migrate();
  await infra.boss.start();
  const app = await buildApp(infra, { logger: pino({ level: 'silent' }) });

  const addDays = (date, days) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const at = async (day, request) => {
    // Noon UTC: the same calendar day in every zone within eleven hours of UTC.
    clock.now = new Date(`${day}T12:00:00Z`);
    const res = await app.inject(request);
    if (res.statusCode >= 300) throw new Error(`${request.method} ${request.url} answered ${res.statusCode}: ${res.body}`);
    return res.json();
  };
  // This week's Monday in the user's zone; the seeded weeks are the two before it.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const monday = addDays(today, -((new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7));
  const lastWeek = addDays(monday, -7);
  const weekBefore = addDays(monday, -14);
  await at(weekBefore, { method: 'POST', url: '/v1/auth/register', payload: { email, password, displayName: 'Sam', timezone: zone, country: 'US' } });
  const turns = [
    { day: addDays(weekBefore, 2), thought: 'Nobody at the party wanted to talk to me.', moodBefore: 4 },
    { day: addDays(lastWeek, 1), thought: 'My manager did not reply, so she must think my work is bad.', moodBefore: 3 },
    { day: addDays(lastWeek, 3), thought: 'They went quiet when I came in, they must be annoyed with me.', moodBefore: 6 },
    { day: addDays(lastWeek, 4), thought: 'If this presentation goes badly my career is over.', moodBefore: 5 },
  ];
  for (const turn of turns) {
    const { tokens } = await at(turn.day, { method: 'POST', url: '/v1/auth/login', payload: { email, password } });
    await at(turn.day, { method: 'POST', url: '/v1/turns', headers: { authorization: `Bearer ${tokens.accessToken}` }, payload: { thought: turn.thought, moodBefore: turn.moodBefore } });
  }
  clock.now = new Date();
  await runPlansCommand(infra, ['grant', email, 'prism'], 'e2e');

  const runner = createJobRunner({ boss: infra.boss, definitions: buildJobDefinitions(infra, silent), logger: silent });
  await runner.prepare({ schedules: false });
  await enqueue(infra.boss, spectrumQueues.tick, {});
  const ran = {};
  for (const queue of [spectrumQueues.tick, spectrumQueues.aggregate, spectrumQueues.narrative]) ran[queue.name] = await runner.runOnce(queue.name);
  await app.close();
  console.log(JSON.stringify({ lastWeek, weekBefore, turns: turns.length, jobs: ran }));
} finally {
  await infra.boss.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
  await closeInfra(infra);
}
