import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountExport, DeleteAccountRequest } from '@kalei/contracts/account';
import { Problem } from '@kalei/contracts/problem';
import type { Checkin } from '@kalei/contracts/lens';
import type { MirrorSession } from '@kalei/contracts/mirror';
import type { Turn } from '@kalei/contracts/turns';
import { NotFoundError } from '../../errors.js';
import { withTransaction, type Database } from '../../infra/db.js';
import type { AuditEvent } from '../audit/service.js';
import type { LensService } from '../lens/service.js';
import type { MirrorService } from '../mirror/service.js';
import type { SpectrumService } from '../spectrum/service.js';
import type { TurnService } from '../turn/service.js';
import { createAccountRepo } from './account-repo.js';
import type { AuthService } from './service.js';

/**
 * The user's rights over their data (seed §11.2): a full export, decrypted, and deletion of the
 * account with everything it owns. Other modules are read through their services.
 */
export function createAccountService(deps: {
  db: Database;
  auth: Pick<AuthService, 'me' | 'revokeAllSessions'>;
  turns: Pick<TurnService, 'list'>;
  mirror: Pick<MirrorService, 'list' | 'get'>;
  lens: Pick<LensService, 'listGoals' | 'listCheckins'>;
  spectrum: Pick<SpectrumService, 'exportFor'>;
  audit: { record(event: AuditEvent, tx?: Parameters<typeof withTransaction>[0]): Promise<void> };
  hashUserId: (userId: string) => string;
  now: () => Date;
}) {
  const repo = createAccountRepo(deps.db);
  return {
    async export(userId: string): Promise<AccountExport> {
      const turns: Turn[] = [];
      for (let cursor: string | undefined, page = 0; page < 10_000; page++) {
        const batch = await deps.turns.list(userId, { limit: 50, cursor });
        turns.push(...batch.items);
        if (!batch.nextCursor) break;
        cursor = batch.nextCursor;
      }
      const mirrorSessions: MirrorSession[] = [];
      for (let cursor: string | undefined, page = 0; page < 10_000; page++) {
        const batch = await deps.mirror.list(userId, { limit: 50, cursor });
        for (const summary of batch.items) mirrorSessions.push(await deps.mirror.get(userId, summary.id));
        if (!batch.nextCursor) break;
        cursor = batch.nextCursor;
      }
      const checkins: Checkin[] = [];
      // Check-ins come newest first, one per local day: page back from the day before the oldest.
      for (let to: string | undefined, page = 0; page < 1_000; page++) {
        const batch = (await deps.lens.listCheckins(userId, { to, limit: 366 })).checkins;
        checkins.push(...batch);
        const oldest = batch.at(-1);
        if (batch.length < 366 || !oldest) break;
        to = new Date(Date.parse(`${oldest.localDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      }
      const { goals } = await deps.lens.listGoals(userId);
      return {
        exportedAt: deps.now().toISOString(),
        format: 'kalei-export@1',
        account: await deps.auth.me(userId),
        turns,
        mirrorSessions,
        lens: { goals, checkins },
        spectrum: await deps.spectrum.exportFor(userId),
      };
    },

    /** Revokes every session and deletes the account; the audit row keeps only a hash of the id. */
    async delete(userId: string, requestId: string): Promise<void> {
      const revoked = await withTransaction(deps.db, async (tx) => {
        const result = await deps.auth.revokeAllSessions(userId, 'account_deleted', tx);
        await deps.audit.record(
          { userId: null, actor: 'user', action: 'account_deleted', targetType: 'user', targetId: deps.hashUserId(userId), requestId, at: deps.now() },
          tx,
        );
        if (!(await repo.deleteUser(userId, tx))) throw new NotFoundError('account');
        return result;
      });
      // Access tokens stop working everywhere only once the revocation is committed.
      await revoked.afterCommit();
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;

/** GET /v1/me/export and DELETE /v1/me. */
export const accountRoutes: FastifyPluginAsyncZod<{ service: AccountService }> = async (app, { service }) => {
  const security = [{ bearer: [] }];
  app.get(
    '/me/export',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['account'],
        summary: 'Export everything you wrote and everything written for you, as JSON',
        security,
        response: { 200: AccountExport, 401: Problem },
      },
    },
    async (request, reply) => {
      reply.header('content-disposition', 'attachment; filename="kalei-export.json"');
      reply.header('cache-control', 'no-store');
      return service.export(request.auth!.userId);
    },
  );

  app.delete(
    '/me',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['account'],
        summary: 'Delete your account and all its data, for good',
        description: 'The body must be `{"confirm": "delete my account"}`. Every session ends; turns, Mirror sessions, Lens data, analytics and devices are deleted.',
        security,
        body: DeleteAccountRequest,
        response: { 204: z.null(), 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      await service.delete(request.auth!.userId, request.id);
      return reply.code(204).send(null);
    },
  );
};
