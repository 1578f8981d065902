/**
 * Subgraph mode: every subgraph service authenticates the caller itself (the router forwards the
 * credential), and `_entities` applies the same row scopes as the Query fields — a representation of
 * another customer's order, person or another seller's rows resolves to null. Through the real router
 * (@apollo/gateway over the services), a customer's nested query shows only their rows, as embedded.
 */
import { composeSupergraph, gatewayPlugins, startEmbeddedGateway, startFederationRouter, startSubgraphService, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { buildSubgraph, type SubgraphName } from '../../src/subgraphs';
import { openTestSources } from '../helpers/backends';
import { ANONYMOUS_CALLER, type Credential } from '../helpers/credentials';
import { postQuery } from '../helpers/graphql-client';
import { pickData, securityFixture, type DataFixture, type SecurityFixture } from './security-fixtures';

const NAMES: SubgraphName[] = ['users', 'products', 'orders'];
let sources: Sources;
let fixture: SecurityFixture;
let data: DataFixture;
const services = new Map<SubgraphName, RunningServer>();
let router: RunningServer;
let embedded: RunningServer;
const as = {} as Record<'alice' | 'partner' | 'admin', Credential>;

beforeAll(async () => {
  sources = await openTestSources();
  fixture = securityFixture();
  const dataDir = configFromEnv().dataDir;
  for (const name of NAMES) {
    services.set(name, await startSubgraphService({ name, dataDir, port: 0, host: '127.0.0.1', sources, config: fixture.config }));
  }
  const subgraphs = [];
  for (const name of NAMES) subgraphs.push(await buildSubgraph(name));
  const composed = composeSupergraph(subgraphs, Object.fromEntries(NAMES.map((name) => [name, `http://127.0.0.1:${services.get(name)!.port}/graphql`])));
  router = await startFederationRouter({
    supergraphSdl: composed.supergraphSdl,
    port: 0,
    host: '127.0.0.1',
    plugins: await gatewayPlugins(fixture.config, 'router'),
  });
  embedded = await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources, config: fixture.config, scoring: false });
  data = await pickData(sources);
  as.alice = await fixture.token({ role: 'customer', subject: data.alice.personId });
  as.partner = await fixture.token({ role: 'partner', subject: 'integration', sellerId: data.seller.id });
  as.admin = await fixture.token({ role: 'admin', subject: 'ops' });
}, 120_000);

afterAll(async () => {
  await router?.close();
  await embedded?.close();
  for (const service of services.values()) await service.close();
  await sources?.close();
  fixture?.remove();
});

/** `_entities` selecting the id of each type the representations name (a subgraph knows only its own entity types). */
const entitiesQuery = (typeNames: string[]) =>
  `query($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${[...new Set(typeNames)].map((name) => `... on ${name} { id }`).join(' ')} } }`;
const ENTITIES = entitiesQuery(['Order']);

async function entities(subgraph: SubgraphName, who: Credential, representations: { __typename: string; id: string }[]) {
  const query = entitiesQuery(representations.map((representation) => representation.__typename));
  const response = await postQuery<{ _entities: unknown[] }>(services.get(subgraph)!.url, query, { representations }, who);
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!._entities;
}

test("_entities: a customer's own order and person resolve, another customer's are null — in every subgraph that resolves them", async () => {
  expect(
    await entities('orders', as.alice, [
      { __typename: 'Order', id: data.alice.orderIds[0] },
      { __typename: 'Order', id: data.bob.orderId },
    ]),
  ).toEqual([{ __typename: 'Order', id: data.alice.orderIds[0] }, null]);
  for (const subgraph of ['users', 'orders'] as const) {
    expect(
      await entities(subgraph, as.alice, [
        { __typename: 'User', id: data.alice.personId },
        { __typename: 'User', id: data.bob.personId },
      ]),
    ).toEqual([{ __typename: 'User', id: data.alice.personId }, null]);
  }
  // Admin, for contrast: the same representations all resolve.
  expect(await entities('orders', as.admin, [{ __typename: 'Order', id: data.bob.orderId }])).toEqual([{ __typename: 'Order', id: data.bob.orderId }]);
});

