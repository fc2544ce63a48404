import { describe, expect, test } from 'vitest';
import { aiConfigSchema, canaryFor, LOCAL_DEPLOYMENT, loadRouting, RoutingConfigError } from './routing.js';

const vllm = {
  name: 'vllm-qwen',
  provider: 'openai-compatible',
  baseUrl: 'http://127.0.0.1:8000/v1',
  model: 'Qwen/Qwen2.5-7B-Instruct',
  timeoutMs: 15_000,
  maxRetries: 1,
  pricePerMillion: { input: 0.1, output: 0.3 },
};

const noFile = () => {
  throw new Error('no file expected');
};

describe('loadRouting', () => {
  test('no configuration: every lane is the local engine', () => {
    const routing = loadRouting({}, { env: {}, readFile: noFile });
    expect(routing.lanes.quality).toEqual([LOCAL_DEPLOYMENT]);
    expect(routing.lanes.economy).toEqual([LOCAL_DEPLOYMENT]);
  });

  test('JSON from AI_ROUTING, with the local engine appended and defaults filled in', () => {
    const routing = loadRouting(
      { AI_ROUTING: JSON.stringify({ lanes: { quality: [vllm], economy: [{ name: 'ollama', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2' }] } }) },
      { env: {}, readFile: noFile },
    );
    expect(routing.lanes.quality.map((d) => d.name)).toEqual(['vllm-qwen', 'local']);
    expect(routing.lanes.economy[0]).toMatchObject({ name: 'ollama', timeoutMs: 20_000, maxRetries: 1, pricePerMillion: { input: 0, output: 0 }, apiKey: undefined });
  });

  test('a file from AI_ROUTING_FILE, with its API key read from the named variable', () => {
    const files: Record<string, string> = {
      '/etc/kalei/routing.json': JSON.stringify({ lanes: { quality: [{ ...vllm, apiKeyEnv: 'VLLM_KEY' }, { name: 'local', provider: 'local' }] } }),
    };
    const routing = loadRouting(
      { AI_ROUTING_FILE: '/etc/kalei/routing.json' },
      { env: { VLLM_KEY: 'secret' }, readFile: (path) => files[path] ?? noFile() },
    );
    expect(routing.lanes.quality.map((d) => d.name)).toEqual(['vllm-qwen', 'local']);
    expect(routing.lanes.quality[0]?.apiKey).toBe('secret');
    expect(routing.lanes.economy).toEqual([LOCAL_DEPLOYMENT]);
  });

  test.each([
    { name: 'both sources', config: { AI_ROUTING: '{}', AI_ROUTING_FILE: '/x' }, message: /only one/ },
    { name: 'not JSON', config: { AI_ROUTING: '{lanes' }, message: /not valid JSON/ },
    { name: 'unknown key', config: { AI_ROUTING: JSON.stringify({ lanes: {}, extra: 1 }) }, message: /invalid/ },
    {
      name: 'openai-compatible without baseUrl',
      config: { AI_ROUTING: JSON.stringify({ lanes: { quality: [{ name: 'x', provider: 'openai-compatible', model: 'm' }] } }) },
      message: /baseUrl: required/,
    },
    {
      name: 'missing API key variable',
      config: { AI_ROUTING: JSON.stringify({ lanes: { quality: [{ ...vllm, apiKeyEnv: 'NOPE' }] } }) },
      message: /NOPE is not set/,
    },
    {
      name: 'local before a model',
      config: { AI_ROUTING: JSON.stringify({ lanes: { quality: [{ name: 'local', provider: 'local' }, vllm] } }) },
      message: /must be the last/,
    },
    {
      name: 'same name, different definitions',
      config: { AI_ROUTING: JSON.stringify({ lanes: { quality: [vllm], economy: [{ ...vllm, timeoutMs: 1_000 }] } }) },
      message: /defined differently/,
    },
    {
      name: 'reserved name',
      config: { AI_ROUTING: JSON.stringify({ lanes: { quality: [{ ...vllm, name: 'local' }] } }) },
      message: /reserved/,
    },
  ])('rejects $name', ({ config, message }) => {
    expect(() => loadRouting(config, { env: {}, readFile: () => '{}' })).toThrow(RoutingConfigError);
    expect(() => loadRouting(config, { env: {}, readFile: () => '{}' })).toThrow(message);
  });

  test('an unreadable file is a configuration error', () => {
    expect(() => loadRouting({ AI_ROUTING_FILE: '/missing.json' }, { env: {}, readFile: noFile })).toThrow(/cannot read/);
  });
});

describe('aiConfigSchema', () => {
  test('defaults and coercion from environment strings', () => {
    const parsed = aiConfigSchema.parse({ AI_BREAKER_RESET_MS: '5000' });
    expect(parsed).toMatchObject({ AI_BREAKER_RESET_MS: 5_000, AI_BREAKER_ERROR_PERCENT: 50, AI_BREAKER_MIN_REQUESTS: 5, AI_RETRY_AFTER_MAX_MS: 10_000 });
    expect(parsed.AI_ROUTING).toBeUndefined();
  });
});

describe('canaries', () => {
  const canaryDeployment = { name: 'vllm-qwen3', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:8001/v1', model: 'Qwen/Qwen3-8B' };
  const withCanary = (canary: unknown) => JSON.stringify({ lanes: { quality: [vllm] }, canaries: { quality: canary } });

  test('a lane canary is resolved with its share and salt; lanes without one have none', () => {
    const routing = loadRouting({ AI_ROUTING: withCanary({ deployment: { ...canaryDeployment, apiKeyEnv: 'QWEN3_KEY' }, percent: 10 }) }, { env: { QWEN3_KEY: 'k' }, readFile: noFile });
    expect(routing.canaries?.quality).toMatchObject({ percent: 10, salt: 'canary', deployment: { name: 'vllm-qwen3', apiKey: 'k', timeoutMs: 20_000 } });
    expect(routing.canaries?.economy).toBeUndefined();
    expect(routing.lanes.quality.map((d) => d.name)).toEqual(['vllm-qwen', 'local']);
  });

  test('the share of users matches the percent, each user always lands the same way, and anonymous calls stay on the lane', () => {
    const routing = loadRouting({ AI_ROUTING: withCanary({ deployment: canaryDeployment, percent: 25, salt: 'rollout-7' }) }, { env: {}, readFile: noFile });
    const ids = Array.from({ length: 4000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const inCanary = ids.filter((id) => canaryFor(routing, 'quality', id) !== null).length;
    expect(inCanary / ids.length).toBeGreaterThan(0.22);
    expect(inCanary / ids.length).toBeLessThan(0.28);
    for (const id of ids.slice(0, 50)) expect(canaryFor(routing, 'quality', id)).toBe(canaryFor(routing, 'quality', id));
    expect(canaryFor(routing, 'quality', null)).toBeNull();
    expect(canaryFor(routing, 'economy', ids[0])).toBeNull();
    // A bucket below the share is in at every larger share too: raising the percent only adds users.
    const bigger = loadRouting({ AI_ROUTING: withCanary({ deployment: canaryDeployment, percent: 60, salt: 'rollout-7' }) }, { env: {}, readFile: noFile });
    for (const id of ids.slice(0, 500)) if (canaryFor(routing, 'quality', id)) expect(canaryFor(bigger, 'quality', id)).not.toBeNull();
    const none = loadRouting({ AI_ROUTING: withCanary({ deployment: canaryDeployment, percent: 0 }) }, { env: {}, readFile: noFile });
    expect(ids.some((id) => canaryFor(none, 'quality', id))).toBe(false);
  });

  test.each<[string, unknown, RegExp]>([
    ['a share above 100', { deployment: canaryDeployment, percent: 120 }, /canaries\.quality\.percent/],
    ['a local canary', { deployment: { name: 'local', provider: 'local' }, percent: 5 }, /canary is a model deployment/],
    ['a canary already in the lane', { deployment: vllm, percent: 5 }, /already in lanes\.quality/],
    ['a missing API key', { deployment: { ...canaryDeployment, apiKeyEnv: 'MISSING_KEY' }, percent: 5 }, /MISSING_KEY is not set/],
    ['an unknown field', { deployment: canaryDeployment, percent: 5, sticky: false }, /canaries\.quality/],
  ])('%s is refused', (_, canary, message) => {
    expect(() => loadRouting({ AI_ROUTING: withCanary(canary) }, { env: {}, readFile: noFile })).toThrow(message);
    expect(() => loadRouting({ AI_ROUTING: withCanary(canary) }, { env: {}, readFile: noFile })).toThrow(RoutingConfigError);
  });
});
