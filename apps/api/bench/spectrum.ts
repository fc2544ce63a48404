// Spectrum weekly aggregation end to end through the job system, on PostgreSQL:
//   npx tsx apps/api/bench/spectrum.ts --users 10000 [--events 30] [--narratives 2000]
// Seeds a fresh database with N users in five timezones, each with `events` analysis rows over one
// local week (five in six from Turn, one in six from Mirror), then times: the scheduler tick (opens
// every user's ended week and queues the batches), the aggregation jobs worked by a pg-boss worker
// until every weekly row is written, and, separately, narrative jobs on the local engine.
// Needs KALEI_TEST_DATABASE_URL (an admin connection; a throwaway database is created and dropped).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { trapIds } from '@kalei/contracts/taxonomy';
import { loadConfig } from '../src/config.js';
import { rowsOf } from '../src/infra/db.js';
import { openInfra, closeInfra } from '../src/infra/infra.js';
import { createBoss, createJobRunner, enqueue } from '../src/infra/queue.js';
import { buildJobDefinitions } from '../src/jobs.js';
import { spectrumQueues } from '../src/modules/spectrum/jobs.js';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const users = arg('users', 10_000);
const events = arg('events', 30);
const narratives = arg('narratives', 2_000);
const adminUrl = process.env.KALEI_TEST_DATABASE_URL;
if (!adminUrl) {
  console.log(JSON.stringify({ skipped: 'set KALEI_TEST_DATABASE_URL' }));
  process.exit(0);
}

const silent = { info() {}, warn() {}, error() {} };
const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Pacific/Auckland'];
const name = `kalei_bench_spectrum_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-bench-spectrum-'));
const clock = { now: new Date('2026-03-09T12:00:00Z') };
const opened = await openInfra(loadConfig({ DATABASE_URL: url.toString(), KALEI_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {});
const infra = { ...opened, boss: createBoss(opened.database, { supervise: false, pollingIntervalSeconds: 0.5 }), now: () => clock.now };
infra.boss.on('error', () => {});
const ms = (start: number) => Math.round(performance.now() - start);

try {
  await infra.database.migrate();
  const db = infra.database.db;
  const turnEvents = Math.round((events * 5) / 6);
  const sessionEvents = events - turnEvents;
  const seedStart = performance.now();
  // The week of Monday 2026-03-02 in each user's zone (New York changes to summer time inside it).
  await db.execute(sql`
    insert into users (email, created_at, updated_at)
    select 'bench-' || g || '@example.test', now(), now() from generate_series(1, ${users}) g`);
  await db.execute(sql`
    insert into profiles (user_id, timezone)
    select id, (${`{${zones.join(',')}}`}::text[])[1 + (row_number() over (order by id))::int % ${zones.length}] from users`);
  const traps = `{${trapIds.join(',')}}`;
  await db.execute(sql`
    with t as (
      insert into turns (user_id, thought_enc, reframes_enc, micro_action_enc, traps, mood_before, engine, model, prompt_version, created_at, updated_at)
      select p.user_id, 'bench', 'bench', 'bench',
             array[(${traps}::text[])[1 + floor(random() * ${trapIds.length})::int], (${traps}::text[])[1 + floor(random() * ${trapIds.length})::int]],
             case when random() < 0.7 then 1 + floor(random() * 10)::int end, 'local', 'bench', 'bench',
             (date '2026-03-02' + (random() * 604799 + j * 0) * interval '1 second') at time zone p.timezone, now()
      from profiles p cross join generate_series(1, ${turnEvents}) j
      returning id, user_id, traps, mood_before, created_at)
    insert into spectrum_turn_analysis (user_id, turn_id, traps, techniques, mood_before, occurred_at, created_at)
    select user_id, id, traps, '{evidence_check,decatastrophize,compassionate_reframe}', mood_before, created_at, created_at from t`);
  await db.execute(sql`
    with s as (
      insert into mirror_sessions (user_id, status, message_count, closed_at, created_at, updated_at)
      select p.user_id, 'closed', 2 + floor(random() * 8)::int, now(),
             (date '2026-03-02' + (random() * 604799 + j * 0) * interval '1 second') at time zone p.timezone, now()
      from profiles p cross join generate_series(1, ${sessionEvents}) j
      returning id, user_id, message_count, created_at)
    insert into spectrum_session_analysis (user_id, session_id, trap_counts, message_count, occurred_at, created_at)
    select user_id, id, jsonb_build_object((${traps}::text[])[1 + floor(random() * ${trapIds.length})::int], 1 + floor(random() * 3)::int), message_count, created_at, created_at from s`);
  await db.execute(sql`analyze`);
  const seedMs = ms(seedStart);

  await infra.boss.start();
  const all = buildJobDefinitions(infra, silent);
  const aggregation = all.filter((d) => d.name === spectrumQueues.tick.name || d.name === spectrumQueues.aggregate.name);
  const runner = createJobRunner({ boss: infra.boss, definitions: aggregation, logger: silent, pollingIntervalSeconds: 0.5 });
  await runner.prepare({ schedules: false });
  const narrativeRunner = createJobRunner({ boss: infra.boss, definitions: all.filter((d) => d.name === spectrumQueues.narrative.name), logger: silent });
  await narrativeRunner.prepare({ schedules: false });

  // End to end: queue the tick, let the workers run, stop when every weekly row is written.
  const start = performance.now();
  await enqueue(infra.boss, spectrumQueues.tick, {});
  await runner.start();
  let tickMs = 0;
  let written = 0;
  for (;;) {
    const [row] = rowsOf<{ written: number; opened: number }>(
      await db.execute(sql`select count(*) filter (where computed_at is not null)::int as written, count(*)::int as opened from spectrum_weekly`),
    );
    if (!tickMs && row!.opened >= users) tickMs = ms(start);
    written = row!.written;
    if (written >= users || performance.now() - start > 30 * 60_000) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const endToEndMs = ms(start);
  await runner.stop();
  const [check] = rowsOf<{ turns: number; sessions: number }>(await db.execute(sql`select sum(turns)::int as turns, sum(mirror_sessions)::int as sessions from spectrum_weekly`));

  // Narratives, separately: the local engine (no model configured), through the guarded path.
  const jobsWanted = Math.ceil(Math.min(narratives, users) / 50);
  const narrativeStart = performance.now();
  const done = await narrativeRunner.runOnce(spectrumQueues.narrative.name, { limit: jobsWanted });
  const narrativeMs = ms(narrativeStart);
  const [ready] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from spectrum_weekly where narrative_status = 'ready'`));

  console.log(
    JSON.stringify({
      users,
      eventsPerUser: events,
      analysisRows: users * events,
      cpus: cpus().length,
      seedMs,
      tickMs,
      endToEndMs,
      weeklyRowsWritten: written,
      countsCheck: { turns: check!.turns === users * turnEvents, sessions: check!.sessions === users * sessionEvents },
      narrative: { jobs: done.completed, failed: done.failed, written: ready!.n, ms: narrativeMs, perNarrativeMs: ready!.n ? Math.round((narrativeMs / ready!.n) * 100) / 100 : null },
    }),
  );
} finally {
  await infra.boss.stop({ graceful: false, wait: true, close: true }).catch(() => {});
  await closeInfra(infra);
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}
