import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Problem } from '@kalei/contracts/problem';
import { RegionResources, RegionResourcesQuery } from '@kalei/contracts/safety';
import { resolveCrisisResources } from './resources.js';

/**
 * GET /v1/safety/resources: the "Get help now" directory. Open to everyone, signed in or not —
 * help must never sit behind a login; a signed-in caller gets their profile's country by default.
 */
export const safetyRoutes: FastifyPluginAsyncZod<{
  profileOf: (userId: string) => Promise<{ country: string | null; locale: string }>;
}> = async (app, { profileOf }) => {
  app.get(
    '/safety/resources',
    {
      schema: {
        tags: ['safety'],
        summary: 'Crisis helplines and emergency numbers for a country (default: your profile country)',
        querystring: RegionResourcesQuery,
        response: { 200: RegionResources, 400: Problem },
      },
    },
    async (request, reply) => {
      const profile = request.auth ? await profileOf(request.auth.userId) : null;
      const resolved = resolveCrisisResources({
        country: request.query.country ?? profile?.country ?? null,
        locale: request.query.locale ?? profile?.locale ?? null,
      });
      reply.header('cache-control', request.auth ? 'private, max-age=3600' : 'public, max-age=3600');
      return {
        emergency: resolved.emergency,
        resources: resolved.resources,
        international: resolved.international,
        region: { country: resolved.country, source: resolved.source },
      };
    },
  );
};
