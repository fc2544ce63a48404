import Fastify from 'fastify';
import autocannon from 'autocannon';
import helmet from '@fastify/helmet';
import { errorsPlugin } from './src/plugins/errors.js';
import { securityPlugin } from './src/plugins/security.js';
const variants: Record<string, (app: any) => Promise<void>> = {
  plain: async () => {},
  fastifyHelmet: async (app) => { await app.register(helmet, { contentSecurityPolicy: false }); },
  security: async (app) => { await app.register(securityPlugin); },
};
for (let round = 0; round < 3; round++) for (const [name, setup] of Object.entries(variants)) {
  const app = Fastify();
  await app.register(errorsPlugin);
  await setup(app);
  app.get('/v1/ping', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const r = await autocannon({ url: `http://127.0.0.1:${port}/v1/ping`, connections: 20, duration: 4 });
  if (round > 0) console.log(name.padEnd(14), Math.round(r.requests.average), 'req/s p99', r.latency.p99, 'ms');
  await app.close();
}
