import { createHash } from 'node:crypto';
import type { Cache } from '../infra/cache.js';
import type * as IdempotencyStore from '../plugins/idempotency-store.js';

/**
 * The crash window of an idempotent write: the write committed, then the process died before
 * the answer was kept (plugins/idempotency.ts stores it after the handler unless the write
 * committed it in its own transaction). Tests mock the store with `losingLateAnswers`: while
 * `lateAnswerLoss.on`, an answer inserted outside a transaction is lost, as it would be by a
 * kill -9 there; `forgetCachedAnswer` drops the cache copy the dead process never wrote.
 */
export const lateAnswerLoss = { on: false };

export function losingLateAnswers(real: typeof IdempotencyStore): typeof IdempotencyStore {
  return {
    ...real,
    createIdempotencyStore(db) {
      const store = real.createIdempotencyStore(db);
      return {
        ...store,
        async insert(answer, tx) {
          if (lateAnswerLoss.on && tx === undefined) throw new Error('the process died before the answer was kept');
          return store.insert(answer, tx);
        },
      };
    },
  };
}

/** Drops the cached answer of `key` on `route` (the route's pattern, e.g. /v1/lens/goals/:id/actions). */
export async function forgetCachedAnswer(cache: Cache, userId: string, route: string, key: string): Promise<void> {
  await cache.del(`idem:${userId}:POST:${route}:${createHash('sha256').update(key).digest('base64url')}`);
}
