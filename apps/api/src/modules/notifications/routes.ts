import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DeviceIdParams, PushDevice, RegisterDeviceRequest } from '@kalei/contracts/notifications';
import { Problem } from '@kalei/contracts/problem';
import { authOf } from '../../plugins/auth.js';
import type { NotificationsService } from './service.js';

const security = [{ bearer: [] }];

/** Push device routes under /v1. */
export const notificationRoutes: FastifyPluginAsyncZod<{ service: NotificationsService }> = async (app, { service }) => {
  app.post(
    '/notifications/devices',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['notifications'],
        summary: 'Register this device’s push token (Expo, or native APNs/FCM)',
        description:
          'Upserts by token: 201 when the token is new to the caller (including a token moved from another account), 200 when it only refreshes ' +
          'the caller’s existing registration (so a retry is harmless). The token is tied to the current device session and removed when that session logs out.',
        security,
        body: RegisterDeviceRequest,
        response: { 201: PushDevice, 200: PushDevice, 400: Problem, 401: Problem, 413: Problem, 415: Problem },
      },
    },
    async (request, reply) => {
      const { device, created } = await service.registerDevice(authOf(request), request.body);
      return reply.code(created ? 201 : 200).send(device);
    },
  );

  app.get(
    '/notifications/devices',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['notifications'],
        summary: 'Your registered push devices',
        security,
        response: { 200: z.object({ devices: z.array(PushDevice) }), 401: Problem },
      },
    },
    async (request) => ({ devices: await service.listDevices(authOf(request).userId) }),
  );

  app.delete(
    '/notifications/devices/:id',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['notifications'],
        summary: 'Remove a push device (it stops receiving notifications)',
        security,
        params: DeviceIdParams,
        response: { 204: z.null(), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      await service.removeDevice({ userId: authOf(request).userId, requestId: request.id }, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
