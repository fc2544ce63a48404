// Schema-driven bad input: for every operation in the running API's /openapi.json, malformed and
// hostile variants of its path, query and body, sent with the user's token, with none and with a
// forged one. Goals: no 5xx, every error is problem+json, no 2xx for input the schema rejects
// (or without valid credentials on a secured route), and the user's stored data unchanged.
// Values come from fast-check with a printed seed: RELIABILITY_SEED=<seed> replays a run.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  bodySchema,
  fillPath,
  isProblem,
  loadOperations,
  pool,
  registerUser,
  send,
  sendJson,
  snapshot,
  snapshotDiff,
  startApi,
  validates,
  sampleOf,
  type Call,
  type JsonSchema,
  type OpenApiOperation,
  type ScenarioEnv,
  type ScenarioResult,
} from '../lib.js';

export const name = 'fuzz';

type Auth = 'user' | 'none' | 'forged';

interface Variant {
  label: string;
  /** true: the schema rejects this input; false: valid; 'maybe': not known (a 2xx is then no failure). */
  invalid: boolean | 'maybe';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const RUNS = 18;

/** Percent-encodes UTF-8 bytes (lone surrogates become U+FFFD rather than throwing). */
function encode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const oddStrings = [
  '',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil',
  '\u200b\u200c\u200d',
  '\ufeffbom',
  '\uffff\ufffe',
  '\u0007\u001b[31m',
  '💥'.repeat(40),
  'Z̷̢̛̤̈a̶̧̛͖̓l̸̰̈́g̴̣̏o̵̹͑',
  "'; drop table users; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '\r\nX-Injected: 1',
  '__proto__',
  'constructor',
  ' ',
  'null',
  '-1',
  '1e309',
];

const hostileString = fc.oneof(
  fc.constantFrom(...oddStrings),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ maxLength: 30 }),
);

const wrongTyped = fc.oneof(
  fc.integer(),
  // Finite only: JSON.stringify turns NaN and ±Infinity into null, which is valid where a field is nullable.
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  hostileString,
);

const badId = fc.oneof(
  hostileString.filter((s) => s.length > 0),
  fc.uuid().map((u) => `${u}0`),
  fc.uuid().map((u) => u.slice(1)),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `${u.slice(0, 14)}9${u.slice(15)}`),
  fc.constantFrom('0', '-1', '1e9', 'true', '[]', '{}', 'x'.repeat(300), 'NaN', '%'),
);

const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const forgedToken = fc.oneof(
  printable,
  fc.constantFrom('', 'null', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'eyJhbGciOiJFZERTQSJ9.e30.AAAA', 'a.b.c', '.'.repeat(3)),
  fc.tuple(printable, printable, printable).map(([a, b, c]) => `${a}.${b}.${c}`),
);

function sample<T>(arb: fc.Arbitrary<T>, seed: number, runs = RUNS): T[] {
  return fc.sample(arb, { seed, numRuns: runs });
}

