/** OrdersSource over the seeded orders.db, checked against the oracle computed from the CSV files. */
import { olistOracle, type ItemRow, type OrderRow, type PaymentRow } from '../../helpers/olist-oracle';
import { counted, openSeededSources, UNKNOWN_ID, withUnknownAndDuplicate, type SeededSources } from '../../helpers/seeded-sources';

const oracle = olistOracle();
let seeded: SeededSources;

beforeAll(async () => {
  oracle.preload('orders', 'orderItems', 'orderPayments', 'customers', 'reviews', 'products', 'sellers', 'geolocation', 'categoryTranslations');
  seeded = await openSeededSources();
});
afterAll(async () => {
  await seeded?.sources.close();
});

const orderRecord = (row: OrderRow) => ({
  orderId: row.orderId,
  customerId: row.customerId,
  status: row.status,
  purchaseTimestamp: row.purchaseTimestamp,
  approvedAt: row.approvedAt,
  deliveredCarrierDate: row.deliveredCarrierDate,
  deliveredCustomerDate: row.deliveredCustomerDate,
  estimatedDeliveryDate: row.estimatedDeliveryDate,
});

const itemRecord = (row: ItemRow) => ({
  orderId: row.orderId,
  orderItemId: row.orderItemId,
  productId: row.productId,
  sellerId: row.sellerId,
  shippingLimitDate: row.shippingLimitDate,
  price: row.price,
  freightValue: row.freightValue,
});

const paymentRecord = (row: PaymentRow) => ({
  orderId: row.orderId,
  paymentSequential: row.sequential,
  paymentType: row.type,
  paymentInstallments: row.installments,
  paymentValue: row.value,
});

const byOrderAndItem = (a: ItemRow, b: ItemRow) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : a.orderItemId - b.orderItemId);

describe('OrdersSource.ordersByIds', () => {
  it('answers the sampled orders in key order with raw timestamps, in one statement', async () => {
    const ids = withUnknownAndDuplicate(oracle.sampleOrderIds());
    const { result, statements } = await counted(seeded.log, () => seeded.sources.orders.ordersByIds(ids));
    expect(statements).toEqual({ orders: 1 });
    expect(result).toEqual(ids.map((id) => (id === UNKNOWN_ID ? null : orderRecord(oracle.order(id)!))));
    expect(result.some((o) => o !== null && o.deliveredCustomerDate === null)).toBe(true);
  });

  it('answers 500 ids in one statement', async () => {
    const ids = oracle.orderIdsByPurchase().slice(5000, 5500);
    const { result, statements } = await counted(seeded.log, () => seeded.sources.orders.ordersByIds(ids));
    expect(statements).toEqual({ orders: 1 });
    expect(result.map((o) => o?.orderId)).toEqual(ids);
  });
});

describe('OrdersSource.ordersByCustomerIds', () => {
  it("answers each account's orders (one per account in Olist), in one statement", async () => {
    const accounts = oracle.sampleUserIds().flatMap((id) => oracle.user(id)!.accounts.map((a) => a.customerId));
    const keys = withUnknownAndDuplicate(accounts);
    const { result, statements } = await counted(seeded.log, () => seeded.sources.orders.ordersByCustomerIds(keys));
    expect(statements).toEqual({ orders: 1 });
    const byCustomer = oracle.ordersByCustomerId();
    expect(result).toEqual(keys.map((id) => (byCustomer.get(id) ?? []).map(orderRecord)));
  });

  it("joins up to a person's orders, as the User figures need them", async () => {
    const user = oracle
      .sampleUserIds()
      .map((id) => oracle.user(id)!)
      .find((u) => u.accounts.length > 1)!;
    const lists = await seeded.sources.orders.ordersByCustomerIds(user.accounts.map((a) => a.customerId));
    const orders = lists.flat().sort((a, b) => (a.purchaseTimestamp + a.orderId < b.purchaseTimestamp + b.orderId ? -1 : 1));
    expect(orders.map((o) => o.orderId)).toEqual(user.orderIds);
    const payments = (await seeded.sources.orders.paymentsByOrderIds(user.orderIds)).flat();
    const spent = Math.round(payments.reduce((acc, p) => acc + p.paymentValue, 0) * 100) / 100;
    expect(spent).toBe(user.totalSpent);
  });
});

describe('OrdersSource.itemsByOrderIds / paymentsByOrderIds', () => {
  it('answers items by order item id and payments by sequence for the sampled orders, one statement each', async () => {
    const ids = withUnknownAndDuplicate(oracle.sampleOrderIds());
    const items = await counted(seeded.log, () => seeded.sources.orders.itemsByOrderIds(ids));
    expect(items.statements).toEqual({ orders: 1 });
    expect(items.result).toEqual(ids.map((id) => (oracle.order(id)?.items ?? []).map(itemRecord)));
    const payments = await counted(seeded.log, () => seeded.sources.orders.paymentsByOrderIds(ids));
    expect(payments.statements).toEqual({ orders: 1 });
    expect(payments.result).toEqual(ids.map((id) => (oracle.order(id)?.payments ?? []).map(paymentRecord)));
    expect(payments.result.some((list) => list.length === 0)).toBe(true); // the unpaid order and the unknown id
    expect(items.result.some((list) => list.length > 1)).toBe(true);
  });

  it('lets the order totals be recomputed to the cent', async () => {
    const ids = oracle.sampleOrderIds();
    const [items, payments] = await Promise.all([seeded.sources.orders.itemsByOrderIds(ids), seeded.sources.orders.paymentsByOrderIds(ids)]);
    const round = (value: number) => Math.round(value * 100) / 100;
    ids.forEach((id, i) => {
      const order = oracle.order(id)!;
      expect({
        itemsTotal: round(items[i].reduce((acc, item) => acc + item.price, 0)),
        freightTotal: round(items[i].reduce((acc, item) => acc + item.freightValue, 0)),
        paymentTotal: round(payments[i].reduce((acc, p) => acc + p.paymentValue, 0)),
      }).toEqual({ itemsTotal: order.itemsTotal, freightTotal: order.freightTotal, paymentTotal: order.paymentTotal });
    });
  });
});