test("_entities: a partner's representations of another seller's order, product or seller are null", async () => {
  expect(
    await entities('orders', as.partner, [
      { __typename: 'Order', id: data.seller.mixedOrderId },
      { __typename: 'Order', id: data.foreignOrderId },
    ]),
  ).toEqual([{ __typename: 'Order', id: data.seller.mixedOrderId }, null]);
  expect(
    await entities('products', as.partner, [
      { __typename: 'Product', id: data.seller.productIds[0] },
      { __typename: 'Product', id: data.foreignProductId },
      { __typename: 'Seller', id: data.seller.id },
      { __typename: 'Seller', id: data.otherSeller.id },
    ]),
  ).toEqual([{ __typename: 'Product', id: data.seller.productIds[0] }, null, { __typename: 'Seller', id: data.seller.id }, null]);
});

test('_entities without a credential: no order or person resolves; a bad credential is refused by the service', async () => {
  expect(await entities('orders', ANONYMOUS_CALLER, [{ __typename: 'Order', id: data.bob.orderId }])).toEqual([null]);
  expect(await entities('users', ANONYMOUS_CALLER, [{ __typename: 'User', id: data.bob.personId }])).toEqual([null]);
  const refused = await postQuery(services.get('orders')!.url, ENTITIES, { representations: [] }, { headers: { authorization: 'Bearer forged' } });
  expect(refused.status).toBe(401);
  expect(refused.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test("through the router, a customer's nested query reaches only their rows and answers as the embedded gateway does", async () => {
  const query = `query($product: ID!, $theirs: ID!) {
    product(id: $product) { reviews(first: 100) { totalCount edges { node { score order { id customer { id accounts { city } orders(first: 20) { edges { node { id } } } } } } } } }
    theirs: order(id: $theirs) { id customer { id } }
  }`;
  const variables = { product: data.sharedProduct, theirs: data.bob.orderId };
  const viaRouter = await postQuery<any>(router.url, query, variables, as.alice);
  const viaEmbedded = await postQuery<any>(embedded.url, query, variables, as.alice);
  expect(viaRouter.status).toBe(200);
  expect(viaRouter.body.errors).toBeUndefined();
  expect(viaRouter.body.data).toEqual(viaEmbedded.body.data);
  expect(viaRouter.body.data.theirs).toBeNull();
  const reviews = viaRouter.body.data.product.reviews.edges as {
    node: { order: { id: string; customer: { id: string; orders: { edges: { node: { id: string } }[] } } } };
  }[];
  expect(reviews.length).toBeGreaterThan(0);
  for (const { node } of reviews) {
    expect(data.alice.orderIds).toContain(node.order.id);
    expect(node.order.customer.id).toBe(data.alice.personId);
    for (const edge of node.order.customer.orders.edges) expect(data.alice.orderIds).toContain(edge.node.id);
  }
});

test("through the router, a partner sees the pseudonym the subgraph computes, and no other seller's lines", async () => {
  const query = `query($id: ID!) { order(id: $id) { id customer { id } items { seller { id city } product { id } } } }`;
  const viaRouter = await postQuery<any>(router.url, query, { id: data.seller.mixedOrderId }, as.partner);
  const viaEmbedded = await postQuery<any>(embedded.url, query, { id: data.seller.mixedOrderId }, as.partner);
  expect(viaRouter.body.errors).toBeUndefined();
  expect(viaRouter.body.data).toEqual(viaEmbedded.body.data);
  for (const item of viaRouter.body.data.order.items) expect(item.seller.id).toBe(data.seller.id);
  const refused = await postQuery(router.url, '{ orders(first: 1) { totalCount } }', undefined, { headers: { authorization: 'Bearer forged' } });
  expect(refused.status).toBe(401);
});
