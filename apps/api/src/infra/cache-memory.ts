import type { Cache, RateLimitResult } from './cache.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * In-process cache for embedded single-process mode. Not shared between processes: with more
 * than one API process, set REDIS_URL.
 */
export function createMemoryCache(now: () => number = Date.now): Cache {
  const entries = new Map<string, Entry>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  // Expired keys are also swept periodically so an idle process does not grow without bound.
  const sweep = setInterval(() => {
    const time = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= time) entries.delete(key);
  }, 60_000);
  sweep.unref();

  const incr = async (key: string, by: number, ttlMs: number): Promise<number> => {
    const entry = live(key);
    if (!entry) {
      entries.set(key, { value: String(by), expiresAt: now() + ttlMs });
      return by;
    }
    const next = Number(entry.value) + by;
    entry.value = String(next);
    return next;
  };

  return {
    kind: 'memory',
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: now() + ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      entries.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async del(key) {
      entries.delete(key);
    },
    incr,
    async incrIfExists(key, by) {
      const entry = live(key);
      if (!entry) return null;
      const next = Number(entry.value) + by;
      entry.value = String(next);
      return next;
    },
    // No await between the check and the writes: one step for every caller in this process.
    async incrHeld(key, holdKey, by, ttlMs) {
      if (live(holdKey)) return null;
      entries.set(holdKey, { value: '1', expiresAt: now() + ttlMs });
      return incr(key, by, ttlMs);
    },
    async releaseHeld(key, holdKey, by) {
      if (!live(holdKey)) return;
      entries.delete(holdKey);
      const entry = live(key);
      if (entry) entry.value = String(Number(entry.value) - by);
    },
    async hit(key, limit, windowMs): Promise<RateLimitResult> {
      const count = await incr(key, 1, windowMs);
      const resetMs = Math.max(0, (live(key)?.expiresAt ?? now()) - now());
      return { allowed: count <= limit, remaining: Math.max(0, limit - count), resetMs };
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
