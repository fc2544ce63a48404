import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '@kalei/contracts/problem';
import type { Cache } from '../../infra/cache.js';
import type { DatabaseHandle } from '../../infra/db.js';

const CheckResult = z.object({ status: z.enum(['ok', 'failing']), detail: z.string().optional() });
const ReadyBody = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: CheckResult, cache: CheckResult, migrations: CheckResult }),
});

async function check(run: () => Promise<string | undefined>): Promise<z.infer<typeof CheckResult>> {
  try {
    const problem = await run();
    return problem ? { status: 'failing', detail: problem } : { status: 'ok' };
  } catch (error) {
    return { status: 'failing', detail: (error as Error).name };
  }
}

/** Liveness and readiness for the edge proxy and the process supervisor. */
export const healthRoutes: FastifyPluginAsyncZod<{ database: DatabaseHandle; cache: Cache }> = async (app, { database, cache }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database, the cache and migrations are in order',
        response: { 200: ReadyBody, 503: ReadyBody, 500: Problem },
      },
    },
    async (_request, reply) => {
      const [db, cacheCheck, migrations] = await Promise.all([
        check(async () => {
          await database.ping();
          return undefined;
        }),
        check(async () => {
          await cache.ping();
          return undefined;
        }),
        check(async () => {
          const pending = await database.pendingMigrations();
          return pending > 0 ? `${pending} migration(s) pending: run npm run migrate` : undefined;
        }),
      ]);
      const ready = db.status === 'ok' && cacheCheck.status === 'ok' && migrations.status === 'ok';
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        checks: { database: db, cache: cacheCheck, migrations },
      });
    },
  );
};
