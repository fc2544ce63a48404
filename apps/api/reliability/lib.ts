// Shared pieces of the reliability suite: a real API process (apps/api/dist/server.js) on a fresh
// PostgreSQL database and a Redis prefix of its own, users, and a bounded HTTP client.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What every scenario is given by the runner. */
export interface ScenarioEnv {
  databaseUrl: string;
  redisUrl: string;
  log: (line: string) => void;
}

/** What every scenario returns: rows for its table, and failures (empty when its goals hold). */
export interface ScenarioResult {
  rows: Record<string, string | number>[];
  failures: string[];
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function runToEnd(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}: ${output.slice(-2000)}`))));
  });
}

export interface Api {
  baseUrl: string;
  /** The last lines the process printed, for failure messages. */
  output(): string;
  /** Runs one of the API's command-line tools (`plans-cli.js`, ...) on the same database and cache. */
  cli(script: string, args: string[]): Promise<void>;
  /** Stops the process (SIGTERM), drops its database and deletes its Redis keys. */
  stop(): Promise<void>;
}

/**
 * Starts the built API on a fresh, migrated database, with request rate limits off (0) so 429s do
 * not hide the answers a scenario is after; `extraEnv` overrides any of it. With
 * `databaseAddress` (`host:port`, e.g. a proxy the scenario can cut) the API and its migrations
 * reach the database there; the suite itself still creates and drops it directly.
 */
export async function startApi(
  env: ScenarioEnv,
  extraEnv: Record<string, string> = {},
  options: { databaseAddress?: string } = {},
): Promise<Api> {
  const name = `kalei_rel_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: env.databaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const dbUrl = new URL(env.databaseUrl);
  dbUrl.pathname = `/${name}`;
  if (options.databaseAddress) dbUrl.host = options.databaseAddress;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kalei-rel-'));
  const redisPrefix = `kalei-rel:${randomBytes(5).toString('hex')}:`;
  const port = await freePort();
  const processEnv: Record<string, string> = {
    KALEI_DATA_DIR: dataDir,
    DATABASE_URL: dbUrl.toString(),
    DATABASE_POOL_MAX: '10',
    REDIS_URL: env.redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    LOGIN_RATE_LIMIT_PER_IP: '100000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT: '100000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT_ANY_ADDRESS: '100000',
    // Sign-in key sets on a closed local port: the suite never reaches the internet.
    APPLE_JWKS_URL: 'http://127.0.0.1:9/apple-keys',
    GOOGLE_JWKS_URL: 'http://127.0.0.1:9/google-keys',
    ...extraEnv,
  };
  const cleanup = async () => {
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    const redis = new Redis(env.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      for (let cursor = '0'; ; ) {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        if (next === '0') break;
        cursor = next;
      }
    } catch {
      // a throwaway Redis; leftover keys under a random prefix harm nothing
    } finally {
      redis.disconnect();
    }
  };

  try {
    await runToEnd([path.join(repoRoot, 'apps/api/dist/migrate.js')], processEnv);
  } catch (error) {
    await cleanup();
    throw error;
  }
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/api/dist/server.js')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...processEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
    await cleanup();
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await cleanup();
      throw new Error(`API exited before /ready: ${tail}`);
    }
    if (await fetch(`${baseUrl}/ready`).then((r) => r.status === 200, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`API not ready within 60 s: ${tail}`);
    }
    await sleep(100);
  }
  const cli = (script: string, args: string[]) => runToEnd([path.join(repoRoot, 'apps/api/dist', script), ...args], processEnv);
  return { baseUrl, output: () => tail, cli, stop };
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
}

export interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A raw body, sent as is. */
  body?: string;
  /** Client timeout, 15 s unless given. */
  timeoutMs?: number;
}

