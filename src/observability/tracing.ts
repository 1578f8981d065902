import {
  context,
  createTraceState,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry tracing for the process. Off by default: until `startTracing` registers a provider the
 * API is a no-op, and every helper here checks `tracingEnabled()` first, so the hot path pays one
 * boolean test. When on, an AsyncLocalStorage context manager makes spans nest across awaits
 * (operation → resolver → source call → model run) and spans leave through OTLP/HTTP (batched).
 */

export interface TracingOptions {
  serviceName?: string;
  /** OTLP/HTTP collector base URL; spans are POSTed to `<url>/v1/traces`. */
  otlpEndpoint?: string;
  /** Another exporter (tests: InMemorySpanExporter), given each span as it ends. */
  exporter?: SpanExporter;
}

interface ActiveTracing {
  provider: BasicTracerProvider;
  tracer: Tracer;
}

let active: ActiveTracing | null = null;

const TRACER_NAME = 'fusion-gateway';

/** Registers the process's tracer provider (the first call wins; later calls keep it). */
export function startTracing(options: TracingOptions): void {
  if (active) return;
  const spanProcessors = [];
  if (options.exporter) spanProcessors.push(new SimpleSpanProcessor(options.exporter));
  if (options.otlpEndpoint) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(options.otlpEndpoint) })));
  if (spanProcessors.length === 0) return;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName ?? TRACER_NAME }),
    spanProcessors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  active = { provider, tracer: provider.getTracer(TRACER_NAME) };
}

/** The collector's traces URL for a base endpoint (OTEL_EXPORTER_OTLP_ENDPOINT semantics). */
export function otlpTracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}

export function tracingEnabled(): boolean {
  return active !== null;
}

/** Sends the spans not yet exported. */
export async function flushTracing(): Promise<void> {
  await active?.provider.forceFlush();
}

/** Flushes and unregisters the provider: the API is a no-op again. */
export async function stopTracing(): Promise<void> {
  if (!active) return;
  const { provider } = active;
  active = null;
  await provider.shutdown();
  trace.disable();
  context.disable();
}

/** Starts a span child of `parent` (default: the active context); undefined while tracing is off. */
export function startSpan(name: string, attributes: Attributes, options: { parent?: Context; kind?: SpanKind; startTime?: number } = {}): Span | undefined {
  if (!active) return undefined;
  return active.tracer.startSpan(
    name,
    { attributes, kind: options.kind ?? SpanKind.INTERNAL, startTime: options.startTime },
    options.parent ?? context.active(),
  );
}

/** Ends a span, marking it failed when `error` is given. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** Runs `work` inside a new span child of the active context (plain call while tracing is off). */
export async function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  const span = startSpan(name, attributes);
  if (!span) return work();
  try {
    const result = await context.with(trace.setSpan(context.active(), span), work);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/** Runs `work` with `span` as the active span (so spans started inside nest under it). */
export function withActiveSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** A span for work that has already finished (reported after the fact), child of the active context. */
export function recordFinishedSpan(name: string, attributes: Attributes, durationMs: number, error?: string): void {
  if (!active) return;
  const end = Date.now();
  const span = startSpan(name, attributes, { kind: SpanKind.CLIENT, startTime: end - durationMs });
  if (!span) return;
  if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end(end);
}

// W3C Trace Context (https://www.w3.org/TR/trace-context/): version-traceid-parentid-flags.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The context a remote caller's `traceparent` (and `tracestate`) describe; ROOT_CONTEXT when absent or malformed. */
export function contextFromTraceHeaders(traceparent: string | undefined, tracestate?: string): Context {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (!match || match[1] === 'ff' || (match[1] === '00' && match[5] !== undefined)) return ROOT_CONTEXT;
  const spanContext = {
    traceId: match[2],
    spanId: match[3],
    traceFlags: parseInt(match[4], 16) & 1,
    isRemote: true,
    ...(tracestate ? { traceState: createTraceState(tracestate) } : {}),
  };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}

/** The headers that carry `span` to a downstream service. */
export function traceHeadersOf(span: Span): Record<string, string> {
  const { traceId, spanId, traceFlags, traceState } = span.spanContext();
  const headers: Record<string, string> = { traceparent: `00-${traceId}-${spanId}-${(traceFlags & 1) === 1 ? '01' : '00'}` };
  const state = traceState?.serialize();
  if (state) headers.tracestate = state;
  return headers;
}

export { SpanKind, trace, context, ROOT_CONTEXT, type Span, type Context };
