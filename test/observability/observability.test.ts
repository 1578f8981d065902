/**
 * Metrics, traces and logs of real servers over real HTTP: the embedded gateway and the federated
 * deployment (subgraph services + @apollo/gateway) in this process, real ONNX model runs, a real Redis
 * entity cache. Tracing is started before the servers (an in-memory exporter; the OTLP exporter has
 * its own test, otlp-export.test.ts); log lines are
 * captured from pino through a destination stream.
 */
import { randomUUID } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { embeddedSourcesConfig } from '../../src/config/fusion-config';
import { resolveObservability } from '../../src/config/observability-config';
import { composeSupergraph, gatewayPlugins, startEmbeddedGateway, startFederationRouter, startSubgraphService, type RunningServer } from '../../src/gateway';
import { configureLogger, startTracing, stopTracing } from '../../src/observability';
import { ScoringService } from '../../src/scoring';
import { configFromEnv } from '../../src/shared';
import { RedisEntityCache, type Sources } from '../../src/sources';
import { buildAllSubgraphs, SUBGRAPH_NAMES, type SubgraphName } from '../../src/subgraphs';
import { adminCredential } from '../helpers/credentials';
import { openSeededSources } from '../helpers/seeded-sources';
import { serviceUrl, testWithServices } from '../helpers/test-services';
import { servableModels } from '../scoring/helpers/models-dir';
import { hasMetric, metricValue } from './prometheus-text';

const dataDir = configFromEnv().dataDir;
const spans = new InMemorySpanExporter();
const logLines: Record<string, unknown>[] = [];
let sources: Sources;
let service: ScoringService;
let models: ReturnType<typeof servableModels>;
let embedded: RunningServer;
let router: RunningServer;
const subgraphs: RunningServer[] = [];

beforeAll(async () => {
  startTracing({ exporter: spans, serviceName: 'fusion-gateway-test' });
  configureLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(JSON.parse(line)) } });
  process.env.LOG_LEVEL = 'info'; // the servers' plugins read it (no config file here)

  ({ sources } = await openSeededSources());
  models = servableModels();
  service = await ScoringService.start({
    sources,
    dataKey: dataDir,
    config: { modelsDir: models.dir, executionProviders: ['cpu'], maxWaitMs: 2 },
    log: () => undefined,
  });
  embedded = await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources, scoring: service });
  const urls: Record<string, string> = {};
  // Sequential: type-graphql's schema builder keeps global state while it runs.
  for (const name of SUBGRAPH_NAMES) {
    const server = await startSubgraphService({
      name: name as SubgraphName,
      dataDir,
      port: 0,
      host: '127.0.0.1',
      sources,
      ...(name === 'scoring' ? { scoring: service } : {}),
    });
    subgraphs.push(server);
    urls[name] = `http://127.0.0.1:${server.port}/graphql`;
  }
  const { supergraphSdl } = composeSupergraph(await buildAllSubgraphs(), urls);
  router = await startFederationRouter({ supergraphSdl, port: 0, host: '127.0.0.1', plugins: await gatewayPlugins(embeddedSourcesConfig(dataDir), 'router') });
  await service.ensureFeatures();
}, 300_000);

afterAll(async () => {
  await router?.close();
  for (const server of subgraphs) await server.close();
  await embedded?.close();
  await sources?.close();
  models?.remove();
  await stopTracing();
  delete process.env.LOG_LEVEL;
});

const base = (server: RunningServer) => `http://127.0.0.1:${server.port}`;
const graphqlUrl = (server: RunningServer) => `${base(server)}/graphql`;

