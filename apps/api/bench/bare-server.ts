// The benchmark's ceiling: bare Fastify routes doing one primary-key select and one insert on
// the same PostgreSQL, with no auth, validation or logging. Prints its port on stdout.
import Fastify from 'fastify';
import pg from 'pg';

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
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
console.log(typeof address === 'object' && address ? address.port : 0);
