import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AppleSignInRequest,
  AuthResult,
  AuthTokens,
  GoogleSignInRequest,
  LoginRequest,
  LogoutRequest,
  Me,
  Profile,
  ProfilePatchRequest,
  RefreshRequest,
  RegisterRequest,
  RevokeOthersResponse,
  SessionIdParams,
  SessionList,
} from '@kalei/contracts/auth';
import { Problem } from '@kalei/contracts/problem';
import { authOf } from '../../plugins/auth.js';
import type { AuthService, ClientMeta } from './service.js';

/** The same problem schema under each status a route can answer with. */
function problems<const S extends number>(...statuses: S[]): Record<S, typeof Problem> {
  return Object.fromEntries(statuses.map((status) => [status, Problem])) as Record<S, typeof Problem>;
}

const NoContent = z.null().describe('No content');
const bearer = [{ bearer: [] }];

function clientOf(request: FastifyRequest): ClientMeta {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined, requestId: request.id };
}

/** §10.1 auth and profile routes; mounted under /v1 by index.ts. */
export const authRoutes: FastifyPluginAsyncZod<{ service: AuthService }> = async (app, { service }) => {
  app.post(
    '/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account with email and password',
        description:
          'Opens a device session and returns a token pair. 409 `email_taken` when the email is in use (the app needs to say so; the route is rate limited per IP). 400 `weak_password` lists the failed rules.',
        body: RegisterRequest,
        response: { 201: AuthResult, ...problems(400, 409, 413, 415, 429, 500) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.register(request.body, clientOf(request))),
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        description:
          'Unknown email and wrong password both answer 401 `invalid_credentials`, in similar time. Rate limited per account and per IP (429 with Retry-After).',
        body: LoginRequest,
        response: { 200: AuthResult, ...problems(400, 401, 403, 413, 415, 429, 500) },
      },
    },
    async (request) => service.login(request.body, clientOf(request)),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new token pair',
        description:
          'Refresh tokens are single-use: each call returns a new one. Presenting a used one after the grace window ends the session (401 `refresh_token_reused`).',
        body: RefreshRequest,
        response: { 200: AuthTokens, ...problems(400, 401, 403, 413, 415, 429, 500) },
      },
    },
    async (request) => service.refresh(request.body.refreshToken, clientOf(request)),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the current device session',
        description: 'Ends the session of the Bearer access token, or, without a valid one, the session of `refreshToken`.',
        security: [...bearer, {}],
        body: LogoutRequest.nullish(),
        response: { 204: NoContent, ...problems(400, 401, 413, 415, 500) },
      },
    },
    async (request, reply) => {
      await service.logout(request.auth, request.body?.refreshToken, clientOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/apple',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with Apple',
        description:
          'Verifies the identity token against Apple’s keys (`iss`, `aud`, `exp`, and the SHA-256 of the raw `nonce`), then signs in or creates the account. 501 when the server has no Apple client ids configured.',
        body: AppleSignInRequest,
        response: { 200: AuthResult, ...problems(400, 401, 403, 409, 413, 415, 429, 500, 501, 503) },
      },
    },
    async (request) => service.signInWithApple(request.body, clientOf(request)),
  );

  app.post(
    '/auth/google',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with Google',
        description:
          'Verifies the ID token against Google’s keys (`iss`, `aud`, `exp`, and `nonce` when sent), then signs in or creates the account. 501 when the server has no Google client ids configured.',
        body: GoogleSignInRequest,
        response: { 200: AuthResult, ...problems(400, 401, 403, 409, 413, 415, 429, 500, 501, 503) },
      },
    },
    async (request) => service.signInWithGoogle(request.body, clientOf(request)),
  );

  app.get(
    '/me',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['profile'],
        summary: 'The signed-in account and its profile',
        security: bearer,
        response: { 200: Me, ...problems(401, 404, 500) },
      },
    },
    async (request) => service.me(authOf(request).userId),
  );

  app.patch(
    '/me/profile',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['profile'],
        summary: 'Change display name, locale, country, time zone or notification preferences',
        description: 'Only the fields sent change; `null` clears display name and country. Notification preferences merge field by field.',
        security: bearer,
        body: ProfilePatchRequest,
        response: { 200: Profile, ...problems(400, 401, 404, 413, 415, 500) },
      },
    },
    async (request) => service.updateProfile(authOf(request).userId, request.body, clientOf(request)),
  );

  app.get(
    '/auth/sessions',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'The signed-in account’s device sessions',
        description: 'Live sessions, most recently used first; `current` marks the one asking.',
        security: bearer,
        response: { 200: SessionList, ...problems(401, 500) },
      },
    },
    async (request) => ({ sessions: await service.listSessions(authOf(request)) }),
  );

  app.delete(
    '/auth/sessions/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Sign one device session out',
        description: 'Another account’s session id answers 404, like an unknown one.',
        security: bearer,
        params: SessionIdParams,
        response: { 204: NoContent, ...problems(400, 401, 404, 500) },
      },
    },
    async (request, reply) => {
      await service.revokeSession(authOf(request), request.params.id, clientOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/sessions/revoke-others',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Sign every other device session out',
        security: bearer,
        response: { 200: RevokeOthersResponse, ...problems(401, 500) },
      },
    },
    async (request) => ({ revoked: await service.revokeOtherSessions(authOf(request), clientOf(request)) }),
  );
};
