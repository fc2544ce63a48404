/**
 * The canary's scorecard: per lane, usage of each deployment (exact, from the usage events) and
 * outcomes per arm (users in the canary's share against the rest, by the same sticky assignment
 * the gateway uses): Turn feedback and safety escalations. Reads counts and ids only, never text.
 *
 * Outcomes are counted by arm, not by the deployment that answered, because a canary user whose
 * call failed over was still served by the rollout: the comparison is of what each group lived with.
 */
import { and, eq, gte, sql } from 'drizzle-orm';
import { aiUsageEvents, safetyEvents, turnFeedback } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';
import { lanes, type Lane } from './prompts.js';
import { canaryFor, type Routing } from './routing.js';

export interface DeploymentUsage {
  deployment: string;
  attempts: number;
  ok: number;
  failed: number;
  costMicros: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
}

export interface ArmOutcomes {
  arm: 'canary' | 'baseline';
  users: number;
  feedback: number;
  helpful: number;
  /** helpful / feedback, null with no feedback. */
  helpfulRate: number | null;
  safetyEscalations: number;
  /** Escalations per 1,000 users of the arm who used the lane. */
  escalationsPer1000Users: number | null;
}

export interface LaneCanaryReport {
  lane: Lane;
  canary: { deployment: string; percent: number } | null;
  usage: DeploymentUsage[];
  arms: ArmOutcomes[];
}

/** The report for every lane since `since`; lanes without a canary list usage only. */
export async function canaryReport(db: Executor, routing: Routing, since: Date): Promise<LaneCanaryReport[]> {
  const out: LaneCanaryReport[] = [];
  for (const lane of lanes) {
    const usage = await db
      .select({
        deployment: aiUsageEvents.deployment,
        attempts: sql<string>`count(*)`,
        ok: sql<string>`count(*) filter (where ${aiUsageEvents.outcome} = 'ok')`,
        costMicros: sql<string>`coalesce(sum(${aiUsageEvents.costMicros}), 0)`,
        p50: sql<string | null>`percentile_cont(0.5) within group (order by ${aiUsageEvents.latencyMs})`,
        p95: sql<string | null>`percentile_cont(0.95) within group (order by ${aiUsageEvents.latencyMs})`,
      })
      .from(aiUsageEvents)
      .where(and(eq(aiUsageEvents.lane, lane), gte(aiUsageEvents.createdAt, since)))
      .groupBy(aiUsageEvents.deployment)
      .orderBy(aiUsageEvents.deployment);
    const canary = routing.canaries?.[lane];
    const report: LaneCanaryReport = {
      lane,
      canary: canary ? { deployment: canary.deployment.name, percent: canary.percent } : null,
      usage: usage.map((u) => ({
        deployment: u.deployment,
        attempts: Number(u.attempts),
        ok: Number(u.ok),
        failed: Number(u.attempts) - Number(u.ok),
        costMicros: Number(u.costMicros),
        p50LatencyMs: Math.round(Number(u.p50 ?? 0)),
        p95LatencyMs: Math.round(Number(u.p95 ?? 0)),
      })),
      arms: [],
    };
    if (canary) {
      const users = await db
        .selectDistinct({ userId: aiUsageEvents.userId })
        .from(aiUsageEvents)
        .where(and(eq(aiUsageEvents.lane, lane), gte(aiUsageEvents.createdAt, since), sql`${aiUsageEvents.userId} is not null`));
      const feedback = await db
        .select({
          userId: turnFeedback.userId,
          n: sql<string>`count(*)`,
          helpful: sql<string>`count(*) filter (where ${turnFeedback.helpful})`,
        })
        .from(turnFeedback)
        .where(gte(turnFeedback.createdAt, since))
        .groupBy(turnFeedback.userId);
      const escalations = await db
        .select({ userId: safetyEvents.userId, n: sql<string>`count(*)` })
        .from(safetyEvents)
        .where(and(gte(safetyEvents.createdAt, since), sql`${safetyEvents.userId} is not null`))
        .groupBy(safetyEvents.userId);
      const armOf = (userId: string): 'canary' | 'baseline' => (canaryFor(routing, lane, userId) ? 'canary' : 'baseline');
      const laneUsers = new Set(users.flatMap((u) => (u.userId ? [u.userId] : [])));
      for (const arm of ['canary', 'baseline'] as const) {
        const members = [...laneUsers].filter((u) => armOf(u) === arm);
        const inArm = new Set(members);
        const fb = feedback.filter((f) => inArm.has(f.userId));
        const n = fb.reduce((s, f) => s + Number(f.n), 0);
        const helpful = fb.reduce((s, f) => s + Number(f.helpful), 0);
        const esc = escalations.filter((e) => e.userId !== null && inArm.has(e.userId)).reduce((s, e) => s + Number(e.n), 0);
        report.arms.push({
          arm,
          users: members.length,
          feedback: n,
          helpful,
          helpfulRate: n === 0 ? null : Math.round((helpful / n) * 1000) / 1000,
          safetyEscalations: esc,
          escalationsPer1000Users: members.length === 0 ? null : Math.round((esc / members.length) * 1000 * 10) / 10,
        });
      }
    }
    out.push(report);
  }
  return out;
}

/** The report as markdown, for the operator command. */
export function formatCanaryReport(reports: readonly LaneCanaryReport[], since: Date): string {
  const lines: string[] = [`AI deployments since ${since.toISOString()}`];
  for (const r of reports) {
    lines.push('', `## ${r.lane} lane${r.canary ? `: canary ${r.canary.deployment} at ${r.canary.percent}% of users` : ' (no canary)'}`);
    lines.push('', '| deployment | attempts | ok | failed | cost (micro-units) | p50 ms | p95 ms |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const u of r.usage) lines.push(`| ${u.deployment} | ${u.attempts} | ${u.ok} | ${u.failed} | ${u.costMicros} | ${u.p50LatencyMs} | ${u.p95LatencyMs} |`);
    if (r.usage.length === 0) lines.push('| (no calls) | | | | | | |');
    if (r.arms.length > 0) {
      lines.push('', '| arm | users | feedback | helpful | helpful rate | safety escalations | per 1,000 users |', '|---|---:|---:|---:|---:|---:|---:|');
      for (const a of r.arms) {
        lines.push(
          `| ${a.arm} | ${a.users} | ${a.feedback} | ${a.helpful} | ${a.helpfulRate ?? 'n/a'} | ${a.safetyEscalations} | ${a.escalationsPer1000Users ?? 'n/a'} |`,
        );
      }
    }
  }
  return lines.join('\n');
}
