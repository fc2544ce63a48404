import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry tracing (seed §13.1: API → AI gateway → provider call), exported over OTLP/HTTP to
 * `endpoint` (`/v1/traces` is appended). Registers the process-wide tracer provider, the
 * AsyncLocalStorage context manager and W3C trace-context propagation; without it every tracer
 * the code asks for is OpenTelemetry's no-op one. Span attributes carry names, ids of our own
 * vocabulary and counts, never what a user wrote.
 */
export function startTracing(options: { endpoint: string; serviceName: string }) {
  const url = new URL('v1/traces', options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`).toString();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  provider.register();
  return {
    provider,
    /** Exports what is pending, then unregisters, so a later app in this process starts clean. */
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
export type Tracing = ReturnType<typeof startTracing>;
