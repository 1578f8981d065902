/**
 * Sanity checks of the test oracle itself (test/helpers/olist-oracle.ts): it reads the dataset the way
 * the README describes it, and its time-zone helper gives the offsets Brazil actually used.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  olistDatasetDir,
  olistOracle,
  olistTableFile,
  PUBLISHED_ROW_COUNTS,
  saoPauloIso,
  saoPauloLocalKind,
  saoPauloOffsetAt,
  saoPauloWallText,
  spreadSample,
  toCents,
  type OlistTableName,
} from '../helpers/olist-oracle';

const oracle = olistOracle();

/** Ids for which a check fails; one expect per check keeps loops over 100k rows fast. */
function failing<T>(rows: Iterable<T>, ok: (row: T) => boolean, id: (row: T) => string): string[] {
  const bad: string[] = [];
  for (const row of rows) if (!ok(row)) bad.push(id(row));
  return bad.slice(0, 10);
}

beforeAll(() => {
  oracle.preload('orders', 'orderItems', 'customers', 'orderPayments', 'products', 'sellers', 'categoryTranslations', 'reviews', 'geolocation');
});

/** The "at a glance" table of the dataset README: file name → published row count. */
function readmeRowCounts(): Map<string, number> {
  const readme = fs.readFileSync(path.join(olistDatasetDir(), 'README.md'), 'utf8');
  const counts = new Map<string, number>();
  for (const match of readme.matchAll(/^\| ([\w.]+\.csv\.gz) \| ([\d,]+) \|/gm)) {
    if (!counts.has(match[1])) counts.set(match[1], Number(match[2].replace(/,/g, '')));
  }
  return counts;
}

describe('olist oracle: row counts', () => {
  const readme = readmeRowCounts();
  const tables: [OlistTableName, () => unknown[], number][] = [
    ['orders', oracle.orders, PUBLISHED_ROW_COUNTS.orders],
    ['orderItems', oracle.orderItems, PUBLISHED_ROW_COUNTS.orderItems],
    ['customers', oracle.customers, PUBLISHED_ROW_COUNTS.customers],
    ['orderPayments', oracle.orderPayments, PUBLISHED_ROW_COUNTS.orderPayments],
    ['products', oracle.products, PUBLISHED_ROW_COUNTS.products],
    ['sellers', oracle.sellers, PUBLISHED_ROW_COUNTS.sellers],
    ['categoryTranslations', oracle.categoryTranslations, PUBLISHED_ROW_COUNTS.categoryTranslations],
    ['reviews', oracle.reviews, PUBLISHED_ROW_COUNTS.reviews],
  ];

  it('the README lists every shipped .csv.gz file with a row count', () => {
    const shipped = fs.readdirSync(olistDatasetDir()).filter((name) => name.endsWith('.csv.gz'));
    expect(shipped.length).toBeGreaterThanOrEqual(9);
    for (const name of shipped) expect(readme.get(name)).toEqual(expect.any(Number));
  });

  it.each(tables)('%s has the README row count', (table, rows, published) => {
    const file = path.basename(olistTableFile(table));
    expect(rows()).toHaveLength(published);
    if (readme.has(file)) expect(rows()).toHaveLength(readme.get(file)!);
  });

  it('the geolocation table has the README row count of the file it came from', () => {
    const file = path.basename(olistTableFile('geolocation'));
    if (readme.has(file)) expect(oracle.geolocation()).toHaveLength(readme.get(file)!);
    else expect(oracle.geolocation().length).toBeGreaterThan(PUBLISHED_ROW_COUNTS.geolocationDerived);
  });

  it('the CSV parser and a plain line count agree (no multi-line records in the shipped files)', () => {
    for (const [table, rows] of [
      ['orders', oracle.orders],
      ['customers', oracle.customers],
      ['products', oracle.products],
    ] as const) {
      const file = olistTableFile(table);
      const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
      const lines = text.split('\n').filter((line) => line.trim() !== '').length;
      expect(rows()).toHaveLength(lines - 1);
    }
  });
});

