/**
 * The cache port: counters, set-if-absent, short-lived values and rate limits.
 * Two adapters implement it: Redis (when REDIS_URL is set) and an in-process map used only
 * in embedded single-process mode. Keys are namespaced by the adapter's prefix.
 */
export interface RateLimitResult {
  allowed: boolean;
  /** Requests left in the current window (0 when denied). */
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Stores a value that expires after ttlMs. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores a value only when the key is absent; true when it was stored. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Adds `by` to a counter; the TTL is set when the counter is created and not extended after. */
  incr(key: string, by: number, ttlMs: number): Promise<number>;
  /**
   * Adds `by` to a counter only when it exists, returning the new value, or null when it does not
   * (the caller seeds it from the source of truth). One round trip where get-then-incr takes two.
   */
  incrIfExists(key: string, by: number): Promise<number | null>;
  /**
   * A named unit on a counter: sets `holdKey` and adds `by` to `key` in one step, unless `holdKey`
   * is already set (null then, nothing changes). A process killed between two separate calls
   * would leave the name without the count (or the count without the name); this cannot.
   * The counter's TTL is set when it is created, as with incr.
   */
  incrHeld(key: string, holdKey: string, by: number, ttlMs: number): Promise<number | null>;
  /** Gives a named unit back in one step: deletes `holdKey` and subtracts `by` from `key`, only when `holdKey` was set. */
  releaseHeld(key: string, holdKey: string, by: number): Promise<void>;
  /** Fixed-window limiter: counts one hit against `limit` per `windowMs`. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
