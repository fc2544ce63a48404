import OpenAI from 'openai';
import { isRetryableStatus, retryAfterFromHeaders } from '../fns.js';
import type { ChatMessage, JsonSchemaResponseFormat } from '../prompts.js';

export interface ModelRequest {
  messages: ChatMessage[];
  responseFormat: JsonSchemaResponseFormat;
  temperature: number;
  maxTokens: number;
  /** Aborts the attempt: the gateway's per-attempt timeout or the caller's cancellation. */
  signal: AbortSignal;
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
        { signal: request.signal },
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
        { signal: request.signal },
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
  // undici reports a socket closed mid-body as a TypeError ("terminated"); bad SSE data as SyntaxError.
  if (error instanceof TypeError) return { kind: 'connection', status: null, retryable: true, retryAfterMs: null };
  return { kind: 'protocol', status: null, retryable: true, retryAfterMs: null };
}
