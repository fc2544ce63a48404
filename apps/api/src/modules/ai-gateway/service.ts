import { setTimeout as delay } from 'node:timers/promises';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { aiTasks, type AiTaskInput, type AiTaskName, type AiTaskOutput, type EngineInfo } from '@kalei/contracts/ai-tasks';
import type { Cache } from '../../infra/cache.js';
import { createBreakers, type BreakerSettings, type BreakerState } from './breaker.js';
import { AiUnavailableError } from './errors.js';
import {
  costMicros,
  decideRetry,
  estimateMessageTokens,
  estimateTokens,
  extractJsonText,
  retryAfterSeconds,
  type BackoffPolicy,
} from './fns.js';
import { parsePartialJsonObject, type DeepPartial } from './partial-json.js';
import { buildMessages, buildRepairMessages, promptFor, type ChatMessage, type Lane, type OutputCheck, type PromptTemplate } from './prompts.js';
import { LOCAL_MODEL, localPromptVersion, runLocal, type LocalEngine } from './providers/local.js';
import {
  classifyProviderError,
  createOpenAiCompatibleProvider,
  StreamCutError,
  type ModelProvider,
  type ModelUsage,
} from './providers/openai-compatible.js';
import { canaryFor, LOCAL_DEPLOYMENT, type Deployment, type Routing } from './routing.js';

export type AiAttemptOutcome = 'ok' | 'error' | 'timeout' | 'invalid_output' | 'circuit_open' | 'cancelled';

/** One attempt at one deployment: what the usage-cost module meters. Never carries user text. */
export interface AiUsageEvent {
  userId: string | null;
  feature: string;
  task: AiTaskName;
  promptVersion: string;
  lane: Lane;
  provider: Deployment['provider'];
  deployment: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Integer micro-units of currency (1e-6), from the deployment's pricePerMillion. */
  costMicros: number;
  latencyMs: number;
  outcome: AiAttemptOutcome;
  /** 1-based position of this attempt within the call, across deployments. */
  attempt: number;
  /** True when the token counts are estimates (local engine, cut-off stream, server sent no usage). */
  estimated: boolean;
  requestId: string | null;
}

export interface AiCallContext {
  userId?: string | null;
  /** The product feature paying for the call (turn, mirror, lens, ...), for cost attribution. */
  feature: string;
  requestId?: string;
  /** Degrade hook: run the task in another lane than its template's. */
  lane?: Lane;
  /** Degrade hook: skip every model and answer with the local engine (the cost guard's lever). */
  forceLocal?: boolean;
  signal?: AbortSignal;
}

export interface AiUsage {
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
}

export interface AiRunResult<T extends AiTaskName> {
  output: AiTaskOutput<T>;
  engine: EngineInfo;
  /** The whole call, every attempt summed: the same numbers recordUsage received. */
  usage: AiUsage;
  deployment: string;
}

export type AiStreamEvent<T extends AiTaskName> =
  | { type: 'partial'; output: DeepPartial<AiTaskOutput<T>> }
  | ({ type: 'final' } & AiRunResult<T>);

export type GatewayLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface RetrySettings extends BackoffPolicy {
  /** A Retry-After longer than this moves on to the next deployment instead of waiting. */
  maxRetryAfterMs: number;
  /** What AiUnavailableError tells clients to wait when no server said. */
  defaultRetryAfterMs: number;
}

