// The benchmark's ceiling: bare Fastify routes doing one primary-key select, one insert, and the
// same I/O as a Turn (one model call through undici, then one insert), on the same PostgreSQL and
// the same model stand-in (MODEL_URL), with no auth, validation or logging. Prints its port on stdout.
import Fastify from 'fastify';
import pg from 'pg';
import { Agent } from 'undici';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query('create table if not exists bench_bare_insert (id uuid primary key default gen_random_uuid(), body text not null, created_at timestamptz not null default now())');
const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/bare/select/:id', async (request) => {
  const { rows } = await pool.query('select id, email, status, created_at from users where id = $1', [request.params.id]);
  return rows[0] ?? null;
});
app.post<{ Body: { body: string } }>('/bare/insert', async (request, reply) => {
  const { rows } = await pool.query('insert into bench_bare_insert (body) values ($1) returning id', [request.body.body]);
  return reply.code(201).send(rows[0]);
});
// Keep-alive to the model, as the API's provider does.
const model = new Agent({ connections: 50, keepAliveTimeout: 30_000 });
const modelRequest = JSON.stringify({
  model: 'bench',
  messages: [{ role: 'user', content: 'I always ruin everything at work and they will fire me.' }],
  response_format: { type: 'json_schema', json_schema: { name: 'turn_reframe', schema: {} } },
});
app.post<{ Body: { thought: string } }>('/bare/turn', async (request, reply) => {
  const answer = await model.request({ origin: new URL(process.env.MODEL_URL!).origin, path: `${new URL(process.env.MODEL_URL!).pathname.replace(/\/$/, '')}/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body: modelRequest });
  const completion = (await answer.body.json()) as { choices: { message: { content: string } }[] };
  const content = completion.choices[0]!.message.content;
  const { rows } = await pool.query('insert into bench_bare_insert (body) values ($1) returning id', [`${request.body.thought}\n${content}`]);
  return reply.code(201).send({ id: rows[0].id, content });
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
console.log(typeof address === 'object' && address ? address.port : 0);
