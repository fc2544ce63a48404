import { sql, type SQL } from 'drizzle-orm';
import type { SpectrumKind } from '@kalei/contracts/spectrum';
import { rowsOf, type Executor } from '../../infra/db.js';

/** A user and the first local date of one of their periods. */
export interface PeriodTarget {
  userId: string;
  start: string;
}

export interface StoredPeriod {
  userId: string;
  start: string;
  metrics: unknown;
  crisis: boolean;
  dirty: boolean;
  computedAt: Date | null;
  narrativeStatus: 'pending' | 'ready' | 'paused';
  narrativeEnc: string | null;
  engine: string | null;
  model: string | null;
  notifiedAt: Date | null;
}

const table = (kind: SpectrumKind) => sql.raw(kind === 'weekly' ? 'spectrum_weekly' : 'spectrum_monthly');
const startColumn = (kind: SpectrumKind) => sql.raw(kind === 'weekly' ? 'week_start' : 'month_start');
const length = (kind: SpectrumKind) => sql.raw(kind === 'weekly' ? "interval '7 days'" : "interval '1 month'");
/** ids and dates only (no commas or quotes), as one array literal parameter. */
const arrayLiteral = (values: readonly string[]) => `{${values.join(',')}}`;

const storedColumns = (kind: SpectrumKind) => sql`
  user_id as "userId", to_char(${startColumn(kind)}, 'YYYY-MM-DD') as start, metrics, crisis, dirty,
  computed_at as "computedAt", narrative_status as "narrativeStatus", narrative_enc as "narrativeEnc", engine, model, notified_at as "notifiedAt"`;

const toStored = (row: StoredPeriod): StoredPeriod => ({
  ...row,
  computedAt: row.computedAt ? new Date(row.computedAt) : null,
  notifiedAt: row.notifiedAt ? new Date(row.notifiedAt) : null,
});

/**
 * The aggregation: one set-based statement for any number of (user, period) pairs. It reads the
 * analysis rows (trap ids, moods, technique ids, counts), the exclusion flags of turns and Mirror
 * sessions, Turn feedback, Lens completions and check-ins, and whether a crisis answer was given:
 * never a `_enc` column. Periods are the user's local calendar (profile timezone, DST-safe in
 * PostgreSQL), and nothing from before the user's Spectrum reset counts.
 */
