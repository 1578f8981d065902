/**
 * Query.orderStats over real HTTP on the seeded embedded stores, each grouped answer compared group by
 * group with the figures test/helpers/order-stats-oracle.ts computes straight from the CSV files.
 */
import { OrderStatsDocument, OrderStatsWithReviewsDocument, type OrderStatsDimension, type OrderStatsFilter } from '../../generated/operations';
import { execute } from '../../helpers/graphql-client';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../../helpers/servers';
import { expectSameGroups, oracleOrderStats, type Dim, type OracleFilter, type OracleGroup } from '../../helpers/order-stats-oracle';

/** A local-time bound (São Paulo, outside daylight saving) as the graph's DateTime and as the oracle's local text. */
const at = (local: string) => ({ iso: `${local.replace(' ', 'T')}-03:00`, local });
const JUNE_2017 = { from: at('2017-06-01 00:00:00'), to: at('2017-06-30 23:59:59') };
const Q2_2018 = { from: at('2018-04-01 00:00:00'), to: at('2018-06-30 23:59:59') };

interface Case {
  name: string;
  groupBy: Dim[];
  filter?: OracleFilter;
  range?: { from: { iso: string; local: string }; to: { iso: string; local: string } };
  reviews?: boolean;
}

const CASES: Case[] = [
  // every dimension alone, over all the data
  { name: 'by purchase month', groupBy: ['PURCHASE_MONTH'] },
  { name: 'by order status', groupBy: ['ORDER_STATUS'] },
  { name: 'by customer state', groupBy: ['CUSTOMER_STATE'] },
  { name: 'by seller state', groupBy: ['SELLER_STATE'] },
  { name: 'by category (English)', groupBy: ['PRODUCT_CATEGORY'] },
  { name: 'by category (Portuguese)', groupBy: ['PRODUCT_CATEGORY_PT'] },
  { name: 'by payment type', groupBy: ['PAYMENT_TYPE'] },
  { name: 'by seller', groupBy: ['SELLER'] },
  { name: 'by purchase week', groupBy: ['PURCHASE_WEEK'] },
  { name: 'by purchase day, June 2017', groupBy: ['PURCHASE_DAY'], range: JUNE_2017 },
  { name: 'no grouping: the whole data', groupBy: [] },
  // pairs
  { name: 'month × status', groupBy: ['PURCHASE_MONTH', 'ORDER_STATUS'] },
  { name: 'customer state × payment type', groupBy: ['CUSTOMER_STATE', 'PAYMENT_TYPE'] },
  { name: 'seller state × category', groupBy: ['SELLER_STATE', 'PRODUCT_CATEGORY'] },
  { name: 'seller × seller state', groupBy: ['SELLER', 'SELLER_STATE'] },
  { name: 'category en × pt', groupBy: ['PRODUCT_CATEGORY', 'PRODUCT_CATEGORY_PT'] },
  { name: 'payment type × seller state', groupBy: ['PAYMENT_TYPE', 'SELLER_STATE'] },
  { name: 'week × customer state, Q2 2018', groupBy: ['PURCHASE_WEEK', 'CUSTOMER_STATE'], range: Q2_2018 },
  { name: 'day × seller, June 2017', groupBy: ['PURCHASE_DAY', 'SELLER'], range: JUNE_2017 },
  { name: 'status × payment type', groupBy: ['ORDER_STATUS', 'PAYMENT_TYPE'] },
  { name: 'month × category, Q2 2018', groupBy: ['PURCHASE_MONTH', 'PRODUCT_CATEGORY'], range: Q2_2018 },
  // filters
  { name: 'month, delivered only', groupBy: ['PURCHASE_MONTH'], filter: { statuses: ['DELIVERED'] } },
  { name: 'month, canceled or unavailable', groupBy: ['PURCHASE_MONTH'], filter: { statuses: ['CANCELED', 'UNAVAILABLE'] } },
  { name: 'status, customers in RJ and MG', groupBy: ['ORDER_STATUS'], filter: { customerStates: ['RJ', 'MG'] } },
  { name: 'customer state, sellers in SP', groupBy: ['CUSTOMER_STATE'], filter: { sellerStates: ['SP'] } },
  { name: 'seller state, health_beauty lines', groupBy: ['SELLER_STATE'], filter: { productCategories: ['health_beauty'] } },
  { name: 'month, cama_mesa_banho lines', groupBy: ['PURCHASE_MONTH'], filter: { productCategoriesPt: ['cama_mesa_banho'] } },
  { name: 'customer state, boleto payments', groupBy: ['CUSTOMER_STATE'], filter: { paymentTypes: ['boleto'] } },
  { name: 'payment type, vouchers and debit cards', groupBy: ['PAYMENT_TYPE'], filter: { paymentTypes: ['voucher', 'debit_card'] } },
  { name: 'month, purchase months listed', groupBy: ['PURCHASE_MONTH'], filter: { purchaseMonths: ['2017-11', '2018-01'] } },
  { name: 'status, purchase days listed', groupBy: ['ORDER_STATUS'], filter: { purchaseDays: ['2017-11-24', '2017-11-25'] } },
  { name: 'customer state, weeks listed', groupBy: ['CUSTOMER_STATE'], filter: { purchaseWeeks: ['2018-05-14', '2018-05-21'] } },
  { name: 'category, June 2017, delivered', groupBy: ['PRODUCT_CATEGORY'], range: JUNE_2017, filter: { statuses: ['DELIVERED'] } },
  {
    name: 'day, Q2 2018, customers in SP, credit cards',
    groupBy: ['PURCHASE_DAY'],
    range: Q2_2018,
    filter: { customerStates: ['SP'], paymentTypes: ['credit_card'] },
  },
  { name: 'seller, sellers in PR and SC', groupBy: ['SELLER'], filter: { sellerStates: ['PR', 'SC'] } },
  { name: 'category, customers in BA, Q2 2018', groupBy: ['PRODUCT_CATEGORY_PT'], range: Q2_2018, filter: { customerStates: ['BA'] } },
  // review measures (they need each group's orders)
  { name: 'reviews by month', groupBy: ['PURCHASE_MONTH'], reviews: true },
  { name: 'reviews by category', groupBy: ['PRODUCT_CATEGORY'], reviews: true },
  { name: 'reviews by customer state, delivered', groupBy: ['CUSTOMER_STATE'], filter: { statuses: ['DELIVERED'] }, reviews: true },
  { name: 'reviews by seller state', groupBy: ['SELLER_STATE'], reviews: true },
  { name: 'reviews by status, June 2017', groupBy: ['ORDER_STATUS'], range: JUNE_2017, reviews: true },
];

