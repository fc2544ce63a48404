import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
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

/**
 * Response headers every client and operator expects (issue 15): helmet's set with frames denied
 * and no referrer, a content security policy per kind of route (strict for the API, one that lets
 * the web app and Swagger UI run), and `cache-control: no-store` on /v1, whose answers are personal
 * data. A /v1 route that sets its own cache-control (public helpline lists) keeps it.
 * Register before the routes, so their hooks include these.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance) => {
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
  },
  { name: 'kalei-security', dependencies: ['kalei-errors'] },
);