export interface AiGatewayDeps {
  routing: Routing;
  cache: Pick<Cache, 'get' | 'set' | 'del'>;
  /** Called once per attempt; errors and rejections are logged, never thrown into the AI path. */
  recordUsage: (event: AiUsageEvent) => void | Promise<void>;
  localEngine: LocalEngine;
  logger: GatewayLogger;
  breaker?: Partial<BreakerSettings>;
  retry?: Partial<RetrySettings>;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultBreaker: BreakerSettings = {
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeoutMs: 30_000,
  rollingWindowMs: 60_000,
  sharedStateRefreshMs: 1_000,
};

const defaultRetry: RetrySettings = { baseMs: 250, maxMs: 4_000, maxRetryAfterMs: 10_000, defaultRetryAfterMs: 5_000 };

interface Call<T extends AiTaskName> {
  task: T;
  template: PromptTemplate<T>;
  input: AiTaskInput<T>;
  ctx: AiCallContext;
  lane: Lane;
  attempt: number;
  totals: AiUsage;
  longestRetryAfterMs: number | null;
  /** Set once a partial has reached the caller: from then on there is no failing over. */
  committed: boolean;
  /** The trace context of this call's `ai.task` span: parent of its attempts and of the provider request. */
  traceContext: Context;
}

// No-op unless tracing is configured (infra/tracing.ts registers a provider).
const tracer = trace.getTracer('kalei-ai-gateway');

type AttemptRecord = Pick<
  AiUsageEvent,
  'deployment' | 'provider' | 'model' | 'promptVersion' | 'inputTokens' | 'outputTokens' | 'latencyMs' | 'outcome' | 'attempt' | 'estimated'
> & { price: Deployment['pricePerMillion'] };

/**
 * The AI gateway: callers name a task and get its validated output. Routing picks the lane's
 * deployments in order, each with timeouts, retries and a circuit breaker, then the local engine.
 */
export function createAiGateway(deps: AiGatewayDeps) {
  const { routing, localEngine, logger } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : {}));
  const retry: RetrySettings = { ...defaultRetry, ...deps.retry };
  const breakers = createBreakers({ settings: { ...defaultBreaker, ...deps.breaker }, cache: deps.cache, logger });
  const providers = new Map<string, ModelProvider>();

  function providerFor(deployment: Deployment): ModelProvider {
    let provider = providers.get(deployment.name);
    if (provider === undefined) {
      if (deployment.baseUrl === undefined || deployment.model === undefined) {
        throw new Error(`deployment ${deployment.name} has no baseUrl or model`);
      }
      provider = createOpenAiCompatibleProvider({
        baseUrl: deployment.baseUrl,
        model: deployment.model,
        apiKey: deployment.apiKey,
        timeoutMs: deployment.timeoutMs,
      });
      providers.set(deployment.name, provider);
    }
    return provider;
  }

  function record<T extends AiTaskName>(call: Call<T>, attempt: AttemptRecord): AiUsageEvent {
    const { price, ...rest } = attempt;
    const event: AiUsageEvent = {
      userId: call.ctx.userId ?? null,
      feature: call.ctx.feature,
      task: call.task,
      lane: call.lane,
      requestId: call.ctx.requestId ?? null,
      ...rest,
      costMicros: costMicros(attempt.inputTokens, attempt.outputTokens, price),
    };
    call.totals.inputTokens += event.inputTokens;
    call.totals.outputTokens += event.outputTokens;
    call.totals.costMicros += event.costMicros;
    // The attempt's span, from what the usage event measured: one place covers model, local and skipped attempts.
    const ended = Date.now();
    const span = tracer.startSpan(
      'ai.attempt',
      {
        kind: SpanKind.CLIENT,
        startTime: ended - event.latencyMs,
        attributes: {
          'kalei.ai.deployment': event.deployment,
          'kalei.ai.provider': event.provider,
          'kalei.ai.model': event.model,
          'kalei.ai.prompt_version': event.promptVersion,
          'kalei.ai.attempt': event.attempt,
          'kalei.ai.outcome': event.outcome,
          'kalei.ai.input_tokens': event.inputTokens,
          'kalei.ai.output_tokens': event.outputTokens,
          'kalei.ai.cost_micros': event.costMicros,
        },
      },
      call.traceContext,
    );
    if (event.outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: event.outcome });
    span.end(ended);
    const { userId: _userId, ...loggable } = event;
    if (event.outcome === 'ok' || event.outcome === 'cancelled') logger.info(loggable, 'ai attempt');
    else logger.warn(loggable, 'ai attempt failed');
    try {
      const pending = deps.recordUsage(event);
      if (pending instanceof Promise) pending.catch((error: unknown) => logger.error({ err: error, task: event.task }, 'ai usage not recorded'));
    } catch (error) {
      logger.error({ err: error, task: event.task }, 'ai usage not recorded');
    }
    return event;
  }

  function unavailable<T extends AiTaskName>(call: Call<T>, message: string): AiUnavailableError {
    return new AiUnavailableError(message, retryAfterSeconds(call.longestRetryAfterMs, retry.defaultRetryAfterMs));
  }

  function localAttempt<T extends AiTaskName>(call: Call<T>, deployment: Deployment): AiRunResult<T> | null {
    const attempt = ++call.attempt;
    const started = now();
    const promptVersion = localPromptVersion(localEngine);
    const base = { deployment: deployment.name, provider: 'local' as const, model: LOCAL_MODEL, promptVersion, attempt, price: deployment.pricePerMillion };
    try {
      const reply = runLocal(localEngine, call.task, call.input);
      const parsed = aiTasks[call.task].output.safeParse(reply.output);
      const outcome = parsed.success ? 'ok' : 'invalid_output';
      const sizes = { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, estimated: true };
      record(call, { ...base, ...sizes, latencyMs: now() - started, outcome });
      if (!parsed.success) return null;
      return {
        output: parsed.data as AiTaskOutput<T>,
        engine: { engine: 'local', model: LOCAL_MODEL, promptVersion },
        usage: { ...call.totals },
        deployment: deployment.name,
      };
    } catch (error) {
      record(call, { ...base, inputTokens: 0, outputTokens: 0, estimated: false, latencyMs: now() - started, outcome: 'error' });
      logger.error({ task: call.task, error: errorName(error) }, 'local engine failed');
      return null;
    }
  }

  async function* modelAttempts<T extends AiTaskName>(
    call: Call<T>,
    deployment: Deployment,
    streaming: boolean,
  ): AsyncGenerator<AiStreamEvent<T>, AiRunResult<T> | null> {
    const provider = providerFor(deployment);
    const model = deployment.model ?? deployment.name;
    const { template } = call;
    const price = deployment.pricePerMillion;
    let messages: ChatMessage[] = buildMessages(template, call.input);
    let retriesUsed = 0;
    let repaired = false;
    let partialsAllowed = streaming && template.streamsPartials;

    for (;;) {
      throwIfCancelled(call.ctx.signal);
      const attempt = ++call.attempt;
      const base = { deployment: deployment.name, provider: deployment.provider, model, promptVersion: template.promptVersion, attempt, price };
      const slot = await breakers.admit(deployment.name);
      if (slot === null) {
        record(call, { ...base, inputTokens: 0, outputTokens: 0, estimated: false, latencyMs: 0, outcome: 'circuit_open' });
        return null;
      }

      const started = now();
      const attemptAbort = new AbortController();
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      // For streams this is an idle timeout, re-armed by every chunk: a long answer is not a slow one.
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          attemptAbort.abort(new Error(`attempt timed out after ${deployment.timeoutMs} ms`));
        }, deployment.timeoutMs);
      };
      const onCancel = () => attemptAbort.abort(call.ctx.signal?.reason);
      call.ctx.signal?.addEventListener('abort', onCancel, { once: true });
      arm();

      let content = '';
      let usage: ModelUsage | null = null;
      let settled = false;
      const sizeSoFar = () =>
        content.length > 0
          ? { inputTokens: estimateMessageTokens(messages), outputTokens: estimateTokens(content), estimated: true }
          : { inputTokens: 0, outputTokens: 0, estimated: false };

      try {
        // W3C trace context for the model server, so a traced provider joins this call's trace.
        const traceHeaders: Record<string, string> = {};
        propagation.inject(call.traceContext, traceHeaders);
        const request = {
          messages,
          responseFormat: template.responseFormat,
          temperature: template.temperature,
          maxTokens: template.maxOutputTokens,
          signal: attemptAbort.signal,
          headers: traceHeaders,
        };
        if (!streaming) {
          const reply = await provider.complete(request);
          content = reply.content;
          usage = reply.usage;
        } else {
          let finishReason: string | null = null;
          let lastPartial = '';
          for await (const event of provider.stream(request)) {
            arm();
            if (event.type === 'usage') usage = event.usage;
            else if (event.type === 'finish') finishReason = event.reason;
            else {
              content += event.text;
              if (!partialsAllowed) continue;
              const partial = parsePartialJsonObject(content);
              // An empty skeleton like {"reframes":[]} tells the caller nothing and must not end failover.
              if (partial === undefined || !hasValue(partial)) continue;
              const serialized = JSON.stringify(partial);
              if (serialized === lastPartial) continue;
              lastPartial = serialized;
              call.committed = true;
              // Time spent in the consumer is not the model's silence.
              clearTimeout(timer);
              yield { type: 'partial', output: partial as DeepPartial<AiTaskOutput<T>> };
              arm();
            }
          }
          if (finishReason === null) throw new StreamCutError('stream ended without a finish reason');
        }
        settled = true;
      } catch (error) {
        settled = true;
        clearTimeout(timer);
        const cancelled = call.ctx.signal?.aborted === true && !timedOut;
        const failure = classifyProviderError(error, now());
        const outcome: AiAttemptOutcome = cancelled ? 'cancelled' : timedOut || failure.kind === 'timeout' ? 'timeout' : 'error';
        record(call, { ...base, ...sizeSoFar(), latencyMs: now() - started, outcome });
        if (!cancelled) logger.debug({ deployment: deployment.name, task: call.task, kind: failure.kind, status: failure.status }, 'ai attempt error detail');
        const retryable = !cancelled && (timedOut || failure.retryable);
        // Only the deployment's health counts: a cancelled call or a request it refused (4xx) says nothing about it.
        if (retryable) slot.fail(error);
        else slot.succeed();
        if (cancelled) throw cancelError(call.ctx.signal);
        if (call.committed) throw unavailable(call, 'the model stream broke after it had started');
        if (failure.retryAfterMs !== null) call.longestRetryAfterMs = Math.max(call.longestRetryAfterMs ?? 0, failure.retryAfterMs);
        const decision = decideRetry({
          retryable,
          retriesUsed,
          maxRetries: deployment.maxRetries,
          retryAfterMs: failure.retryAfterMs,
          maxRetryAfterMs: retry.maxRetryAfterMs,
          policy: retry,
          random: random(),
        });
        if (!decision.retry) return null;
        retriesUsed += 1;
        await sleep(decision.delayMs, call.ctx.signal).catch(() => {});
        continue;
      } finally {
        clearTimeout(timer);
        call.ctx.signal?.removeEventListener('abort', onCancel);
        if (!settled) {
          // The consumer stopped reading the stream: stop the model too, and meter what it produced.
          attemptAbort.abort(new Error('stream consumer stopped'));
          record(call, { ...base, ...sizeSoFar(), latencyMs: now() - started, outcome: 'cancelled' });
          slot.succeed();
        }
      }

      slot.succeed();
      const estimated = usage === null;
      const tokens = usage ?? { inputTokens: estimateMessageTokens(messages), outputTokens: estimateTokens(content) };
      const latencyMs = now() - started;
      const checked = checkReply(template, content, call.input);
      if (checked.success) {
        record(call, { ...base, ...tokens, estimated, latencyMs, outcome: 'ok' });
        return {
          output: checked.output,
          engine: { engine: 'model', model, promptVersion: template.promptVersion },
          usage: { ...call.totals },
          deployment: deployment.name,
        };
      }
      record(call, { ...base, ...tokens, estimated, latencyMs, outcome: 'invalid_output' });
      logger.debug({ deployment: deployment.name, task: call.task, problems: checked.problems.length }, 'ai output invalid detail');
      if (!repaired) {
        repaired = true;
        // Partials of a repaired answer could contradict the ones already sent; the final event settles it.
        if (call.committed) partialsAllowed = false;
        messages = buildRepairMessages(messages, content, checked.problems);
        continue;
      }
      if (call.committed) throw unavailable(call, 'the model answer stayed invalid after a repair attempt');
      return null;
    }
  }

  async function* execute<T extends AiTaskName>(
    task: T,
    input: AiTaskInput<T>,
    ctx: AiCallContext,
    streaming: boolean,
  ): AsyncGenerator<AiStreamEvent<T>, void> {
    const template = promptFor(task);
    const lane = ctx.lane ?? template.lane;
    const parsedInput = aiTasks[task].input.parse(input) as AiTaskInput<T>;
    const span = tracer.startSpan(`ai.task ${task}`, { attributes: { 'kalei.ai.task': task, 'kalei.ai.feature': ctx.feature, 'kalei.ai.lane': lane } });
    const call: Call<T> = {
      task,
      template,
      input: parsedInput,
      ctx,
      lane,
      attempt: 0,
      totals: { inputTokens: 0, outputTokens: 0, costMicros: 0 },
      longestRetryAfterMs: null,
      committed: false,
      traceContext: trace.setSpan(context.active(), span),
    };
    try {
      const laneDeployments = routing.lanes[lane];
      // A canary user's call tries the canary first, then the lane as usual (so a failing canary costs latency, not answers).
      const canary = ctx.forceLocal === true ? null : canaryFor(routing, lane, ctx.userId);
      if (canary) span.setAttribute('kalei.ai.canary', canary.name);
      const deployments =
        ctx.forceLocal === true ? [laneDeployments.at(-1) ?? LOCAL_DEPLOYMENT] : canary ? [canary, ...laneDeployments] : laneDeployments;
      for (const deployment of deployments) {
        throwIfCancelled(ctx.signal);
        const result =
          deployment.provider === 'local' ? localAttempt(call, deployment) : yield* modelAttempts(call, deployment, streaming);
        if (result !== null) {
          span.setAttribute('kalei.ai.deployment', result.deployment);
          yield { type: 'final', ...result };
          return;
        }
      }
      throw unavailable(call, `no deployment could answer ${task}`);
    } catch (error) {
      // The error's name only: messages can carry provider text.
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
      throw error;
    } finally {
      span.end();
    }
  }

  return {
    /** Runs a task to completion and returns its validated output. Throws AiUnavailableError or the caller's abort reason. */
    async run<T extends AiTaskName>(task: T, input: AiTaskInput<T>, ctx: AiCallContext): Promise<AiRunResult<T>> {
      for await (const event of execute(task, input, ctx, false)) {
        if (event.type === 'final') {
          const { type: _type, ...result } = event;
          return result;
        }
      }
      throw new Error('the gateway ended without a result');
    },

    /**
     * Streams a task: `partial` events (completed parts of the output so far, possibly none) and one
     * `final`. Fails over only until the first partial; a stream broken later throws AiUnavailableError.
     */
    stream<T extends AiTaskName>(task: T, input: AiTaskInput<T>, ctx: AiCallContext): AsyncIterable<AiStreamEvent<T>> {
      return execute(task, input, ctx, true);
    },

    /** This process's breaker state for a deployment. */
    breakerState(deployment: string): BreakerState {
      return breakers.state(deployment);
    },

    /** Stops breaker timers; call on shutdown. */
    close(): void {
      breakers.close();
    },
  };
}

export type AiGateway = ReturnType<typeof createAiGateway>;

function checkReply<T extends AiTaskName>(template: PromptTemplate<T>, content: string, input: AiTaskInput<T>): OutputCheck<T> {
  let json: unknown;
  try {
    json = JSON.parse(extractJsonText(content));
  } catch {
    // The parser's message quotes the reply, which may echo the person's words: keep it out.
    return { success: false, problems: ['the reply is not valid JSON'] };
  }
  return template.check(json, input);
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelError(signal);
}

function cancelError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The AI call was cancelled', 'AbortError');
}

function hasValue(node: unknown): boolean {
  if (typeof node !== 'object' || node === null) return true;
  return Object.values(node).some(hasValue);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