function graphFilter(c: Case): OrderStatsFilter | undefined {
  const filter: OrderStatsFilter = { ...(c.filter as OrderStatsFilter), ...(c.range ? { purchasedFrom: c.range.from.iso, purchasedTo: c.range.to.iso } : {}) };
  return Object.keys(filter).length > 0 ? filter : undefined;
}

function oracleFor(c: Case, sellerScope?: string): OracleGroup[] {
  return oracleOrderStats(c.groupBy, { ...c.filter, ...(c.range ? { purchasedFrom: c.range.from.local, purchasedTo: c.range.to.local } : {}) }, sellerScope);
}

describe('Query.orderStats against the dataset files', () => {
  let server: EmbeddedTestServer;
  beforeAll(async () => {
    server = await startEmbeddedTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  test.each(CASES)('$name', async (c) => {
    const variables = { groupBy: c.groupBy as OrderStatsDimension[], filter: graphFilter(c), first: 500 };
    const response = c.reviews ? await execute(server.url, OrderStatsWithReviewsDocument, variables) : await execute(server.url, OrderStatsDocument, variables);
    expect(response.body.errors).toBeUndefined();
    const stats = response.body.data!.orderStats!;
    const expected = oracleFor(c);
    expect(stats.totalGroups).toBe(expected.length);
    expect(stats.groups.length).toBe(Math.min(expected.length, 500));
    expectSameGroups(c, stats.groups as unknown as Record<string, unknown>[], expected);
  });

  test('pages: orderBy a measure with offset walks the same groups as one page', async () => {
    const all = await execute(server.url, OrderStatsDocument, {
      groupBy: ['PRODUCT_CATEGORY'],
      orderBy: [{ by: 'ITEMS_TOTAL', direction: 'DESC' }],
      first: 500,
    });
    const totals = all.body.data!.orderStats!.groups.map((group) => group.itemsTotal);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const pages: string[] = [];
    for (let offset = 0; offset < all.body.data!.orderStats!.totalGroups; offset += 20) {
      const page = await execute(server.url, OrderStatsDocument, {
        groupBy: ['PRODUCT_CATEGORY'],
        orderBy: [{ by: 'ITEMS_TOTAL', direction: 'DESC' }],
        first: 20,
        offset,
      });
      pages.push(...page.body.data!.orderStats!.groups.map((group) => String(group.productCategory)));
    }
    expect(pages).toEqual(all.body.data!.orderStats!.groups.map((group) => String(group.productCategory)));
  });

  test('orderBy a dimension, ascending and descending; nulls last', async () => {
    const asc = await execute(server.url, OrderStatsDocument, { groupBy: ['SELLER_STATE'], orderBy: [{ by: 'SELLER_STATE', direction: 'ASC' }] });
    const desc = await execute(server.url, OrderStatsDocument, { groupBy: ['SELLER_STATE'], orderBy: [{ by: 'SELLER_STATE', direction: 'DESC' }] });
    const up = asc.body.data!.orderStats!.groups.map((group) => group.sellerState);
    const down = desc.body.data!.orderStats!.groups.map((group) => group.sellerState);
    const named = up.filter((state) => state !== null) as string[];
    expect(named).toEqual([...named].sort());
    expect(down.filter((state) => state !== null)).toEqual([...named].reverse());
    if (up.includes(null)) {
      expect(up[up.length - 1]).toBeNull();
      expect(down[down.length - 1]).toBeNull();
    }
  });
});
