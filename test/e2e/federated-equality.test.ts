/**
 * One code base, two deployments: the embedded gateway (the whole supergraph in one process) and
 * @apollo/gateway over the subgraph services must answer every canonical operation byte for byte
 * the same; Hive Gateway (@graphql-hive/gateway-runtime) over the same services and supergraph must
 * answer the same JSON (it ends its body without Apollo Server's newline). Also checks the federation plumbing (composition, `_service`, `_entities`) and that the
 * committed schema.graphql / supergraph.graphql are what `compose` produces now.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { startHiveGateway, type RunningHive } from '../../bench/peers/hive-runtime';
import { composeCommand, DEFAULT_SUBGRAPH_PORTS } from '../../src/cli/compose.command';
import { composeSupergraph, startFederationRouter, startSubgraphService, type ComposedSupergraph, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { buildAllSubgraphs, SUBGRAPH_NAMES, type SubgraphName } from '../../src/subgraphs';
import {
  Customer360Document,
  OrderDetailDocument,
  OrderListingDocument,
  ProductPageDocument,
  SellerPageDocument,
  UsersByStateDocument,
  type OrderListingQueryVariables,
} from '../generated/operations';
import { execute, postQuery, type HttpGraphQLResponse } from '../helpers/graphql-client';
import { openTestSources } from '../helpers/backends';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../helpers/servers';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

let sources: Sources;
const subgraphServices = new Map<SubgraphName, RunningServer>();
const subgraphUrls: Record<string, string> = {};
let composed: ComposedSupergraph;
let router: RunningServer;
let embedded: EmbeddedTestServer;
let hive: RunningHive;

/** Real ids from the seeded stores, spread over the id space (no id is written in this file). */
const ids = { users: [] as string[], accounts: [] as string[], orders: [] as string[], products: [] as string[], sellers: [] as string[] };

const graphqlUrl = (server: RunningServer) => `http://127.0.0.1:${server.port}/graphql`;
const HEX_STARTS = ['0', '3', '7', 'a', 'e'];
/** Well-formed (32 hex digits) but absent from every store. */
const UNKNOWN_ID = 'f'.repeat(32);

beforeAll(async () => {
  sources = await openTestSources();
  // Sequential: type-graphql's schema builder keeps global state while it runs.
  for (const name of SUBGRAPH_NAMES) {
    const service = await startSubgraphService({ name, dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources });
    subgraphServices.set(name, service);
    subgraphUrls[name] = graphqlUrl(service);
  }
  composed = composeSupergraph(await buildAllSubgraphs(), subgraphUrls);
  router = await startFederationRouter({ supergraphSdl: composed.supergraphSdl, port: 0, host: '127.0.0.1' });
  hive = await startHiveGateway(composed.supergraphSdl);
  embedded = await startEmbeddedTestServer();
  await pickIds();
}, 120_000);

afterAll(async () => {
  await embedded?.close();
  await router?.close();
  await hive?.close();
  for (const service of subgraphServices.values()) await service.close();
  await sources?.close();
});

async function pickIds(): Promise<void> {
  // People: the first person after a few points of the (hex) id space, plus people with several accounts.
  for (const start of HEX_STARTS) ids.users.push(...(await sources.crm.personIdsPage({ afterPersonId: start, limit: 1 })));
  const page = await execute(graphqlUrl(embedded), UsersByStateDocument, { first: 100 });
  const multi = page.body.data!.users!.edges.map((edge) => edge.node).filter((user) => user.accounts.length > 1);
  expect(multi.length).toBeGreaterThan(0);
  ids.users.push(...multi.slice(0, 2).map((user) => user.id));
  ids.accounts.push(multi[0].accounts[1].customerId);

  // Orders: a few purchase-time positions, plus one order of each of some rarer statuses.
  for (const purchasedFrom of ['2016-10-05 00:00:00', '2017-06-01 00:00:00', '2018-01-15 12:00:00', '2018-08-20 00:00:00']) {
    ids.orders.push(...(await sources.orders.ordersPage({ purchasedFrom, limit: 1 })).map((order) => order.orderId));
  }
  for (const status of ['canceled', 'shipped', 'unavailable']) {
    ids.orders.push(...(await sources.orders.ordersPage({ status, limit: 1 })).map((order) => order.orderId));
  }

  // Products: spread over the id space, plus the products and sellers of the sampled orders.
  for (const start of HEX_STARTS) {
    ids.products.push(...(await sources.catalog.productsPage({ afterProductId: start, limit: 1 })).map((p) => p.productId));
  }
  const items = (await sources.orders.itemsByOrderIds(ids.orders)).flat();
  ids.products.push(...items.slice(0, 3).map((item) => item.productId));
  ids.sellers.push(...new Set(items.map((item) => item.sellerId)));
  // The most ordered product of a seller (many orders, many reviews).
  const busy = await execute(graphqlUrl(embedded), SellerPageDocument, { id: ids.sellers[0], first: 100 });
  const busiest = [...busy.body.data!.seller!.products!.edges].sort((a, b) => b.node.orderCount! - a.node.orderCount!)[0];
  if (busiest) ids.products.push(busiest.node.id);

  for (const list of Object.values(ids)) {
    const unique = [...new Set(list)];
    list.splice(0, list.length, ...unique);
  }
  expect(ids.users.length).toBeGreaterThanOrEqual(5);
  expect(ids.orders.length).toBeGreaterThanOrEqual(5);
  expect(ids.products.length).toBeGreaterThanOrEqual(5);
  expect(ids.sellers.length).toBeGreaterThanOrEqual(3);
}

