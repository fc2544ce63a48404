import { pino } from 'pino';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { DetectFragmentsOutput } from '@kalei/contracts/ai-tasks';
import { createMemoryCache } from '../../infra/cache-memory.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../test/fake-openai-server.js';
import { createAiGatewayFromConfig } from './index.js';
import { aiConfigSchema } from './routing.js';
import type { AiGateway, AiUsageEvent } from './service.js';

let server: FakeOpenAi;
let gateway: AiGateway | undefined;

beforeEach(async () => {
  server = await startFakeOpenAi();
});

afterEach(async () => {
  gateway?.close();
  await server.close();
});

const logger = pino({ level: 'silent' });

test('with no routing configured, the real local engine answers', async () => {
  const events: AiUsageEvent[] = [];
  gateway = createAiGatewayFromConfig(aiConfigSchema.parse({}), {
    env: {},
    cache: createMemoryCache(),
    recordUsage: (event) => {
      events.push(event);
    },
    logger,
  });

  const result = await gateway.run('mirror.detectFragments', { text: 'I always ruin everything.' }, { feature: 'mirror' });

  expect(result.engine.engine).toBe('local');
  expect(DetectFragmentsOutput.safeParse(result.output).success).toBe(true);
  expect(events).toMatchObject([{ deployment: 'local', outcome: 'ok', estimated: true, costMicros: 0 }]);
});

test('AI_ROUTING and the API key from the named variable reach the model server', async () => {
  const routing = {
    lanes: {
      economy: [{ name: 'ollama', provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'llama3.2', apiKeyEnv: 'OLLAMA_KEY' }],
    },
  };
  gateway = createAiGatewayFromConfig(aiConfigSchema.parse({ AI_ROUTING: JSON.stringify(routing) }), {
    env: { OLLAMA_KEY: 'k-123' },
    cache: createMemoryCache(),
    recordUsage: () => {},
    logger,
  });
  server.enqueue({ kind: 'reply', content: JSON.stringify({ affirmation: 'I can do one kind thing for myself today.' }) });

  const result = await gateway.run('lens.affirmation', { goals: [], recentTraps: [], localDate: '2026-03-01' }, { feature: 'lens' });

  expect(result).toMatchObject({ deployment: 'ollama', engine: { engine: 'model', model: 'llama3.2', promptVersion: 'lens.affirmation@1' } });
  expect(server.requests[0]?.headers.authorization).toBe('Bearer k-123');
});
