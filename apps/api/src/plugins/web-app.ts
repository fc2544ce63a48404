import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { constants as zlib } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';
import { frameworkErrorHandler } from './errors.js';

/** Paths the API owns: never answered with the app, so their 404s stay problem+json. */
const API_PREFIXES = ['/v1', '/docs', '/openapi.json', '/health', '/ready', '/metrics'];

/** Where `npm run build:web -w @kalei/mobile` writes the app (the same depth from src/ and dist/). */
export const defaultWebRoot = fileURLToPath(new URL('../../../mobile/web-build/', import.meta.url));

export interface WebAppOptions {
  /** The exported web build; defaults to apps/mobile/web-build. */
  root?: string;
}

/** True for paths the API answers itself (and the web app never does). */
export function ownedByApi(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * The router falls back to this plugin's `/*` when an API path's parameter is longer than
 * `maxParamLength`; true when the same path with short parameters is an API route, so the
 * answer is the 414 the router gives without the web build, not a 404.
 */
function apiRouteWithOverlongParameter(app: FastifyInstance, method: string, path: string): boolean {
  const limit = app.initialConfig.maxParamLength ?? 100;
  const segments = path.split('/');
  if (!segments.some((segment) => segment.length > limit)) return false;
  const shortened = segments.map((segment) => (segment.length > limit ? '0' : segment)).join('/');
  const route = app.findRoute({ method, url: shortened });
  return route !== null && !('*' in route.params);
}

/**
 * Serves the Expo web build at `/`: its files compressed (hashed bundles cached for a year), and
 * index.html for any other GET that asks for a page, so deep links work in the single-page app.
 * Without a build it serves nothing and says so once at start.
 */
export const webAppRoutes: FastifyPluginAsync<WebAppOptions> = async (app, options) => {
  const root = options.root ?? defaultWebRoot;
  if (!existsSync(`${root}/index.html`)) {
    app.log.info({ root }, 'no web build found: the app is not served (npm start builds it; or run `npm run build:web -w @kalei/mobile`)');
    return;
  }
  // Only the app's files are compressed here (this plugin's scope): the bundle is about 2 MB, a
  // tenth of that in brotli. Quality 4 keeps a cold request to a few tens of milliseconds; the
  // hashed bundles are then cached by the browser for a year.
  await app.register(fastifyCompress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: (res, filePath) => {
      const immutable = filePath.includes('/_expo/static/');
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  app.get('/*', { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // API paths, and missing files (a path with an extension), are real 404s.
    if (ownedByApi(path) && apiRouteWithOverlongParameter(app, request.method, path)) {
      const error = Object.assign(new Error('path parameter too long'), { code: 'FST_ERR_MAX_PARAM_LENGTH' }) as FastifyError;
      return frameworkErrorHandler(error, request, reply);
    }
    if (ownedByApi(path) || /\.[A-Za-z0-9]{1,8}$/.test(path)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
  });
};