/** Runs the operation against both deployments and requires byte-identical, error-free bodies. */
async function expectSameAnswer<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<HttpGraphQLResponse<TData>> {
  const [one, two, three] = await Promise.all([
    execute(graphqlUrl(embedded), document, variables),
    execute(graphqlUrl(router), document, variables),
    execute(hive.url, document, variables),
  ]);
  const label = JSON.stringify(variables);
  expect({ label, status: one.status, errors: one.body.errors }).toEqual({ label, status: 200, errors: undefined });
  expect({ label, status: two.status, errors: two.body.errors }).toEqual({ label, status: 200, errors: undefined });
  expect({ label, federated: two.text }).toEqual({ label, federated: one.text });
  expect({ label, status: three.status, hive: three.text.trimEnd() }).toEqual({ label, status: 200, hive: one.text.trimEnd() });
  return one;
}

describe('embedded and federated deployments answer identically', () => {
  test('customer 360', async () => {
    for (const id of [...ids.users, ...ids.accounts]) {
      const answer = await expectSameAnswer(Customer360Document, { id });
      expect(answer.body.data!.user).not.toBeNull();
    }
    // A second page of a person's orders, and an unknown person.
    const multi = ids.users[ids.users.length - 1];
    const first = await expectSameAnswer(Customer360Document, { id: multi, first: 1 });
    const endCursor = first.body.data!.user!.orders!.pageInfo.endCursor;
    expect(endCursor).toBeTruthy();
    await expectSameAnswer(Customer360Document, { id: multi, first: 1, after: endCursor });
    expect((await expectSameAnswer(Customer360Document, { id: UNKNOWN_ID })).body.data!.user).toBeNull();
  });

  test('product page', async () => {
    for (const id of ids.products) {
      const answer = await expectSameAnswer(ProductPageDocument, { id });
      expect(answer.body.data!.product).not.toBeNull();
    }
    const busiest = ids.products[ids.products.length - 1];
    const first = await expectSameAnswer(ProductPageDocument, { id: busiest, reviewsFirst: 2 });
    const reviews = first.body.data!.product!.reviews!;
    if (reviews.pageInfo.hasNextPage) {
      await expectSameAnswer(ProductPageDocument, { id: busiest, reviewsFirst: 2, reviewsAfter: reviews.pageInfo.endCursor });
    }
    expect((await expectSameAnswer(ProductPageDocument, { id: UNKNOWN_ID })).body.data!.product).toBeNull();
  });

  test('order detail', async () => {
    for (const id of ids.orders) {
      const answer = await expectSameAnswer(OrderDetailDocument, { id });
      expect(answer.body.data!.order?.id).toBe(id);
    }
    expect((await expectSameAnswer(OrderDetailDocument, { id: UNKNOWN_ID })).body.data!.order).toBeNull();
  });

  test('order listing with filters and pagination', async () => {
    const cases: OrderListingQueryVariables[] = [
      { first: 10 },
      { first: 5, status: 'CANCELED' },
      { first: 10, status: 'DELIVERED', purchasedFrom: '2017-11-24T00:00:00-02:00', purchasedTo: '2017-11-25T23:59:59-02:00' },
      { first: 10, purchasedFrom: '2018-03-01T00:00:00-03:00' },
      { first: 3, purchasedTo: '2017-01-01T00:00:00-02:00', status: 'SHIPPED' },
      { first: 0, status: 'UNAVAILABLE' },
    ];
    for (const variables of cases) {
      const answer = await expectSameAnswer(OrderListingDocument, variables);
      const { totalCount, pageInfo } = answer.body.data!.orders!;
      if (variables.first) expect(totalCount).toBeGreaterThan(0);
      if (pageInfo.hasNextPage) await expectSameAnswer(OrderListingDocument, { ...variables, after: pageInfo.endCursor });
    }
  });

  test('seller page', async () => {
    for (const id of ids.sellers) {
      const answer = await expectSameAnswer(SellerPageDocument, { id });
      expect(answer.body.data!.seller?.products?.totalCount).toBeGreaterThan(0);
      const { pageInfo } = answer.body.data!.seller!.products!;
      if (pageInfo.hasNextPage) await expectSameAnswer(SellerPageDocument, { id, after: pageInfo.endCursor });
    }
    expect((await expectSameAnswer(SellerPageDocument, { id: UNKNOWN_ID })).body.data!.seller).toBeNull();
  });

  test('users listing by state', async () => {
    for (const state of ['SP', 'RJ', 'AC', 'RR', undefined]) {
      const answer = await expectSameAnswer(UsersByStateDocument, { state, first: 10 });
      const { totalCount, pageInfo } = answer.body.data!.users!;
      expect(totalCount).toBeGreaterThan(0);
      if (pageInfo.hasNextPage) await expectSameAnswer(UsersByStateDocument, { state, first: 10, after: pageInfo.endCursor });
    }
  });
});

