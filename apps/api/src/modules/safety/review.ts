import type { Executor } from '../../infra/db.js';
import { createSafetyRepo, type ReviewCount, type ReviewEvent } from './repo.js';

/** Usage text of `npm run safety`. */
export const SAFETY_USAGE = `Usage: npm run safety -- review [--days N] [--limit N] [--json]

  review   recent safety events (escalations and the texts stage 2 cleared) and their distribution
           by outcome, stage, feature, version, rule id and classifier score band; last 7 days by
           default, the 20 newest listed. Events hold ids, scores and versions, never text or users.`;

export class SafetyUsageError extends Error {}

const ESCALATIONS = new Set(['crisis_stage1', 'crisis_confirmed', 'crisis_fail_safe', 'crisis_classifier', 'crisis_conversation', 'crisis_unconfirmed']);

function intOption(args: string[], name: string, min: number, max: number, fallback: number): number {
  const index = args.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < min || value > max) throw new SafetyUsageError(`${name} must be a whole number from ${min} to ${max}`);
  args.splice(index, 2);
  return value;
}

export interface SafetyReview {
  since: string;
  days: number;
  total: number;
  escalations: number;
  cleared: number;
  distribution: Record<string, ReviewCount[]>;
  recent: ReviewEvent[];
}

/** Runs one `npm run safety` command against the database; returns what to print. */
export async function runSafetyCommand(db: Executor, argv: readonly string[], now: Date): Promise<string> {
  const args = [...argv];
  const json = args.includes('--json');
  if (json) args.splice(args.indexOf('--json'), 1);
  const days = intOption(args, '--days', 1, 365, 7);
  const limit = intOption(args, '--limit', 0, 500, 20);
  const [command, ...rest] = args;
  if (command !== 'review') throw new SafetyUsageError(command ? `unknown command ${command}` : 'no command');
  if (rest.length > 0) throw new SafetyUsageError(`unexpected ${rest.join(' ')}`);
  const since = new Date(now.getTime() - days * 86_400_000);
  const repo = createSafetyRepo(db);
  const [distribution, recent] = await Promise.all([repo.distribution(since), repo.recentEvents(since, limit)]);
  const total = distribution.outcome.reduce((sum, c) => sum + c.n, 0);
  const escalations = distribution.outcome.filter((c) => ESCALATIONS.has(c.key)).reduce((sum, c) => sum + c.n, 0);
  const review: SafetyReview = { since: since.toISOString(), days, total, escalations, cleared: total - escalations, distribution, recent };
  return json ? JSON.stringify(review, null, 2) : formatReview(review);
}

const table = (title: string, counts: ReviewCount[], total: number) =>
  counts.length === 0 ? [] : [`\n${title}`, ...counts.map((c) => `  ${c.key.padEnd(40)} ${String(c.n).padStart(6)}  ${total === 0 ? '' : `${((c.n / total) * 100).toFixed(1)}%`}`)];

/** The review as text for a terminal. */
export function formatReview(review: SafetyReview): string {
  const d = review.distribution;
  const score = (x: number | null) => (x === null ? '–' : x.toFixed(3));
  return [
    `safety events since ${review.since} (${review.days} days): ${review.total}, of which ${review.escalations} escalations and ${review.cleared} cleared by stage 2`,
    ...table('by outcome', d.outcome ?? [], review.total),
    ...table('by stage', d.stage ?? [], review.total),
    ...table('by feature', d.feature ?? [], review.total),
    ...table('by version', d.version ?? [], review.total),
    ...table('by rule id (an event can carry several)', d.rule ?? [], review.total),
    ...table('by classifier score band', d.classifierBand ?? [], review.total),
    ...(review.recent.length === 0
      ? []
      : [
          `\nnewest ${review.recent.length}`,
          ...review.recent.map(
            (e) =>
              `  ${e.createdAt.toISOString()}  ${e.feature.padEnd(8)} stage ${e.stage}  ${e.outcome.padEnd(20)} s1 ${score(e.stage1Score)}  clf ${score(e.classifierScore)}  model ${score(e.stage2Confidence)}  ${e.version ?? '(no version)'}  ${e.ruleIds.join(',') || '(no rule)'}`,
          ),
        ]),
  ].join('\n');
}
