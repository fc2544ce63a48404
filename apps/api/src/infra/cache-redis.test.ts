import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRedisCache } from './cache-redis.js';
import type { Cache } from './cache.js';
import { testRedisUrl } from '../test/env.js';

// Redis lost while the process runs: cache calls fail fast instead of waiting for it, and work
// again once it is back. Redis is reached through a TCP proxy the test cuts (connections destroyed,
// new ones refused), as a stopped server looks to the client.
const redisUrl = testRedisUrl();

describe.skipIf(!redisUrl)('redis cache when Redis is lost', () => {
  const sockets = new Set<Socket>();
  let cut = false;
  const proxy = createServer((client) => {
    if (cut) return void client.destroy();
    const target = new URL(redisUrl!);
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {}).on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(s);
      });
    }
    client.pipe(upstream).pipe(client);
  });
  let cache: Cache;

  beforeAll(async () => {
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as { port: number };
    const url = new URL(redisUrl!);
    url.host = `127.0.0.1:${port}`;
    cache = createRedisCache(url.toString(), `kalei-test:${randomBytes(4).toString('hex')}:`);
    await cache.set('k', 'v', 60_000);
  });
  afterAll(async () => {
    await cache?.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });

  test('every call fails within the command timeout while Redis is gone, and works again after', async () => {
    cut = true;
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Several calls one after another, as one request makes them: each fails fast.
    const started = performance.now();
    for (let i = 0; i < 4; i += 1) await expect(cache.get('k')).rejects.toThrow();
    await expect(cache.ping()).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_500);

    cut = false;
    const deadline = Date.now() + 5_000;
    let value: string | null | undefined;
    while (Date.now() < deadline) {
      value = await cache.get('k').catch(() => undefined);
      if (value !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(value).toBe('v');
  }, 20_000);
});
