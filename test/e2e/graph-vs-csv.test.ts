import { ListingCountsDocument, OrderFiguresDocument, ProductFiguresDocument, SellerFiguresDocument, UserFiguresDocument } from '../generated/operations';
import { execute } from '../helpers/graphql-client';
import { olistOracle, saoPauloIso } from '../helpers/olist-oracle';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../helpers/servers';

/**
 * The graph's answers against figures computed in the test straight from the CSV files
 * (test/helpers/olist-oracle.ts reads them independently of src/): counts, sums, category names,
 * ratings, timestamps — for samples of users, orders, products and sellers.
 */
const oracle = olistOracle();
const cents = (value: number) => Math.round(value * 100);
const isPlainCity = (city: string) => /^[a-z' -]+$/.test(city);

describe('the graph agrees with the CSV files', () => {
  let server: EmbeddedTestServer;
  beforeAll(async () => {
    server = await startEmbeddedTestServer();
  });
  afterAll(() => server.close());

  const userIds = oracle.sampleUserIds();
  const orderIds = oracle.sampleOrderIds();
  const productIds = oracle.sampleProductIds();
  const sellerIds = oracle.sampleSellerIds();

  it('draws samples of at least 30 of each', () => {
    for (const sample of [userIds, orderIds, productIds, sellerIds]) expect(sample.length).toBeGreaterThanOrEqual(30);
  });

  it.each(userIds)('user %s: accounts, order count, total spent, orders', async (id) => {
    const expected = oracle.user(id)!;
    const { body } = await execute(server.url, UserFiguresDocument, { id });
    expect(body.errors).toBeUndefined();
    const user = body.data!.user!;
    expect(user.id).toBe(id);
    expect(user.orderCount).toBe(expected.orderCount);
    expect(cents(user.totalSpent!)).toBe(cents(expected.totalSpent));
    expect(user.accounts.map((a) => [a.customerId, a.zipPrefix, a.state])).toEqual(
      expected.accounts.map((a) => [a.customerId, a.zipPrefix.padStart(5, '0'), a.state]),
    );
    expected.accounts.forEach((account, i) => {
      if (isPlainCity(account.city)) expect(user.accounts[i].city).toBe(account.city);
    });
    expect(user.orders!.totalCount).toBe(expected.orderCount);
    expect(user.orders!.edges.map((edge) => edge.node.id)).toEqual(expected.orderIds);
  });

  it('a user is found by any of their account ids', async () => {
    const person = oracle.user(userIds.find((id) => oracle.user(id)!.accounts.length > 1)!)!;
    for (const account of person.accounts) {
      const { body } = await execute(server.url, UserFiguresDocument, { id: account.customerId });
      expect(body.data!.user!.id).toBe(person.id);
    }
  });

  it.each(orderIds)('order %s: status, timestamps, totals, items, payments, reviews, customer', async (id) => {
    const expected = oracle.order(id)!;
    const { body } = await execute(server.url, OrderFiguresDocument, { id });
    expect(body.errors).toBeUndefined();
    const order = body.data!.order!;
    expect(order.status).toBe(expected.status.toUpperCase());
    expect([order.purchasedAt, order.approvedAt, order.carrierAt, order.deliveredAt, order.estimatedDeliveryAt]).toEqual(
      [expected.purchaseTimestamp, expected.approvedAt, expected.deliveredCarrierDate, expected.deliveredCustomerDate, expected.estimatedDeliveryDate].map(
        (text) => saoPauloIso(text),
      ),
    );
    expect([cents(order.itemsTotal), cents(order.freightTotal), cents(order.paymentTotal)]).toEqual([
      cents(expected.itemsTotal),
      cents(expected.freightTotal),
      cents(expected.paymentTotal),
    ]);
    expect(order.customer!.id).toBe(expected.personId);
    expect(order.items.map((item) => [item.position, cents(item.price), cents(item.freight), item.product!.id, item.seller!.id, item.shippingLimitAt])).toEqual(
      expected.items.map((item) => [item.orderItemId, item.priceCents, item.freightCents, item.productId, item.sellerId, saoPauloIso(item.shippingLimitDate)]),
    );
    expect(order.payments.map((p) => [p.sequential, p.type, p.installments, cents(p.value)])).toEqual(
      expected.payments.map((p) => [p.sequential, p.type, p.installments, p.valueCents]),
    );
    expect(order.reviews!.map((review) => review.score)).toEqual(expected.reviews.map((review) => review.score));
  });

  it.each(productIds)('product %s: category, photos, order count, sellers, rating', async (id) => {
    const expected = oracle.product(id)!;
    const { body } = await execute(server.url, ProductFiguresDocument, { id });
    expect(body.errors).toBeUndefined();
    const product = body.data!.product!;
    expect(product.category).toEqual(expected.categoryName === null ? null : { name: expected.categoryName, nameEn: expected.nameEn });
    expect(product.photosCount).toBe(expected.photosQty);
    expect(product.orderCount).toBe(expected.orderCount);
    expect(product.sellers!.map((seller) => seller.id)).toEqual(expected.sellers);
    expect(product.reviews!.totalCount).toBe(expected.reviews.length);
    if (expected.averageRating === null) expect(product.averageRating).toBeNull();
    else expect(product.averageRating).toBeCloseTo(expected.averageRating, 9);
  });

  it.each(sellerIds)('seller %s: state, zip prefix, products sold', async (id) => {
    const expected = oracle.seller(id)!;
    const { body } = await execute(server.url, SellerFiguresDocument, { id });
    expect(body.errors).toBeUndefined();
    const seller = body.data!.seller!;
    expect([seller.state, seller.zipPrefix]).toEqual([expected.state, expected.zipPrefix.padStart(5, '0')]);
    expect(seller.products!.totalCount).toBe(expected.products.length);
    expect(seller.products!.edges.map((edge) => edge.node.id)).toEqual(expected.products.slice(0, 100));
  });

  it.each([
    ['SP', 'DELIVERED', 'beleza_saude'],
    ['RR', 'CANCELED', 'health_beauty'],
    ['AC', 'CREATED', 'pc_gamer'],
  ] as const)('listing counts for state %s, status %s, category %s', async (state, status, category) => {
    const { body } = await execute(server.url, ListingCountsDocument, { state, status, category });
    expect(body.errors).toBeUndefined();
    const rawCategory = oracle.categoryTranslations().find((row) => row.english === category)?.categoryName ?? category;
    expect(body.data).toEqual({
      users: { totalCount: oracle.usersInStateCount(state) },
      orders: { totalCount: oracle.ordersWithStatusCount(status.toLowerCase()) },
      products: { totalCount: oracle.productsInCategoryCount(rawCategory) },
    });
  });
});
