import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueStats } from './queue.js';

/** What the scrape reads from the rest of the app, each optional (tests leave out what they do not need). */
export interface MetricSources {
  jobCounts?: () => Promise<QueueStats[]>;
  /** The month's AI spend and the cap, in micro-units of currency (cap 0: no cap). */
  spend?: () => Promise<{ spendMicros: number; capMicros: number }>;
  /** Pings each dependency (`database`, `redis`); a rejection or a hang counts it down. */
  dependencies?: Record<string, () => Promise<void>>;
}

/**
 * Prometheus metrics (seed §13.1): request rate, errors and latency by route; AI attempts, tokens
 * and cost by feature; problems by code (quota denials are `quota_exceeded`); safety escalations;
 * job queue depth, lateness and dead letters; the month's AI spend against its cap; database
 * statement latency; whether PostgreSQL and Redis answer. deploy/prometheus/ alerts on them.
 * Labels are routes, codes and names from our own vocabulary: never ids, user hashes or text.
 * One registry per app, so tests and several apps in a process do not share counters.
 */
export function createMetrics(sources: MetricSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kalei_' });
  const registers = [registry];

  const jobScrapeErrors = new Counter({
    name: 'kalei_jobs_scrape_errors_total',
    help: 'Scrapes that could not read the job queue counts',
    registers,
  });
  // One database read per scrape for both job gauges: the registry collects its metrics concurrently.
  // Both collects start in the same tick, so sharing the read while it is in flight is enough.
  let countsRead: Promise<QueueStats[]> | undefined;
  const readCounts = (read: () => Promise<QueueStats[]>) => {
    countsRead ??= read().finally(() => {
      countsRead = undefined;
    });
    return countsRead;
  };
  // Read from pg-boss when scraped: queue depth and dead letters are what an operator pages on.
  new Gauge({
    name: 'kalei_jobs',
    help: 'Jobs per queue and state (queued, active, failed, dead_lettered), read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      if (!sources.jobCounts) return;
      this.reset();
      try {
        for (const stats of await readCounts(sources.jobCounts)) {
          this.set({ queue: stats.queue, state: 'queued' }, stats.queued);
          this.set({ queue: stats.queue, state: 'active' }, stats.active);
          this.set({ queue: stats.queue, state: 'failed' }, stats.failed);
          this.set({ queue: stats.queue, state: 'dead_lettered' }, stats.deadLettered);
        }
      } catch {
        // A scrape still answers with everything else when the database is unreachable.
        jobScrapeErrors.inc();
      }
    },
  });
  new Gauge({
    name: 'kalei_jobs_overdue_seconds',
    help: 'Per queue: how long the oldest job that is due (waiting, retrying or running) has been due; 0 when none',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      if (!sources.jobCounts) return;
      this.reset();
      const counts = await readCounts(sources.jobCounts).catch(() => []);
      for (const stats of counts) this.set({ queue: stats.queue }, stats.overdueSeconds);
    },
  });

  const httpRequests = new Counter({
    name: 'kalei_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'kalei_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    // 1.8 s and 3.5 s are the Turn/Mirror SLO's p50 and p95 (seed §12.1): bucket edges, so the alert is exact.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.8, 2.5, 3.5, 5, 10],
    registers,
  });
  const problems = new Counter({
    name: 'kalei_problems_total',
    help: 'problem+json answers, by stable error code (quota_exceeded counts quota denials)',
    labelNames: ['code'] as const,
    registers,
  });
  const aiAttempts = new Counter({
    name: 'kalei_ai_attempts_total',
    help: 'AI attempts, by feature, task, provider, deployment and outcome',
    labelNames: ['feature', 'task', 'provider', 'deployment', 'outcome'] as const,
    registers,
  });
  const aiTokens = new Counter({
    name: 'kalei_ai_tokens_total',
    help: 'Model tokens, by feature, task and direction (input or output)',
    labelNames: ['feature', 'task', 'direction'] as const,
    registers,
  });
  const aiCost = new Counter({
    name: 'kalei_ai_cost_micros_total',
    help: 'AI spend in micro-units of currency, by feature and task',
    labelNames: ['feature', 'task'] as const,
    registers,
  });
  const aiDuration = new Histogram({
    name: 'kalei_ai_attempt_duration_seconds',
    help: 'Duration of an AI attempt, by provider and deployment',
    labelNames: ['provider', 'deployment'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    registers,
  });
  const safetyEvents = new Counter({
    name: 'kalei_safety_events_total',
    help: 'Safety escalations (crisis responses and stage-2 checks), by feature and outcome',
    labelNames: ['feature', 'outcome'] as const,
    registers,
  });

  const spendGauge = (name: string, help: string, pick: (spend: { spendMicros: number; capMicros: number }) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        if (!sources.spend) return;
        // A cache that cannot answer gives NaN for this scrape (unknown, not a false 0): no alert compares true on it.
        const spend = await sources.spend().catch(() => null);
        this.set(spend ? pick(spend) : Number.NaN);
      },
    });
  spendGauge('kalei_ai_spend_month_micros', "This month's AI spend so far, in micro-units of currency", (spend) => spend.spendMicros);
  spendGauge('kalei_ai_spend_cap_micros', 'The monthly AI spend cap (AI_MONTHLY_SPEND_CAP), in micro-units; 0 means no cap', (spend) => spend.capMicros);

  new Gauge({
    name: 'kalei_dependency_up',
    help: 'Whether a dependency answered a ping at scrape time (1) or not (0), by dependency',
    labelNames: ['dependency'] as const,
    registers,
    async collect() {
      if (!sources.dependencies) return;
      await Promise.all(
        Object.entries(sources.dependencies).map(async ([dependency, ping]) => {
          const up = await withTimeout(ping(), 2_000).then(() => 1, () => 0);
          this.set({ dependency }, up);
        }),
      );
    },
  });

  const dbQueries = new Histogram({
    name: 'kalei_db_query_duration_seconds',
    help: 'Time for a database statement outside a transaction, sent to answer',
    // 0.12 s is the seed's trigger to move the database off the node (§14.3).
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.12, 0.25, 0.5, 1, 2.5],
    registers,
  });

  return {
    contentType: registry.contentType,
    /** The exposition text for a scrape. */
    render: () => registry.metrics(),

    /** `route` is the matched pattern (`/v1/turns/:id`), never the raw URL. */
    http(method: string, route: string, status: number, seconds: number) {
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ method, route }, seconds);
    },

    problem(code: string) {
      problems.inc({ code });
    },

    aiAttempt(event: {
      feature: string;
      task: string;
      provider: string;
      deployment: string;
      outcome: string;
      inputTokens: number;
      outputTokens: number;
      costMicros: number;
      latencyMs: number;
    }) {
      const { feature, task } = event;
      aiAttempts.inc({ feature, task, provider: event.provider, deployment: event.deployment, outcome: event.outcome });
      if (event.inputTokens > 0) aiTokens.inc({ feature, task, direction: 'input' }, event.inputTokens);
      if (event.outputTokens > 0) aiTokens.inc({ feature, task, direction: 'output' }, event.outputTokens);
      if (event.costMicros > 0) aiCost.inc({ feature, task }, event.costMicros);
      if (event.outcome !== 'circuit_open') aiDuration.observe({ provider: event.provider, deployment: event.deployment }, event.latencyMs / 1000);
    },

    safetyEvent(event: { feature: string; outcome: string }) {
      safetyEvents.inc({ feature: event.feature, outcome: event.outcome });
    },

    dbQuery(seconds: number) {
      dbQueries.observe(seconds);
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Rejects when `promise` has not settled within `ms` (a hung dependency is down for the scrape). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