function aggregation(kind: SpectrumKind, targets: readonly PeriodTarget[]): SQL {
  return sql`
    with input as (
      select u.user_id, u.period_start
      from unnest(${arrayLiteral(targets.map((t) => t.userId))}::uuid[], ${arrayLiteral(targets.map((t) => t.start))}::date[]) as u(user_id, period_start)
    ),
    targets as (
      select i.user_id, i.period_start, (i.period_start + ${length(kind)})::date as period_next, z.tz,
             greatest(i.period_start::timestamp at time zone z.tz, coalesce(s.reset_at, '-infinity'::timestamptz)) as from_ts,
             (i.period_start + ${length(kind)})::timestamp at time zone z.tz as to_ts,
             coalesce(s.reset_at, '-infinity'::timestamptz) as floor_ts
      from input i
      left join profiles p on p.user_id = i.user_id
      left join spectrum_user_state s on s.user_id = i.user_id
      cross join lateral (select coalesce(p.timezone, 'UTC') as tz) z
    ),
    t_rows as (
      select g.user_id, g.period_start, a.turn_id, a.traps, a.techniques, a.mood_before, a.occurred_at at time zone g.tz as local_at
      from targets g
      join spectrum_turn_analysis a on a.user_id = g.user_id and a.occurred_at >= g.from_ts and a.occurred_at < g.to_ts
      join turns t on t.id = a.turn_id and not t.excluded_from_analytics
    ),
    t_agg as (
      select user_id, period_start, count(*)::int as turns, count(mood_before)::int as rated, avg(mood_before)::float8 as mood_avg
      from t_rows group by 1, 2
    ),
    t_mood as (
      select user_id, period_start, jsonb_object_agg(d, a) as by_date
      from (select user_id, period_start, to_char(local_at, 'YYYY-MM-DD') as d, avg(mood_before)::float8 as a
            from t_rows where mood_before is not null group by 1, 2, 3) x
      group by 1, 2
    ),
    helpful as (
      select user_id, period_start, jsonb_object_agg(technique, n) as j
      from (select r.user_id, r.period_start, r.techniques[f.reframe_index + 1] as technique, count(*)::int as n
            from t_rows r join turn_feedback f on f.turn_id = r.turn_id and f.helpful
            where r.techniques[f.reframe_index + 1] is not null group by 1, 2, 3) x
      group by 1, 2
    ),
    m_rows as (
      select g.user_id, g.period_start, a.trap_counts, a.message_count, a.occurred_at at time zone g.tz as local_at
      from targets g
      join spectrum_session_analysis a on a.user_id = g.user_id and a.occurred_at >= g.from_ts and a.occurred_at < g.to_ts
      join mirror_sessions s on s.id = a.session_id and not s.excluded_from_analytics
    ),
    m_agg as (
      select user_id, period_start, count(*)::int as sessions, coalesce(sum(message_count), 0)::int as messages from m_rows group by 1, 2
    ),
    traps as (
      select user_id, period_start, jsonb_object_agg(trap, n) as j
      from (select user_id, period_start, trap, sum(n)::int as n from (
              select user_id, period_start, unnest(traps) as trap, 1 as n from t_rows
              union all
              select m.user_id, m.period_start, e.key, e.value::int from m_rows m, jsonb_each_text(m.trap_counts) e
            ) all_traps group by 1, 2, 3) x
      group by 1, 2
    ),
    moments as (
      select user_id, period_start, local_at from t_rows union all select user_id, period_start, local_at from m_rows
    ),
    by_weekday as (
      select user_id, period_start, jsonb_object_agg(dow, n) as j
      from (select user_id, period_start, extract(isodow from local_at)::int as dow, count(*)::int as n from moments group by 1, 2, 3) x
      group by 1, 2
    ),
    by_hour as (
      select user_id, period_start, jsonb_object_agg(h, n) as j
      from (select user_id, period_start, extract(hour from local_at)::int as h, count(*)::int as n from moments group by 1, 2, 3) x
      group by 1, 2
    ),
    l_days as (
      select g.user_id, g.period_start, c.local_date, count(*)::int as n
      from targets g
      join lens_action_completions c on c.user_id = g.user_id and c.local_date >= g.period_start and c.local_date < g.period_next and c.completed_at >= g.floor_ts
      group by 1, 2, 3
    ),
    lens as (
      select user_id, period_start, sum(n)::int as completions, count(*)::int as active_days, max(run)::int as longest
      from (select user_id, period_start, n, count(*) over (partition by user_id, period_start, grp) as run
            from (select *, local_date - (row_number() over (partition by user_id, period_start order by local_date))::int as grp from l_days) d) r
      group by 1, 2
    ),
    checkins as (
      select g.user_id, g.period_start, count(*)::int as n, avg(k.mood)::float8 as mood_avg
      from targets g
      join lens_checkins k on k.user_id = g.user_id and k.local_date >= g.period_start and k.local_date < g.period_next and k.created_at >= g.floor_ts
      group by 1, 2
    ),
    crisis as (
      select distinct g.user_id, g.period_start
      from targets g
      join safety_events e on e.user_id = g.user_id and e.created_at >= g.from_ts and e.created_at < g.to_ts and e.outcome like 'crisis%'
    )
    select g.user_id, g.period_start,
      coalesce(tr.j, '{}'::jsonb) as trap_counts,
      coalesce(ta.turns, 0) as turns,
      coalesce(ma.sessions, 0) as mirror_sessions,
      (cr.user_id is not null) as crisis,
      jsonb_build_object(
        'turns', coalesce(ta.turns, 0),
        'mirrorSessions', coalesce(ma.sessions, 0),
        'mirrorMessages', coalesce(ma.messages, 0),
        'traps', coalesce(tr.j, '{}'::jsonb),
        'moodRated', coalesce(ta.rated, 0),
        'moodAverage', ta.mood_avg,
        'moodByDate', coalesce(tm.by_date, '{}'::jsonb),
        'helpful', coalesce(hp.j, '{}'::jsonb),
        'actionsCompleted', coalesce(l.completions, 0),
        'activeDays', coalesce(l.active_days, 0),
        'longestStreak', coalesce(l.longest, 0),
        'checkins', coalesce(ck.n, 0),
        'checkinMoodAverage', ck.mood_avg,
        'byWeekday', coalesce(bw.j, '{}'::jsonb),
        'byHour', coalesce(bh.j, '{}'::jsonb)
      ) as metrics
    from targets g
    left join t_agg ta using (user_id, period_start)
    left join t_mood tm using (user_id, period_start)
    left join helpful hp using (user_id, period_start)
    left join m_agg ma using (user_id, period_start)
    left join traps tr using (user_id, period_start)
    left join by_weekday bw using (user_id, period_start)
    left join by_hour bh using (user_id, period_start)
    left join lens l using (user_id, period_start)
    left join checkins ck using (user_id, period_start)
    left join crisis cr on cr.user_id = g.user_id and cr.period_start = g.period_start`;
}

