/**
 * The OTLP/HTTP exporter end to end: a subgraph service started by the real CLI in its own Node process,
 * with only OTEL_EXPORTER_OTLP_ENDPOINT set, sends its spans to a collector (a node http server here
 * recording every POST). On SIGTERM the server flushes the spans still batched, so the test needs no wait.
 * (A child process: the exporter loads node:http with a dynamic import(), which jest's sandbox refuses.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { adminCredential } from '../helpers/credentials';

const ROOT = path.resolve(__dirname, '..', '..');
const posts: { path: string; contentType: string; body: string }[] = [];
let collector: http.Server;
let child: ChildProcess;
let output = '';

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
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise<void>((resolve) => collector.close(() => resolve()));
});

/** Starts `serve --subgraph products --port 0` and answers its GraphQL URL once it says it is ready. */
function startSubgraph(env: NodeJS.ProcessEnv): Promise<string> {
  child = spawn(process.execPath, ['-r', path.join(__dirname, '..', 'helpers', 'swc-register.js'), path.join(ROOT, 'src', 'cli', 'index.ts'), 'serve', '--subgraph', 'products', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const ready = /ready at (http:\/\/\S+\/graphql)/.exec(output);
      if (ready) resolve(ready[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the subgraph exited (${code}) before it was ready:\n${output}`)));
  });
}

test('a server with OTEL_EXPORTER_OTLP_ENDPOINT sends its operation spans to the collector', async () => {
  const { port } = collector.address() as AddressInfo;
  const url = await startSubgraph({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_SERVICE_NAME: 'products-subgraph-test', LOG_LEVEL: 'warn', FUSION_SCORING_PREWARM: '0' });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await adminCredential()).headers },
    body: JSON.stringify({ query: 'query ExportedOperation { products(first: 2) { edges { node { id } } } }' }),
  });
  expect(response.status).toBe(200);
  expect(posts).toHaveLength(0); // batched: nothing is sent per request

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);

  const traces = posts.filter((post) => post.path === '/v1/traces');
  expect(traces.length).toBeGreaterThan(0);
  expect(traces[0].contentType).toContain('application/json');
  type Payload = {
    resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string; traceId: string; parentSpanId?: string; spanId: string }[] }[] }[];
  };
  const payloads = traces.map((post) => JSON.parse(post.body) as Payload);
  const spans = payloads.flatMap((payload) => payload.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
  const operation = spans.find((span) => span.name === 'query ExportedOperation');
  expect(operation).toBeDefined();
  const resolver = spans.find((span) => span.name === 'Query.products');
  expect(resolver?.traceId).toBe(operation!.traceId);
  expect(resolver?.parentSpanId).toBe(operation!.spanId);
  const services = payloads.flatMap((payload) => payload.resourceSpans.flatMap((r) => r.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue)));
  expect(services).toContain('products-subgraph-test');
}, 120_000);
