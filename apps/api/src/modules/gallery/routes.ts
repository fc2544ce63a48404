import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { GalleryPage, GalleryQuery, GalleryTrapCounts, GalleryTrapsQuery } from '@kalei/contracts/gallery';
import { Problem } from '@kalei/contracts/problem';
import type { GalleryService } from './service.js';

/** Gallery routes under /v1. */
export const galleryRoutes: FastifyPluginAsyncZod<{ service: GalleryService }> = async (app, { service }) => {
  app.get(
    '/gallery',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['gallery'],
        summary: 'Your history: turns, saved patterns and Mirror sessions, newest first, filterable by kind, thinking trap and date',
        security: [{ bearer: [] }],
        querystring: GalleryQuery,
        response: { 200: GalleryPage, 400: Problem, 401: Problem },
      },
    },
    async (request) => service.list(request.auth!.userId, request.query),
  );

  app.get(
    '/gallery/traps',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['gallery'],
        summary: 'How many Gallery items show each thinking trap, most frequent first (for the trap filter)',
        description: 'A turn or Mirror session counts once for each trap it shows; `kind` narrows the counts like the list. Traps with no items are left out.',
        security: [{ bearer: [] }],
        querystring: GalleryTrapsQuery,
        response: { 200: GalleryTrapCounts, 400: Problem, 401: Problem },
      },
    },
    async (request) => service.trapCounts(request.auth!.userId, request.query),
  );
};
