// Cross-user matrix: user A creates one of each thing it can own through the real endpoints; user B
// then calls every operation of /openapi.json that takes an id (in its path or an id-like body
// field) with each of A's ids. Routes are found from the document, so a route added later is
// covered without new code here. Goals: B never gets a 2xx, never sees A's words in any answer, and
// A's data (read through A's GETs) is byte-identical afterwards.
import { randomBytes } from 'node:crypto';
import {
  bodySchema,
  fillPath,
  loadOperations,
  registerUser,
  sampleOf,
  send,
  sendJson,
  snapshot,
  snapshotDiff,
  startApi,
  type JsonSchema,
  type OpenApiOperation,
  type ScenarioEnv,
  type ScenarioResult,
} from '../lib.js';

export const name = 'cross-user';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idLike = (key: string, schema: JsonSchema) => schema.format === 'uuid' || /(^id|Id|Ids)$/.test(key);

/** Every uuid found under an id-like key anywhere in a JSON value. */
function collectIds(value: unknown, into: Set<string>, key = ''): void {
  if (typeof value === 'string') {
    if (UUID.test(value) && /(^id$|Id$)/.test(key)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectIds(item, into, key);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectIds(v, into, k);
  }
}

/** The operation's id-like body fields (top level), when its body is a JSON object. */
function bodyIdFields(op: OpenApiOperation): string[] {
  const schema = bodySchema(op);
  return Object.entries(schema?.properties ?? {})
    .filter(([key, s]) => idLike(key, s))
    .map(([key]) => key);
}

export default async function run(env: ScenarioEnv): Promise<ScenarioResult> {
  const started = performance.now();
  const api = await startApi(env);
  const failures: string[] = [];
  try {
    const a = await registerUser(api.baseUrl, 'a');
    const b = await registerUser(api.baseUrl, 'b');
    // B on the top plan, so plan-gated routes (Spectrum) reach their owner checks instead of a 403.
    await api.cli('plans-cli.js', ['grant', b.email, 'prism_plus']);
    // A's words carry a marker no answer to B may contain.
    const marker = `amark${randomBytes(6).toString('hex')}`;
    const created: unknown[] = [];
    const make = async (method: string, path: string, body?: unknown) => {
      const answer = await sendJson(api.baseUrl, method, path, body, a.token);
      created.push(answer.json);
      return answer.json as Record<string, unknown> & { id: string };
    };
    await make('POST', '/v1/turns', { thought: `I always fail at everything ${marker} turn`, context: `${marker} context` });
    const session = await make('POST', '/v1/mirror/sessions', {});
    await make('POST', '/v1/mirror/messages', { sessionId: session.id, text: `Everyone must think I am a total failure, I always ruin everything ${marker} mirror` });
    const goal = await make('POST', '/v1/lens/goals', { title: `Goal ${marker}`, description: `${marker} description` });
    await make('POST', `/v1/lens/goals/${goal.id}/actions`, { title: `Action ${marker}` });
    await make('POST', '/v1/lens/checkins', { mood: 4, note: `${marker} note` });
    const operations = await loadOperations(api.baseUrl);
    if (operations.some((op) => op.method === 'POST' && op.path === '/v1/notifications/devices')) {
      await make('POST', '/v1/notifications/devices', { token: `ExponentPushToken[${marker}]`, provider: 'expo', platform: 'ios' });
    }
    // A's ids: from everything A created and everything A can read (sessions, fragments, ...).
    const extraPaths = ['/v1/auth/sessions', `/v1/mirror/sessions/${session.id}`, `/v1/lens/goals/${goal.id}`];
    const before = await snapshot(api.baseUrl, a.token, extraPaths);
    const ids = new Set<string>([a.id]);
    for (const value of created) collectIds(value, ids);
    for (const text of before.values()) {
      try {
        collectIds(JSON.parse(text.slice(text.indexOf(' ') + 1)), ids);
      } catch {
        // not JSON
      }
    }
    env.log(`user A owns ${ids.size} ids`);

    const targets = operations
      .filter((op) => (op.operation.parameters ?? []).some((p) => p.in === 'path') || bodyIdFields(op).length > 0)
      .sort((x, y) => `${x.path} ${x.method}`.localeCompare(`${y.path} ${y.method}`));
    const counts = { requests: 0, '404': 0, '403': 0, others: 0, leaks: 0 };
    const otherStatuses = new Map<number, number>();
    const byOperation = new Map<string, string>();
    const secrets = [marker, a.email];
    for (const op of targets) {
      const pathParams = (op.operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const schema = bodySchema(op);
      for (const id of ids) {
        // Every field filled (ids with A's), so the request passes validation and reaches the owner check.
        const body = schema ? sampleOf(schema, (key, s) => (idLike(key, s) ? id : undefined), '', true) : undefined;
        const path = fillPath(op.path, Object.fromEntries(pathParams.map((p) => [p, id])));
        const headers: Record<string, string> = { authorization: `Bearer ${b.token}` };
        if (body !== undefined) headers['content-type'] = 'application/json';
        const answer = await send(api.baseUrl, { method: op.method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        counts.requests++;
        const where = `${op.method} ${op.path} with A's ${id} -> ${answer.status} ${answer.text.slice(0, 200)}`;
        const seen = secrets.filter((s) => answer.text.includes(s));
        if (answer.status >= 200 && answer.status < 300) {
          counts.leaks++;
          failures.push(`leak: B got a 2xx: ${where}`);
        } else if (seen.length > 0) {
          counts.leaks++;
          failures.push(`leak: B's answer holds A's ${seen.includes(a.email) ? 'email' : 'words'}: ${where}`);
        }
        byOperation.set(`${op.method} ${op.path}`, `${byOperation.get(`${op.method} ${op.path}`) ?? ''} ${answer.status}`);
        if (answer.status === 404) counts['404']++;
        else if (answer.status === 403) counts['403']++;
        else {
          counts.others++;
          otherStatuses.set(answer.status, (otherStatuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500 || answer.status === 0) failures.push(`error: ${where}`);
        }
      }
    }
    for (const [operation, statuses] of byOperation) env.log(`${operation}:${statuses}`);
    if (otherStatuses.size > 0) env.log(`other statuses: ${[...otherStatuses].map(([s, n]) => `${s}×${n}`).join(', ')}`);

    const after = await snapshot(api.baseUrl, a.token, extraPaths);
    const diffs = snapshotDiff(before, after);
    for (const diff of diffs) failures.push(`A's data changed: ${diff}`);
    return {
      rows: [
        { figure: 'operations tried', value: targets.length },
        { figure: "A's ids", value: ids.size },
        { figure: 'requests', value: counts.requests },
        { figure: '404s', value: counts['404'] },
        { figure: '403s', value: counts['403'] },
        { figure: 'others', value: `${counts.others}${otherStatuses.size > 0 ? ` (${[...otherStatuses].map(([s, n]) => `${s}×${n}`).join(', ')})` : ''}` },
        { figure: 'leaks', value: counts.leaks },
        { figure: "A's GETs changed", value: diffs.length },
        { figure: 'duration s', value: Math.round((performance.now() - started) / 100) / 10 },
      ],
      failures,
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- API output ---\n${api.output()}`, { cause: error });
  } finally {
    await api.stop();
  }
}
