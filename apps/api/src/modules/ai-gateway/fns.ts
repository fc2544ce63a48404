/**
 * Pure rules of the AI gateway: cost, backoff, Retry-After, token estimates and pulling the JSON
 * object out of a model's reply. No I/O and no clock: callers pass `now` and `random`.
 */

/** Prices in currency units per million tokens, as written in the routing configuration. */
export interface PricePerMillion {
  input: number;
  output: number;
}

/** Cost in integer micro-units of currency: a price per million tokens is exactly micro-units per token. */
export function costMicros(inputTokens: number, outputTokens: number, price: PricePerMillion): number {
  return Math.round(inputTokens * price.input + outputTokens * price.output);
}

/** Rough token count used when a server reports none: about four characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Estimated prompt tokens of a chat request (content only; role framing is a few tokens we ignore). */
export function estimateMessageTokens(messages: ReadonlyArray<{ content: string }>): number {
  return messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
}

export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Upper bound of any computed delay. */
  maxMs: number;
}

/**
 * Delay before retry number `retry` (1-based): exponential with "equal jitter", so the wait is
 * between half and all of min(maxMs, baseMs * 2^(retry-1)). Half is kept so retries never bunch at 0.
 */
export function backoffDelayMs(retry: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * clamp01(random));
}

/**
 * Parses a Retry-After header, either delta-seconds or an HTTP date, into milliseconds from now.
 * Returns null when absent or unreadable; a date in the past means "now" (0).
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Date.parse accepts plain numbers and partial strings too; require something date-like.
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** OpenAI-style servers may also send `retry-after-ms`; it wins when present because it is more precise. */
export function retryAfterFromHeaders(
  get: (name: string) => string | null | undefined,
  nowMs: number,
): number | null {
  const ms = get('retry-after-ms');
  if (ms !== null && ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms.trim()));
  return parseRetryAfterMs(get('retry-after'), nowMs);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Whether to retry the same deployment and after how long. A server's Retry-After is honoured as
 * the wait; when it asks for longer than `maxRetryAfterMs`, the next deployment is a better bet.
 */
export function decideRetry(args: {
  retryable: boolean;
  retriesUsed: number;
  maxRetries: number;
  retryAfterMs: number | null;
  maxRetryAfterMs: number;
  policy: BackoffPolicy;
  random: number;
}): RetryDecision {
  if (!args.retryable || args.retriesUsed >= args.maxRetries) return { retry: false };
  if (args.retryAfterMs !== null) {
    if (args.retryAfterMs > args.maxRetryAfterMs) return { retry: false };
    return { retry: true, delayMs: args.retryAfterMs };
  }
  return { retry: true, delayMs: backoffDelayMs(args.retriesUsed + 1, args.policy, args.random) };
}

/** HTTP statuses worth retrying: timeouts, rate limits and server errors. Other 4xx are our fault. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Seconds to tell a client to wait, from the longest Retry-After seen or a default; at least 1. */
export function retryAfterSeconds(longestRetryAfterMs: number | null, defaultMs: number): number {
  return Math.max(1, Math.ceil((longestRetryAfterMs ?? defaultMs) / 1000));
}

/**
 * The JSON object text inside a model reply. Structured output normally makes this the whole reply,
 * but some servers still wrap it in a markdown fence or a sentence; take the outermost braces.
 */
export function extractJsonText(content: string): string {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start === -1 || end < start) return content.trim();
  return content.slice(start, end + 1);
}

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}