/** Every SQL statement of the Spectrum module. */
export function createSpectrumRepo(db: Executor) {
  return {
    /** The figures of each target, computed now and not stored (a running period, or one not yet computed). */
    async compute(kind: SpectrumKind, targets: readonly PeriodTarget[], tx: Executor = db): Promise<{ userId: string; start: string; metrics: unknown; crisis: boolean }[]> {
      if (targets.length === 0) return [];
      const rows = rowsOf<{ user_id: string; period_start: string | Date; metrics: unknown; crisis: boolean }>(
        await tx.execute(sql`select user_id, to_char(period_start, 'YYYY-MM-DD') as period_start, metrics, crisis from (${aggregation(kind, targets)}) a`),
      );
      return rows.map((row) => ({ userId: row.user_id, start: String(row.period_start), metrics: row.metrics, crisis: row.crisis }));
    },

    /**
     * Computes and upserts the targets' rows in one statement. Idempotent: the same data gives the
     * same row, and a narrative is kept unless the figures (or the crisis flag) changed. `dirty` is
     * left to the scheduler that claimed the work. Returns the periods whose narrative is now due.
     */
    async computeAndStore(kind: SpectrumKind, targets: readonly PeriodTarget[], at: Date, tx: Executor = db): Promise<PeriodTarget[]> {
      if (targets.length === 0) return [];
      const t = table(kind);
      const rows = rowsOf<{ user_id: string; start: string }>(
        await tx.execute(sql`
          insert into ${t} (user_id, ${startColumn(kind)}, trap_counts, turns, mirror_sessions, metrics, crisis, dirty, computed_at, created_at, updated_at)
          select user_id, period_start, trap_counts, turns, mirror_sessions, metrics, crisis, false, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
          from (${aggregation(kind, targets)}) a
          on conflict (user_id, ${startColumn(kind)}) do update set
            trap_counts = excluded.trap_counts,
            turns = excluded.turns,
            mirror_sessions = excluded.mirror_sessions,
            narrative_status = case when ${t}.metrics is distinct from excluded.metrics or ${t}.crisis <> excluded.crisis or ${t}.computed_at is null
                                    then 'pending' else ${t}.narrative_status end,
            narrative_enc = case when ${t}.metrics is distinct from excluded.metrics or ${t}.crisis <> excluded.crisis then null else ${t}.narrative_enc end,
            metrics = excluded.metrics,
            crisis = excluded.crisis,
            computed_at = excluded.computed_at,
            updated_at = excluded.updated_at
          returning user_id, to_char(${startColumn(kind)}, 'YYYY-MM-DD') as start, narrative_status`),
      );
      return rows.filter((row) => (row as { narrative_status?: string }).narrative_status === 'pending').map((row) => ({ userId: row.user_id, start: row.start }));
    },

    async find(kind: SpectrumKind, userId: string, starts: readonly string[], tx: Executor = db): Promise<StoredPeriod[]> {
      if (starts.length === 0) return [];
      const rows = rowsOf<StoredPeriod>(
        await tx.execute(
          sql`select ${storedColumns(kind)} from ${table(kind)} where user_id = ${userId} and ${startColumn(kind)} = any(${arrayLiteral(starts)}::date[])`,
        ),
      );
      return rows.map(toStored);
    },

    async findMany(kind: SpectrumKind, targets: readonly PeriodTarget[], tx: Executor = db): Promise<StoredPeriod[]> {
      if (targets.length === 0) return [];
      const rows = rowsOf<StoredPeriod>(
        await tx.execute(sql`
          select ${storedColumns(kind)} from ${table(kind)} p
          join unnest(${arrayLiteral(targets.map((t) => t.userId))}::uuid[], ${arrayLiteral(targets.map((t) => t.start))}::date[]) as u(uid, ps)
            on p.user_id = u.uid and p.${startColumn(kind)} = u.ps`),
      );
      return rows.map(toStored);
    },

    /** Stored periods of a user before `before`, newest first. */
    async history(kind: SpectrumKind, userId: string, before: string, limit: number, tx: Executor = db): Promise<StoredPeriod[]> {
      const rows = rowsOf<StoredPeriod>(
        await tx.execute(sql`
          select ${storedColumns(kind)} from ${table(kind)}
          where user_id = ${userId} and ${startColumn(kind)} < ${before}::date and computed_at is not null
          order by ${startColumn(kind)} desc limit ${limit}`),
      );
      return rows.map(toStored);
    },

    /** Every stored period of a user (export). */
    async allOf(kind: SpectrumKind, userId: string, tx: Executor = db): Promise<StoredPeriod[]> {
      const rows = rowsOf<StoredPeriod>(
        await tx.execute(sql`select ${storedColumns(kind)} from ${table(kind)} where user_id = ${userId} order by ${startColumn(kind)}`),
      );
      return rows.map(toStored);
    },

    /** Marks periods for recomputation, creating their rows when missing (late data, exclusions, deletes). */
    async markDirty(kind: SpectrumKind, targets: readonly PeriodTarget[], at: Date, tx: Executor = db): Promise<void> {
      if (targets.length === 0) return;
      await tx.execute(sql`
        insert into ${table(kind)} (user_id, ${startColumn(kind)}, dirty, created_at, updated_at)
        select uid, ps, true, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
        from unnest(${arrayLiteral(targets.map((t) => t.userId))}::uuid[], ${arrayLiteral(targets.map((t) => t.start))}::date[]) as u(uid, ps)
        on conflict (user_id, ${startColumn(kind)}) do update set dirty = true, updated_at = excluded.updated_at`);
    },

    /** As markDirty, for the weeks and months containing `instants` in the user's profile timezone that have ended by `at` (running ones are computed live). */
    async markDirtyAt(userId: string, instants: readonly Date[], at: Date, tx: Executor = db): Promise<void> {
      if (instants.length === 0) return;
      const list = arrayLiteral(instants.map((i) => `"${i.toISOString()}"`));
      for (const kind of ['weekly', 'monthly'] as const) {
        await tx.execute(sql`
          insert into ${table(kind)} (user_id, ${startColumn(kind)}, dirty, created_at, updated_at)
          select distinct ${userId}::uuid, date_trunc(${kind === 'weekly' ? 'week' : 'month'}, x.ts at time zone coalesce(p.timezone, 'UTC'))::date, true,
                 ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
          from unnest(${list}::timestamptz[]) as x(ts) left join profiles p on p.user_id = ${userId}
          where (date_trunc(${kind === 'weekly' ? 'week' : 'month'}, x.ts at time zone coalesce(p.timezone, 'UTC')) + ${length(kind)})::date
                <= (${at.toISOString()}::timestamptz at time zone coalesce(p.timezone, 'UTC'))::date
          on conflict (user_id, ${startColumn(kind)}) do update set dirty = true, updated_at = excluded.updated_at`);
      }
    },

    /** As markDirtyAt, for local calendar dates (Lens check-ins and completions are dated, not timed). */
    async markDirtyOnDates(userId: string, dates: readonly string[], at: Date, tx: Executor = db): Promise<void> {
      if (dates.length === 0) return;
      const list = arrayLiteral([...new Set(dates)]);
      for (const kind of ['weekly', 'monthly'] as const) {
        await tx.execute(sql`
          insert into ${table(kind)} (user_id, ${startColumn(kind)}, dirty, created_at, updated_at)
          select distinct ${userId}::uuid, date_trunc(${kind === 'weekly' ? 'week' : 'month'}, x.d::timestamp)::date, true,
                 ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
          from unnest(${list}::date[]) as x(d) left join profiles p on p.user_id = ${userId}
          where (date_trunc(${kind === 'weekly' ? 'week' : 'month'}, x.d::timestamp) + ${length(kind)})::date
                <= (${at.toISOString()}::timestamptz at time zone coalesce(p.timezone, 'UTC'))::date
          on conflict (user_id, ${startColumn(kind)}) do update set dirty = true, updated_at = excluded.updated_at`);
      }
    },

    async saveNarrative(
      kind: SpectrumKind,
      row: { userId: string; start: string; narrativeEnc: string | null; status: 'ready' | 'paused' | 'pending'; engine: string | null; model: string | null; at: Date },
      tx: Executor = db,
    ): Promise<void> {
      await tx.execute(sql`
        update ${table(kind)} set narrative_enc = ${row.narrativeEnc}, narrative_status = ${row.status}, engine = ${row.engine}, model = ${row.model}, updated_at = ${row.at.toISOString()}::timestamptz
        where user_id = ${row.userId} and ${startColumn(kind)} = ${row.start}::date`);
    },

    /**
     * The scheduler's first step: for every user whose local week (month) has ended by `at`, the
     * row of that period is created, dirty, when the user had any activity in it. Users with a row
     * already are left alone, so running it again adds nothing. Zones PostgreSQL does not know count as UTC.
     */
    async openEndedPeriods(kind: SpectrumKind, at: Date, tx: Executor = db): Promise<number> {
      const unit = kind === 'weekly' ? 'week' : 'month';
      const rows = rowsOf(
        await tx.execute(sql`
          with zones as (select name from pg_timezone_names),
          ended as (
            select p.user_id, coalesce(z.name, 'UTC') as tz,
                   (date_trunc(${unit}, ${at.toISOString()}::timestamptz at time zone coalesce(z.name, 'UTC')) - ${length(kind)})::date as ps
            from profiles p left join zones z on z.name = p.timezone
          ),
          bounds as (
            select user_id, tz, ps, (ps + ${length(kind)})::date as pn,
                   ps::timestamp at time zone tz as from_ts, (ps + ${length(kind)})::timestamp at time zone tz as to_ts
            from ended
          )
          insert into ${table(kind)} (user_id, ${startColumn(kind)}, dirty, created_at, updated_at)
          select b.user_id, b.ps, true, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
          from bounds b
          where exists (select 1 from spectrum_turn_analysis a where a.user_id = b.user_id and a.occurred_at >= b.from_ts and a.occurred_at < b.to_ts)
             or exists (select 1 from spectrum_session_analysis a where a.user_id = b.user_id and a.occurred_at >= b.from_ts and a.occurred_at < b.to_ts)
             or exists (select 1 from lens_action_completions c where c.user_id = b.user_id and c.local_date >= b.ps and c.local_date < b.pn)
             or exists (select 1 from lens_checkins c where c.user_id = b.user_id and c.local_date >= b.ps and c.local_date < b.pn)
          on conflict (user_id, ${startColumn(kind)}) do nothing
          returning 1`),
      );
      return rows.length;
    },

    /**
     * Claims up to `limit` dirty periods that have ended in their user's timezone: clears the flag
     * and returns them, for the caller to queue in the same transaction. Data arriving after the
     * claim marks the row dirty again, so it is never lost.
     */
    async claimDirty(kind: SpectrumKind, at: Date, limit: number, tx: Executor): Promise<PeriodTarget[]> {
      const t = table(kind);
      const rows = rowsOf<{ user_id: string; start: string }>(
        await tx.execute(sql`
          with zones as (select name from pg_timezone_names),
          due as (
            select w.id from ${t} w
            left join profiles p on p.user_id = w.user_id
            left join zones z on z.name = p.timezone
            where w.dirty and (w.${startColumn(kind)} + ${length(kind)})::date <= (${at.toISOString()}::timestamptz at time zone coalesce(z.name, 'UTC'))::date
            order by w.${startColumn(kind)}
            limit ${limit}
            for update of w skip locked
          )
          update ${t} w set dirty = false from due where w.id = due.id
          returning w.user_id, to_char(w.${startColumn(kind)}, 'YYYY-MM-DD') as start`),
      );
      return rows.map((row) => ({ userId: row.user_id, start: row.start }));
    },

    /** Moves paused narratives back to pending (the cost guard lets them run again); returns them. */
    async resumePaused(kind: SpectrumKind, limit: number, tx: Executor): Promise<PeriodTarget[]> {
      const t = table(kind);
      const rows = rowsOf<{ user_id: string; start: string }>(
        await tx.execute(sql`
          with due as (select id from ${t} where narrative_status = 'paused' limit ${limit} for update skip locked)
          update ${t} w set narrative_status = 'pending' from due where w.id = due.id
          returning w.user_id, to_char(w.${startColumn(kind)}, 'YYYY-MM-DD') as start`),
      );
      return rows.map((row) => ({ userId: row.user_id, start: row.start }));
    },

    /** Weekly periods whose narrative is ready and whose "week in Spectrum" was not settled yet (recent ones only). */
    async unnotified(at: Date, limit: number, tx: Executor = db): Promise<PeriodTarget[]> {
      const rows = rowsOf<{ user_id: string; start: string }>(
        await tx.execute(sql`
          select user_id, to_char(week_start, 'YYYY-MM-DD') as start from spectrum_weekly
          where narrative_status = 'ready' and notified_at is null and week_start >= (${at.toISOString()}::timestamptz - interval '10 days')::date
          order by week_start limit ${limit}`),
      );
      return rows.map((row) => ({ userId: row.user_id, start: row.start }));
    },

    async markNotified(target: PeriodTarget, at: Date, tx: Executor = db): Promise<void> {
      await tx.execute(sql`update spectrum_weekly set notified_at = ${at.toISOString()}::timestamptz where user_id = ${target.userId} and week_start = ${target.start}::date`);
    },

    async resetStateOf(userId: string, tx: Executor = db): Promise<Date | null> {
      const [row] = rowsOf<{ reset_at: string | Date | null }>(await tx.execute(sql`select reset_at from spectrum_user_state where user_id = ${userId}`));
      return row?.reset_at ? new Date(row.reset_at) : null;
    },

    /** Locks the user's state row (creating it), so two resets of one user run one after the other. */
    async lockState(userId: string, at: Date, tx: Executor): Promise<Date | null> {
      await tx.execute(sql`insert into spectrum_user_state (user_id, updated_at) values (${userId}, ${at.toISOString()}::timestamptz) on conflict (user_id) do nothing`);
      const [row] = rowsOf<{ reset_at: string | Date | null }>(await tx.execute(sql`select reset_at from spectrum_user_state where user_id = ${userId} for update`));
      return row?.reset_at ? new Date(row.reset_at) : null;
    },

    async setResetAt(userId: string, at: Date, tx: Executor): Promise<void> {
      await tx.execute(sql`update spectrum_user_state set reset_at = ${at.toISOString()}::timestamptz, updated_at = ${at.toISOString()}::timestamptz where user_id = ${userId}`);
    },

    /** Deletes every derived period row of a user; returns how many went. */
    async deleteDerived(userId: string, tx: Executor): Promise<number> {
      const weekly = rowsOf(await tx.execute(sql`delete from spectrum_weekly where user_id = ${userId} returning 1`)).length;
      const monthly = rowsOf(await tx.execute(sql`delete from spectrum_monthly where user_id = ${userId} returning 1`)).length;
      return weekly + monthly;
    },

    /** Whether the user has analysis rows newer than `since` (activity after a reset). */
    async hasAnalysisSince(userId: string, since: Date, tx: Executor = db): Promise<boolean> {
      const [row] = rowsOf<{ any: boolean }>(
        await tx.execute(sql`select exists (select 1 from spectrum_turn_analysis where user_id = ${userId} and created_at > ${since.toISOString()}::timestamptz)
          or exists (select 1 from spectrum_session_analysis where user_id = ${userId} and created_at > ${since.toISOString()}::timestamptz) as any`),
      );
      return row?.any === true;
    },
  };
}
export type SpectrumRepo = ReturnType<typeof createSpectrumRepo>;
