/**
 * Query.orders / Query.products / User.orders / Seller.products filtered and sorted by facts other
 * systems own (customer state: CRM; category: catalog; review score: review store; averageRating:
 * reviews × order lines), on the embedded stores: every page walked to the end serves exactly the
 * oracle's ids (computed from the CSVs), each once, in order; row scopes still hold; bad input is
 * BAD_USER_INPUT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tokenCredential } from '../../helpers/credentials';
import { oracleOrderIds, oracleProductIds, type OrderOracleQuery, type ProductOracleQuery } from '../../helpers/cross-filter-oracle';
import { ORDERS_QUERY, PRODUCTS_QUERY, walkPages } from '../../helpers/cross-filter-pages';
import { postQuery } from '../../helpers/graphql-client';
import { olistOracle, type OlistOracle } from '../../helpers/olist-oracle';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../../helpers/servers';

let server: EmbeddedTestServer;
let oracle: OlistOracle;

beforeAll(async () => {
  server = await startEmbeddedTestServer();
  oracle = olistOracle();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const ordersFilter = (query: OrderOracleQuery) => ({
  filter: {
    customerState: query.customerState,
    category: query.category,
    minReviewScore: query.minReviewScore,
    maxReviewScore: query.maxReviewScore,
  },
  orderBy: query.direction ? { purchasedAt: query.direction.toUpperCase() } : undefined,
  status: query.status?.toUpperCase(),
});

describe('Query.orders with cross-system filters', () => {
  const WALKED: OrderOracleQuery[] = [
    { customerState: 'SP', category: 'bed_bath_table', minReviewScore: 4 },
    { customerState: 'RJ', category: 'cama_mesa_banho', maxReviewScore: 2, direction: 'desc' },
    { category: 'pc_gamer' },
    { customerState: 'AC', direction: 'desc' },
    { customerState: 'MG', minReviewScore: 2, maxReviewScore: 3, status: 'delivered' },
  ];
  test.each(WALKED)(
    'every page of %j, walked to the end, is the oracle list (each order once, in order)',
    async (query) => {
      const expected = oracleOrderIds(oracle, query);
      expect(expected.length).toBeGreaterThan(0);
      const walk = await walkPages(server.url, ORDERS_QUERY, 'orders', { first: 100, ...ordersFilter(query) });
      expect(walk.ids).toEqual(expected);
      expect(new Set(walk.ids).size).toBe(walk.ids.length);
      expect(walk.totalCount).toBe(expected.length);
    },
    300_000,
  );

  test.each([{ minReviewScore: 4 }, { minReviewScore: 5, direction: 'desc' as const }, { maxReviewScore: 1 }, { customerState: 'SP' }])(
    'large key sets (%j): the first pages and the total are the oracle figures',
    async (query) => {
      const expected = oracleOrderIds(oracle, query);
      const walk = await walkPages(server.url, ORDERS_QUERY, 'orders', { first: 50, ...ordersFilter(query) }, undefined, 3);
      expect(walk.ids).toEqual(expected.slice(0, 150));
      expect(walk.totalCount).toBe(expected.length);
    },
    300_000,
  );

  test('a customer sees only their own orders; a partner only orders with one of its lines in the category', async () => {
    const person = [...oracle.users().values()].find((user) => user.orderCount >= 2 && user.orderIds.some((id) => oracle.order(id)!.reviews.length > 0))!;
    const customer = await tokenCredential({ role: 'customer', subject: person.id });
    const own = { customerIds: person.accounts.map((account) => account.customerId), minReviewScore: 1 };
    const mine = await walkPages(server.url, ORDERS_QUERY, 'orders', { first: 100, ...ordersFilter(own) }, customer);
    expect(mine.ids).toEqual(oracleOrderIds(oracle, own));
    expect(mine.ids.length).toBeGreaterThan(0);

    const lines = new Map<string, number>();
    for (const item of oracle.orderItems()) lines.set(item.sellerId, (lines.get(item.sellerId) ?? 0) + 1);
    const sellerId = [...lines].sort((a, b) => b[1] - a[1])[0][0];
    const category = oracle.product(oracle.orderItems().find((item) => item.sellerId === sellerId)!.productId)!.categoryName!;
    const partner = await tokenCredential({ role: 'partner', subject: 'partner-test', sellerId });
    const query: OrderOracleQuery = { category, sellerId, maxReviewScore: 3 };
    const expected = oracleOrderIds(oracle, query);
    expect(expected.length).toBeGreaterThan(0);
    // Partners run trusted documents only (partner-operations/filtered-orders.graphql).
    const walk = await walkPages(server.url, PARTNER_ORDERS, 'orders', { first: 100, filter: { category, maxReviewScore: 3 } }, partner);
    expect(walk.ids).toEqual(expected);
  }, 300_000);

  test("User.orders filtered: the person's orders that pass, by purchase time", async () => {
    const person = [...oracle.users().values()].find((user) => user.orderCount >= 3)!;
    const query: OrderOracleQuery = { customerIds: person.accounts.map((a) => a.customerId), minReviewScore: 1, direction: 'desc' };
    const response = await postQuery<{ user: { orders: { totalCount: number; edges: { node: { id: string } }[] } } }>(
      server.url,
      `query($id: ID!) { user(id: $id) { orders(first: 100, filter: { minReviewScore: 1 }, orderBy: { purchasedAt: DESC }) { totalCount edges { node { id } } } } }`,
      { id: person.id },
    );
    expect(response.body.errors).toBeUndefined();
    const expected = oracleOrderIds(oracle, query);
    expect(response.body.data!.user.orders.edges.map((edge) => edge.node.id)).toEqual(expected);
    expect(response.body.data!.user.orders.totalCount).toBe(expected.length);
  });
});

const PARTNER_ORDERS = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'partner-operations', 'filtered-orders.graphql'), 'utf8');

describe('Query.products sorted and filtered by averageRating', () => {
  const WALKED: (ProductOracleQuery & { first: number })[] = [
    { category: 'pc_gamer', sort: 'averageRating', direction: 'desc', first: 2 },
    { category: 'bed_bath_table', sort: 'averageRating', direction: 'asc', minAverageRating: 4.5, first: 100 },
    { category: 'perfumaria', sort: 'averageRating', direction: 'desc', first: 100 },
    { category: 'telefonia', sort: 'id', direction: 'desc', maxAverageRating: 2, first: 100 },
  ];
  test.each(WALKED)(
    'every page of %j is the oracle list, each product once',
    async ({ first, ...query }) => {
      const expected = oracleProductIds(oracle, query);
      expect(expected.length).toBeGreaterThan(0);
      const walk = await walkPages(server.url, PRODUCTS_QUERY, 'products', { first, ...productVariables(query) });
      expect(walk.ids).toEqual(expected);
      expect(walk.totalCount).toBe(expected.length);
    },
    300_000,
  );

  test('all products by rating: the first pages, the ratings served, and the total', async () => {
    const query: ProductOracleQuery = { sort: 'averageRating', direction: 'desc' };
    const expected = oracleProductIds(oracle, query);
    const response = await postQuery<{ products: { totalCount: number; edges: { node: { id: string; averageRating: number | null } }[] } }>(
      server.url,
      PRODUCTS_QUERY,
      { first: 100, ...productVariables(query) },
    );
    const products = response.body.data!.products;
    expect(products.totalCount).toBe(expected.length);
    expect(products.edges.map((edge) => edge.node.id)).toEqual(expected.slice(0, 100));
    for (const edge of products.edges) expect(edge.node.averageRating).toBe(oracle.product(edge.node.id)!.averageRating);
  });

  test('Seller.products by averageRating: the seller products the oracle ranks, in order', async () => {
    const seller = [...oracle.sellersById().values()].sort((a, b) => b.products.length - a.products.length)[0];
    const query: ProductOracleQuery = { sort: 'averageRating', direction: 'desc', productIds: seller.products };
    const response = await postQuery<{ seller: { products: { totalCount: number; edges: { node: { id: string } }[] } } }>(
      server.url,
      `query($id: ID!) { seller(id: $id) { products(first: 100, orderBy: { averageRating: DESC }) { totalCount edges { node { id } } } } }`,
      { id: seller.sellerId },
    );
    expect(response.body.errors).toBeUndefined();
    const expected = oracleProductIds(oracle, query);
    expect(response.body.data!.seller.products.edges.map((edge) => edge.node.id)).toEqual(expected.slice(0, 100));
    expect(response.body.data!.seller.products.totalCount).toBe(expected.length);
  });
});

function productVariables(query: ProductOracleQuery) {
  return {
    category: query.category,
    filter: { minAverageRating: query.minAverageRating, maxAverageRating: query.maxAverageRating },
    orderBy: { [query.sort]: (query.direction ?? 'asc').toUpperCase() },
  };
}

describe('bad input is BAD_USER_INPUT', () => {
  test.each([
    ['unknown state', ORDERS_QUERY, { filter: { customerState: 'XX' } }],
    ['unknown category', ORDERS_QUERY, { filter: { category: 'no_such_category' } }],
    ['empty category', ORDERS_QUERY, { filter: { category: ' ' } }],
    ['review score below 1', ORDERS_QUERY, { filter: { minReviewScore: 0 } }],
    ['review score above 5', ORDERS_QUERY, { filter: { maxReviewScore: 6 } }],
    ['min above max', ORDERS_QUERY, { filter: { minReviewScore: 4, maxReviewScore: 2 } }],
    ['forged cursor', ORDERS_QUERY, { filter: { customerState: 'SP' }, after: 'bm90LWEtY3Vyc29y' }],
    ['unknown product category', PRODUCTS_QUERY, { category: 'no_such_category', orderBy: { averageRating: 'DESC' } }],
    ['two sort keys', PRODUCTS_QUERY, { orderBy: { averageRating: 'DESC', id: 'ASC' } }],
    ['rating out of range', PRODUCTS_QUERY, { filter: { minAverageRating: 7 } }],
    ['an id cursor on the rating sort', PRODUCTS_QUERY, { orderBy: { averageRating: 'DESC' }, after: Buffer.from('["abc"]').toString('base64url') }],
    ['a text rating in the cursor', PRODUCTS_QUERY, { orderBy: { averageRating: 'DESC' }, after: Buffer.from('["x","abc"]').toString('base64url') }],
  ])('%s', async (_, query, variables) => {
    const response = await postQuery<unknown>(server.url, query, variables);
    expect(response.status).toBe(200);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