describe('embedded and federated deployments report errors identically', () => {
  /** Same status and byte-identical body, which must carry errors with a code. */
  async function expectSameError<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
    const [one, two] = await Promise.all([execute(graphqlUrl(embedded), document, variables), execute(graphqlUrl(router), document, variables)]);
    const label = JSON.stringify(variables);
    expect(one.body.errors?.[0]?.extensions?.code).toBeDefined();
    expect({ label, status: two.status, text: two.text }).toEqual({ label, status: one.status, text: one.text });
  }

  test('malformed ids and out-of-range page sizes', async () => {
    await expectSameError(Customer360Document, { id: 'not-an-id' });
    await expectSameError(ProductPageDocument, { id: 'not-an-id' });
    await expectSameError(OrderDetailDocument, { id: 'not-an-id' });
    await expectSameError(SellerPageDocument, { id: 'not-an-id' });
    await expectSameError(OrderListingDocument, { first: 1000 });
    await expectSameError(OrderListingDocument, { first: 5, after: 'not-a-cursor' });
    await expectSameError(UsersByStateDocument, { first: -1 });
    await expectSameError(UsersByStateDocument, { state: 'XX' });
  });

  test('errors below an entity boundary (fields another subgraph resolves)', async () => {
    await expectSameError(Customer360Document, { id: ids.users[0], first: 1000 });
    await expectSameError(Customer360Document, { id: ids.users[0], after: 'not-a-cursor' });
    await expectSameError(ProductPageDocument, { id: ids.products[0], reviewsFirst: 101 });
    await expectSameError(SellerPageDocument, { id: ids.sellers[0], first: -5 });
  });

  test("an error raised in a fragment, with an alias, reports the client operation's locations", async () => {
    const query = `
      query ($id: ID!) {
        person: user(id: $id) {
          id
          recent: orders(first: 500) { pageInfo { hasNextPage } }
          ...Spend
        }
      }
      fragment Spend on User {
        ... on User { recent: orders(first: 500) { totalCount } }
      }`;
    const [one, two] = await Promise.all([
      postQuery(graphqlUrl(embedded), query, { id: ids.users[0] }),
      postQuery(graphqlUrl(router), query, { id: ids.users[0] }),
    ]);
    expect(one.body.errors).toHaveLength(1);
    expect(one.body.errors![0]).toMatchObject({ path: ['person', 'recent'], locations: [{ line: 5 }, { line: 10 }] });
    expect(two.text).toBe(one.text);
  });
});

