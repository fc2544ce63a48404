import { createHmac } from 'node:crypto';
import type { LoggerOptions } from 'pino';

/** A keyed hash of a user id for logs and metrics: stable per deployment, not reversible without the key. */
export function createUserHasher(key: string): (userId: string) => string {
  return (userId) => createHmac('sha256', key).update(userId).digest('base64url').slice(0, 16);
}

/**
 * pino options: structured JSON, request id on every line (Fastify's child loggers), and
 * redaction of anything that could carry a secret. Bodies are never logged.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'headers.authorization',
        '*.password',
        '*.token',
        '*.refreshToken',
        '*.accessToken',
        '*.idToken',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; routeOptions?: { url?: string }; id?: string }) => ({
        method: req.method,
        // The path only: query strings are not logged.
        url: req.url.split('?')[0],
        route: req.routeOptions?.url,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