describe('olist oracle: Sao Paulo time', () => {
  it.each([
    ['2017-01-15 12:00:00', '2017-01-15T12:00:00-02:00'], // summer time 2016/17
    ['2017-06-15 12:00:00', '2017-06-15T12:00:00-03:00'], // standard time
    ['2017-10-02 10:56:33', '2017-10-02T10:56:33-03:00'],
    ['2017-10-15 01:00:00', '2017-10-15T01:00:00-02:00'], // first hour of DST 2017/18
    ['2018-02-17 22:59:59', '2018-02-17T22:59:59-02:00'], // last unambiguous second of DST 2017/18
    ['2018-02-18 00:00:00', '2018-02-18T00:00:00-03:00'],
    ['2018-10-21 12:00:00', '2018-10-21T12:00:00-03:00'], // the 2017 decree moved the 2018 start to November
    ['2018-11-04 12:00:00', '2018-11-04T12:00:00-02:00'],
    ['2019-02-16 12:00:00', '2019-02-16T12:00:00-02:00'], // last DST Brazil had
    ['2019-11-15 12:00:00', '2019-11-15T12:00:00-03:00'], // DST abolished in 2019
  ])('%s → %s', (local, iso) => {
    expect(saoPauloIso(local)).toBe(iso);
    expect(saoPauloLocalKind(local)).toBe('unique');
    // The ISO text denotes an instant whose Sao Paulo wall clock is the input text.
    expect(saoPauloWallText(Date.parse(iso))).toBe(local);
    expect(saoPauloOffsetAt(Date.parse(iso))).toBe(iso.slice(-6));
  });

  it('agrees with fixed UTC instants', () => {
    expect(Date.parse(saoPauloIso('2017-10-02 10:56:33'))).toBe(Date.UTC(2017, 9, 2, 13, 56, 33));
    expect(Date.parse(saoPauloIso('2017-01-15 12:00:00'))).toBe(Date.UTC(2017, 0, 15, 14, 0, 0));
    expect(saoPauloOffsetAt(Date.UTC(2018, 1, 18, 1, 59, 59))).toBe('-02:00'); // 23:59:59 local, DST
    expect(saoPauloOffsetAt(Date.UTC(2018, 1, 18, 2, 0, 0))).toBe('-03:00'); // 23:00:00 local again, standard
  });

  it('the hour repeated at the end of DST is ambiguous and takes the first (daylight) occurrence', () => {
    expect(saoPauloLocalKind('2018-02-17 23:30:00')).toBe('ambiguous');
    expect(saoPauloIso('2018-02-17 23:30:00')).toBe('2018-02-17T23:30:00-02:00');
    expect(saoPauloLocalKind('2017-02-18 23:00:00')).toBe('ambiguous');
  });

  it('the hour skipped at the start of DST takes the offset before the jump', () => {
    expect(saoPauloLocalKind('2017-10-15 00:30:00')).toBe('skipped');
    expect(saoPauloIso('2017-10-15 00:30:00')).toBe('2017-10-15T00:30:00-03:00');
    expect(saoPauloLocalKind('2016-10-16 00:00:00')).toBe('skipped');
  });

  it('maps empty to null and rejects other shapes', () => {
    expect(saoPauloIso(null)).toBeNull();
    expect(saoPauloIso('')).toBeNull();
    expect(() => saoPauloIso('2017-10-02T10:56:33')).toThrow();
  });

  it('every timestamp of the orders file has the expected shape and no purchase falls in a skipped hour', () => {
    const shape = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    const wellFormed = (order: ReturnType<typeof oracle.orders>[number]) =>
      shape.test(order.purchaseTimestamp) &&
      [order.approvedAt, order.deliveredCarrierDate, order.deliveredCustomerDate, order.estimatedDeliveryDate].every(
        (value) => value === null || shape.test(value),
      );
    expect(failing(oracle.orders(), wellFormed, (o) => o.orderId)).toEqual([]);
    expect(
      failing(
        oracle.orders(),
        (o) => saoPauloLocalKind(o.purchaseTimestamp) !== 'skipped',
        (o) => o.orderId,
      ),
    ).toEqual([]);
    const ambiguous = oracle.ambiguousTimestampOrderIds();
    expect(ambiguous.length).toBeGreaterThan(0);
    for (const id of ambiguous) expect(saoPauloIso(oracle.order(id)!.purchaseTimestamp)).toMatch(/-0[23]:00$/);
  });
});

