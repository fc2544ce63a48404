import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Cache } from '../infra/cache.js';
import type { ColumnCipher } from '../infra/crypto.js';
import type { Database, Executor } from '../infra/db.js';
import { AppError, ConflictError, ValidationError } from '../errors.js';
import { createIdempotencyStore, type StoredAnswer } from './idempotency-store.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAY_TTL_MS = 24 * 60 * 60 * 1000;
/** Upper bound on a key held by a request still running; a dead holder's key is taken over sooner (below). */
const PENDING_TTL_MS = 2 * 60 * 1000;
/** Each process says it is alive this often; a key held by a process silent for OWNER_TTL_MS is free. */
const OWNER_BEAT_MS = 2_000;
const OWNER_TTL_MS = 6_000;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = 'application/json; charset=utf-8';

interface PendingRecord {
  state: 'pending';
  fingerprint: string;
  /** The process running the request. */
  owner: string;
}
interface DoneRecord {
  state: 'done';
  fingerprint: string;
  status: number;
  contentType: string | null;
  bodyEnc: string;
}
type CachedRecord = PendingRecord | DoneRecord;

/**
 * What a write receives to keep its answer durable: `commit` inserts the answer in the write's own
 * transaction, so after a crash either both exist (a retry replays) or neither does (a retry runs).
 */
export interface IdempotencyHandle {
  /** Names this key (scope, route, key) without quoting it: a quota unit held for the request is named by it. */
  token: string;
  commit(tx: Executor, status: number, body: unknown): Promise<void>;
}

interface ActiveIdempotency extends IdempotencyHandle {
  cacheKey: string;
  fingerprint: string;
  userId: string | null;
  /** The answer already sits in the database (written by commit). */
  committed: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Route preHandler (after requireAuth): honours the Idempotency-Key header. Every POST, PUT,
     * PATCH and DELETE route gets it appended automatically; `config: { idempotency: false }` opts out.
     */
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
  interface FastifyContextConfig {
    /** false: this write route does not take Idempotency-Key (e.g. a store webhook with its own dedupe). */
    idempotency?: boolean;
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

const inUse = () =>
  new ConflictError('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed.', {
    headers: { 'retry-after': '1' },
  });
const reused = () =>
  new AppError(422, 'idempotency_key_reused', 'Idempotency-Key reused', {
    detail: 'This Idempotency-Key was used with a different request.',
  });

/**
 * Idempotency for write endpoints: a replay of the same key within 24 h returns the stored
 * status and body without running the handler again; the same key with another body is 422;
 * a duplicate that arrives while the first is still running is 409. Keys are scoped per user
 * and route.
 *
 * Answers are kept in the database (idempotency_keys), so they survive a crash and a cache
 * restart; writes that matter (a turn, which spends quota) insert theirs in their own transaction
 * through `request.idempotency.commit`, other routes after their write. The cache holds the
 * running request's claim (with the claiming process, so a key held by a killed process frees
 * within seconds, not minutes) and a copy of the answer as the fast path. Stored bodies are
 * encrypted: they can quote what the user wrote, or carry tokens.
 */
export const idempotencyPlugin = fp(
  async (app: FastifyInstance, options: { cache: Cache; db: Database; cipher: ColumnCipher; now?: () => Date }) => {
    const { cache, cipher } = options;
    const now = options.now ?? (() => new Date());
    const store = createIdempotencyStore(options.db);
    const instance = randomUUID();
    const ownerKey = (owner: string) => `idem-owner:${owner}`;
    const bodyContext = (cacheKey: string) => `idempotency:${cacheKey}`;

    // The cache is a fast path: when it fails, the database still decides.
    const quiet = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        app.log.warn({ err: { type: (error as Error).name, message: (error as Error).message } }, 'idempotency cache unavailable');
        return fallback;
      }
    };

    const beat = () => quiet(() => cache.set(ownerKey(instance), '1', OWNER_TTL_MS), undefined);
    await beat();
    const heartbeat = setInterval(() => void beat(), OWNER_BEAT_MS);
    heartbeat.unref();
    app.addHook('onClose', async () => clearInterval(heartbeat));

    app.decorateRequest('idempotency', null);

