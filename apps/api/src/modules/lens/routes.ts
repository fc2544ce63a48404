import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CheckinList,
  Checkin,
  CompleteActionResponse,
  CreateActionRequest,
  CreateCheckinRequest,
  CreateGoalRequest,
  DailyAffirmation,
  GoalList,
  LensAction,
  LensGoal,
  LensIdParams,
  ListCheckinsQuery,
  ListGoalsQuery,
  UpdateGoalRequest,
} from '@kalei/contracts/lens';
import { Problem } from '@kalei/contracts/problem';
import { CrisisResponse } from '@kalei/contracts/safety';
import { authOf } from '../../plugins/auth.js';
import type { LensService } from './service.js';

const security = [{ bearer: [] }];
const writeProblems = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem, 422: Problem, 429: Problem, 503: Problem };
/** The guarded caller: who, the request id for safety events and metering, and the Idempotency-Key for writes that keep their answer in their own transaction. */
const callerOf = (request: FastifyRequest) => ({ userId: authOf(request).userId, requestId: request.id, idempotency: request.idempotency });
const crisisNote = 'When the safety gate escalates, the answer is 200 with a crisis response (`kind: "crisis"`) and nothing is saved.';

/** Lens routes under /v1. */
export const lensRoutes: FastifyPluginAsyncZod<{ service: LensService }> = async (app, { service }) => {

  app.post(
    '/lens/goals',
    {
      preHandler: [app.requireAuth, app.idempotent],
      schema: {
        tags: ['lens'],
        summary: 'Set a goal (counts against the plan’s active-goal limit: 409 past it)',
        description: `Answers 201 with the goal. ${crisisNote} Supports Idempotency-Key.`,
        security,
        body: CreateGoalRequest,
        response: { 201: LensGoal, 200: CrisisResponse, ...writeProblems },
      },
    },
    async (request, reply) => {
      const result = await service.createGoal(callerOf(request), request.body);
      if (result.kind === 'crisis') return reply.code(200).send(result.crisis);
      return reply.code(201).send(result.value);
    },
  );

  app.get(
    '/lens/goals',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['lens'],
        summary: 'Your goals with their actions, progress and streaks (in your timezone)',
        security,
        querystring: ListGoalsQuery,
        response: { 200: GoalList, 400: Problem, 401: Problem },
      },
    },
    async (request) => service.listGoals(authOf(request).userId, request.query.status),
  );

  app.get(
    '/lens/goals/:id',
    {
      preHandler: app.requireAuth,
      schema: { tags: ['lens'], summary: 'One goal with its actions and progress', security, params: LensIdParams, response: { 200: LensGoal, 400: Problem, 401: Problem, 404: Problem } },
    },
    async (request) => service.getGoal(authOf(request).userId, request.params.id),
  );

  app.patch(
    '/lens/goals/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['lens'],
        summary: 'Change a goal: title, description, status (active, completed, archived) or target date',
        description: `Answers 200 with the goal. ${crisisNote} Reactivating a goal counts against the plan’s active-goal limit (409 past it).`,
        security,
        params: LensIdParams,
        body: UpdateGoalRequest,
        response: { 200: z.union([LensGoal, CrisisResponse]), ...writeProblems },
      },
    },
    async (request, reply) => {
      const result = await service.updateGoal(callerOf(request), request.params.id, request.body);
      return reply.code(200).send(result.kind === 'crisis' ? result.crisis : result.value);
    },
  );

  app.delete(
    '/lens/goals/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['lens'],
        summary: 'Delete a goal with its actions and completions',
        security,
        params: LensIdParams,
        response: { 204: z.null(), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      await service.deleteGoal(callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/lens/goals/:id/actions',
    {
      preHandler: [app.requireAuth, app.idempotent],
      schema: {
        tags: ['lens'],
        summary: 'Add a small action to an active goal (daily, weekly or once)',
        description: `Answers 201 with the action. ${crisisNote} Supports Idempotency-Key.`,
        security,
        params: LensIdParams,
        body: CreateActionRequest,
        response: { 201: LensAction, 200: CrisisResponse, ...writeProblems },
      },
    },
    async (request, reply) => {
      const result = await service.addAction(callerOf(request), request.params.id, request.body);
      if (result.kind === 'crisis') return reply.code(200).send(result.crisis);
      return reply.code(201).send(result.value);
    },
  );

  app.delete(
    '/lens/actions/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['lens'],
        summary: 'Delete an action with its completions',
        security,
        params: LensIdParams,
        response: { 204: z.null(), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      await service.deleteAction(callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/lens/actions/:id/complete',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['lens'],
        summary: 'Complete an action for today (idempotent per day; per week for weekly actions)',
        description: '201 when this request recorded the completion; 200 with `alreadyCompleted: true` when it was already done in this period. Days are the caller’s local days.',
        security,
        params: LensIdParams,
        response: { 201: CompleteActionResponse, 200: CompleteActionResponse, 400: Problem, 401: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const { created, result } = await service.completeAction(callerOf(request), request.params.id);
      return reply.code(created ? 201 : 200).send(result);
    },
  );

  app.post(
    '/lens/checkins',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['lens'],
        summary: 'Check in for today: mood 1–10 and an optional short note',
        description: `201 for the day’s first check-in, 200 when it updates today’s. ${crisisNote}`,
        security,
        body: CreateCheckinRequest,
        response: { 201: Checkin, 200: z.union([Checkin, CrisisResponse]), ...writeProblems },
      },
    },
    async (request, reply) => {
      const result = await service.checkIn(callerOf(request), request.body);
      if (result.kind === 'crisis') return reply.code(200).send(result.crisis);
      return reply.code(result.value.created ? 201 : 200).send(result.value.checkin);
    },
  );

  app.get(
    '/lens/checkins',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['lens'],
        summary: 'Your check-ins, newest first (optionally between two local dates)',
        security,
        querystring: ListCheckinsQuery,
        response: { 200: CheckinList, 400: Problem, 401: Problem },
      },
    },
    async (request) => service.listCheckins(authOf(request).userId, request.query),
  );

  app.delete(
    '/lens/checkins/:id',
    {
      preHandler: app.requireAuth,
      schema: { tags: ['lens'], summary: 'Delete a check-in', security, params: LensIdParams, response: { 204: z.null(), 400: Problem, 401: Problem, 404: Problem } },
    },
    async (request, reply) => {
      await service.deleteCheckin(callerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/lens/affirmation/today',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['lens'],
        summary: 'Today’s affirmation and focus, grounded in your goals (one per local day)',
        description: 'Generated once per local day through the economy lane and kept for the day; the local engine’s templates stand in when the model or the budget is under pressure.',
        security,
        response: { 200: DailyAffirmation, 401: Problem, 429: Problem, 503: Problem },
      },
    },
    async (request) => service.affirmationToday(callerOf(request)),
  );
};
