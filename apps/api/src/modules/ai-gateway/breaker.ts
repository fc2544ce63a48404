import { randomUUID } from 'node:crypto';
import CircuitBreaker from 'opossum';
import type { Cache } from '../../infra/cache.js';
import type { Logger } from 'pino';

export interface BreakerSettings {
  /** Failure percentage within the rolling window above which the breaker opens. */
  errorThresholdPercentage: number;
  /** Attempts the window must hold before the failure rate counts. */
  volumeThreshold: number;
  /** Time open before one probe is let through (half-open). */
  resetTimeoutMs: number;
  /** Rolling window the failure rate is measured over. */
  rollingWindowMs: number;
  /**
   * How long a read of the shared state that found no open mark is trusted. Every AI call asks;
   * re-reading at most this often keeps a cache round trip off the hot path, at the price of another
   * process's open breaker reaching this one up to this much later.
   */
  sharedStateRefreshMs: number;
}

/** One admitted attempt. Settle it exactly once; later calls are ignored. */
export interface BreakerSlot {
  succeed(): void;
  fail(error: unknown): void;
}

export type BreakerState = 'closed' | 'open' | 'halfOpen';

/**
 * One opossum breaker per deployment. The gateway drives attempts itself (retries, timeouts and
 * streams that settle long after they start), so each attempt is fired as a deferred promise the
 * gateway settles: opossum keeps the statistics and the state machine, we keep control of the call.
 *
 * An open breaker is also written to the cache for `resetTimeoutMs`, so with Redis every API process
 * skips a deployment that one of them found failing; with the memory cache it is per process.
 */
export function createBreakers(deps: {
  settings: BreakerSettings;
  cache: Pick<Cache, 'get' | 'set' | 'del'>;
  logger: Pick<Logger, 'info' | 'warn'>;
}) {
  const { settings, cache, logger } = deps;
  // Our own mark in the cache is not a reason to refuse: our local state already says what to do.
  const instanceId = randomUUID();
  const breakers = new Map<string, CircuitBreaker<[() => Promise<void>], void>>();
  const keyOf = (name: string) => `ai:breaker:${name}`;

  function breakerFor(name: string): CircuitBreaker<[() => Promise<void>], void> {
    const existing = breakers.get(name);
    if (existing !== undefined) return existing;
    const breaker = new CircuitBreaker<[() => Promise<void>], void>((attempt: () => Promise<void>) => attempt(), {
      name,
      timeout: false,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      resetTimeout: settings.resetTimeoutMs,
      rollingCountTimeout: settings.rollingWindowMs,
      rollingCountBuckets: 10,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    });
    breaker.on('open', () => {
      logger.warn({ deployment: name }, 'ai deployment circuit opened');
      cache.set(keyOf(name), instanceId, settings.resetTimeoutMs).catch((error: unknown) => {
        logger.warn({ deployment: name, err: error }, 'ai breaker state not shared');
      });
    });
    breaker.on('halfOpen', () => logger.info({ deployment: name }, 'ai deployment circuit half-open'));
    breaker.on('close', () => {
      logger.info({ deployment: name }, 'ai deployment circuit closed');
      cache.del(keyOf(name)).catch((error: unknown) => {
        logger.warn({ deployment: name, err: error }, 'ai breaker state not shared');
      });
    });
    breakers.set(name, breaker);
    return breaker;
  }

  function refusesLocally(breaker: CircuitBreaker<[() => Promise<void>], void>): boolean {
    // Half-open lets exactly one probe through; while it runs, pendingClose is false.
    return breaker.opened || (breaker.halfOpen && !breaker.pendingClose);
  }

  const noMarkUntil = new Map<string, number>();

  async function openElsewhere(name: string): Promise<boolean> {
    if ((noMarkUntil.get(name) ?? 0) > Date.now()) return false;
    try {
      const mark = await cache.get(keyOf(name));
      const open = mark !== null && mark !== instanceId;
      if (!open) noMarkUntil.set(name, Date.now() + settings.sharedStateRefreshMs);
      return open;
    } catch (error) {
      // A cache outage must not take the AI path down with it: fall back to this process's view.
      logger.warn({ deployment: name, err: error }, 'ai breaker state unreadable');
      return false;
    }
  }

  return {
    /** Asks to send one attempt to a deployment; null when its breaker (here or elsewhere) is open. */
    async admit(name: string): Promise<BreakerSlot | null> {
      const breaker = breakerFor(name);
      if (refusesLocally(breaker)) return null;
      if (await openElsewhere(name)) return null;
      if (refusesLocally(breaker)) return null;

      let settle: (error?: unknown) => void = () => {};
      const outcome = new Promise<void>((resolve, reject) => {
        settle = (error?: unknown) => (error === undefined ? resolve() : reject(error));
      });
      let admitted = false;
      // opossum runs the action synchronously when it admits the call, so `admitted` is known right away.
      breaker
        .fire(() => {
          admitted = true;
          return outcome;
        })
        .catch(() => {});
      if (!admitted) return null;
      let settled = false;
      return {
        succeed() {
          if (settled) return;
          settled = true;
          settle();
        },
        fail(error: unknown) {
          if (settled) return;
          settled = true;
          settle(error ?? new Error('attempt failed'));
        },
      };
    },

    /** This process's view of a deployment's breaker. */
    state(name: string): BreakerState {
      const breaker = breakerFor(name);
      if (breaker.opened) return 'open';
      if (breaker.halfOpen) return 'halfOpen';
      return 'closed';
    },

    /** Stops every breaker's timers. */
    close(): void {
      for (const breaker of breakers.values()) breaker.shutdown();
      breakers.clear();
    },
  };
}

export type Breakers = ReturnType<typeof createBreakers>;