    // Every write route honours Idempotency-Key, including routes added later.
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.some((m) => WRITE_METHODS.has(m)) || route.config?.idempotency === false) return;
      const existing = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
      if (existing.includes(app.idempotent as never)) return;
      route.preHandler = [...existing, app.idempotent as never];
    });

    const replay = (reply: FastifyReply, cacheKey: string, answer: { status: number; contentType: string | null; bodyEnc: string }) => {
      reply.header('idempotent-replayed', 'true');
      if (answer.contentType) reply.type(answer.contentType);
      const body = cipher.decrypt(answer.bodyEnc, bodyContext(cacheKey));
      return reply.code(answer.status).serializer((payload: unknown) => String(payload)).send(answer.status === 204 ? null : body);
    };

    const cacheDone = (cacheKey: string, answer: Omit<DoneRecord, 'state'>, ttlMs = REPLAY_TTL_MS) =>
      quiet(() => cache.set(cacheKey, JSON.stringify({ state: 'done', ...answer } satisfies DoneRecord), ttlMs), undefined);

    /** The answer kept in the database, when it can be read back (a retired data key cannot). */
    const findStored = async (cacheKey: string): Promise<StoredAnswer | null> => {
      const row = await store.find(cacheKey, now());
      if (!row) return null;
      try {
        cipher.decrypt(row.bodyEnc, bodyContext(cacheKey));
        return row;
      } catch {
        return null;
      }
    };

    app.decorate('idempotent', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers['idempotency-key'];
      if (header === undefined) return;
      if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
        throw new ValidationError('Idempotency-Key must be 1 to 255 visible ASCII characters.', [
          { path: 'headers.idempotency-key', message: 'invalid' },
        ]);
      }
      const userId = request.auth?.userId ?? null;
      const cacheKey = `idem:${userId ?? 'anonymous'}:${request.method}:${request.routeOptions.url}:${createHash('sha256').update(header).digest('base64url')}`;
      const token = createHash('sha256').update(cacheKey).digest('base64url');
      const fingerprint = createHash('sha256')
        .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
        .digest('base64url');
      const pending = JSON.stringify({ state: 'pending', fingerprint, owner: instance } satisfies PendingRecord);
      // null: the cache cannot be reached; the database's primary key still stops a second write.
      const claim = () => quiet(() => cache.setIfAbsent(cacheKey, pending, PENDING_TTL_MS), null);

      let claimed = await claim();
      if (claimed === false) {
        const raw = await quiet(() => cache.get(cacheKey), null);
        if (raw === null) {
          // The first request finished unkept (e.g. a 5xx) between our two reads: run again.
          if ((await claim()) === false) throw inUse();
        } else {
          const cached = JSON.parse(raw) as CachedRecord;
          if (cached.fingerprint !== fingerprint) throw reused();
          if (cached.state === 'done') return replay(reply, cacheKey, cached);
          // Held by a process that stopped saying it is alive (killed): one retry takes the key over.
          const ownerGone = cached.owner !== instance && (await quiet(() => cache.get(ownerKey(cached.owner)), '1')) === null;
          if (!ownerGone || !(await quiet(() => cache.setIfAbsent(`${cacheKey}:takeover:${cached.owner}`, instance, PENDING_TTL_MS), false))) {
            throw inUse();
          }
          await quiet(() => cache.set(cacheKey, pending, PENDING_TTL_MS), undefined);
        }
        claimed = true;
      }

      // We hold the key. An answer in the database wins: its request committed, then its process
      // died before the cache copy, or the cache lost it.
      const stored = await findStored(cacheKey);
      if (stored) {
        await cacheDone(cacheKey, stored, Math.max(1, stored.expiresAt.getTime() - now().getTime()));
        if (stored.fingerprint !== fingerprint) throw reused();
        return replay(reply, cacheKey, stored);
      }

      const active: ActiveIdempotency = {
        cacheKey,
        token,
        fingerprint,
        userId,
        committed: false,
        async commit(tx, status, body) {
          const at = now();
          const kept = await store.insert(
            {
              key: cacheKey,
              userId,
              fingerprint,
              status,
              contentType: JSON_TYPE,
              bodyEnc: cipher.encrypt(JSON.stringify(body), bodyContext(cacheKey)),
              createdAt: at,
              expiresAt: new Date(at.getTime() + REPLAY_TTL_MS),
            },
            tx,
          );
          // Another request with this key got there first (possible only while the cache is down): this write must not land.
          if (!kept) throw inUse();
          active.committed = true;
        },
      };
      request.idempotency = active;
    });

    /** Keeps the answer: in the database unless the write already did, then in the cache. */
    const finish = async (request: FastifyRequest, active: ActiveIdempotency, status: number, contentType: string | null, body: string) => {
      if (!shouldKeep(status)) {
        await quiet(() => cache.del(active.cacheKey), undefined);
        return;
      }
      const bodyEnc = cipher.encrypt(body, bodyContext(active.cacheKey));
      if (!active.committed) {
        const at = now();
        try {
          await store.insert({
            key: active.cacheKey,
            userId: active.userId,
            fingerprint: active.fingerprint,
            status,
            contentType,
            bodyEnc,
            createdAt: at,
            expiresAt: new Date(at.getTime() + REPLAY_TTL_MS),
          });
        } catch (error) {
          request.log.warn({ err: { type: (error as Error).name, code: (error as { code?: string }).code } }, 'idempotency answer not stored');
        }
      }
      await cacheDone(active.cacheKey, { fingerprint: active.fingerprint, status, contentType, bodyEnc });
    };

    app.decorate('completeIdempotent', async (request: FastifyRequest, status: number, body: unknown) => {
      const active = request.idempotency;
      if (!active) return;
      request.idempotency = null;
      await finish(request, active, status, JSON_TYPE, JSON.stringify(body));
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const active = request.idempotency;
      if (!active) return payload;
      request.idempotency = null;
      if (payload !== null && payload !== undefined && typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
        // Streams cannot be replayed from here; their routes store a JSON answer themselves.
        await quiet(() => cache.del(active.cacheKey), undefined);
        return payload;
      }
      await finish(request, active, reply.statusCode, reply.getHeader('content-type')?.toString() ?? null, payload == null ? '' : payload.toString());
      return payload;
    });

    // A request that errors before onSend (e.g. the connection drops) must free its key.
    app.addHook('onResponse', async (request) => {
      if (request.idempotency) await quiet(() => cache.del(request.idempotency!.cacheKey), undefined);
    });
  },
  { name: 'kalei-idempotency', dependencies: ['kalei-errors'] },
);

/** The hourly sweep of expired answers (jobs.ts). */
export async function sweepIdempotencyKeys(db: Database, now: Date): Promise<number> {
  return createIdempotencyStore(db).sweep(now);
}
