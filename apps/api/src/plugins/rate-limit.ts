import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { RateLimitedError } from '../errors.js';
import type { Cache } from '../infra/cache.js';

export interface RequestRateLimitOptions {
  /** The app's cache: Redis when configured (the counts hold across API instances), else in-process. */
  cache: Cache;
  /** Requests a minute from one client address; 0: no limit. */
  perAddress: number;
  /** Requests a minute by one signed-in user, over all their devices and addresses; 0: no limit. */
  perUser: number;
  /** Keyed hash of a client address: addresses reach cache keys only hashed, as in the auth module's limits. */
  hashAddress: (address: string) => string;
}

const WINDOW_MS = 60_000;

/** Probes and scrapes are never limited: a busy node must still answer its supervisor and Prometheus. */
const EXEMPT_PATHS = new Set(['/health', '/ready', '/metrics']);

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * A store for @fastify/rate-limit over the cache port: one fixed-window counter per key through
 * `cache.hit` (an atomic INCR with its expiry in Redis), so both adapters count the same way
 * and the Redis counts use the app's own connection and key prefix.
 */
function cacheStore(cache: Cache) {
  return class CacheStore {
    // The plugin passes the limiter's window and max (its published types leave them out).
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow = WINDOW_MS, max = Number.MAX_SAFE_INTEGER) {
      cache.hit(`rl:req:${key}`, max, timeWindow).then(
        (result) => callback(null, { current: result.allowed ? max - result.remaining : max + 1, ttl: result.resetMs }),
        (error: Error) => callback(error),
      );
    }
    child() {
      return this;
    }
  };
}

async function enforce(limiter: Limiter, request: FastifyRequest, detail: string) {
  const result = await limiter(request);
  if (!result.isAllowed && result.isExceeded) throw new RateLimitedError(result.ttlInSeconds, detail);
}

/**
 * Request rate limits for every route (issue 15), on top of the auth module's login limits: per
 * client address before authentication, and per signed-in user after it (so many users behind one
 * address, a school or a carrier NAT, are not limited as one; and one user cannot spread a flood
 * over addresses). 429 is problem+json `rate_limited` with Retry-After. A cache failure lets the
 * request through: readiness and the Redis alert report it, the limit must not turn it into an outage.
 * Register after the CORS plugin (preflights are not counted) and before the auth plugin.
 */
export const requestRateLimitPlugin = fp(
  async (app: FastifyInstance, options: RequestRateLimitOptions) => {
    const { cache, perAddress, perUser, hashAddress } = options;
    await app.register(rateLimit, { global: false, store: cacheStore(cache), timeWindow: WINDOW_MS, skipOnError: true });

    const exempt = (request: FastifyRequest) => EXEMPT_PATHS.has(request.url.split('?')[0] ?? '/');
    // An address's keyed hash is the same on every request: remember a bounded number of them.
    const addressHashes = new Map<string, string>();
    const addressKey = (address: string) => {
      let hash = addressHashes.get(address);
      if (hash === undefined) {
        if (addressHashes.size >= 10_000) addressHashes.clear();
        hash = hashAddress(address);
        addressHashes.set(address, hash);
      }
      return hash;
    };

    if (perAddress > 0) {
      const byAddress = app.createRateLimit({ max: perAddress, keyGenerator: (request) => `a:${addressKey(request.ip)}` });
      app.addHook('onRequest', async (request) => {
        if (!exempt(request)) await enforce(byAddress, request, 'Too many requests from this address. Try again later.');
      });
    }
    if (perUser > 0) {
      const byUser = app.createRateLimit({ max: perUser, keyGenerator: (request) => `u:${request.auth?.userId ?? ''}` });
      // preParsing: after every onRequest hook, so the auth plugin has identified the caller.
      app.addHook('preParsing', async (request) => {
        if (request.auth && !exempt(request)) await enforce(byUser, request, 'Too many requests for this account. Try again later.');
      });
    }
  },
  { name: 'kalei-request-rate-limit', dependencies: ['kalei-errors'] },
);
