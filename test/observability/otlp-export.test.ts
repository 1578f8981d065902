/**
 * The OTLP/HTTP exporter end to end: a subgraph service started by the real CLI in its own Node process,
 * with only OTEL_EXPORTER_OTLP_ENDPOINT set, sends its spans to a collector (a node http server here
 * recording every POST). On SIGTERM the server flushes the spans still batched, so the test needs no wait.
 * (A child process: the exporter loads node:http with a dynamic import(), which jest's sandbox refuses.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCliChild, type CliChild } from '../helpers/cli-child';
import { adminCredential } from '../helpers/credentials';

const posts: { path: string; contentType: string; body: string }[] = [];
let collector: http.Server;
let child: CliChild | undefined;

beforeAll(async () => {
  collector = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push({ path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await child?.stop('SIGKILL');
  await new Promise<void>((resolve) => collector.close(() => resolve()));
});

/** Starts `serve --subgraph products --port 0` and answers its GraphQL URL once it says it is ready. */
async function startSubgraph(env: NodeJS.ProcessEnv): Promise<string> {
  child = await startCliChild(['serve', '--subgraph', 'products', '--port', '0'], /ready at (http:\/\/\S+\/graphql)/, env);
  return child.ready;
}

test('a server with OTEL_EXPORTER_OTLP_ENDPOINT sends its operation spans to the collector', async () => {
  const { port } = collector.address() as AddressInfo;
  const url = await startSubgraph({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SERVICE_NAME: 'products-subgraph-test',
    LOG_LEVEL: 'warn',
    FUSION_SCORING_PREWARM: '0',
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await adminCredential()).headers },
    body: JSON.stringify({ query: 'query ExportedOperation { products(first: 2) { edges { node { id } } } }' }),
  });
  expect(response.status).toBe(200);
  expect(posts).toHaveLength(0); // batched: nothing is sent per request

  expect(await child!.stop('SIGTERM')).toBe(0);

  const traces = posts.filter((post) => post.path === '/v1/traces');
  expect(traces.length).toBeGreaterThan(0);
  expect(traces[0].contentType).toContain('application/json');
  type Payload = {
    resourceSpans: {
      resource: { attributes: { key: string; value: { stringValue?: string } }[] };
      scopeSpans: { spans: { name: string; traceId: string; parentSpanId?: string; spanId: string }[] }[];
    }[];
  };
  const payloads = traces.map((post) => JSON.parse(post.body) as Payload);
  const spans = payloads.flatMap((payload) => payload.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
  const operation = spans.find((span) => span.name === 'query ExportedOperation');
  expect(operation).toBeDefined();
  const resolver = spans.find((span) => span.name === 'Query.products');
  expect(resolver?.traceId).toBe(operation!.traceId);
  expect(resolver?.parentSpanId).toBe(operation!.spanId);
  const services = payloads.flatMap((payload) =>
    payload.resourceSpans.flatMap((r) => r.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue)),
  );
  expect(services).toContain('products-subgraph-test');
}, 120_000);
