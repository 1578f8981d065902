/**
 * Who sees what of Query.orderStats: BI every order's figures, a partner only its own order lines (and
 * never payments), and no group that would single out fewer than k = 5 persons for anyone but admins:
 * a partner narrowing the filters to one customer's purchases learns nothing but that a group was suppressed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OrderStatsDocument } from '../generated/operations';
import { tokenCredential, type Credential } from '../helpers/credentials';
import { execute, postQuery } from '../helpers/graphql-client';
import { olistOracle } from '../helpers/olist-oracle';
import { expectSameGroups, oracleOrderStats, type OracleGroup } from '../helpers/order-stats-oracle';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../helpers/servers';

const PARTNER_DOCUMENT = fs.readFileSync(path.join(__dirname, '..', '..', 'partner-operations', 'order-stats.graphql'), 'utf8');
const K = 5;

interface StatsAnswer {
  orderStats: { totalGroups: number; suppressedGroups: number; minGroupPersons: number; groups: Record<string, unknown>[] } | null;
}

describe('Query.orderStats access', () => {
  let server: EmbeddedTestServer;
  let sellerId: string;
  let partner: Credential;
  let bi: Credential;
  beforeAll(async () => {
    server = await startEmbeddedTestServer();
    // The seller with the most order lines: many groups above k, some below.
    const lines = new Map<string, number>();
    for (const item of olistOracle().orderItems()) lines.set(item.sellerId, (lines.get(item.sellerId) ?? 0) + 1);
    sellerId = [...lines].sort((a, b) => b[1] - a[1])[0][0];
    partner = await tokenCredential({ role: 'partner', subject: 'partner-test', sellerId });
    bi = await tokenCredential({ role: 'bi', subject: 'bi-test' });
  });
  afterAll(async () => {
    await server.close();
  });

  const asPartner = (variables: Record<string, unknown>) => postQuery<StatsAnswer>(server.url, PARTNER_DOCUMENT, variables, partner);
  const shownAndSuppressed = (groups: OracleGroup[]) => ({
    shown: groups.filter((group) => group.distinctPersons >= K),
    suppressed: groups.filter((group) => group.distinctPersons < K).length,
  });

  test('a partner sees aggregates of its own order lines only; small groups are suppressed and counted', async () => {
    for (const groupBy of [['PURCHASE_MONTH'], ['CUSTOMER_STATE'], ['PRODUCT_CATEGORY', 'ORDER_STATUS']] as const) {
      const response = await asPartner({ groupBy, first: 500 });
      expect(response.body.errors).toBeUndefined();
      const stats = response.body.data!.orderStats!;
      const { shown, suppressed } = shownAndSuppressed(oracleOrderStats(groupBy, {}, sellerId));
      expect(stats.minGroupPersons).toBe(K);
      expect(stats.totalGroups).toBe(shown.length);
      expect(stats.suppressedGroups).toBe(suppressed);
      expectSameGroups({ groupBy: [...groupBy] }, stats.groups, shown, { payments: false });
    }
    expect(oracleOrderStats(['CUSTOMER_STATE'], {}, sellerId).some((group) => group.distinctPersons < K)).toBe(true);
  });

  test("a partner cannot learn one customer's spending by narrowing the filters until one person remains", async () => {
    // One day and customer state where exactly one person bought from this seller.
    const single = oracleOrderStats(['PURCHASE_DAY', 'CUSTOMER_STATE'], {}, sellerId).find((group) => group.distinctPersons === 1)!;
    const [day, state] = single.values as string[];
    const filter = { purchaseDays: [day], customerStates: [state] };
    for (const groupBy of [[], ['PURCHASE_DAY'], ['CUSTOMER_STATE', 'PRODUCT_CATEGORY'], ['SELLER']]) {
      const response = await asPartner({ groupBy, filter });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.orderStats).toMatchObject({ groups: [], totalGroups: 0, suppressedGroups: 1 });
    }
    // Another seller's lines are out of scope: nothing, not even a suppressed group.
    const other = olistOracle()
      .orderItems()
      .find((item) => item.sellerId !== sellerId)!.sellerId;
    const foreign = await asPartner({ groupBy: ['SELLER'], filter: { sellerIds: [other] } });
    expect(foreign.body.data!.orderStats).toMatchObject({ groups: [], totalGroups: 0, suppressedGroups: 0 });
  });

  test('BI gets the same suppression; an admin sees the single-person group', async () => {
    const single = oracleOrderStats(['PURCHASE_DAY', 'CUSTOMER_STATE'], { purchaseDays: ['2017-03-02'] }).find((group) => group.distinctPersons === 1)!;
    const variables = {
      groupBy: ['PURCHASE_DAY', 'CUSTOMER_STATE'] as never,
      filter: { purchaseDays: ['2017-03-02'], customerStates: [single.values[1] as string] },
    };
    const asBi = await execute(server.url, OrderStatsDocument, variables, bi);
    expect(asBi.body.data!.orderStats).toMatchObject({ groups: [], totalGroups: 0, suppressedGroups: 1, minGroupPersons: K });
    const asAdmin = await execute(server.url, OrderStatsDocument, variables);
    expect(asAdmin.body.data!.orderStats).toMatchObject({ totalGroups: 1, suppressedGroups: 0, minGroupPersons: 1 });
    expect(asAdmin.body.data!.orderStats!.groups[0].distinctPersons).toBe(1);
    // BI reads payments of the groups it is shown.
    const months = await execute(server.url, OrderStatsDocument, { groupBy: ['PURCHASE_MONTH'] }, bi);
    expect(months.body.errors).toBeUndefined();
    expectSameGroups(
      { groupBy: ['PURCHASE_MONTH'] },
      months.body.data!.orderStats!.groups as never,
      shownAndSuppressed(oracleOrderStats(['PURCHASE_MONTH'])).shown,
    );
  });

  test('a partner may not group or filter by payments, nor read payment totals', async () => {
    const byType = await asPartner({ groupBy: ['PAYMENT_TYPE'] });
    expect(byType.body.data?.orderStats ?? null).toBeNull();
    expect(byType.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const filtered = await asPartner({ groupBy: ['PURCHASE_MONTH'], filter: { paymentTypes: ['boleto'] } });
    expect(filtered.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const sorted = await asPartner({ groupBy: ['PURCHASE_MONTH'], orderBy: [{ by: 'PAYMENT_TOTAL', direction: 'DESC' }] });
    expect(sorted.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // An ad-hoc document selecting paymentTotal is not a trusted document.
    const adHoc = await postQuery(server.url, '{ orderStats(groupBy: [PURCHASE_MONTH]) { groups { paymentTotal } } }', undefined, partner);
    expect(adHoc.status).toBe(400);
  });

  test('customers, the storefront service and anonymous callers are refused', async () => {
    const person = olistOracle().customers()[0].personId;
    for (const credential of [
      await tokenCredential({ role: 'customer', subject: person }),
      await tokenCredential({ role: 'frontend-service', subject: 'shop' }),
      { headers: {} },
    ]) {
      const response = await execute(server.url, OrderStatsDocument, { groupBy: ['PURCHASE_MONTH'] }, credential);
      expect(response.body.data?.orderStats ?? null).toBeNull();
      expect(response.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});
