/**
 * A source down answers the same partial result in both deployments: the embedded gateway and
 * @apollo/gateway over the subgraph services (sharing the same sources) return byte-identical bodies,
 * with the failed field null and its SOURCE_UNAVAILABLE error (path, locations, source) alike.
 */
import { embeddedSourcesConfig, type SourcesConfig } from '../../src/config/fusion-config';
import { composeSupergraph, startEmbeddedGateway, startFederationRouter, startSubgraphService, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import { embeddedStorePaths, openSources, type Sources } from '../../src/sources';
import { buildAllSubgraphs, SUBGRAPH_NAMES } from '../../src/subgraphs';
import { startReviewsService, type RunningReviewsService } from '../../src/upstreams/reviews-service';
import { postQuery } from '../helpers/graphql-client';
import { codedErrors } from './fault-helpers';

const dataDir = configFromEnv().dataDir;
let reviews: RunningReviewsService | undefined;
let sources: Sources;
const servers: RunningServer[] = [];
let embedded: RunningServer;
let router: RunningServer;
let orderId: string;
let productId: string;

const QUERY = `query ($order: ID!, $product: ID!) {
  order(id: $order) { id status reviews { score } items { position product { id } } }
  product(id: $product) { id averageRating reviews(first: 2) { totalCount } }
}`;

beforeAll(async () => {
  reviews = await startReviewsService({ file: embeddedStorePaths(dataDir).reviews, port: 0 });
  const base = embeddedSourcesConfig(dataDir);
  const config: SourcesConfig = {
    ...base,
    origin: { kind: 'file', file: '(reliability test: federated)' },
    sources: { ...base.sources, reviews: { kind: 'rest', baseUrl: reviews.url, timeoutMs: 1000, retries: 1, backoffMs: 10, batchSize: 200 } },
  };
  sources = await openSources(config);
  const urls: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES) {
    const service = await startSubgraphService({ name, dataDir, port: 0, host: '127.0.0.1', sources, config });
    servers.push(service);
    urls[name] = `http://127.0.0.1:${service.port}/graphql`;
  }
  router = await startFederationRouter({ supergraphSdl: composeSupergraph(await buildAllSubgraphs(), urls).supergraphSdl, port: 0, host: '127.0.0.1' });
  servers.push(router);
  embedded = await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources, scoring: false });
  servers.push(embedded);
  const page = await postQuery<{ orders: { edges: { node: { id: string; reviews: unknown[]; items: { product: { id: string } }[] } }[] } }>(
    embedded.url,
    '{ orders(first: 20) { edges { node { id reviews { score } items { product { id } } } } } }',
  );
  const reviewed = page.body.data!.orders.edges.find((edge) => edge.node.reviews.length > 0 && edge.node.items.length > 0)!.node;
  orderId = reviewed.id;
  productId = reviewed.items[0].product.id;
}, 120_000);

afterAll(async () => {
  for (const server of servers.reverse()) await server.close();
  await sources?.close();
  await reviews?.close();
});

test('review service down: identical partial answers from the embedded gateway and the federation router', async () => {
  const variables = { order: orderId, product: productId };
  const up = [await postQuery(embedded.url, QUERY, variables), await postQuery(router.url, QUERY, variables)];
  expect(up[0].body.errors).toBeUndefined();
  expect(up[1].text).toBe(up[0].text);

  await reviews!.close();
  reviews = undefined;
  const fromEmbedded = await postQuery<{
    order: { id: string; reviews: unknown; items: unknown[] };
    product: { id: string; averageRating: unknown; reviews: unknown };
  }>(embedded.url, QUERY, variables);
  const fromRouter = await postQuery(router.url, QUERY, variables);
  expect(fromEmbedded.status).toBe(200);
  expect(fromRouter.status).toBe(200);
  expect(fromEmbedded.body.data!.order).toMatchObject({ id: orderId, reviews: null, items: expect.any(Array) });
  expect(fromEmbedded.body.data!.product).toMatchObject({ id: productId, averageRating: null, reviews: null });
  expect(codedErrors(fromEmbedded.body)).toEqual(
    expect.arrayContaining([
      { code: 'SOURCE_UNAVAILABLE', source: 'reviews', path: 'order.reviews' },
      { code: 'SOURCE_UNAVAILABLE', source: 'reviews', path: 'product.averageRating' },
      { code: 'SOURCE_UNAVAILABLE', source: 'reviews', path: 'product.reviews' },
    ]),
  );
  expect(codedErrors(fromEmbedded.body).every((error) => error.code === 'SOURCE_UNAVAILABLE' && error.source === 'reviews')).toBe(true);
  // The same data and the same errors, byte for byte. The router fetches the two root fields' subgraphs in
  // parallel and lists errors as the fetches finish, so their order is not part of the contract.
  expect(withErrorsByPath(fromRouter.text)).toBe(withErrorsByPath(fromEmbedded.text));
}, 60_000);

function withErrorsByPath(text: string): string {
  const body = JSON.parse(text) as { errors?: { path?: unknown }[] };
  body.errors?.sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));
  return JSON.stringify(body);
}
