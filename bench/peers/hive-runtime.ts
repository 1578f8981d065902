/**
 * Hive Gateway's runtime (@graphql-hive/gateway-runtime, a dev dependency) configured over our subgraph services:
 * one configuration for the peer server (hive-gateway.ts) and the tests that run it (test/e2e/federated-equality,
 * test/e2e/hive-subscriptions).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';

/** Where the orders service serves its subscriptions over graphql-sse (src/gateway/realtime/subscriptions.ts), from its /graphql. */
const ORDERS_SSE_LOCATION = '/graphql/stream';

export function hiveGatewayRuntime(supergraphSdl: string) {
  return createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: false,
    graphqlEndpoint: '/graphql',
    // Passed in: the runtime would otherwise import the transport package dynamically (which jest's CommonJS cannot).
    transports: { http: httpTransport },
    // The orders subgraph's Subscription fields over SSE (the HTTP executor's text/event-stream); its queries over POST.
    transportEntries: { orders: { options: { subscriptions: { kind: 'http', location: ORDERS_SSE_LOCATION } } } },
    // The subgraphs authenticate the caller themselves: pass its credential on, as the routers do (subscriptions too).
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization'), 'x-api-key': request.headers.get('x-api-key') }),
    },
  });
}

export interface RunningHive {
  url: string;
  close(): Promise<void>;
}

/** The runtime as an HTTP server on 127.0.0.1 (port 0: a free one), for the tests. */
export async function startHiveGateway(supergraphSdl: string, port = 0): Promise<RunningHive> {
  const runtime = hiveGatewayRuntime(supergraphSdl);
  const server = http.createServer(runtime);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
}
