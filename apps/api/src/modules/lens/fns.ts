/**
 * Pure rules of Lens: streaks over local calendar dates (days, ISO weeks), whether an action is
 * done in its current period, goal progress and the plan's goal limit. No I/O and no clock: the
 * caller passes the user's local `today`.
 */
import type { ActionCadence, GoalProgress, Streak } from '@kalei/contracts/lens';
import { addDays, daysBetween, startOfIsoWeek } from '../../lib/time.js';

/** Distinct dates, oldest first. */
function distinctSorted(dates: Iterable<string>): string[] {
  return [...new Set(dates)].sort();
}

/**
 * Runs of consecutive periods. `key` maps a date to its period (the date itself, or its week's
 * Monday) and `step` is the period length in days.
 */
function runs(dates: Iterable<string>, today: string, key: (date: string) => string, step: number): Streak {
  const periods = distinctSorted([...dates].map(key));
  const last = periods.at(-1) ?? null;
  let longest = 0;
  let run = 0;
  let previous: string | null = null;
  for (const period of periods) {
    run = previous !== null && daysBetween(previous, period) === step ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = period;
  }
  const current = key(today);
  // The run is alive if it reaches the current period, or the one before it (not done yet today / this week).
  const alive = last !== null && (last === current || daysBetween(last, current) === step);
  const lastDate = distinctSorted(dates).at(-1) ?? null;
  return { current: alive ? run : 0, longest, lastCompletedOn: lastDate };
}

/** A daily streak: consecutive local days with a completion. Not done yet today keeps yesterday's streak. */
export function dailyStreak(dates: Iterable<string>, today: string): Streak {
  return runs([...dates].filter((date) => date <= today), today, (date) => date, 1);
}

/** A weekly streak: consecutive ISO weeks (Monday first) with a completion. */
export function weeklyStreak(dates: Iterable<string>, today: string): Streak {
  return runs([...dates].filter((date) => date <= today), today, startOfIsoWeek, 7);
}

/** The streak an action shows for its cadence; a one-off action's streak is 1 once done. */
export function actionStreak(cadence: ActionCadence, dates: readonly string[], today: string): Streak {
  if (cadence === 'weekly') return weeklyStreak(dates, today);
  if (cadence === 'daily') return dailyStreak(dates, today);
  const done = distinctSorted(dates);
  return { current: done.length > 0 ? 1 : 0, longest: done.length > 0 ? 1 : 0, lastCompletedOn: done.at(-1) ?? null };
}

/**
 * The completion that already covers `today` for this cadence, if any: completing again in the same
 * period changes nothing (today for daily, this ISO week for weekly, ever for once).
 */
export function completionInPeriod(cadence: ActionCadence, dates: readonly string[], today: string): string | null {
  const sorted = distinctSorted(dates);
  if (cadence === 'daily') return sorted.includes(today) ? today : null;
  if (cadence === 'weekly') {
    const week = startOfIsoWeek(today);
    return sorted.filter((date) => date <= today && startOfIsoWeek(date) === week).at(-1) ?? null;
  }
  return sorted[0] ?? null;
}

/** A goal's progress from its actions' completion dates. */
export function goalProgress(actions: readonly { cadence: ActionCadence; dates: readonly string[] }[], today: string): GoalProgress {
  const done = actions.filter((action) => completionInPeriod(action.cadence, action.dates, today) !== null).length;
  const weekAgo = addDays(today, -6);
  const completionsLast7Days = actions.reduce((sum, action) => sum + action.dates.filter((date) => date >= weekAgo && date <= today).length, 0);
  return {
    actions: actions.length,
    actionsDone: done,
    percent: actions.length === 0 ? 0 : Math.round((done / actions.length) * 100),
    completionsLast7Days,
    streak: dailyStreak(
      actions.flatMap((action) => action.dates),
      today,
    ),
  };
}
