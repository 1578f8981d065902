/**
 * Hive Gateway's runtime (@graphql-hive/gateway-runtime, a dev dependency: the project's federated-equality
 * test runs it too) over a supergraph file, as a server process for bench/run.ts: the same subgraph
 * services @apollo/gateway routes to, the caller's credential passed on as the router does (hive-runtime.ts); subscriptions
 * to the orders service over SSE, served to clients over SSE (POST /graphql with Accept: text/event-stream).
 *
 *   node dist/bench/peers/hive-gateway.js --supergraph FILE --port N
 *
 * Serves POST /graphql; GET /readyz answers 200 once the runtime has read the supergraph. Stops on SIGTERM.
 */
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { hiveGatewayRuntime } from './hive-runtime';

const { values } = parseArgs({ options: { supergraph: { type: 'string' }, port: { type: 'string' } } });
if (!values.supergraph || !values.port) {
  console.error('usage: node dist/bench/peers/hive-gateway.js --supergraph FILE --port N');
  process.exit(2);
}

const runtime = hiveGatewayRuntime(fs.readFileSync(values.supergraph, 'utf8'));

const server = http.createServer((request, response) => {
  if (request.url === '/readyz') {
    // The runtime's own readiness route loads the supergraph's executor on first use.
    void fetchReadiness().then((ready) => {
      response.writeHead(ready ? 200 : 503).end();
    });
    return;
  }
  void runtime(request, response);
});

async function fetchReadiness(): Promise<boolean> {
  try {
    const answer = await runtime.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    return answer.status === 200;
  } catch {
    return false;
  }
}

server.listen(Number(values.port), '127.0.0.1', () => console.log(`Hive Gateway runtime on http://127.0.0.1:${values.port}/graphql`));

process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void Promise.resolve(runtime.dispose()).then(() => process.exit(0)));
});
