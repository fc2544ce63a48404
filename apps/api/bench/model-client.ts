// Client CPU per model call: the openai SDK over Node's fetch against the SDK over undici's request
// API (the provider's transport), both against the fake model server on loopback. Prints a JSON line.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { Agent } from 'undici';
import { undiciFetch } from '../src/modules/ai-gateway/providers/openai-compatible.js';
import { spawnWithFirstLine } from './lib.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fake = await spawnWithFirstLine(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'apps/api/bench/fake-model.ts')], process.env);
const request = {
  model: 'bench',
  messages: [{ role: 'user' as const, content: 'I always ruin everything.' }],
  response_format: { type: 'json_schema' as const, json_schema: { name: 'turn_reframe', schema: {} } },
};

/** Client CPU microseconds per call and calls per second, 20 at a time, after a warm-up. */
async function measure(client: OpenAI, calls = 4_000, concurrency = 20) {
  for (let i = 0; i < 500; i++) await client.chat.completions.create(request);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued++ < calls) await client.chat.completions.create(request);
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuMicrosPerCall: Math.round((cpu.user + cpu.system) / calls), callsPerSecond: Math.round((calls / (performance.now() - started)) * 1000) };
}

const options = { baseURL: fake.line, apiKey: 'unused', maxRetries: 0 };
const results: Record<string, { cpuMicrosPerCall: number; callsPerSecond: number }> = {};
// Alternate twice so drift on a shared machine hits both alike; keep the better of each.
for (let round = 0; round < 2; round++) {
  for (const [name, client] of [
    ['sdkOverNodeFetch', new OpenAI(options)],
    ['sdkOverUndiciRequest', new OpenAI({ ...options, fetch: undiciFetch(new Agent()) })],
  ] as const) {
    const result = await measure(client);
    if (!results[name] || result.cpuMicrosPerCall < results[name].cpuMicrosPerCall) results[name] = result;
  }
}
fake.child.kill();
console.log(JSON.stringify(results));
process.exit(0);