async function scrape(server: RunningServer = embedded): Promise<string> {
  const response = await fetch(`${base(server)}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** POSTs an operation as the admin with extra headers; answers the response and its parsed body. */
async function post(server: RunningServer, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(graphqlUrl(server), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await adminCredential()).headers, ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { response, body };
}

describe('metrics', () => {
  test('/metrics serves the Prometheus text format, with the process metrics', async () => {
    const response = await fetch(`${base(embedded)}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 2 ** 20);
    expect(hasMetric(text, 'nodejs_eventloop_lag_p99_seconds')).toBe(true);
    // Every server serves it: a subgraph service and the router too.
    for (const server of [subgraphs[0], router]) expect(await scrape(server)).toContain('# TYPE fusion_graphql_operations_total counter');
  });

  test('operations are counted by name, type and outcome, exactly; their latency histogram too', async () => {
    const labels = { operation: 'MetricsProbe', type: 'query', outcome: 'ok' };
    const before = await scrape();
    for (let i = 0; i < 3; i += 1) {
      const { body } = await post(embedded, 'query MetricsProbe { products(first: 2) { edges { node { id } } } }');
      expect(body.errors).toBeUndefined();
    }
    const after = await scrape();
    expect(metricValue(after, 'fusion_graphql_operations_total', labels) - metricValue(before, 'fusion_graphql_operations_total', labels)).toBe(3);
    const count = (text: string) => metricValue(text, 'fusion_graphql_operation_duration_seconds_count', { operation: 'MetricsProbe', type: 'query' });
    expect(count(after) - count(before)).toBe(3);
    const sum = metricValue(after, 'fusion_graphql_operation_duration_seconds_sum', { operation: 'MetricsProbe' });
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(60);
  });

  test('errors are counted by code; a failed operation by its outcome', async () => {
    const errors = (text: string, code: string) => metricValue(text, 'fusion_graphql_errors_total', { code });
    const before = await scrape();
    const bad = await post(embedded, 'query MetricsBadInput { orders(first: 1000) { edges { node { id } } } }');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unparsable = await post(embedded, 'query MetricsUnparsable { orders(');
    expect(unparsable.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const after = await scrape();
    expect(errors(after, 'BAD_USER_INPUT') - errors(before, 'BAD_USER_INPUT')).toBe(1);
    expect(errors(after, 'GRAPHQL_PARSE_FAILED') - errors(before, 'GRAPHQL_PARSE_FAILED')).toBe(1);
    const operations = (text: string, labels: Record<string, string>) => metricValue(text, 'fusion_graphql_operations_total', labels);
    expect(operations(after, { operation: 'MetricsBadInput', outcome: 'ok' })).toBe(0);
    expect(operations(after, { operation: 'MetricsBadInput' })).toBe(1);
    // An unparsable document has no operation name to trust: counted as `invalid`, never under the client's text.
    expect(operations(after, { operation: 'invalid', outcome: 'failed' }) - operations(before, { operation: 'invalid', outcome: 'failed' })).toBe(1);
    expect(hasMetric(after, 'fusion_graphql_operations_total', { operation: 'MetricsUnparsable' })).toBe(false);
  });

  test('DataLoader batch sizes by loader, and source calls by source and method', async () => {
    const before = await scrape();
    const { body } = await post(embedded, '{ orders(first: 10) { edges { node { id items { product { id category { name } } } } } } }');
    expect(body.errors).toBeUndefined();
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => metricValue(after, name, labels) - metricValue(before, name, labels);
    // The 10 orders' items: one batch of 10 keys.
    expect(delta('fusion_dataloader_batch_size_count', { loader: 'itemsByOrderId' })).toBe(1);
    expect(delta('fusion_dataloader_batch_size_sum', { loader: 'itemsByOrderId' })).toBe(10);
    // Their products (for the category): one batch too.
    expect(delta('fusion_dataloader_batch_size_count', { loader: 'productById' })).toBe(1);
    expect(delta('fusion_source_call_duration_seconds_count', { source: 'orders', operation: 'itemsByOrderIds' })).toBeGreaterThanOrEqual(1);
    expect(delta('fusion_source_call_duration_seconds_count', { source: 'catalog', operation: 'productsByIds' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(after, 'fusion_source_call_errors_total', { source: 'orders' })).toBe(0);
  });

  test('model runs: latency and rows per session.run, by model', async () => {
    const before = await scrape();
    const { body } = await post(embedded, '{ orders(first: 20) { edges { node { id deliveryRisk { probability } } } } }');
    expect(body.errors).toBeUndefined();
    const scored = (body.data as { orders: { edges: { node: { deliveryRisk: unknown } }[] } }).orders.edges.filter((e) => e.node.deliveryRisk !== null).length;
    expect(scored).toBeGreaterThan(0);
    const after = await scrape();
    const delta = (name: string) => metricValue(after, name, { model: 'delivery_risk' }) - metricValue(before, name, { model: 'delivery_risk' });
    expect(delta('fusion_model_run_duration_seconds_count')).toBe(1);
    expect(delta('fusion_model_batch_rows_sum')).toBe(scored);
    expect(delta('fusion_model_run_duration_seconds_sum')).toBeGreaterThan(0);
  });

  testWithServices(['redis'], 'entity cache hits and misses by entity (real Redis)', async () => {
    const cache = await RedisEntityCache.connect({ url: serviceUrl('redis'), ttlSeconds: 60, keyPrefix: `fusion-test-observability-${randomUUID()}:` });
    try {
      const products = await sources.catalog.productsPage({ limit: 3 });
      const ids = products.map((p) => p.productId);
      const load = (keys: readonly string[]) => sources.catalog.productsByIds(keys);
      const before = await scrape();
      await cache.readThrough('product', ids, load);
      await cache.readThrough('product', ids, load);
      const after = await scrape();
      const delta = (result: string) =>
        metricValue(after, 'fusion_entity_cache_lookups_total', { entity: 'product', result }) -
        metricValue(before, 'fusion_entity_cache_lookups_total', { entity: 'product', result });
      expect(delta('miss')).toBe(ids.length);
      expect(delta('hit')).toBe(ids.length);
    } finally {
      await cache.invalidate();
      await cache.close();
    }
  });

  test('/metrics behind a bearer token when one is configured; absent when disabled', async () => {
    const token = randomUUID();
    const guarded = await startSubgraphService({
      name: 'users',
      dataDir,
      port: 0,
      host: '127.0.0.1',
      sources,
      config: { ...embeddedSourcesConfig(dataDir), observability: resolveObservability({ metrics: { bearerToken: token } }, {}).config },
    });
    const disabled = await startSubgraphService({
      name: 'users',
      dataDir,
      port: 0,
      host: '127.0.0.1',
      sources,
      config: { ...embeddedSourcesConfig(dataDir), observability: resolveObservability({ metrics: { enabled: false } }, {}).config },
    });
    try {
      const anonymous = await fetch(`${base(guarded)}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await fetch(`${base(guarded)}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const allowed = await fetch(`${base(guarded)}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('fusion_graphql_operations_total');
      expect((await fetch(`${base(disabled)}/metrics`)).status).toBe(404);
    } finally {
      await guarded.close();
      await disabled.close();
    }
  });
});

describe('tracing', () => {
  const byId = (all: ReadableSpan[]) => new Map(all.map((span) => [span.spanContext().spanId, span]));
  const parentId = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  /** The span's ancestors, nearest first, within `all`. */
  function ancestors(span: ReadableSpan, all: ReadableSpan[]): ReadableSpan[] {
    const index = byId(all);
    const chain: ReadableSpan[] = [];
    for (let at = index.get(parentId(span) ?? ''); at; at = index.get(parentId(at) ?? '')) chain.push(at);
    return chain;
  }
  const TRACED = `query TraceProbe { orders(first: 3) { edges { node { id items { product { id } } deliveryRisk { probability } } } } }`;

  test('embedded: operation → resolver → source call, and resolver → model run, with the right parent ids', async () => {
    spans.reset();
    const { body } = await post(embedded, TRACED);
    expect(body.errors).toBeUndefined();
    const all = spans.getFinishedSpans();
    const operation = all.find((span) => span.name === 'query TraceProbe');
    expect(operation).toBeDefined();
    expect(operation!.attributes['fusion.server']).toBe('embedded');
    const trace = all.filter((span) => span.spanContext().traceId === operation!.spanContext().traceId);
    // One trace, one root: every other span's parent is in it.
    const ids = byId(trace);
    for (const span of trace) if (span !== operation) expect(ids.has(parentId(span)!)).toBe(true);

    const root = trace.find((span) => span.name === 'Query.orders')!;
    expect(parentId(root)).toBe(operation!.spanContext().spanId);
    expect(root.attributes['graphql.field.path']).toBe('orders');

    const source = trace.find((span) => span.name === 'source orders.itemsByOrderIds')!;
    expect(source).toBeDefined();
    expect(source.attributes['fusion.source.outcome']).toBe('ok');
    const sourceAncestors = ancestors(source, trace).map((span) => span.name);
    expect(sourceAncestors[0]).toBe('Order.items');
    expect(sourceAncestors).toContain('Query.orders');
    expect(sourceAncestors[sourceAncestors.length - 1]).toBe('query TraceProbe');

    const modelRun = trace.find((span) => span.name === 'model.run')!;
    expect(modelRun).toBeDefined();
    expect(modelRun.attributes['fusion.model']).toBe('delivery_risk');
    const modelAncestors = ancestors(modelRun, trace).map((span) => span.name);
    expect(modelAncestors).toContain('Order.deliveryRisk');
    expect(modelAncestors[modelAncestors.length - 1]).toBe('query TraceProbe');
  });

  test('a caller’s W3C traceparent is continued', async () => {
    spans.reset();
    const traceId = randomUUID().replace(/-/g, '');
    const callerSpanId = randomUUID().replace(/-/g, '').slice(0, 16);
    await post(embedded, 'query ContinuedTrace { products(first: 1) { edges { node { id } } } }', { traceparent: `00-${traceId}-${callerSpanId}-01` });
    const operation = spans.getFinishedSpans().find((span) => span.name === 'query ContinuedTrace')!;
    expect(operation.spanContext().traceId).toBe(traceId);
    expect(parentId(operation)).toBe(callerSpanId);
  });

  test('federated: each subgraph operation is a child of the router operation; resolvers and model runs nest under the subgraph’s', async () => {
    spans.reset();
    const { body } = await post(router, TRACED);
    expect(body.errors).toBeUndefined();
    const all = spans.getFinishedSpans();
    const routerOperation = all.find((span) => span.name === 'query TraceProbe' && span.attributes['fusion.server'] === 'router')!;
    expect(routerOperation).toBeDefined();
    const trace = all.filter((span) => span.spanContext().traceId === routerOperation.spanContext().traceId);
    const subgraphOperations = trace.filter((span) => span.attributes['fusion.server'] === 'subgraph');
    expect(subgraphOperations.length).toBeGreaterThanOrEqual(2); // orders, then scoring for deliveryRisk
    for (const span of subgraphOperations) expect(parentId(span)).toBe(routerOperation.spanContext().spanId);
    const modelRun = trace.find((span) => span.name === 'model.run')!;
    expect(modelRun).toBeDefined();
    const modelAncestors = ancestors(modelRun, trace);
    expect(modelAncestors.map((span) => span.name)).toContain('Query._entities');
    expect(modelAncestors.some((span) => subgraphOperations.includes(span))).toBe(true);
    expect(modelAncestors[modelAncestors.length - 1]).toBe(routerOperation);
  });
});

describe('logs', () => {
  const linesFor = (requestId: string) => logLines.filter((line) => line.requestId === requestId);

  test('the request id is echoed and logged once per request, with the operation, status, duration and caller role', async () => {
    const requestId = `obs-${randomUUID()}`;
    const { response } = await post(embedded, 'query LogProbe { products(first: 1) { edges { node { id } } } }', { 'x-request-id': requestId });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const lines = linesFor(requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'request',
      level: 30,
      server: 'embedded',
      method: 'POST',
      path: '/graphql',
      status: 200,
      operation: 'LogProbe',
      operationType: 'query',
      principal: 'admin',
    });
    expect(typeof lines[0].durationMs).toBe('number');
    expect(typeof lines[0].time).toBe('string');
    expect(lines[0].errorCodes).toBeUndefined();

    const { response: generated } = await post(embedded, 'query LogProbe { products(first: 1) { edges { node { id } } } }');
    const made = generated.headers.get('x-request-id')!;
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(linesFor(made)).toHaveLength(1);
  });

  test('error codes are in the line', async () => {
    const requestId = `obs-${randomUUID()}`;
    await post(embedded, 'query LogBadInput { orders(first: -1) { edges { node { id } } } }', { 'x-request-id': requestId });
    expect(linesFor(requestId)[0]).toMatchObject({ operation: 'LogBadInput', errorCodes: ['BAD_USER_INPUT'] });
  });

  test('a router request’s id reaches the subgraphs’ log lines', async () => {
    const requestId = `obs-${randomUUID()}`;
    const { body } = await post(router, 'query RoutedLog { orders(first: 2) { edges { node { id items { product { id category { name } } } } } } }', {
      'x-request-id': requestId,
    });
    expect(body.errors).toBeUndefined();
    const lines = linesFor(requestId);
    expect(lines.filter((line) => line.server === 'router')).toEqual([expect.objectContaining({ operation: 'RoutedLog', status: 200 })]);
    const subgraphLines = lines.filter((line) => line.server === 'subgraph');
    expect(subgraphLines.length).toBeGreaterThanOrEqual(2); // orders, then products for the items
    for (const line of subgraphLines) expect(line).toMatchObject({ status: 200, path: '/graphql' });
  });
});
