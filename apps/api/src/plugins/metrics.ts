import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { UnauthorizedError } from '../errors.js';
import type { Metrics } from '../infra/metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Prometheus metrics when METRICS_TOKEN is set; null otherwise, and nothing is measured. */
    metrics: Metrics | null;
  }
}

const BEARER = /^Bearer +(\S+) *$/i;

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Times every request by its route pattern and serves GET /metrics to a scraper holding the
 * token. Register before the routes, so every request is observed; without metrics it only
 * decorates `app.metrics` with null.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, options: { metrics: Metrics | null; token: string | undefined }) => {
    const { metrics, token } = options;
    app.decorate('metrics', metrics);
    if (!metrics || !token) return;

    app.addHook('onResponse', async (request, reply) => {
      // Unmatched paths share one label: raw URLs would put ids in labels and grow without bound.
      metrics.http(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    });

    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      const given = BEARER.exec(request.headers.authorization ?? '')?.[1];
      if (!given || !sameToken(given, token)) throw new UnauthorizedError('unauthorized', 'Metrics need the scrape token.');
      return reply.type(metrics.contentType).serializer((payload: string) => payload).send(await metrics.render());
    });
  },
  { name: 'kalei-metrics' },
);
