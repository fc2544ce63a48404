import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '@kalei/contracts/problem';
import {
  CreateTurnRequest,
  CreateTurnResponse,
  ListTurnsQuery,
  SaveTurnRequest,
  Turn,
  TurnFeedbackRequest,
  TurnIdParams,
  TurnList,
} from '@kalei/contracts/turns';
import { AppError } from '../../errors.js';
import { createSseWriter, wantsEventStream } from '../../lib/sse.js';
import type { TurnService } from './service.js';

const problems = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 413: Problem, 422: Problem, 429: Problem, 503: Problem };
const security = [{ bearer: [] }];

/** Turn routes under /v1. */
export const turnRoutes: FastifyPluginAsyncZod<{ service: TurnService }> = async (app, { service }) => {
  app.post(
    '/turns',
    {
      preHandler: [app.requireAuth, app.idempotent],
      schema: {
        tags: ['turn'],
        summary: 'Turn a thought: three reframes and a micro-action (JSON, or server-sent events with Accept: text/event-stream)',
        description:
          'Answers 201 with the saved turn, or 200 with a crisis response when the safety precheck escalates (no reframes, no quota used). ' +
          'With `Accept: text/event-stream` the answer streams `reframe` events as each reframe completes, then `turn` (or `crisis`, or `error`). ' +
          'Supports Idempotency-Key; a replay of a streamed request answers with the JSON form.',
        security,
        body: CreateTurnRequest,
        response: { 201: CreateTurnResponse, 200: CreateTurnResponse, ...problems },
      },
    },
    async (request, reply) => {
      const caller = { userId: request.auth!.userId, requestId: request.id, idempotency: request.idempotency };
      if (!wantsEventStream(request)) {
        const result = await service.create(caller, request.body);
        if (result.kind === 'crisis') return reply.code(200).send(result.crisis);
        return reply.code(201).send({ kind: 'turn', turn: result.value });
      }
      const sse = createSseWriter(request, reply);
      try {
        const result = await service.createStreaming(caller, request.body, (index, reframe) => sse.send('reframe', { index, reframe }));
        if (result.kind === 'crisis') {
          await app.completeIdempotent(request, 200, result.crisis);
          sse.send('crisis', result.crisis);
        } else {
          await app.completeIdempotent(request, 201, { kind: 'turn', turn: result.value });
          sse.send('turn', result.value);
        }
        sse.end();
        return reply;
      } catch (error) {
        if (!sse.started) throw error;
        await app.completeIdempotent(request, 503, null);
        const known = error instanceof AppError;
        request.log.error({ err: { type: (error as Error).name, message: known ? error.message : 'stream failed' } }, 'turn stream failed');
        sse.send('error', {
          type: `https://kalei.app/problems/${known ? error.code : 'internal_error'}`,
          status: known ? error.status : 500,
          code: known ? error.code : 'internal_error',
          title: known ? error.title : 'Internal server error',
          ...(known && error.detail ? { detail: error.detail } : {}),
        });
        sse.end();
        return reply;
      }
    },
  );

  app.get(
    '/turns',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['turn'],
        summary: 'Your turns, newest first (filter by saved and by thinking trap)',
        security,
        querystring: ListTurnsQuery,
        response: { 200: TurnList, 400: Problem, 401: Problem },
      },
    },
    async (request) => service.list(request.auth!.userId, request.query),
  );

  app.get(
    '/turns/:id',
    {
      preHandler: app.requireAuth,
      schema: { tags: ['turn'], summary: 'One turn', security, params: TurnIdParams, response: { 200: Turn, 400: Problem, 401: Problem, 404: Problem } },
    },
    async (request) => service.get(request.auth!.userId, request.params.id),
  );

  app.post(
    '/turns/:id/save',
    {
      preHandler: [app.requireAuth, app.idempotent],
      schema: {
        tags: ['turn'],
        summary: 'Save a turn as a pattern in the Gallery, with an optional note (idempotent)',
        security,
        params: TurnIdParams,
        body: SaveTurnRequest.optional(),
        response: { 200: Turn, ...problems },
      },
    },
    async (request) => service.save(request.auth!.userId, request.params.id, request.body?.note),
  );

  app.post(
    '/turns/:id/feedback',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['turn'],
        summary: 'Rate one reframe as helpful or not (the latest rating counts)',
        security,
        params: TurnIdParams,
        body: TurnFeedbackRequest,
        response: { 200: Turn, ...problems },
      },
    },
    async (request) => service.feedback(request.auth!.userId, request.params.id, request.body),
  );

  app.delete(
    '/turns/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['turn'],
        summary: 'Delete a turn and everything derived from it',
        security,
        params: TurnIdParams,
        response: { 204: z.null(), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      await service.remove({ userId: request.auth!.userId, requestId: request.id }, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