describe('OrdersSource.itemsByProductIds / productIdsBySellerIds', () => {
  it("answers each sampled product's items ordered by (order id, item id), in one statement", async () => {
    const ids = withUnknownAndDuplicate(oracle.sampleProductIds());
    const { result, statements } = await counted(seeded.log, () => seeded.sources.orders.itemsByProductIds(ids));
    expect(statements).toEqual({ orders: 1 });
    const byProduct = oracle.itemsByProductId();
    expect(result).toEqual(ids.map((id) => [...(byProduct.get(id) ?? [])].sort(byOrderAndItem).map(itemRecord)));
    ids.forEach((id, i) => {
      if (id !== UNKNOWN_ID) expect(new Set(result[i].map((item) => item.orderId)).size).toBe(oracle.product(id)!.orderCount);
    });
  });

  it("answers each sampled seller's distinct products in id order, in one statement", async () => {
    const ids = withUnknownAndDuplicate(oracle.sampleSellerIds());
    const { result, statements } = await counted(seeded.log, () => seeded.sources.orders.productIdsBySellerIds(ids));
    expect(statements).toEqual({ orders: 1 });
    expect(result).toEqual(ids.map((id) => oracle.seller(id)?.products ?? []));
    expect(result.some((list) => list.length > 10)).toBe(true);
  });
});

describe('OrdersSource.ordersPage / countOrders', () => {
  it('pages through orders by (purchase timestamp, order id) with a keyset cursor', async () => {
    const all = oracle.orderIdsByPurchase();
    const first = await seeded.sources.orders.ordersPage({ limit: 40 });
    expect(first.map((o) => o.orderId)).toEqual(all.slice(0, 40));
    const last = first[first.length - 1];
    const { result: next, statements } = await counted(seeded.log, () =>
      seeded.sources.orders.ordersPage({ limit: 40, after: { purchaseTimestamp: last.purchaseTimestamp, orderId: last.orderId } }),
    );
    expect(statements).toEqual({ orders: 1 });
    expect(next.map((o) => o.orderId)).toEqual(all.slice(40, 80));
  });

  it('keeps ties on the purchase timestamp in order id order across pages', async () => {
    const all = oracle.orderIdsByPurchase();
    const tie = all.findIndex((id, i) => i > 0 && oracle.order(id)!.purchaseTimestamp === oracle.order(all[i - 1])!.purchaseTimestamp);
    expect(tie).toBeGreaterThan(0);
    const before = oracle.order(all[tie - 1])!;
    const page = await seeded.sources.orders.ordersPage({
      limit: 3,
      after: { purchaseTimestamp: before.purchaseTimestamp, orderId: before.orderId },
    });
    expect(page.map((o) => o.orderId)).toEqual(all.slice(tie, tie + 3));
  });

  it('filters by status and purchase window', async () => {
    const canceled = oracle.orderIdsByPurchase('canceled');
    const seen: string[] = [];
    let after: { purchaseTimestamp: string; orderId: string } | undefined;
    while (seen.length < 150) {
      const page = await seeded.sources.orders.ordersPage({ status: 'canceled', limit: 50, after });
      if (page.length === 0) break;
      seen.push(...page.map((o) => o.orderId));
      after = { purchaseTimestamp: page[page.length - 1].purchaseTimestamp, orderId: page[page.length - 1].orderId };
    }
    expect(seen).toEqual(canceled.slice(0, 150));
    const from = '2017-11-24 00:00:00';
    const to = '2017-11-24 23:59:59';
    const window = oracle.orders().filter((o) => o.purchaseTimestamp >= from && o.purchaseTimestamp <= to);
    expect(window.length).toBeGreaterThan(100);
    expect(await seeded.sources.orders.countOrders({ purchasedFrom: from, purchasedTo: to })).toBe(window.length);
    const page = await seeded.sources.orders.ordersPage({ purchasedFrom: from, purchasedTo: to, limit: 100 });
    const inWindow = new Set(window.map((o) => o.orderId));
    expect(page.map((o) => o.orderId)).toEqual(
      oracle
        .orderIdsByPurchase()
        .filter((id) => inWindow.has(id))
        .slice(0, 100),
    );
  });

  it('counts orders overall and per status', async () => {
    expect(await seeded.sources.orders.countOrders({})).toBe(oracle.orders().length);
    const statuses = [...new Set(oracle.orders().map((o) => o.status))].sort();
    const counts = await Promise.all(statuses.map((status) => seeded.sources.orders.countOrders({ status })));
    expect(counts).toEqual(statuses.map((status) => oracle.ordersWithStatusCount(status)));
    expect(await seeded.sources.orders.countOrders({ status: 'lost' })).toBe(0);
  });
});