function seedFor(base: number, ...parts: string[]): number {
  let hash = base | 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) hash = (Math.imul(hash, 31) + part.charCodeAt(i)) | 0;
  return hash;
}

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Values that break a property's schema on purpose; each is checked against the schema after. */
function badValuesFor(schema: JsonSchema, seed: number): { label: string; value: unknown }[] {
  const out: { label: string; value: unknown }[] = [];
  for (const value of sample(wrongTyped, seed)) out.push({ label: `wrong type ${typeOf(value)}`, value });
  const flat = schema.anyOf?.find((s) => s.type !== 'null') ?? schema;
  if (flat.maxLength !== undefined) {
    out.push({ label: 'maxLength+1', value: 'a'.repeat(flat.maxLength + 1) });
    out.push({ label: 'oversize unicode', value: '😀'.repeat(flat.maxLength + 1) });
  }
  if (flat.minLength !== undefined && flat.minLength > 0) out.push({ label: 'below minLength', value: 'a'.repeat(flat.minLength - 1) });
  if (flat.type === 'string') for (const s of sample(hostileString, seed + 1, 4)) out.push({ label: 'hostile string', value: s });
  if (flat.minimum !== undefined) out.push({ label: 'minimum-1', value: flat.minimum - 1 });
  if (flat.maximum !== undefined) out.push({ label: 'maximum+1', value: flat.maximum + 1 });
  if (flat.type === 'integer') out.push({ label: 'fraction', value: 1.5 });
  if (flat.enum) out.push({ label: 'enum miss', value: `${String(flat.enum[0])}x` });
  if (flat.format === 'uuid') for (const id of sample(badId, seed + 2, 3)) out.push({ label: 'bad id', value: id });
  return out;
}

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** Every variant for one operation, with the path parameters given (or bad ones). */
function variantsFor(op: OpenApiOperation, seed: number, ids: (path: string) => string): Variant[] {
  const variants: Variant[] = [];
  const params = op.operation.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const schema = bodySchema(op);
  const takesBody = op.method !== 'GET';
  const validBody = schema ? sampleOf(schema) : undefined;
  const json = { 'content-type': 'application/json' };
  const randomPath = fillPath(op.path, Object.fromEntries(pathParams.map((p) => [p.name, randomUUID()])));
  // The user's own ids only where a body schema can reject the request; a bodyless DELETE or
  // close on them would be a valid request that changes the data the scenario protects.
  const goodPath = schema ? fillPath(op.path, Object.fromEntries(pathParams.map((p) => [p.name, ids(op.path)]))) : randomPath;
  const bodyText = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));

  // Path parameters: bad ids (invalid unless one happens to match), and well-formed ids of nothing.
  for (const param of pathParams) {
    for (const id of sample(badId, seedFor(seed, param.name), RUNS * 2)) {
      const path = op.path.replace(`{${param.name}}`, encode(id)).replace(/\{[^}]+\}/g, randomUUID());
      const ok = validates(param.schema, id);
      variants.push({ label: `path ${param.name}=${JSON.stringify(id).slice(0, 40)}`, invalid: ok === false ? true : 'maybe', path, headers: takesBody ? json : {}, body: takesBody ? (bodyText(validBody) ?? '{}') : undefined });
    }
    for (const raw of ['%00', '%ff%fe', '%', '%zz', '..%2f..%2f', '%c0%af', '%E2%80%AE']) {
      variants.push({ label: `path ${param.name} raw ${raw}`, invalid: true, path: op.path.replace(`{${param.name}}`, raw).replace(/\{[^}]+\}/g, randomUUID()), headers: {} });
    }
    variants.push({ label: 'path id of nothing', invalid: false, path: randomPath, headers: takesBody && validBody !== undefined ? json : {}, body: takesBody ? bodyText(validBody) : undefined });
  }

  // Query parameters: wrong values one at a time, repeats, unknowns, oversize, bad cursors.
  for (const param of queryParams) {
    const s = param.schema ?? {};
    const values: { label: string; value: string; invalid: boolean | 'maybe' }[] = [];
    for (const value of sample(hostileString, seedFor(seed, 'q', param.name), RUNS)) values.push({ label: 'hostile', value, invalid: 'maybe' });
    if (s.type === 'integer' || s.type === 'number') {
      for (const v of ['abc', '1.5', '-1', '0', '99999999999999999999', 'Infinity', '1e400', String((s.maximum ?? 100) + 1), String((s.minimum ?? 0) - 1)]) values.push({ label: 'number', value: v, invalid: 'maybe' });
    }
    if (s.maxLength !== undefined) values.push({ label: 'oversize', value: 'c'.repeat(s.maxLength + 1), invalid: true });
    if (param.name === 'cursor') for (const c of ['eyJ9', 'AAAA', '!!!!', Buffer.from('{"t":"x","id":"y"}').toString('base64url'), Buffer.from('null').toString('base64url')]) values.push({ label: 'bad cursor', value: c, invalid: 'maybe' });
    for (const v of values) {
      let invalid = v.invalid;
      if (invalid === 'maybe') {
        const numeric = s.type === 'integer' || s.type === 'number';
        const parsed = numeric ? Number(v.value) : v.value;
        if (numeric && v.value.trim() !== '') invalid = validates(s, parsed) === false || Number.isNaN(parsed) ? true : 'maybe';
        else if (!numeric && validates(s, v.value) === false) invalid = true;
      }
      variants.push({ label: `query ${param.name} ${v.label} ${JSON.stringify(v.value).slice(0, 30)}`, invalid, path: `${randomPath}?${param.name}=${encode(v.value)}`, headers: {} });
    }
    variants.push({ label: `query ${param.name} repeated`, invalid: 'maybe', path: `${randomPath}?${param.name}=1&${param.name}=2`, headers: {} });
    variants.push({ label: `query ${param.name} raw %`, invalid: 'maybe', path: `${randomPath}?${param.name}=%zz%`, headers: {} });
  }
  if (op.method === 'GET') {
    variants.push({ label: 'query unknown', invalid: 'maybe', path: `${randomPath}?zz=${encode('\u0000')}&__proto__[x]=1`, headers: {} });
    variants.push({ label: 'long query', invalid: 'maybe', path: `${randomPath}?q=${'q'.repeat(9000)}`, headers: {} });
  }

  if (takesBody) {
    // The body: deliberately invalid objects, wrong top-level types, malformed JSON, content types.
    if (schema && validBody !== null && typeof validBody === 'object' && !Array.isArray(validBody)) {
      const base = validBody as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        const { [key]: _dropped, ...rest } = base;
        variants.push({ label: `body missing ${key}`, invalid: true, path: goodPath, headers: json, body: JSON.stringify(rest) });
      }
      for (const [key, propertySchema] of Object.entries(schema.properties ?? {})) {
        for (const bad of badValuesFor(propertySchema, seedFor(seed, 'b', key))) {
          const body = { ...base, [key]: bad.value };
          variants.push({ label: `body ${key} ${bad.label}`, invalid: validates(schema, body) === false ? true : 'maybe', path: goodPath, headers: json, body: JSON.stringify(body) });
        }
        const { [key]: _replaced, ...others } = base;
        const deep = `{"${key}":${nested(5000)},${JSON.stringify(others).slice(1)}`.replace(',}', '}');
        variants.push({ label: `body ${key} deep nesting`, invalid: validates(propertySchema, []) === false ? true : 'maybe', path: goodPath, headers: json, body: deep });
      }
      if (schema.additionalProperties === false) {
        for (const extra of ['__proto__', 'constructor', 'isAdmin', 'userId', 'zz\u0000']) {
          const body = `{${JSON.stringify(extra)}:{"polluted":true},${JSON.stringify(base).slice(1)}`;
          variants.push({ label: `body extra ${JSON.stringify(extra)}`, invalid: true, path: goodPath, headers: json, body: body.replace(',}', '}') });
        }
      }
      variants.push({ label: 'body 1e400 numbers', invalid: 'maybe', path: goodPath, headers: json, body: JSON.stringify(base).replace(/^\{/, '{"zzNumber":1e400,').replace(',}', '}') });
    }
    const strictlyInvalid = (value: unknown) => (schema ? validates(schema, value) === false : 'maybe');
    for (const value of [[], 'text', 42, null, true, {}]) {
      variants.push({ label: `body is ${JSON.stringify(value)}`, invalid: strictlyInvalid(value), path: goodPath, headers: json, body: JSON.stringify(value) });
    }
    // A leading BOM is not in this list: JSON parsers may ignore it (RFC 8259 §8.1) and Fastify's does.
    const malformed = ['{', '{"a":', '{"a":1,}', "{'a':1}", '{"a":1}{"a":2}', 'nul', '\u0000', '{"a":"\\u00"}'];
    for (const text of malformed) variants.push({ label: `malformed ${JSON.stringify(text).slice(0, 20)}`, invalid: true, path: goodPath, headers: json, body: text });
    // Deep but well-formed JSON: invalid only where the schema rejects an array.
    variants.push({ label: 'deeply nested array', invalid: schema ? validates(schema, []) === false : 'maybe', path: goodPath, headers: json, body: nested(20000) });
    variants.push({ label: 'oversize body', invalid: true, path: goodPath, headers: json, body: JSON.stringify({ x: 'o'.repeat(200_000) }) });
    if (schema && op.operation.requestBody?.required) {
      variants.push({ label: 'empty body with json type', invalid: true, path: goodPath, headers: json, body: '' });
      // Fastify hands an absent body to validation as nothing: invalid only where null is.
      variants.push({ label: 'no body', invalid: validates(schema, null) === false, path: goodPath, headers: {} });
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/xml', 'application/json; charset=utf-16', 'application/jsonx', 'application/json, text/plain']) {
        variants.push({ label: `content-type ${type}`, invalid: true, path: goodPath, headers: { 'content-type': type }, body: type.startsWith('application/json;') ? '{}' : 'a=1&b=%00' });
      }
    }
  }
  variants.push({ label: 'huge header', invalid: 'maybe', path: randomPath, headers: { 'x-filler': 'h'.repeat(20_000) } });
  return variants;
}

