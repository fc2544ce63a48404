import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible server for tests: real HTTP on 127.0.0.1 speaking the
 * `/v1/chat/completions` wire format, JSON and SSE, with scripted behaviour per request.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (model, messages, response_format, stream, stream_options, ...). */
  body: ChatRequestBody;
}

export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
  max_tokens?: number;
  temperature?: number;
  [key: string]: unknown;
}

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type FakeBehaviour =
  /** A normal answer: JSON for plain requests, SSE chunks for `stream: true`. */
  | {
      kind: 'reply';
      content: string;
      /** Defaults to a chars/4 count; null leaves `usage` out entirely. */
      usage?: FakeUsage | null;
      /** Wait before the status line (drives attempt timeouts). */
      delayMs?: number;
      /** Characters per SSE content chunk. */
      chunkSize?: number;
      /** Pause between SSE chunks. */
      chunkDelayMs?: number;
      finishReason?: string;
    }
  /** An HTTP error with an OpenAI-style error body. */
  | { kind: 'error'; status: number; headers?: Record<string, string>; message?: string; delayMs?: number }
  /** Never answers; the request ends when the client gives up. */
  | { kind: 'hang' }
  /** Drops the connection before any response. */
  | { kind: 'destroy' }
  /**
   * Streams with status 200, sends content chunks up to `afterChars` characters, then either destroys
   * the socket (`destroy`, a network cut) or ends the response cleanly without a finish (`end`).
   */
  | { kind: 'breakStream'; content: string; afterChars: number; chunkSize?: number; how?: 'destroy' | 'end' };

export type FakeHandler = (request: RecordedRequest, index: number) => FakeBehaviour;

export interface FakeOpenAi {
  /** Base URL for the SDK, including `/v1`. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Queues behaviours for the next requests, first in first out. */
  enqueue(...behaviours: FakeBehaviour[]): void;
  /** What to do once the queue is empty (default: a 500 saying nothing was scripted). */
  setFallback(fallback: FakeBehaviour | FakeHandler): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts the fake server on an ephemeral port. */
export async function startFakeOpenAi(options: { fallback?: FakeBehaviour | FakeHandler } = {}): Promise<FakeOpenAi> {
  const queue: FakeBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: FakeBehaviour | FakeHandler = options.fallback ?? { kind: 'error', status: 500, message: 'nothing scripted' };
  let sequence = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      let body: ChatRequestBody = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
      } catch {
        body = {};
      }
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
      const index = requests.length;
      requests.push(recorded);
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        sendError(res, 404, `no route ${req.method} ${path}`);
        return;
      }
      const next = queue.shift() ?? (typeof fallback === 'function' ? fallback(recorded, index) : fallback);
      void respond(res, next, body).catch(() => res.destroy());
    });
  });

  async function respond(res: ServerResponse, behaviour: FakeBehaviour, body: ChatRequestBody): Promise<void> {
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    switch (behaviour.kind) {
      case 'hang':
        return;
      case 'destroy':
        res.socket?.destroy();
        return;
      case 'error':
        if (behaviour.delayMs) await sleep(behaviour.delayMs);
        if (gone) return;
        sendError(res, behaviour.status, behaviour.message ?? `status ${behaviour.status}`, behaviour.headers);
        return;
      case 'breakStream': {
        startSse(res);
        const id = `chatcmpl-${++sequence}`;
        const model = body.model ?? 'unknown';
        writeSse(res, chunk(id, model, { role: 'assistant', content: '' }, null));
        const sent = behaviour.content.slice(0, behaviour.afterChars);
        for (const piece of split(sent, behaviour.chunkSize ?? 8)) {
          writeSse(res, chunk(id, model, { content: piece }, null));
          await sleep(1);
          if (gone) return;
        }
        // Let the bytes reach the client before the cut, as a real mid-stream failure would.
        await sleep(20);
        if (behaviour.how === 'end') res.end();
        else res.socket?.destroy();
        return;
      }
      case 'reply': {
        if (behaviour.delayMs) await sleep(behaviour.delayMs);
        if (gone) return;
        const usage = behaviour.usage === undefined ? defaultUsage(body, behaviour.content) : behaviour.usage;
        const finishReason = behaviour.finishReason ?? 'stop';
        const id = `chatcmpl-${++sequence}`;
        const model = body.model ?? 'unknown';
        if (body.stream !== true) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id,
              object: 'chat.completion',
              created: Math.floor(Date.now() / 1000),
              model,
              choices: [{ index: 0, message: { role: 'assistant', content: behaviour.content }, finish_reason: finishReason, logprobs: null }],
              ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
            }),
          );
          return;
        }
        startSse(res);
        writeSse(res, chunk(id, model, { role: 'assistant', content: '' }, null));
        for (const piece of split(behaviour.content, behaviour.chunkSize ?? 16)) {
          writeSse(res, chunk(id, model, { content: piece }, null));
          if (behaviour.chunkDelayMs) await sleep(behaviour.chunkDelayMs);
          if (gone) return;
        }
        writeSse(res, chunk(id, model, {}, finishReason));
        if (usage && body.stream_options?.include_usage === true) {
          writeSse(res, {
            id,
            object: 'chat.completion.chunk',
            created: Math.floor(Date.now() / 1000),
            model,
            choices: [],
            usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
          });
        }
        res.write('data: [DONE]\n\n');
        res.end();
        return;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue(...behaviours) {
      queue.push(...behaviours);
    },
    setFallback(next) {
      fallback = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type: status === 429 ? 'rate_limit_error' : 'server_error', code: null, param: null } }));
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
}

function writeSse(res: ServerResponse, data: unknown): void {
  res.write(`data: ${JSON.stringify(data)}\n\n`);
}

function chunk(id: string, model: string, delta: Record<string, unknown>, finishReason: string | null) {
  return {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  };
}

function split(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

function defaultUsage(body: ChatRequestBody, content: string): FakeUsage {
  const promptChars = (body.messages ?? []).reduce((sum, message) => sum + String(message.content).length, 0);
  return { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: Math.ceil(content.length / 4) };
}
