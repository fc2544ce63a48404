import { Readable } from 'node:stream';
import OpenAI from 'openai';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { isRetryableStatus, retryAfterFromHeaders } from '../fns.js';
import type { ChatMessage, JsonSchemaResponseFormat } from '../prompts.js';

export interface ModelRequest {
  messages: ChatMessage[];
  responseFormat: JsonSchemaResponseFormat;
  temperature: number;
  maxTokens: number;
  /** Aborts the attempt: the gateway's per-attempt timeout or the caller's cancellation. */
  signal: AbortSignal;
  /** Extra request headers (W3C trace context). */
  headers?: Record<string, string>;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelReply {
  content: string;
  finishReason: string | null;
  /** Null when the server reported none. */
  usage: ModelUsage | null;
}

export type ModelStreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'finish'; reason: string }
  | { type: 'usage'; usage: ModelUsage };

/** A chat model behind an OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, hosted APIs). */
export interface ModelProvider {
  complete(request: ModelRequest): Promise<ModelReply>;
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>;
}

/** Why an attempt failed, in the terms the retry policy needs. */
export interface ProviderFailure {
  kind: 'timeout' | 'http' | 'connection' | 'protocol';
  status: number | null;
  retryable: boolean;
  retryAfterMs: number | null;
}

/** A stream that ended without a finish reason: the server or the network cut it off. */
export class StreamCutError extends Error {
  override name = 'StreamCutError';
}

const headersRecord = (headers: RequestInit['headers']): Record<string, string> => {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return headers as Record<string, string>;
};

/**
 * The SDK's transport: undici's request API behind the fetch interface the SDK accepts. Node's
 * fetch and its web streams made the model call the largest CPU cost of a turn (bench/model-client.ts:
 * about twice the client CPU per call through global fetch than through this). JSON answers
 * are read whole; event streams stay streams.
 */
export function undiciFetch(dispatcher: Dispatcher): typeof fetch {
  return async (input, init = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    const response = await request(url, {
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: headersRecord(init.headers),
      body: init.body as string | null | undefined,
      signal: init.signal ?? undefined,
      dispatcher,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const noBody = response.statusCode === 204 || response.statusCode === 205 || response.statusCode === 304;
    if (noBody) {
      await response.body.dump();
      return new Response(null, { status: response.statusCode, headers });
    }
    const streaming = headers.get('content-type')?.includes('text/event-stream') ?? false;
    const body = streaming ? (Readable.toWeb(response.body) as ReadableStream<Uint8Array>) : await response.body.arrayBuffer();
    return new Response(body, { status: response.statusCode, headers });
  };
}

/** Creates a provider for one deployment; the SDK never retries, the gateway does. */
export function createOpenAiCompatibleProvider(deployment: {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  timeoutMs: number;
}): ModelProvider {
  const client = new OpenAI({
    baseURL: deployment.baseUrl,
    // The SDK insists on a key; self-hosted servers ignore it. Passing values explicitly also keeps
    // the SDK from reading OPENAI_* variables out of the environment behind the config's back.
    apiKey: deployment.apiKey ?? 'unused',
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: deployment.timeoutMs,
    fetch: undiciFetch(new Agent({ keepAliveTimeout: 30_000 })),
  });

  const base = (request: ModelRequest) => ({
    model: deployment.model,
    messages: request.messages,
    response_format: request.responseFormat,
    temperature: request.temperature,
    max_tokens: request.maxTokens,
  });

  return {
    async complete(request) {
      const completion = await client.chat.completions.create(
        { ...base(request), stream: false },
        { signal: request.signal, headers: request.headers ?? {} },
      );
      const choice = completion.choices[0];
      return {
        content: choice?.message.content ?? '',
        finishReason: choice?.finish_reason ?? null,
        usage: completion.usage
          ? { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens }
          : null,
      };
    },

    async *stream(request) {
      const stream = await client.chat.completions.create(
        { ...base(request), stream: true, stream_options: { include_usage: true } },
        { signal: request.signal, headers: request.headers ?? {} },
      );
      for await (const chunk of stream) {
        if (chunk.usage) {
          yield { type: 'usage', usage: { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens } };
        }
        const choice = chunk.choices[0];
        const text = choice?.delta?.content;
        if (typeof text === 'string' && text.length > 0) yield { type: 'delta', text };
        if (choice?.finish_reason) yield { type: 'finish', reason: choice.finish_reason };
      }
      // The SDK ends an aborted stream quietly; surface it so a timeout is not mistaken for the end.
      if (request.signal.aborted) throw request.signal.reason ?? new Error('aborted');
    },
  };
}

/** Classifies an SDK or network error for the retry policy. */
export function classifyProviderError(error: unknown, nowMs: number): ProviderFailure {
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return { kind: 'timeout', status: null, retryable: true, retryAfterMs: null };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return { kind: 'connection', status: null, retryable: true, retryAfterMs: null };
  }
  if (error instanceof OpenAI.APIError) {
    if (typeof error.status === 'number') {
      const headers = error.headers;
      return {
        kind: 'http',
        status: error.status,
        retryable: isRetryableStatus(error.status),
        retryAfterMs: headers ? retryAfterFromHeaders((name) => headers.get(name), nowMs) : null,
      };
    }
    // An error event inside a 200 stream: the server gave up part-way.
    return { kind: 'protocol', status: null, retryable: true, retryAfterMs: null };
  }
  if (error instanceof StreamCutError) return { kind: 'connection', status: null, retryable: true, retryAfterMs: null };
  // A socket closed mid-body: undici's own errors (SocketError, "other side closed"), or a
  // TypeError ("terminated") from a web stream over it. Bad SSE data is a SyntaxError.
  if (error instanceof TypeError || error instanceof undiciErrors.UndiciError) return { kind: 'connection', status: null, retryable: true, retryAfterMs: null };
  return { kind: 'protocol', status: null, retryable: true, retryAfterMs: null };
}
