/**
 * The connections' cross-system filters and sorts in federated mode: each subgraph as its own HTTP
 * service behind @apollo/gateway. The subgraph that owns a list (orders for Query.orders, User.orders
 * and Seller.products; products for Query.products) resolves the other systems' predicates through
 * those systems' connectors (docs/analytics.md, "Federated mode"); the router only adds entity fields.
 * Every answer, page after page and the errors too, must be byte-identical to the embedded gateway's.
 */
import { composeSupergraph, startFederationRouter, startSubgraphService, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { buildAllSubgraphs, SUBGRAPH_NAMES } from '../../src/subgraphs';
import { openTestSources } from '../helpers/backends';
import { postQuery, type HttpGraphQLResponse } from '../helpers/graphql-client';
import { olistOracle } from '../helpers/olist-oracle';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../helpers/servers';

let sources: Sources;
const services: RunningServer[] = [];
let router: RunningServer;
let embedded: EmbeddedTestServer;

beforeAll(async () => {
  sources = await openTestSources();
  const urls: Record<string, string> = {};
  // Sequential: type-graphql's schema builder keeps global state while it runs.
  for (const name of SUBGRAPH_NAMES) {
    const service = await startSubgraphService({ name, dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources });
    services.push(service);
    urls[name] = `http://127.0.0.1:${service.port}/graphql`;
  }
  router = await startFederationRouter({ supergraphSdl: composeSupergraph(await buildAllSubgraphs(), urls).supergraphSdl, port: 0, host: '127.0.0.1' });
  embedded = await startEmbeddedTestServer();
}, 180_000);

afterAll(async () => {
  await embedded?.close();
  await router?.close();
  for (const service of services) await service.close();
  await sources?.close();
});

const ORDERS = `query($first: Int, $after: String, $filter: OrdersFilter, $orderBy: OrdersOrderBy) {
  orders(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id status purchasedAt customer { id } items { product { id category { name nameEn } averageRating } } reviews { score } } } } }`;
const PRODUCTS = `query($first: Int, $after: String, $category: String, $filter: ProductsFilter, $orderBy: ProductsOrderBy) {
  products(first: $first, after: $after, category: $category, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id category { name nameEn } averageRating orderCount } } } }`;

interface Page {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: unknown[];
}

/** Both gateways answer the same bytes for up to `pages` pages (the next page from the embedded answer's cursor). */
async function expectSamePages(label: string, query: string, field: string, variables: Record<string, unknown>, pages = 3): Promise<number> {
  let after: string | null = null;
  let served = 0;
  for (let page = 0; page < pages; page += 1) {
    const [one, two]: [HttpGraphQLResponse<Record<string, Page>>, HttpGraphQLResponse<unknown>] = await Promise.all([
      postQuery<Record<string, Page>>(embedded.url, query, { ...variables, after }),
      postQuery(`http://127.0.0.1:${router.port}/graphql`, query, { ...variables, after }),
    ]);
    expect({ label, page, status: one.status, errors: one.body.errors }).toEqual({ label, page, status: 200, errors: undefined });
    expect({ label, page, federated: two.text }).toEqual({ label, page, federated: one.text });
    const connection: Page = one.body.data![field];
    served += connection.edges.length;
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return served;
}

test('Query.orders filtered by CRM state, catalog category and review score: the same pages federated', async () => {
  const cases: [string, Record<string, unknown>][] = [
    ['SP × bed_bath_table × ≥4', { filter: { customerState: 'SP', category: 'bed_bath_table', minReviewScore: 4 } }],
    ['RJ, newest first', { filter: { customerState: 'RJ' }, orderBy: { purchasedAt: 'DESC' } }],
    ['score ≤ 2 × cama_mesa_banho', { filter: { category: 'cama_mesa_banho', maxReviewScore: 2 } }],
  ];
  for (const [label, variables] of cases) expect(await expectSamePages(label, ORDERS, 'orders', { first: 25, ...variables })).toBeGreaterThan(0);
});

test('Query.products by averageRating (ratings from the orders subgraph): the same pages federated', async () => {
  const cases: [string, Record<string, unknown>][] = [
    ['all by rating', { orderBy: { averageRating: 'DESC' } }],
    ['pc_gamer by rating ascending', { category: 'pc_gamer', orderBy: { averageRating: 'ASC' } }],
    ['perfumery rated ≥ 4.5 by id', { category: 'perfumery', filter: { minAverageRating: 4.5 }, orderBy: { id: 'DESC' } }],
  ];
  for (const [label, variables] of cases) expect(await expectSamePages(label, PRODUCTS, 'products', { first: 20, ...variables })).toBeGreaterThan(0);
});

test('User.orders and Seller.products with filters and sorts: the same answers federated', async () => {
  const oracle = olistOracle();
  const person = [...oracle.users().values()].find((user) => user.orderCount >= 3)!;
  const seller = [...oracle.sellersById().values()].sort((a, b) => b.products.length - a.products.length)[0];
  const query = `query($user: ID!, $seller: ID!) {
    user(id: $user) { orders(first: 10, filter: { minReviewScore: 1 }, orderBy: { purchasedAt: DESC }) { totalCount edges { cursor node { id } } } }
    seller(id: $seller) { products(first: 10, orderBy: { averageRating: DESC }) { totalCount edges { cursor node { id averageRating } } } } }`;
  const variables = { user: person.id, seller: seller.sellerId };
  const [one, two] = await Promise.all([postQuery(embedded.url, query, variables), postQuery(`http://127.0.0.1:${router.port}/graphql`, query, variables)]);
  expect(one.body.errors).toBeUndefined();
  expect(two.text).toBe(one.text);
});

test('bad input answers the same BAD_USER_INPUT federated', async () => {
  for (const variables of [{ filter: { customerState: 'XX' } }, { filter: { category: 'no_such_category' } }, { filter: { minReviewScore: 9 } }]) {
    const [one, two] = await Promise.all([postQuery(embedded.url, ORDERS, variables), postQuery(`http://127.0.0.1:${router.port}/graphql`, ORDERS, variables)]);
    expect(one.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(two.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(two.body.errors?.[0]?.message).toBe(one.body.errors?.[0]?.message);
  }
});
