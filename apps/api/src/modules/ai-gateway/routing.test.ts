import { describe, expect, test } from 'vitest';
import { aiConfigSchema, LOCAL_DEPLOYMENT, loadRouting, RoutingConfigError } from './routing.js';

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
