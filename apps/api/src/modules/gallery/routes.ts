import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { GalleryPage, GalleryQuery } from '@kalei/contracts/gallery';
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
};