describe('olist oracle: cross-checks', () => {
  it('parses amounts exactly', () => {
    expect(toCents('58.90')).toBe(5890);
    expect(toCents('0.1')).toBe(10);
    expect(toCents('13')).toBe(1300);
    expect(() => toCents('1.005')).toThrow();
    expect(() => toCents('abc')).toThrow();
  });

  it('links orders, accounts and persons one account per order', () => {
    const orders = oracle.orders();
    const customers = oracle.customers();
    expect(new Set(orders.map((o) => o.orderId)).size).toBe(orders.length);
    expect(new Set(customers.map((c) => c.customerId)).size).toBe(customers.length);
    expect(
      failing(
        orders,
        (o) => oracle.account(o.customerId) !== undefined,
        (o) => o.orderId,
      ),
    ).toEqual([]);
    const byCustomer = oracle.ordersByCustomerId();
    expect(
      failing(
        customers,
        (c) => byCustomer.get(c.customerId)?.length === 1,
        (c) => c.customerId,
      ),
    ).toEqual([]);
    let orderCount = 0;
    for (const user of oracle.users().values()) orderCount += user.orderCount;
    expect(orderCount).toBe(orders.length);
  });

  it("sums every payment once into persons' totalSpent", () => {
    const allCents = oracle.orderPayments().reduce((acc, p) => acc + p.valueCents, 0);
    let userCents = 0;
    for (const user of oracle.users().values()) userCents += Math.round(user.totalSpent * 100);
    expect(userCents).toBe(allCents);
    let orderCents = 0;
    for (const order of oracle.ordersById().values()) orderCents += Math.round(order.paymentTotal * 100);
    expect(orderCents).toBe(allCents);
  });

  it('exactly one order has no payment, as the README states', () => {
    const unpaid = [...oracle.ordersById().values()].filter((o) => o.payments.length === 0);
    expect(unpaid.map((o) => o.orderId)).toEqual(['bfbd0f9bdef84302105ad712db648a6c']);
    expect(unpaid[0].status).toBe('delivered');
  });

  it('reviews cover 98,673 orders, leaving 768 without a review, as the README states', () => {
    const reviewed = oracle.reviewsByOrderId();
    expect(reviewed.size).toBe(98_673);
    expect([...oracle.ordersById().values()].filter((o) => o.reviews.length === 0)).toHaveLength(768);
    expect(
      failing(
        reviewed.keys(),
        (orderId) => oracle.order(orderId) !== undefined,
        (orderId) => orderId,
      ),
    ).toEqual([]);
  });

  it('recomputes an order from its raw rows', () => {
    const order = [...oracle.ordersById().values()].find((o) => o.items.length >= 3 && o.payments.length >= 2)!;
    expect(order).toBeDefined();
    const items = oracle.orderItems().filter((i) => i.orderId === order.orderId);
    const payments = oracle.orderPayments().filter((p) => p.orderId === order.orderId);
    expect(order.items.map((i) => i.orderItemId)).toEqual(items.map((i) => i.orderItemId).sort((a, b) => a - b));
    expect(order.payments.map((p) => p.sequential)).toEqual(payments.map((p) => p.sequential).sort((a, b) => a - b));
    expect(order.itemsTotal).toBeCloseTo(
      items.reduce((acc, i) => acc + i.price, 0),
      6,
    );
    expect(order.freightTotal).toBeCloseTo(
      items.reduce((acc, i) => acc + i.freightValue, 0),
      6,
    );
    expect(order.paymentTotal).toBeCloseTo(
      payments.reduce((acc, p) => acc + p.value, 0),
      6,
    );
    expect(Number.isInteger(Math.round(order.itemsTotal * 100))).toBe(true);
  });

  it('every item references a known product and seller; products and sellers agree on who sold what', () => {
    const key = (i: { orderId: string; orderItemId: number }) => `${i.orderId}/${i.orderItemId}`;
    expect(failing(oracle.orderItems(), (i) => oracle.product(i.productId) !== undefined, key)).toEqual([]);
    expect(failing(oracle.orderItems(), (i) => oracle.seller(i.sellerId) !== undefined, key)).toEqual([]);
    const pairs = new Set(oracle.orderItems().map((i) => `${i.sellerId}/${i.productId}`));
    let fromSellers = 0;
    for (const seller of oracle.sellersById().values()) fromSellers += seller.products.length;
    expect(fromSellers).toBe(pairs.size);
    const sellers = [...oracle.sellersById().values()];
    expect(
      failing(
        sellers,
        (s) => s.products.every((productId) => oracle.product(productId)!.sellers.includes(s.sellerId)),
        (s) => s.sellerId,
      ),
    ).toEqual([]);
  });

  it('product figures follow the contract', () => {
    const translations = oracle.categoryTranslations();
    expect(new Set(translations.map((t) => t.categoryName)).size).toBe(translations.length);
    expect(oracle.untranslatedCategories().length).toBeGreaterThan(0);
    const translated = new Set(translations.map((t) => t.categoryName));
    const consistent = (product: NonNullable<ReturnType<typeof oracle.product>>) => {
      const items = oracle.itemsByProductId().get(product.productId) ?? [];
      const reviews = product.orderIds.flatMap((id) => oracle.order(id)!.reviews);
      const mean = reviews.length === 0 ? null : reviews.reduce((acc, r) => acc + r.score, 0) / reviews.length;
      return (
        product.orderCount === new Set(items.map((i) => i.orderId)).size &&
        product.reviews.length === reviews.length &&
        product.reviews.every((r) => product.orderIds.includes(r.orderId)) &&
        (mean === null ? product.averageRating === null : Math.abs(product.averageRating! - mean) < 1e-9) &&
        (product.categoryName !== null && translated.has(product.categoryName) ? typeof product.nameEn === 'string' : product.nameEn === null)
      );
    };
    expect(failing(oracle.productsById().values(), consistent, (p) => p.productId)).toEqual([]);
  });

  it('counts by state, status and category add up', () => {
    const states = [...new Set(oracle.customers().map((c) => c.state))];
    const perState = states.reduce((acc, state) => acc + oracle.usersInStateCount(state), 0);
    expect(perState).toBeGreaterThanOrEqual(oracle.users().size); // a person can have accounts in several states
    const statuses = [...new Set(oracle.orders().map((o) => o.status))];
    expect(statuses.reduce((acc, status) => acc + oracle.ordersWithStatusCount(status), 0)).toBe(oracle.orders().length);
    const categorised = oracle.productCategories().reduce((acc, name) => acc + oracle.productsInCategoryCount(name), 0);
    expect(categorised + oracle.productIds(null).length).toBe(oracle.products().length);
  });

  it('keeps raw text: zip prefixes with leading zeros, Portuguese category names', () => {
    expect(oracle.customers().some((c) => /^0\d{4}$/.test(c.zipPrefix))).toBe(true);
    expect(
      failing(
        oracle.customers(),
        (c) => /^\d{5}$/.test(c.zipPrefix),
        (c) => c.customerId,
      ),
    ).toEqual([]);
    expect(oracle.productCategories()).toContain('cama_mesa_banho');
  });
});

