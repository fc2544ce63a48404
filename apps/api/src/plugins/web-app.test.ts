import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsPlugin } from './errors.js';
import { webAppRoutes } from './web-app.js';

const BUNDLE = Array.from({ length: 4000 }, (_, i) => `export const value${i} = ${i};`).join('\n');

describe('web app serving', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kalei-web-'));
  const app = Fastify();

  beforeAll(async () => {
    mkdirSync(path.join(root, '_expo', 'static', 'js'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Kalei</title>');
    writeFileSync(path.join(root, '_expo', 'static', 'js', 'entry-abc.js'), 'console.log(1)');
    writeFileSync(path.join(root, '_expo', 'static', 'js', 'entry-big.js'), BUNDLE);
    writeFileSync(path.join(root, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
    await app.register(errorsPlugin);
    app.get('/v1/ping', async () => ({ ok: true }));
    app.get('/v1/items/:id', async () => ({ ok: true }));
    app.get('/health', async () => ({ status: 'ok' }));
    await app.register(webAppRoutes, { root });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(['/', '/mirror/123', '/gallery?kind=saved'])('answers the page %s with index.html', async (url) => {
    const res = await app.inject({ url, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<title>Kalei</title>');
  });

  it('a too long parameter of an API route is 414 without the path, as without the web build; an unknown API path stays 404', async () => {
    const long = 'a'.repeat(8000);
    const tooLong = await app.inject({ url: `/v1/items/${long}` });
    expect(tooLong.statusCode).toBe(414);
    expect(tooLong.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(tooLong.body)).toMatchObject({ code: 'uri_too_long' });
    expect(tooLong.body).not.toContain('aaaaaaaaaa');
    const unknown = await app.inject({ url: `/v1/${long}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).not.toContain('aaaaaaaaaa');
  });

  it('serves hashed bundles with a long cache life', async () => {
    const res = await app.inject({ url: '/_expo/static/js/entry-abc.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('compresses the bundle for clients that accept brotli or gzip, and not for the others', async () => {
    const br = await app.inject({ url: '/_expo/static/js/entry-big.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(BUNDLE.length / 4);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(BUNDLE);
    const gzip = await app.inject({ url: '/_expo/static/js/entry-big.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(BUNDLE);
    const plain = await app.inject({ url: '/_expo/static/js/entry-big.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(BUNDLE);
  });

  it('leaves API answers to the proxy: they are not compressed here', async () => {
    const res = await app.inject({ url: '/v1/ping', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('serves the favicon the web build holds', async () => {
    const res = await app.inject({ url: '/favicon.ico' });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload).toEqual(Buffer.from([0, 0, 1, 0]));
  });

  it.each(['/v1/nothing', '/v1', '/docs/missing', '/openapi.json/x', '/health/x', '/ready', '/missing.js'])(
    'keeps %s a problem+json 404',
    async (url) => {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'route_not_found' });
    },
  );

  it('leaves API routes alone', async () => {
    expect((await app.inject({ url: '/v1/ping' })).json()).toEqual({ ok: true });
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
  });

  it('does not take POSTs to unknown paths', async () => {
    const res = await app.inject({ method: 'POST', url: '/somewhere', payload: {} });
    expect(res.statusCode).toBe(404);
  });

  it('serves nothing without a build', async () => {
    const bare = Fastify();
    await bare.register(errorsPlugin);
    await bare.register(webAppRoutes, { root: path.join(root, 'missing') });
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(404);
    await bare.close();
  });
});
