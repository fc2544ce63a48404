import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import type { Cache } from '../../infra/cache.js';
import { createMemoryCache } from '../../infra/cache-memory.js';
import { createRedisCache } from '../../infra/cache-redis.js';
import { testRedisUrl } from '../../test/env.js';
import { quotaKey } from './fns.js';
import { createEntitlementsService } from './service.js';

// A quota unit named by an Idempotency-Key is counted once, even when the process dies inside
// reserve (found by the reliability scenario crash.ts: the name was set, the count was not).

const adapters: [string, () => Cache][] = [['memory', () => createMemoryCache()]];
const redisUrl = testRedisUrl();
if (redisUrl) adapters.push(['redis', () => createRedisCache(redisUrl, `kalei-test:${randomBytes(4).toString('hex')}:`)]);

/** The cache as a process sees it that is killed right after its first call naming a unit completes. */
function dyingAfterNaming(cache: Cache): Cache {
  let died = false;
  return new Proxy(cache, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (died) throw new Error('the process is gone');
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (args.some((arg) => typeof arg === 'string' && arg.includes(':hold:'))) {
          died = true;
          throw new Error('killed');
        }
        return result;
      };
    },
  });
}

const serviceOn = (cache: Cache) => createEntitlementsService({ repo: {} as never, audit: {} as never, cache, now: () => new Date('2026-12-08T12:00:00Z') });

describe.each(adapters)('quota units named by a key (%s cache)', (_name, make) => {
  const cache = make();
  afterAll(() => cache.close());
  const used = async (userId: string) => (await cache.get(quotaKey(userId, 'turns', '2026-12-08'))) ?? '0';

  test('killed right after naming its unit, the retry with the same key finds it counted once', async () => {
    const userId = randomUUID();
    await expect(serviceOn(dyingAfterNaming(cache)).reserve(userId, 'turns', 'UTC', 'free', 'token-1')).rejects.toThrow();
    await serviceOn(cache).reserve(userId, 'turns', 'UTC', 'free', 'token-1');
    expect(await used(userId)).toBe('1');
  });

  test('a released unit gives its count and its name back; past the limit nothing stays counted', async () => {
    const userId = randomUUID();
    const service = serviceOn(cache);
    const first = await service.reserve(userId, 'turns', 'UTC', 'free', 'a');
    await service.reserve(userId, 'turns', 'UTC', 'free', 'a');
    expect(await used(userId)).toBe('1');
    await first.release();
    expect(await used(userId)).toBe('0');
    await service.reserve(userId, 'turns', 'UTC', 'free', 'a');
    for (const token of ['b', 'c', 'd', 'e']) await service.reserve(userId, 'turns', 'UTC', 'free', token);
    await expect(service.reserve(userId, 'turns', 'UTC', 'free', 'f')).rejects.toMatchObject({ code: 'quota_exceeded' });
    expect(await used(userId)).toBe('5');
    await expect(service.reserve(userId, 'turns', 'UTC', 'free', 'f')).rejects.toMatchObject({ code: 'quota_exceeded' });
    expect(await used(userId)).toBe('5');
  });
});
