/**
 * Row scopes are part of the source queries: the orders and catalog sources page and count within the
 * scope themselves, and a scoped listing over HTTP costs the same few statements as an unscoped one
 * (nothing is fetched to be thrown away). Runs on the suite's default server and dev-secret tokens.
 */
import { tokenCredential } from '../helpers/credentials';
import { postQuery } from '../helpers/graphql-client';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../helpers/servers';
import { pickData, type DataFixture } from './security-fixtures';

let server: EmbeddedTestServer;
let data: DataFixture;

beforeAll(async () => {
  server = await startEmbeddedTestServer();
  data = await pickData(server.sources);
}, 120_000);

afterAll(() => server?.close());

test('the orders source pages and counts within a seller scope or an account scope', async () => {
  const orders = server.sources.orders;
  const sellerPage = await orders.ordersPage({ sellerId: data.seller.id, limit: 1000 });
  expect(sellerPage.map((order) => order.orderId).sort()).toEqual(data.seller.orderIds);
  expect(await orders.countOrders({ sellerId: data.seller.id })).toBe(data.seller.orderIds.length);
  const first = await orders.ordersPage({ sellerId: data.seller.id, limit: 1 });
  const rest = await orders.ordersPage({
    sellerId: data.seller.id,
    limit: 1000,
    after: { purchaseTimestamp: first[0].purchaseTimestamp, orderId: first[0].orderId },
  });
  expect([first[0], ...rest].map((order) => order.orderId)).toEqual(sellerPage.map((order) => order.orderId));

  const accountPage = await orders.ordersPage({ customerIds: data.alice.accountIds, limit: 1000 });
  expect(accountPage.map((order) => order.orderId).sort()).toEqual(data.alice.orderIds);
  expect(await orders.countOrders({ customerIds: data.alice.accountIds, status: 'delivered' })).toBe(
    accountPage.filter((order) => order.status === 'delivered').length,
  );
});

test('the catalog source pages and counts within a product scope', async () => {
  const catalog = server.sources.catalog;
  const page = await catalog.productsPage({ productIds: data.seller.productIds, limit: 1000 });
  expect(page.map((product) => product.productId)).toEqual(data.seller.productIds);
  expect(await catalog.countProducts(undefined, data.seller.productIds)).toBe(data.seller.productIds.length);
  const after = await catalog.productsPage({ productIds: data.seller.productIds, afterProductId: data.seller.productIds[0], limit: 1000 });
  expect(after.map((product) => product.productId)).toEqual(data.seller.productIds.slice(1));
});

test("a customer's listing over HTTP runs the same order statements as the admin one, plus one account look-up", async () => {
  const query = '{ orders(first: 5) { totalCount edges { node { id } } } }';
  const statements = async (who: Awaited<ReturnType<typeof tokenCredential>>) => {
    server.queryLog.reset();
    const response = await postQuery(server.url, query, undefined, who);
    expect(response.body.errors).toBeUndefined();
    return server.queryLog.snapshot();
  };
  const admin = await statements(await tokenCredential({ role: 'admin', subject: 'ops' }));
  const customer = await statements(await tokenCredential({ role: 'customer', subject: data.alice.personId }));
  expect(admin.orders).toBe(2); // the page and the count
  expect(customer.orders).toBe(2);
  expect(customer.crm).toBe(1); // the person's accounts
});
