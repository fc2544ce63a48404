import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import { ownedByApi } from './web-app.js';

type Directives = Record<string, string[]>;

/** JSON answers load nothing and are framed by no one. */
const API_CSP: Directives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The Expo web build: its own scripts only; React Native Web writes inline styles and Expo's
 * index.html carries an inline reset; icons and fonts come as files or data URLs; the API is
 * same-origin. No upgrade-insecure-requests: on a LAN address over plain HTTP (devices in
 * development) it would point every asset at an HTTPS port nobody listens on; the edge does TLS.
 */
const WEB_APP_CSP: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Swagger UI at /docs: its bundle sets inline styles and draws icons from data: SVGs; "Try it out" calls this origin. */
const DOCS_CSP: Directives = {
  ...WEB_APP_CSP,
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
};

function isDocs(path: string): boolean {
  return path === '/docs' || path.startsWith('/docs/');
}

/** The content security policy for a request path: the API's, Swagger UI's at /docs, or the web app's. */
export function cspFor(path: string): Directives {
  if (isDocs(path)) return DOCS_CSP;
  return ownedByApi(path) ? API_CSP : WEB_APP_CSP;
}

function renderCsp(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

export interface SecurityOptions {
  /** CORS_ORIGINS: the web origins allowed to call the API from a browser; empty: none. */
  corsOrigins?: string[];
}

/** Headers a browser page on an allowed origin may read: Retry-After on 429s and 503s, the request id for support, replays. */
const EXPOSED_HEADERS = ['retry-after', 'x-request-id', 'idempotent-replayed', 'content-disposition'];

/**
 * Response headers every client and operator expects (issue 15): helmet's set with frames denied
 * and no referrer, a content security policy per kind of route (strict for the API, one that lets
 * the web app and Swagger UI run), and `cache-control: no-store` on /v1, whose answers are personal
 * data. A /v1 route that sets its own cache-control (public helpline lists) keeps it. CORS for
 * the configured origins only.
 * Register before the routes, so their hooks include these.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance, options: SecurityOptions) => {
    await app.register(helmet, {
      // Chosen by path below: the web app's catch-all route also answers API paths' 404s.
      contentSecurityPolicy: false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // The edge (deploy/Caddyfile) sets the same; kept here for deployments without it.
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    });

    // Rendered once. Set on the raw response, as helmet does, so server-sent events (which write
    // their own head) carry them too.
    const policies = new Map([API_CSP, WEB_APP_CSP, DOCS_CSP].map((directives) => [directives, renderCsp(directives)]));
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      reply.raw.setHeader('content-security-policy', policies.get(cspFor(path))!);
      if (path === '/v1' || path.startsWith('/v1/')) reply.header('cache-control', 'no-store');
    });

    // Cross-origin browser access only for the configured origins. Without any, CORS is off:
    // no CORS headers, and OPTIONS is an ordinary 404. Bearer tokens, not cookies: no credentials.
    const origins = options.corsOrigins ?? [];
    if (origins.length > 0) {
      // @fastify/cors would answer an OPTIONS that is no preflight with a text/plain 400.
      app.addHook('onRequest', async (request) => {
        if (request.method === 'OPTIONS' && (!request.headers.origin || !request.headers['access-control-request-method'])) {
          throw new AppError(400, 'bad_request', 'Bad request', { detail: 'OPTIONS is answered only as a CORS preflight (Origin and Access-Control-Request-Method).' });
        }
      });
    }
    await app.register(cors, {
      origin: origins.length > 0 ? origins : false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'accept', 'idempotency-key', 'x-request-id'],
      exposedHeaders: EXPOSED_HEADERS,
      credentials: false,
      // Browsers cap it (Chromium at 2 hours): one preflight per route per 10 minutes.
      maxAge: 600,
    });
  },
  { name: 'kalei-security', dependencies: ['kalei-errors'] },
);
