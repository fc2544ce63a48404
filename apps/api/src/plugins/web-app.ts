import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** Paths the API owns: never answered with the app, so their 404s stay problem+json. */
const API_PREFIXES = ['/v1', '/docs', '/openapi.json', '/health', '/ready', '/metrics'];

/** Where `npm run build:web -w @kalei/mobile` writes the app (the same depth from src/ and dist/). */
export const defaultWebRoot = fileURLToPath(new URL('../../../mobile/web-build/', import.meta.url));

export interface WebAppOptions {
  /** The exported web build; defaults to apps/mobile/web-build. */
  root?: string;
}

function ownedByApi(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Serves the Expo web build at `/`: its files as they are (hashed bundles cached for a year), and
 * index.html for any other GET that asks for a page, so deep links work in the single-page app.
 * Without a build it serves nothing and says so once at start.
 */
export const webAppRoutes: FastifyPluginAsync<WebAppOptions> = async (app, options) => {
  const root = options.root ?? defaultWebRoot;
  if (!existsSync(`${root}/index.html`)) {
    app.log.info({ root }, 'no web build found: the app is not served (npm start builds it; or run `npm run build:web -w @kalei/mobile`)');
    return;
  }
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
    if (ownedByApi(path) || /\.[A-Za-z0-9]{1,8}$/.test(path)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
  });
};
