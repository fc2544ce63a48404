import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode, Problem } from '@kalei/contracts/problem';
import { AppError } from '../errors.js';

const PROBLEM_TYPE_BASE = 'https://kalei.app/problems/';

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
    instance: request.url.split('?')[0],
    ...(detail === undefined ? {} : { detail }),
  };
  request.server.metrics?.problem(code);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  // Route response schemas must not re-serialize a problem into a success shape.
  return reply.code(status).type('application/problem+json').serializer(JSON.stringify).send(body);
}

/** Fastify's own 4xx errors, by code, mapped to our stable codes. */
const fastifyClientErrors: Record<string, { status: number; code: ErrorCode; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', title: 'Payload too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', title: 'Unsupported media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request', title: 'Bad request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', title: 'Malformed JSON' },
};

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
      if (known) return sendProblem(request, reply, known.status, known.code, known.title, error.message);
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return sendProblem(request, reply, 400, 'malformed_json', 'Malformed JSON', 'The request body is not valid JSON.');
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return sendProblem(request, reply, status, status === 429 ? 'rate_limited' : 'bad_request', 'Bad request', error.message);
      }
      // Server errors: the message may carry internals, so it is logged (never bodies) and not echoed.
      request.log.error({ err: { type: error.name, code: error.code, message: error.message, stack: error.stack } }, 'request failed');
      return sendProblem(request, reply, 500, 'internal_error', 'Internal server error', 'Something went wrong on our side.');
    });

    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, 404, 'route_not_found', 'Not found', `No route ${request.method} ${request.url.split('?')[0]}.`),
    );
  },
  { name: 'kalei-errors' },
);
