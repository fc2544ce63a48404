import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Problem } from '@kalei/contracts/problem';
import {
  DeleteWindowRequest,
  DeleteWindowResponse,
  ExclusionRequest,
  ExclusionResponse,
  MonthlyQuery,
  ResetRequest,
  ResetResponse,
  SpectrumReport,
  WeeklyQuery,
} from '@kalei/contracts/spectrum';
import { authOf } from '../../plugins/auth.js';
import type { SpectrumService } from './service.js';

const security = [{ bearer: [] }];
const readProblems = { 400: Problem, 401: Problem, 403: Problem };
const writeProblems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem };
const callerOf = (request: FastifyRequest) => ({ userId: authOf(request).userId, requestId: request.id });
const planNote = 'Spectrum is part of the Prism and Prism+ plans: on the free plan the answer is 403 `plan_required` with `requiredPlans` and `upgrade`.';

/** Spectrum routes under /v1. */
export const spectrumRoutes: FastifyPluginAsyncZod<{ service: SpectrumService }> = async (app, { service }) => {
  app.get(
    '/spectrum/weekly',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['spectrum'],
        summary: 'Your week in Spectrum: the running ISO week by default, or `period` (its Monday), with the week before beside each figure',
        description: `Weeks run Monday to Sunday in your profile timezone. \`history\` lists earlier weeks with activity. ${planNote}`,
        security,
        querystring: WeeklyQuery,
        response: { 200: SpectrumReport, ...readProblems },
      },
    },
    async (request) => service.report(authOf(request).userId, 'weekly', request.query.period),
  );

  app.get(
    '/spectrum/monthly',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['spectrum'],
        summary: 'Your month in Spectrum: the running calendar month by default, or `period` (YYYY-MM), with the month before beside each figure',
        description: `Months are calendar months in your profile timezone. ${planNote}`,
        security,
        querystring: MonthlyQuery,
        response: { 200: SpectrumReport, ...readProblems },
      },
    },
    async (request) => service.report(authOf(request).userId, 'monthly', request.query.period),
  );

  app.post(
    '/spectrum/exclusions',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['spectrum'],
        summary: 'Leave one turn or Mirror session out of Spectrum (`excluded: true`), or count it again',
        description: 'Its week and month are recomputed. Asking for the state it is already in is 409; another user’s item is 404. Audited.',
        security,
        body: ExclusionRequest,
        response: { 200: ExclusionResponse, ...writeProblems },
      },
    },
    async (request) => service.setExclusion(callerOf(request), request.body),
  );

  app.post(
    '/spectrum/reset',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['spectrum'],
        summary: 'Reset Spectrum: remove every derived row and start afresh from new activity',
        description: 'The body must be `{"confirm": "reset spectrum"}`. Turns and Mirror sessions stay; only activity after the reset counts. A second reset with nothing new since is 409. Audited.',
        security,
        body: ResetRequest,
        response: { 200: ResetResponse, ...writeProblems },
      },
    },
    async (request) => service.reset(callerOf(request)),
  );

  app.post(
    '/spectrum/delete-window',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['spectrum'],
        summary: 'Hard delete of turns and Mirror sessions, and what Spectrum derived from them, between two local dates (inclusive)',
        description: 'The body is `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "confirm": "delete this window"}`, at most 366 days, not after today. Overlapping weeks and months are recomputed. Audited.',
        security,
        body: DeleteWindowRequest,
        response: { 200: DeleteWindowResponse, ...writeProblems },
      },
    },
    async (request) => service.deleteWindow(callerOf(request), request.body),
  );
};