export default async function run(env: ScenarioEnv): Promise<ScenarioResult> {
  const started = performance.now();
  const seed = process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : Date.now() % 2 ** 31;
  env.log(`seed ${seed} (replay with RELIABILITY_SEED=${seed})`);
  const api = await startApi(env);
  const failures: string[] = [];
  try {
    const user = await registerUser(api.baseUrl, 'fuzz');
    // Data to protect: one of each kind the user can own.
    const turn = (await sendJson(api.baseUrl, 'POST', '/v1/turns', { thought: 'I always get everything wrong at work.' }, user.token)).json as { id: string };
    const session = (await sendJson(api.baseUrl, 'POST', '/v1/mirror/sessions', {}, user.token)).json as { id: string };
    await sendJson(api.baseUrl, 'POST', '/v1/mirror/messages', { sessionId: session.id, text: 'Nobody ever listens to me.' }, user.token);
    const goal = (await sendJson(api.baseUrl, 'POST', '/v1/lens/goals', { title: 'Walk every morning' }, user.token)).json as { id: string };
    const action = (await sendJson(api.baseUrl, 'POST', `/v1/lens/goals/${goal.id}/actions`, { title: 'Ten minutes outside' }, user.token)).json as { id: string };
    const checkin = (await sendJson(api.baseUrl, 'POST', '/v1/lens/checkins', { mood: 6 }, user.token)).json as { id: string };
    const ownIds: [RegExp, string][] = [
      [/^\/v1\/turns\//, turn.id],
      [/^\/v1\/mirror\/sessions\//, session.id],
      [/^\/v1\/lens\/goals\//, goal.id],
      [/^\/v1\/lens\/actions\//, action.id],
      [/^\/v1\/lens\/checkins\//, checkin.id],
    ];
    const idFor = (path: string) => ownIds.find(([pattern]) => pattern.test(path))?.[1] ?? randomUUID();
    const before = await snapshot(api.baseUrl, user.token);

    const operations = (await loadOperations(api.baseUrl)).sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
    const calls: { op: OpenApiOperation; variant: Variant; auth: Auth; call: Call }[] = [];
    for (const op of operations) {
      const secured = (op.operation.security?.length ?? 0) > 0;
      const variants = variantsFor(op, seedFor(seed, op.method, op.path), idFor);
      const forged = sample(forgedToken, seedFor(seed, 'token', op.path), variants.length);
      variants.forEach((variant, index) => {
        const modes: Auth[] = secured ? ['none', 'forged'] : ['none'];
        // With the real token only input the schema rejects, or reads: the user's data must survive.
        if (variant.invalid === true || op.method === 'GET') modes.push('user');
        for (const auth of modes) {
          const headers = { ...variant.headers };
          if (auth === 'user') headers.authorization = `Bearer ${user.token}`;
          if (auth === 'forged') headers.authorization = `Bearer ${forged[index % forged.length]}`;
          calls.push({ op, variant, auth, call: { method: op.method, path: variant.path, headers, body: variant.body } });
        }
      });
    }

    const counts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, 'declared 501/503': 0, 'no answer': 0, 'non-problem errors': 0, '2xx on invalid': 0, '2xx without auth': 0 };
    const covered = new Set<string>();
    const timeByLabel = new Map<string, number>();
    await pool(calls, 16, async ({ op, variant, auth, call }) => {
      const sent = performance.now();
      const answer = await send(api.baseUrl, call);
      const key = `${op.method} ${op.path} ${variant.label.replace(/ .*/, '')}`;
      timeByLabel.set(key, (timeByLabel.get(key) ?? 0) + performance.now() - sent);
      covered.add(`${op.method} ${op.path}`);
      const where = () => `${op.method} ${op.path} [${auth}] ${variant.label} -> ${answer.status} ${answer.contentType} ${answer.text.slice(0, 160)}`;
      const status = answer.status;
      if (status === 0) {
        counts['no answer']++;
        failures.push(`no answer: ${where()}`);
        return;
      }
      const declared = Object.keys(op.operation.responses ?? {}).includes(String(status));
      if (status >= 500) {
        if ((status === 501 || status === 503) && declared) counts['declared 501/503']++;
        else {
          counts['5xx']++;
          failures.push(`5xx: ${where()}`);
        }
      } else if (status >= 400) counts['4xx']++;
      else if (status >= 300) counts['3xx']++;
      else counts['2xx']++;
      if (status >= 400 && !isProblem(answer)) {
        counts['non-problem errors']++;
        failures.push(`not problem+json: ${where()}`);
      }
      if (status >= 200 && status < 300) {
        if (variant.invalid === true) {
          counts['2xx on invalid']++;
          failures.push(`2xx for invalid input: ${where()}`);
        } else if (auth !== 'user' && (op.operation.security?.length ?? 0) > 0) {
          counts['2xx without auth']++;
          failures.push(`2xx without valid credentials: ${where()}`);
        }
      }
    });

    const slowest = [...timeByLabel].sort((a, b) => b[1] - a[1]).slice(0, 5);
    env.log(`most time spent on: ${slowest.map(([k, ms]) => `${k} ${Math.round(ms)} ms`).join('; ')}`);
    const after = await snapshot(api.baseUrl, user.token);
    const diffs = snapshotDiff(before, after);
    for (const diff of diffs) failures.push(`stored data changed: ${diff}`);
    const invalidCount = calls.filter((c) => c.variant.invalid === true).length;
    return {
      rows: [
        { figure: 'operations covered', value: `${covered.size} of ${operations.length}` },
        { figure: 'requests', value: calls.length },
        { figure: 'of them invalid by construction', value: invalidCount },
        ...Object.entries(counts).map(([figure, value]) => ({ figure, value })),
        { figure: 'snapshot GETs changed', value: diffs.length },
        { figure: 'seed', value: seed },
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
