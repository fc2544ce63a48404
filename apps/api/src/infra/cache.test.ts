import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import type { Cache } from './cache.js';
import { createMemoryCache } from './cache-memory.js';
import { createRedisCache } from './cache-redis.js';
import { testRedisUrl } from '../test/env.js';

// The same contract runs against both adapters; Redis only when the run provides one.
const adapters: [string, () => Cache][] = [['memory', () => createMemoryCache()]];
const redisUrl = testRedisUrl();
if (redisUrl) adapters.push(['redis', () => createRedisCache(redisUrl, `kalei-test:${randomBytes(4).toString('hex')}:`)]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(adapters)('%s cache', (_name, make) => {
  const cache = make();
  afterAll(() => cache.close());

  test('get, set with TTL, del', async () => {
    expect(await cache.get('a')).toBeNull();
    await cache.set('a', 'one', 60_000);
    expect(await cache.get('a')).toBe('one');
    await cache.del('a');
    expect(await cache.get('a')).toBeNull();
    await cache.set('short', 'x', 30);
    await sleep(80);
    expect(await cache.get('short')).toBeNull();
  });

  test('setIfAbsent stores only once until the key expires', async () => {
    expect(await cache.setIfAbsent('once', '1', 50)).toBe(true);
    expect(await cache.setIfAbsent('once', '2', 50)).toBe(false);
    expect(await cache.get('once')).toBe('1');
    await sleep(100);
    expect(await cache.setIfAbsent('once', '3', 50)).toBe(true);
  });

  test('setIfAbsent is atomic under concurrency', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.setIfAbsent('race', String(i), 10_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('incr counts, keeps the first TTL and starts over after it', async () => {
    expect(await cache.incr('counter', 1, 80)).toBe(1);
    expect(await cache.incr('counter', 5, 10_000)).toBe(6);
    await sleep(130);
    expect(await cache.incr('counter', 2, 80)).toBe(2);
  });

  test('incrIfExists adds only to a counter that exists, keeping its TTL', async () => {
    expect(await cache.incrIfExists('seeded', 5)).toBeNull();
    expect(await cache.get('seeded')).toBeNull();
    await cache.incr('seeded', 10, 80);
    expect(await cache.incrIfExists('seeded', -3)).toBe(7);
    expect(await cache.get('seeded')).toBe('7');
    await sleep(130);
    expect(await cache.incrIfExists('seeded', 1)).toBeNull();
  });

  test('incrHeld counts a named unit once; releaseHeld gives back only a unit that is held', async () => {
    expect(await cache.incrHeld('units', 'units:hold:a', 1, 10_000)).toBe(1);
    expect(await cache.incrHeld('units', 'units:hold:a', 1, 10_000)).toBeNull();
    expect(await cache.incrHeld('units', 'units:hold:b', 1, 10_000)).toBe(2);
    await cache.releaseHeld('units', 'units:hold:a', 1);
    await cache.releaseHeld('units', 'units:hold:a', 1);
    expect(await cache.get('units')).toBe('1');
    expect(await cache.get('units:hold:a')).toBeNull();
    const raced = await Promise.all(Array.from({ length: 20 }, () => cache.incrHeld('raced', 'raced:hold:x', 1, 10_000)));
    expect(raced.filter((value) => value !== null)).toEqual([1]);
    expect(await cache.get('raced')).toBe('1');
  });

  test('concurrent increments are not lost', async () => {
    await Promise.all(Array.from({ length: 50 }, () => cache.incr('many', 1, 10_000)));
    expect(await cache.get('many')).toBe('50');
  });

  test('hit limits a window and reports when it resets', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await cache.hit('limit', 3, 1_000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]!.resetMs).toBeGreaterThan(0);
    expect(results[3]!.resetMs).toBeLessThanOrEqual(1_000);
  });

  test('a window resets after it expires', async () => {
    await cache.hit('window', 1, 60);
    expect((await cache.hit('window', 1, 60)).allowed).toBe(false);
    await sleep(110);
    expect((await cache.hit('window', 1, 60)).allowed).toBe(true);
  });

  test('ping answers', async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });
});
