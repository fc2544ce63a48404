import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode, Problem } from '@kalei/contracts/problem';
import { AppError } from '../errors.js';

const PROBLEM_TYPE_BASE = 'https://kalei.app/problems/';

/** The web app's catch-all route (plugins/web-app.ts): matching it says nothing about the path. */
const CATCH_ALL_ROUTE = '/*';

function quotablePath(request: FastifyRequest): boolean {
  const route = request.routeOptions?.url;
  return route !== undefined && route !== CATCH_ALL_ROUTE;
}

function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const body: Problem = {
    ...extra,
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title,
    status,
    code,
    requestId: request.id,
    // Only a path that matched one of our API routes is ours to quote back: the rest (no route, or
    // the web app's catch-all) is whatever was sent.
    ...(quotablePath(request) ? { instance: request.url.split('?')[0] } : {}),
    ...(detail === undefined ? {} : { detail }),
  };
  request.server.metrics?.problem(code);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  // Route response schemas must not re-serialize a problem into a success shape.
  return reply.code(status).type('application/problem+json').serializer(JSON.stringify).send(body);
}

interface KnownError {
  status: number;
  code: ErrorCode;
  title: string;
  detail: string;
}

/** Fastify's own 4xx errors, by code, mapped to our stable codes; their messages quote the input, so fixed details replace them. */
const fastifyClientErrors: Record<string, KnownError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', title: 'Payload too large', detail: 'The request body is larger than allowed.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
    detail: 'Send the body as application/json (UTF-8).',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request', title: 'Bad request', detail: 'The Content-Length does not match the body.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON', detail: 'The request body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON', detail: 'The request body is not valid JSON.' },
  // Raised by the router before any route or hook runs (see frameworkErrorHandler).
  FST_ERR_BAD_URL: { status: 400, code: 'malformed_url', title: 'Malformed URL', detail: 'The URL is not validly percent-encoded.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', title: 'URI too long', detail: 'A path segment is longer than allowed.' },
};

const UNSUPPORTED_CHARSET: KnownError = fastifyClientErrors.FST_ERR_CTP_INVALID_MEDIA_TYPE!;

/** The charset a JSON content type declares, lower-cased, or undefined when it is not JSON or names none. */
function jsonCharset(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const [mediaType = '', ...parameters] = contentType.split(';');
  const type = mediaType.trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) return undefined;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() === 'charset') return value.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}

/**
 * Fastify's `frameworkErrors`: the router's own errors (a URL that does not decode, a parameter
 * past `maxParamLength`) would otherwise be answered as Fastify's JSON, quoting the URL.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = error.code ? fastifyClientErrors[error.code] : undefined;
  if (known) return sendProblem(request, reply, known.status, known.code, known.title, known.detail);
  return sendProblem(request, reply, 500, 'internal_error', 'Internal server error', 'Something went wrong on our side.');
}

/** What Node's HTTP parser refuses before there is a request (headers too large, a timeout, bad framing). */
const clientErrors: Record<string, KnownError> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    title: 'Request header fields too large',
    detail: 'The request headers are larger than allowed.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', title: 'Request timeout', detail: 'The request was not received in time.' },
};

/**
 * Fastify's `clientErrorHandler` (Node's 'clientError' event): there is no request, no request
 * id and no reply, so the problem is written on the socket by hand, then the socket is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = (error.code ? clientErrors[error.code] : undefined) ?? {
    status: 400,
    code: 'bad_request' as const,
    title: 'Bad request',
    detail: 'The request could not be read as HTTP.',
  };
  if (socket.writable) {
    const body = JSON.stringify({ type: `${PROBLEM_TYPE_BASE}${known.code}`, title: known.title, status: known.status, code: known.code, detail: known.detail });
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** One error handler: typed errors and validation failures become RFC 9457 problem+json; 5xx never echo their message. */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        return sendProblem(request, reply, error.status, error.code, error.title, error.detail, error.extra, error.headers);
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const errors = error.validation.map((issue) => ({
          path: [error.validationContext, ...String(issue.instancePath).split('/').filter(Boolean)].join('.'),
          message: issue.message ?? 'invalid',
        }));
        return sendProblem(request, reply, 400, 'validation_failed', 'Invalid request', 'The request does not match the schema.', { errors });
      }
      const known = error.code ? fastifyClientErrors[error.code] : undefined;
      if (known) return sendProblem(request, reply, known.status, known.code, known.title, known.detail);
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return sendProblem(request, reply, 400, 'malformed_json', 'Malformed JSON', 'The request body is not valid JSON.');
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // A plugin's message may quote the input: the status text says enough.
        const title = STATUS_CODES[status] ?? 'Bad request';
        return sendProblem(request, reply, status, status === 429 ? 'rate_limited' : 'bad_request', title, `The request was refused (${status} ${title}).`);
      }
      // Server errors: the message may carry internals, so it is logged (never bodies) and not echoed.
      request.log.error({ err: { type: error.name, code: error.code, message: error.message, stack: error.stack } }, 'request failed');
      return sendProblem(request, reply, 500, 'internal_error', 'Internal server error', 'Something went wrong on our side.');
    });

    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, 404, 'route_not_found', 'Not found', `No route answers ${request.method} at this path.`),
    );

    // The JSON parser reads UTF-8 only, whatever charset is declared: a body in another one is refused, not misread.
    app.addHook('preParsing', async (request) => {
      const charset = jsonCharset(request.headers['content-type']);
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        throw new AppError(UNSUPPORTED_CHARSET.status, UNSUPPORTED_CHARSET.code, UNSUPPORTED_CHARSET.title, { detail: UNSUPPORTED_CHARSET.detail });
      }
    });
  },
  { name: 'kalei-errors' },
);
