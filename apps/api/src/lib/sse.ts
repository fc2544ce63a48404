import type { FastifyReply, FastifyRequest } from 'fastify';

/** True when the client asked for server-sent events. */
export function wantsEventStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').split(',').some((part) => part.trim().startsWith('text/event-stream'));
}

/**
 * Server-sent events on a Fastify reply. The reply is taken over only at the first event, so
 * anything that fails before (validation, quota) still answers as ordinary problem+json.
 */
export function createSseWriter(request: FastifyRequest, reply: FastifyReply) {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      // Streamed answers are personal data like every /v1 answer: stored by no cache.
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
  };
  return {
    get started() {
      return started;
    },
    send(event: string, data: unknown) {
      start();
      reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (started) reply.raw.end();
    },
  };
}