/** One request with a 15 s timeout (or `call.timeoutMs`); a network error or timeout becomes status 0. */
export async function send(baseUrl: string, call: Call): Promise<Answer> {
  try {
    const res = await fetch(baseUrl + call.path, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal: AbortSignal.timeout(call.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    let json: unknown;
    if (contentType.includes('json') && text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.status, contentType, text, json };
  } catch (error) {
    return { status: 0, contentType: '', text: (error as Error).message, json: undefined };
  }
}

/** Sends JSON and throws unless the answer is 2xx; for a scenario's own setup steps. */
export async function sendJson(baseUrl: string, method: string, urlPath: string, body?: unknown, token?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const answer = await send(baseUrl, { method, path: urlPath, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (answer.status < 200 || answer.status >= 300) throw new Error(`${method} ${urlPath}: ${answer.status} ${answer.text.slice(0, 500)}`);
  return answer;
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  });
  await Promise.all(workers);
}

export interface User {
  email: string;
  token: string;
  id: string;
}

/** Registers a user with a random address and returns its access token. */
export async function registerUser(baseUrl: string, label: string): Promise<User> {
  const email = `rel-${label}-${randomBytes(4).toString('hex')}@example.com`;
  const answer = await sendJson(baseUrl, 'POST', '/v1/auth/register', { email, password: `pw-${randomBytes(12).toString('hex')}`, displayName: `Rel ${label}` });
  const result = answer.json as { user: { id: string }; tokens: { accessToken: string } };
  return { email, token: result.tokens.accessToken, id: result.user.id };
}

/** GET answers a user's data is read through, for before/after comparison. */
export const snapshotPaths = [
  '/v1/me',
  '/v1/turns?limit=50',
  '/v1/mirror/sessions?limit=50',
  '/v1/lens/goals',
  '/v1/lens/checkins?limit=366',
  '/v1/notifications/devices',
  '/v1/gallery?limit=50',
  '/v1/me/export',
];

/** The raw text of each snapshot GET (plus any extra paths), keyed by path. */
export async function snapshot(baseUrl: string, token: string, extraPaths: string[] = []): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of [...snapshotPaths, ...extraPaths]) {
    const answer = await send(baseUrl, { method: 'GET', path: p, headers: { authorization: `Bearer ${token}` } });
    // The export stamps the time it was made; everything else in it is stored data.
    out.set(p, `${answer.status} ${answer.text.replace(/"exportedAt":"[^"]*"/, '"exportedAt":"-"')}`);
  }
  return out;
}

/** Paths whose snapshot text differs, with a short excerpt of each side. */
export function snapshotDiff(before: Map<string, string>, after: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [p, text] of before) {
    const later = after.get(p);
    if (later !== text) diffs.push(`${p}: before ${text.slice(0, 300)} | after ${(later ?? '(missing)').slice(0, 300)}`);
  }
  return diffs;
}

export interface OpenApiOperation {
  method: string;
  path: string;
  operation: {
    parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
    requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
    responses?: Record<string, unknown>;
    security?: unknown[];
  };
}

/** The subset of JSON Schema the API's OpenAPI document uses. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  default?: unknown;
  example?: unknown;
  $ref?: string;
  [key: string]: unknown;
}

/** Every operation of the running API's /openapi.json, with `$ref`s into components resolved. */
export async function loadOperations(baseUrl: string): Promise<OpenApiOperation[]> {
  const answer = await send(baseUrl, { method: 'GET', path: '/openapi.json' });
  if (answer.status !== 200) throw new Error(`/openapi.json answered ${answer.status}`);
  const doc = answer.json as { paths: Record<string, Record<string, OpenApiOperation['operation']>>; components?: { schemas?: Record<string, JsonSchema> } };
  const schemas = doc.components?.schemas ?? {};
  const resolve = (value: unknown, depth = 0): unknown => {
    if (depth > 40 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => resolve(v, depth + 1));
    const record = value as Record<string, unknown>;
    if (typeof record.$ref === 'string' && record.$ref.startsWith('#/components/schemas/')) {
      return resolve(schemas[record.$ref.slice('#/components/schemas/'.length)], depth + 1);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolve(v, depth + 1)]));
  };
  const operations: OpenApiOperation[] = [];
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({ method: method.toUpperCase(), path: p, operation: resolve(operation) as OpenApiOperation['operation'] });
    }
  }
  return operations;
}

/** The operation's JSON request body schema, if it has one. */
export function bodySchema(op: OpenApiOperation): JsonSchema | undefined {
  return op.operation.requestBody?.content?.['application/json']?.schema;
}

/**
 * Whether a value satisfies a schema: true, false, or undefined when the schema uses a keyword this
 * checker does not know (the caller must then treat the value as possibly valid).
 */
