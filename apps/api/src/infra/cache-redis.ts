import { Redis } from 'ioredis';
import type { Cache } from './cache.js';

// INCRBY and set the expiry only when the key was just created, atomically, so concurrent
// processes never extend a window or leave a counter without a TTL.
const INCR_WITH_TTL = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {value, ttl}
`;

const INCR_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('INCRBY', KEYS[1], ARGV[1])
`;

// KEYS[1] the counter, KEYS[2] the unit's name.
const INCR_HELD = `
if not redis.call('SET', KEYS[2], '1', 'PX', ARGV[2], 'NX') then return false end
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`;

const RELEASE_HELD = `
if redis.call('DEL', KEYS[2]) == 0 then return 0 end
redis.call('DECRBY', KEYS[1], ARGV[1])
return 1
`;

type RedisWithScripts = Redis & {
  incrWithTtl(key: string, by: number, ttlMs: number): Promise<[number, number]>;
  incrIfExists(key: string, by: number): Promise<number | null>;
  incrHeld(key: string, holdKey: string, by: number, ttlMs: number): Promise<number | null>;
  releaseHeld(key: string, holdKey: string, by: number): Promise<number>;
};

/** The longest a cache command may take, connected or not, before it fails (a Redis that stopped answering). */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * Redis adapter of the cache port; every key is prefixed with `prefix`.
 *
 * A lost Redis fails cache calls at once rather than holding requests: commands wait for the
 * connection only until it is first made (the process is starting), and none waits longer than
 * REDIS_COMMAND_TIMEOUT_MS. Before, a command issued while Redis was down sat in ioredis's offline
 * queue for three reconnect attempts (up to 6 s) and a request makes several: it outlived clients'
 * timeouts, /ready included. ioredis keeps reconnecting; calls work again once it is back.
 */
export function createRedisCache(url: string, prefix: string): Cache {
  const redis = new Redis(url, {
    keyPrefix: prefix,
    lazyConnect: false,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    // Reconnect attempts every 50 ms growing to at most 1 s, so a restarted Redis is back in use within about a second.
    retryStrategy: (times) => Math.min(times * 50, 1_000),
    // Commands issued in the same tick by concurrent requests share one socket write: under load
    // the write syscalls, not Redis, were the cost of the AI path's counters.
    enableAutoPipelining: true,
  }) as RedisWithScripts;
  redis.defineCommand('incrWithTtl', { numberOfKeys: 1, lua: INCR_WITH_TTL });
  redis.defineCommand('incrIfExists', { numberOfKeys: 1, lua: INCR_IF_EXISTS });
  redis.defineCommand('incrHeld', { numberOfKeys: 2, lua: INCR_HELD });
  redis.defineCommand('releaseHeld', { numberOfKeys: 2, lua: RELEASE_HELD });
  // Connection errors surface on the commands that need the connection; this keeps an
  // unhandled 'error' event from crashing the process while ioredis reconnects.
  redis.on('error', () => {});
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
  });

  return {
    kind: 'redis',
    async get(key) {
      return redis.get(key);
    },
    async set(key, value, ttlMs) {
      await redis.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await redis.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
    },
    async del(key) {
      await redis.del(key);
    },
    async incr(key, by, ttlMs) {
      const [value] = await redis.incrWithTtl(key, by, Math.max(1, Math.round(ttlMs)));
      return Number(value);
    },
    async incrIfExists(key, by) {
      const value = await redis.incrIfExists(key, by);
      return value === null ? null : Number(value);
    },
    async incrHeld(key, holdKey, by, ttlMs) {
      const value = await redis.incrHeld(key, holdKey, by, Math.max(1, Math.round(ttlMs)));
      return value === null ? null : Number(value);
    },
    async releaseHeld(key, holdKey, by) {
      await redis.releaseHeld(key, holdKey, by);
    },
    async hit(key, limit, windowMs) {
      const [count, ttl] = await redis.incrWithTtl(key, 1, Math.max(1, Math.round(windowMs)));
      return { allowed: count <= limit, remaining: Math.max(0, limit - count), resetMs: Math.max(0, Number(ttl)) };
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
