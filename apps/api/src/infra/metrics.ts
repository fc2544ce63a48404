import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueStats } from './queue.js';

/**
 * Prometheus metrics (seed §13.1): request rate, errors and latency by route; AI attempts, tokens
 * and cost by feature; problems by code (quota denials are `quota_exceeded`); safety escalations;
 * job queue depth and dead letters.
 * Labels are routes, codes and names from our own vocabulary: never ids, user hashes or text.
 * One registry per app, so tests and several apps in a process do not share counters.
 */
export function createMetrics(sources: { jobCounts?: () => Promise<QueueStats[]> } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kalei_' });
  const registers = [registry];

  const jobScrapeErrors = new Counter({
    name: 'kalei_jobs_scrape_errors_total',
    help: 'Scrapes that could not read the job queue counts',
    registers,
  });
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
        for (const stats of await sources.jobCounts()) {
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
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