export function validates(schema: JsonSchema | undefined, value: unknown): boolean | undefined {
  if (!schema) return true;
  const known = new Set([
    'type', 'properties', 'required', 'additionalProperties', 'items', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', 'minLength', 'maxLength',
    'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'format', 'default', 'example',
    'description', 'title', '$schema', '$id', 'examples', 'readOnly', 'writeOnly', 'deprecated', 'nullable',
  ]);
  for (const key of Object.keys(schema)) if (!known.has(key)) return undefined;
  let unknown = false;
  const fold = (result: boolean | undefined): boolean => {
    if (result === undefined) unknown = true;
    return result !== false;
  };
  if (schema.anyOf || schema.oneOf) {
    const options = (schema.anyOf ?? schema.oneOf)!.map((s) => validates(s, value));
    if (!options.some((r) => r !== false)) return false;
    if (!options.some((r) => r === true)) unknown = true;
  }
  if (schema.allOf) for (const s of schema.allOf) if (!fold(validates(s, value))) return false;
  if (schema.enum && !schema.enum.some((e) => e === value)) return false;
  if ('const' in schema && schema.const !== value) return false;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    const ok = types.some((t) => t === actual || (t === 'integer' && typeof value === 'number' && Number.isInteger(value)));
    if (!ok) return false;
  }
  if (typeof value === 'string') {
    const stringFits = (text: string): boolean | undefined => {
      const length = [...text].length;
      if (schema.minLength !== undefined && length < schema.minLength) return false;
      if (schema.maxLength !== undefined && length > schema.maxLength) return false;
      if (schema.pattern !== undefined) {
        try {
          if (!new RegExp(schema.pattern, 'u').test(text)) return false;
        } catch {
          return undefined;
        }
      }
      return true;
    };
    const raw = stringFits(value);
    if (raw === false) {
      // The contracts trim text fields before checking them, which JSON Schema cannot say: a
      // string that fits once trimmed may be accepted.
      if (stringFits(value.trim()) !== false) unknown = true;
      else return false;
    } else if (raw === undefined) unknown = true;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return false;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
    if (schema.items) for (const item of value) if (!fold(validates(schema.items, item))) return false;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) return false;
    for (const [key, item] of Object.entries(record)) {
      const property = schema.properties?.[key];
      if (property) {
        if (!fold(validates(property, item))) return false;
      } else if (schema.additionalProperties === false) {
        return false;
      } else if (typeof schema.additionalProperties === 'object') {
        if (!fold(validates(schema.additionalProperties, item))) return false;
      }
    }
  }
  return unknown ? undefined : true;
}

/**
 * A valid value for a schema, or undefined if none is known: required properties only, or every
 * property with `all` (so an update with nothing required still changes something).
 */
export function sampleOf(schema: JsonSchema | undefined, pick: (name: string, schema: JsonSchema) => unknown = () => undefined, name = '', all = false): unknown {
  if (!schema) return undefined;
  const chosen = pick(name, schema);
  if (chosen !== undefined) return chosen;
  if (schema.default !== undefined) return schema.default;
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    for (const option of options) {
      const value = sampleOf(option, pick, name, all);
      if (value !== undefined && validates(option, value) !== false) return value;
    }
    return undefined;
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        const value = sampleOf(schema.properties?.[key], pick, key, all);
        if (value === undefined) return undefined;
        out[key] = value;
      }
      if (all) {
        for (const [key, property] of Object.entries(schema.properties ?? {})) {
          if (key in out) continue;
          const value = sampleOf(property, pick, key, all);
          if (value !== undefined) out[key] = value;
        }
      }
      return out;
    }
    case 'array':
      return schema.minItems ? Array.from({ length: schema.minItems }, () => sampleOf(schema.items, pick, name, all)) : [];
    case 'string': {
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date') return '2026-01-15';
      if (schema.format === 'date-time') return '2026-01-15T12:00:00.000Z';
      if (schema.format === 'email') return 'someone@example.com';
      const text = 'a'.repeat(Math.max(1, schema.minLength ?? 1));
      return validates(schema, text) === false ? undefined : text;
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

/** Fills `{name}` path parameters. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, key: string) => encodeURIComponent(values[key] ?? 'x'));
}

/** Whether an answer is RFC 9457 problem+json with the status it was sent with. */
export function isProblem(answer: Answer): boolean {
  if (!answer.contentType.startsWith('application/problem+json')) return false;
  const body = answer.json as { status?: unknown; title?: unknown } | undefined;
  return !!body && typeof body === 'object' && body.status === answer.status && typeof body.title === 'string';
}
