import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics: one registry, made on first use, holding Node's default process
 * metrics (process_resident_memory_bytes, nodejs_heap_*, nodejs_eventloop_lag_*) and ours, all named
 * `fusion_*`. Labels stay bounded: operation names only as declared in the document (at most
 * MAX_OPERATION_NAMES distinct ones, then `other`), never ids or argument values.
 */

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];
const MODEL_ROW_BUCKETS = [1, 5, 10, 50, 100, 500, 1000, 2048, 5000, 10000];

export const MAX_OPERATION_NAMES = 200;

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    operations: new Counter({
      name: 'fusion_graphql_operations_total',
      help: 'GraphQL operations by operation name, type and outcome (ok, partial: data with errors, failed: no data)',
      labelNames: ['operation', 'type', 'outcome'] as const,
      registers,
    }),
    operationDuration: new Histogram({
      name: 'fusion_graphql_operation_duration_seconds',
      help: 'GraphQL operation latency, from the request reaching Apollo Server to the response being ready',
      labelNames: ['operation', 'type'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    errors: new Counter({
      name: 'fusion_graphql_errors_total',
      help: 'GraphQL errors answered, by extensions.code',
      labelNames: ['code'] as const,
      registers,
    }),
    sourceCallDuration: new Histogram({
      name: 'fusion_source_call_duration_seconds',
      help: 'Source system call attempts, by source and connector method',
      labelNames: ['source', 'operation'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    sourceCallErrors: new Counter({
      name: 'fusion_source_call_errors_total',
      help: 'Failed source call attempts, by source, connector method and outcome (error, timeout, rejected, short-circuit)',
      labelNames: ['source', 'operation', 'outcome'] as const,
      registers,
    }),
    breakerState: new Gauge({
      name: 'fusion_source_breaker_state',
      help: 'Circuit breaker of each source: 0 closed, 1 half-open, 2 open',
      labelNames: ['source'] as const,
      registers,
    }),
    loaderBatchSize: new Histogram({
      name: 'fusion_dataloader_batch_size',
      help: 'Keys per DataLoader batch, by loader',
      labelNames: ['loader'] as const,
      buckets: BATCH_BUCKETS,
      registers,
    }),
    modelRunDuration: new Histogram({
      name: 'fusion_model_run_duration_seconds',
      help: 'ONNX session.run latency, by model',
      labelNames: ['model'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    modelBatchRows: new Histogram({
      name: 'fusion_model_batch_rows',
      help: 'Rows per ONNX session.run (after micro-batching), by model',
      labelNames: ['model'] as const,
      buckets: MODEL_ROW_BUCKETS,
      registers,
    }),
    cacheLookups: new Counter({
      name: 'fusion_entity_cache_lookups_total',
      help: 'Entity cache lookups by entity and result (hit, miss, error: Redis failed and the source answered)',
      labelNames: ['entity', 'result'] as const,
      registers,
    }),
  };
}

let metrics: ReturnType<typeof createMetrics> | null = null;

/** The process's metrics, created on first use. */
export function processMetrics(): ReturnType<typeof createMetrics> {
  metrics ??= createMetrics();
  return metrics;
}

/** The Prometheus text exposition of every metric, and its content type. */
export async function metricsExposition(): Promise<{ contentType: string; text: string }> {
  const { registry } = processMetrics();
  return { contentType: registry.contentType, text: await registry.metrics() };
}

const operationNames = new Set<string>();

/** An operation name as a label: itself while fewer than MAX_OPERATION_NAMES were seen, else `other`. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES) return 'other';
  operationNames.add(name);
  return name;
}

export type OperationOutcome = 'ok' | 'partial' | 'failed';

export function recordOperation(operation: string, type: string, outcome: OperationOutcome, seconds: number): void {
  const m = processMetrics();
  m.operations.inc({ operation, type, outcome });
  m.operationDuration.observe({ operation, type }, seconds);
}

export function recordGraphQLErrors(codes: readonly string[]): void {
  const m = processMetrics();
  for (const code of codes) m.errors.inc({ code });
}

/** What a source guard reports about one call attempt (the shape of sources/resilience's SourceCallEvent). */
export interface SourceCallObservation {
  source: string;
  operation: string;
  durationMs: number;
  outcome: string;
}

export function recordSourceCall(call: SourceCallObservation): void {
  const m = processMetrics();
  m.sourceCallDuration.observe({ source: call.source, operation: call.operation }, call.durationMs / 1000);
  if (call.outcome !== 'ok') m.sourceCallErrors.inc({ source: call.source, operation: call.operation, outcome: call.outcome });
}

const BREAKER_VALUES: Record<string, number> = { closed: 0, 'half-open': 1, open: 2 };

export function recordBreakerState(source: string, state: string): void {
  processMetrics().breakerState.set({ source }, BREAKER_VALUES[state] ?? -1);
}

export function recordLoaderBatch(loader: string, keys: number): void {
  processMetrics().loaderBatchSize.observe({ loader }, keys);
}

export function recordModelRun(model: string, rows: number, seconds: number): void {
  const m = processMetrics();
  m.modelRunDuration.observe({ model }, seconds);
  m.modelBatchRows.observe({ model }, rows);
}

export function recordCacheLookups(entity: string, hits: number, misses: number, errors = 0): void {
  const m = processMetrics();
  if (hits > 0) m.cacheLookups.inc({ entity, result: 'hit' }, hits);
  if (misses > 0) m.cacheLookups.inc({ entity, result: 'miss' }, misses);
  if (errors > 0) m.cacheLookups.inc({ entity, result: 'error' }, errors);
}
