import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Cache } from '../infra/cache.js';
import { AppError, ConflictError, ValidationError } from '../errors.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request that dies mid-flight frees its key after this long, so the client can retry. */
const PENDING_TTL_MS = 2 * 60 * 1000;

interface PendingRecord {
  state: 'pending';
  fingerprint: string;
}
interface DoneRecord {
  state: 'done';
  fingerprint: string;
  status: number;
  contentType: string | undefined;
  body: string;
}
type StoredRecord = PendingRecord | DoneRecord;

interface ActiveIdempotency {
  cacheKey: string;
  fingerprint: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Route preHandler (after requireAuth): honours the Idempotency-Key header. */
    idempotent: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /**
     * For replies that bypass onSend (server-sent events): stores the JSON answer a replay of
     * this request's key should get.
     */
    completeIdempotent: (request: FastifyRequest, status: number, body: unknown) => Promise<void>;
  }
  interface FastifyRequest {
    idempotency: ActiveIdempotency | null;
  }
}

/** Stable JSON: object keys sorted, so a re-ordered body is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function shouldKeep(status: number): boolean {
  // Rate limits, conflicts and server errors are worth retrying with the same key.
  return status < 500 && status !== 429 && status !== 409;
}

/**
 * Idempotency for write endpoints: a replay of the same key within 24 h returns the stored
 * status and body without running the handler again; the same key with another body is 422;
 * a duplicate that arrives while the first is still running is 409. Keys are scoped per user
 * and route. Backed by the cache port.
 */
export const idempotencyPlugin = fp(
  async (app: FastifyInstance, options: { cache: Cache }) => {
    const { cache } = options;
    app.decorateRequest('idempotency', null);

    app.decorate('idempotent', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers['idempotency-key'];
      if (header === undefined) return;
      if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
        throw new ValidationError('Idempotency-Key must be 1 to 255 visible ASCII characters.', [
          { path: 'headers.idempotency-key', message: 'invalid' },
        ]);
      }
      const scope = request.auth?.userId ?? 'anonymous';
      const cacheKey = `idem:${scope}:${request.method}:${request.routeOptions.url}:${createHash('sha256').update(header).digest('base64url')}`;
      const fingerprint = createHash('sha256')
        .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
        .digest('base64url');

      const pending: PendingRecord = { state: 'pending', fingerprint };
      if (await cache.setIfAbsent(cacheKey, JSON.stringify(pending), PENDING_TTL_MS)) {
        request.idempotency = { cacheKey, fingerprint };
        return;
      }
      const raw = await cache.get(cacheKey);
      // The first request finished and was not kept (e.g. a 5xx) between our two reads: run again.
      if (raw === null) {
        if (await cache.setIfAbsent(cacheKey, JSON.stringify(pending), PENDING_TTL_MS)) {
          request.idempotency = { cacheKey, fingerprint };
          return;
        }
        throw new ConflictError('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed.');
      }
      const stored = JSON.parse(raw) as StoredRecord;
      if (stored.fingerprint !== fingerprint) {
        throw new AppError(422, 'idempotency_key_reused', 'Idempotency-Key reused', {
          detail: 'This Idempotency-Key was used with a different request.',
        });
      }
      if (stored.state === 'pending') {
        throw new ConflictError('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed.', {
          headers: { 'retry-after': '1' },
        });
      }
      reply.header('idempotent-replayed', 'true');
      if (stored.contentType) reply.type(stored.contentType);
      return reply.code(stored.status).serializer((payload: unknown) => String(payload)).send(stored.body);
    });

    app.decorate('completeIdempotent', async (request: FastifyRequest, status: number, body: unknown) => {
      const active = request.idempotency;
      if (!active) return;
      request.idempotency = null;
      if (!shouldKeep(status)) {
        await cache.del(active.cacheKey);
        return;
      }
      const record: DoneRecord = {
        state: 'done',
        fingerprint: active.fingerprint,
        status,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify(body),
      };
      await cache.set(active.cacheKey, JSON.stringify(record), REPLAY_TTL_MS);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const active = request.idempotency;
      if (!active) return payload;
      request.idempotency = null;
      if (!shouldKeep(reply.statusCode) || (payload !== null && typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
        // Streams cannot be replayed from here; their routes store a JSON answer themselves.
        await cache.del(active.cacheKey);
        return payload;
      }
      const record: DoneRecord = {
        state: 'done',
        fingerprint: active.fingerprint,
        status: reply.statusCode,
        contentType: reply.getHeader('content-type')?.toString(),
        body: payload === null ? '' : payload.toString(),
      };
      await cache.set(active.cacheKey, JSON.stringify(record), REPLAY_TTL_MS);
      return payload;
    });

    // A request that errors before onSend (e.g. the connection drops) must free its key.
    app.addHook('onResponse', async (request) => {
      if (request.idempotency) await cache.del(request.idempotency.cacheKey);
    });
  },
  { name: 'kalei-idempotency', dependencies: ['kalei-errors'] },
);