describe('federation plumbing', () => {
  test('composition has no errors and no hints', () => {
    // composeSupergraph throws on composition errors.
    expect(composed.hints).toEqual([]);
    for (const name of SUBGRAPH_NAMES) expect(composed.supergraphSdl).toContain(`url: "${subgraphUrls[name]}"`);
  });

  test("the supergraph has the orders subgraph's Subscription root; @apollo/gateway plans it but answers SUBSCRIPTIONS_UNAVAILABLE", async () => {
    expect(composed.supergraphSdl).toMatch(/type Subscription\s+@join__type\(graph: ORDERS\)[^}]*orderUpdated\(id: ID!\): OrderChange!/);
    const answer = await postQuery(graphqlUrl(router), `subscription { ordersOfSeller(sellerId: "${ids.sellers[0]}") { eventId } }`);
    // No data at all: Apollo Server answers it as a request error (400), coded, not a 5xx.
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBSCRIPTIONS_UNAVAILABLE']);
  });

  test('each subgraph answers { _service { sdl } }', async () => {
    for (const name of SUBGRAPH_NAMES) {
      const answer = await postQuery<{ _service: { sdl: string } }>(subgraphUrls[name], '{ _service { sdl } }');
      expect(answer.body.errors).toBeUndefined();
      const sdl = answer.body.data!._service.sdl;
      expect(() => parse(sdl)).not.toThrow();
      expect(sdl).toContain('https://specs.apollo.dev/federation/v2');
      // The subgraphs that own the entities declare them with @key.
      if (['users', 'products', 'orders'].includes(name)) expect(sdl).toContain('@key(fields: "id")');
    }
  });

  test('_entities resolves User, Product and Order representations through their subgraphs', async () => {
    const entities = async (subgraph: SubgraphName, selection: string, representations: object[]) => {
      const answer = await postQuery<{ _entities: (Record<string, unknown> | null)[] }>(
        subgraphUrls[subgraph],
        `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${selection} } }`,
        { representations },
      );
      expect(answer.body.errors).toBeUndefined();
      return answer.body.data!._entities;
    };

    const userIds = ids.users.slice(0, 3);
    const users = await entities('users', '... on User { id accounts { customerId } }', [
      ...userIds.map((id) => ({ __typename: 'User', id })),
      { __typename: 'User', id: UNKNOWN_ID },
    ]);
    expect(users.slice(0, 3).map((user) => user?.id)).toEqual(userIds);
    for (const user of users.slice(0, 3)) expect((user!.accounts as unknown[]).length).toBeGreaterThan(0);
    expect(users[3]).toBeNull();

    const productIds = ids.products.slice(0, 3);
    const products = await entities(
      'products',
      '... on Product { id category { name } }',
      productIds.map((id) => ({ __typename: 'Product', id })),
    );
    expect(products.map((product) => product?.id)).toEqual(productIds);

    const orderIds = ids.orders.slice(0, 3);
    const orders = await entities(
      'orders',
      '... on Order { id status customer { id } }',
      orderIds.map((id) => ({ __typename: 'Order', id })),
    );
    expect(orders.map((order) => order?.id)).toEqual(orderIds);

    // The orders subgraph extends User: orderCount must agree with what the gateway answers.
    const counts = await entities(
      'orders',
      '... on User { id orderCount }',
      userIds.map((id) => ({ __typename: 'User', id })),
    );
    for (const [index, id] of userIds.entries()) {
      const viaGateway = await execute(graphqlUrl(router), Customer360Document, { id, first: 0 });
      expect(counts[index]).toEqual({ __typename: 'User', id, orderCount: viaGateway.body.data!.user!.orderCount });
    }
  });

  test('committed schema.graphql and supergraph.graphql are what `compose` produces now', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-compose-'));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const out = path.join(dir, 'supergraph.graphql');
      const apiSchema = path.join(dir, 'schema.graphql');
      expect(await composeCommand(['--out', out, '--api-schema', apiSchema])).toBe(0);
      expect(warn).not.toHaveBeenCalled();
      const fresh = fs.readFileSync(out, 'utf8');
      expect(DEFAULT_SUBGRAPH_PORTS).toMatchObject({ users: 4001, products: 4002, orders: 4003 });
      for (const name of SUBGRAPH_NAMES) {
        const port = DEFAULT_SUBGRAPH_PORTS[name];
        expect(fresh).toContain(`url: "http://localhost:${port}/graphql"`);
        expect(fresh).toMatch(
          new RegExp(`join__Graph[\\s\\S]*${name.toUpperCase()} @join__graph\\(name: "${name}", url: "http://localhost:${port}/graphql"\\)`),
        );
      }
      expect(fs.readFileSync(path.join(REPO_ROOT, 'supergraph.graphql'), 'utf8')).toBe(fresh);
      expect(fs.readFileSync(path.join(REPO_ROOT, 'schema.graphql'), 'utf8')).toBe(fs.readFileSync(apiSchema, 'utf8'));
    } finally {
      log.mockRestore();
      warn.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
