import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../infra/db.js';
import { requestLogs } from '../db/schema.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Keyed hash of the authenticated user's id, for logs; null before authentication. */
    userHash: string | null;
  }
}

/** Echoes the request id, and keeps a row per server error for incident review (no bodies). */
export const requestContextPlugin = fp(
  async (app: FastifyInstance, options: { db: Database }) => {
    app.decorateRequest('userHash', null);
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode < 500) return;
      await options.db
        .insert(requestLogs)
        .values({
          requestId: request.id,
          method: request.method,
          route: request.routeOptions.url ?? 'unknown',
          statusCode: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime),
          userHash: request.userHash,
        })
        .catch((error: unknown) => request.log.warn({ err: { message: (error as Error).message } }, 'could not record request log'));
    });
  },
  { name: 'kalei-request-context' },
);
