import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CloseMirrorSessionResponse,
  CreateMirrorMessageRequest,
  CreateMirrorMessageResponse,
  CreateMirrorSessionRequest,
  FragmentReframeResponse,
  ListMirrorSessionsQuery,
  MirrorIdParams,
  MirrorSession,
  MirrorSessionList,
  MirrorSessionSummary,
} from '@kalei/contracts/mirror';
import { Problem } from '@kalei/contracts/problem';
import { CrisisResponse } from '@kalei/contracts/safety';
import type { MirrorService } from './service.js';

const problems = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 413: Problem, 422: Problem, 429: Problem, 503: Problem };
const security = [{ bearer: [] }];
/** The guarded caller, with the request's Idempotency-Key so a retry after a crash holds the same quota unit and replays a kept answer. */
const callerOf = (request: FastifyRequest) => ({ userId: request.auth!.userId, requestId: request.id, idempotency: request.idempotency });

/** Mirror routes under /v1. */
export const mirrorRoutes: FastifyPluginAsyncZod<{ service: MirrorService }> = async (app, { service }) => {
  app.post(
    '/mirror/sessions',
    {
      preHandler: [app.requireAuth, app.idempotent],
      schema: {
        tags: ['mirror'],
        summary: 'Open a Mirror journaling session',
        security,
        body: CreateMirrorSessionRequest.optional(),
        response: { 201: MirrorSessionSummary, ...problems },
      },
    },
    async (request, reply) => reply.code(201).send(await service.open(request.auth!.userId, request.idempotency)),
  );

  app.post(
    '/mirror/messages',
    {
      preHandler: [app.requireAuth, app.idempotent],
      schema: {
        tags: ['mirror'],
        summary: 'Add a message to a session and get its thinking-trap fragments',
        description:
          'Answers 201 with the message and the fragments found (offsets into the text, trap, confidence, explanation; fragments below the confidence threshold are not kept), ' +
          'or 200 with a crisis response when the safety precheck escalates (nothing stored, no quota used). A closed session answers 409 `session_closed`.',
        security,
        body: CreateMirrorMessageRequest,
        response: { 201: CreateMirrorMessageResponse, 200: CreateMirrorMessageResponse, ...problems },
      },
    },
    async (request, reply) => {
      const result = await service.addMessage(callerOf(request), request.body.sessionId, request.body.text);
      if (result.kind === 'crisis') return reply.code(200).send(result.crisis);
      return reply.code(201).send({ kind: 'message', message: result.value });
    },
  );

  app.post(
    '/mirror/fragments/:id/reframe',
    {
      preHandler: [app.requireAuth, app.idempotent],
      schema: {
        tags: ['mirror'],
        summary: 'An inline reframe of one fragment (asking again returns the same reframe)',
        security,
        params: MirrorIdParams,
        response: { 200: z.discriminatedUnion('kind', [FragmentReframeResponse, CrisisResponse]), ...problems },
      },
    },
    async (request) => {
      const result = await service.reframeFragment(callerOf(request), request.params.id);
      return result.kind === 'crisis' ? result.crisis : { kind: 'reframe' as const, fragment: result.value };
    },
  );

  app.post(
    '/mirror/sessions/:id/close',
    {
      preHandler: [app.requireAuth, app.idempotent],
      schema: {
        tags: ['mirror'],
        summary: 'Close a session and write its reflection (closing again returns it as it is)',
        security,
        params: MirrorIdParams,
        response: { 200: z.discriminatedUnion('kind', [CloseMirrorSessionResponse, CrisisResponse]), ...problems },
      },
    },
    async (request) => {
      const result = await service.close(callerOf(request), request.params.id);
      return result.kind === 'crisis' ? result.crisis : { kind: 'session' as const, session: result.value };
    },
  );

  app.get(
    '/mirror/sessions',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['mirror'],
        summary: 'Your Mirror sessions, newest first (filter by status and by thinking trap)',
        security,
        querystring: ListMirrorSessionsQuery,
        response: { 200: MirrorSessionList, 400: Problem, 401: Problem },
      },
    },
    async (request) => service.list(request.auth!.userId, request.query),
  );

  app.get(
    '/mirror/sessions/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['mirror'],
        summary: 'One session with its messages and fragments',
        security,
        params: MirrorIdParams,
        response: { 200: MirrorSession, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request) => service.get(request.auth!.userId, request.params.id),
  );

  app.delete(
    '/mirror/sessions/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['mirror'],
        summary: 'Delete a session with its messages, fragments and everything derived from them',
        security,
        params: MirrorIdParams,
        response: { 204: z.null(), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      await service.remove({ userId: request.auth!.userId, requestId: request.id }, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