describe('olist oracle: samples', () => {
  it('spreadSample is deterministic and spread', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => String(i).padStart(4, '0'));
    expect(spreadSample(ids, 10, 3)).toEqual(spreadSample(ids, 10, 3));
    expect(new Set(spreadSample(ids, 10, 3)).size).toBe(10);
    expect(spreadSample(ids, 10, 3)).not.toEqual(spreadSample(ids, 10, 4));
    expect(spreadSample(ids.slice(0, 5), 10)).toEqual(ids.slice(0, 5));
  });

  it('draws ≥30 users including persons with several accounts', () => {
    const ids = oracle.sampleUserIds();
    expect(ids).toEqual(oracle.sampleUserIds());
    expect(ids.length).toBeGreaterThanOrEqual(30);
    const users = ids.map((id) => oracle.user(id)!);
    expect(users.filter((u) => u.accounts.length > 1).length).toBeGreaterThanOrEqual(5);
    const most = Math.max(...[...oracle.users().values()].map((u) => u.accounts.length));
    expect(users.some((u) => u.accounts.length === most)).toBe(true);
  });

  it('draws ≥30 orders covering the interesting shapes', () => {
    const orders = oracle.sampleOrderIds().map((id) => oracle.order(id)!);
    expect(orders.length).toBeGreaterThanOrEqual(30);
    expect(orders.some((o) => o.payments.length > 1)).toBe(true);
    expect(orders.some((o) => o.items.length > 1)).toBe(true);
    expect(orders.some((o) => o.reviews.length > 1)).toBe(true);
    expect(orders.some((o) => o.reviews.length === 0)).toBe(true);
    expect(orders.some((o) => o.payments.length === 0)).toBe(true);
    const statuses = new Set(oracle.orders().map((o) => o.status));
    for (const status of statuses) expect(orders.some((o) => o.status === status)).toBe(true);
  });

  it('draws ≥30 products including uncategorised, untranslated and popular ones', () => {
    const products = oracle.sampleProductIds().map((id) => oracle.product(id)!);
    expect(products.length).toBeGreaterThanOrEqual(30);
    expect(products.some((p) => p.categoryName === null)).toBe(true);
    expect(products.some((p) => p.categoryName !== null && p.nameEn === null)).toBe(true);
    const top = Math.max(...[...oracle.productsById().values()].map((p) => p.orderCount));
    expect(products.some((p) => p.orderCount === top)).toBe(true);
    expect(products.some((p) => p.sellers.length > 1)).toBe(true);
  });

  it('draws ≥30 sellers', () => {
    const ids = oracle.sampleSellerIds();
    expect(ids.length).toBeGreaterThanOrEqual(30);
    for (const id of ids) expect(oracle.seller(id)).toBeDefined();
  });
});
