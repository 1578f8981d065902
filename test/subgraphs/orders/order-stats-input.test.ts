/** Query.orderStats' bad input (BAD_USER_INPUT, before anything is read) and its cost limit (QUERY_TOO_COSTLY). */
import { OrderStatsDocument } from '../../generated/operations';
import { execute, postQuery } from '../../helpers/graphql-client';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../../helpers/servers';

describe('Query.orderStats input and cost', () => {
  let server: EmbeddedTestServer;
  beforeAll(async () => {
    server = await startEmbeddedTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const BAD: [string, Record<string, unknown>][] = [
    ['first over 500', { groupBy: ['PURCHASE_MONTH'], first: 501 }],
    ['negative first', { groupBy: ['PURCHASE_MONTH'], first: -1 }],
    ['negative offset', { groupBy: ['PURCHASE_MONTH'], offset: -1 }],
    ['from after to', { groupBy: ['PURCHASE_MONTH'], filter: { purchasedFrom: '2018-02-01T00:00:00-02:00', purchasedTo: '2018-01-01T00:00:00-02:00' } }],
    ['unknown customer state', { groupBy: ['CUSTOMER_STATE'], filter: { customerStates: ['ZZ'] } }],
    ['unknown seller state', { groupBy: ['SELLER_STATE'], filter: { sellerStates: ['XX'] } }],
    ['unknown English category', { groupBy: ['PRODUCT_CATEGORY'], filter: { productCategories: ['no_such_category'] } }],
    ['unknown Portuguese category', { groupBy: ['PRODUCT_CATEGORY_PT'], filter: { productCategoriesPt: ['health_beauty'] } }],
    ['unknown payment type', { groupBy: ['PAYMENT_TYPE'], filter: { paymentTypes: ['bitcoin'] } }],
    ['a week that is not a Monday', { groupBy: ['PURCHASE_WEEK'], filter: { purchaseWeeks: ['2018-05-15'] } }],
    ['a month that does not exist', { groupBy: ['PURCHASE_MONTH'], filter: { purchaseMonths: ['2018-13'] } }],
    ['a day that does not exist', { groupBy: ['PURCHASE_DAY'], filter: { purchaseDays: ['2018-02-30'] } }],
    ['a malformed seller id', { groupBy: ['SELLER'], filter: { sellerIds: ['seller-1'] } }],
    ['an empty filter list', { groupBy: ['ORDER_STATUS'], filter: { statuses: [] } }],
    ['a dimension grouped twice', { groupBy: ['ORDER_STATUS', 'ORDER_STATUS'] }],
    ['sorted by a dimension not grouped by', { groupBy: ['ORDER_STATUS'], orderBy: [{ by: 'SELLER', direction: 'ASC' }] }],
  ];

  test.each(BAD)('%s → BAD_USER_INPUT', async (_name, variables) => {
    const response = await execute(server.url, OrderStatsDocument, variables as never);
    expect(response.status).toBe(200);
    expect(response.body.data?.orderStats ?? null).toBeNull();
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  test('an unknown dimension in the variables → 400 BAD_USER_INPUT; as a literal → GRAPHQL_VALIDATION_FAILED', async () => {
    const variable = await execute(server.url, OrderStatsDocument, { groupBy: ['ZIP_CODE'] } as never);
    expect(variable.status).toBe(400);
    expect(variable.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const literal = await postQuery(server.url, '{ orderStats(groupBy: [ZIP_CODE]) { totalGroups } }');
    expect(literal.status).toBe(400);
    expect(literal.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  const HEAVY =
    '{ orderStats(groupBy: [PURCHASE_DAY, SELLER, PRODUCT_CATEGORY], first: FIRST) { totalGroups groups { purchaseDay sellerId productCategory orderCount distinctPersons itemsTotal freightTotal paymentTotal averageOrderValue lateDeliveryShare meanDeliveryDays meanReviewScore } } }';

  test('a heavy grouping with a large page is refused with QUERY_TOO_COSTLY before it runs', async () => {
    server.queryLog.reset();
    const response = await postQuery(server.url, HEAVY.replace('FIRST', '500'));
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(server.queryLog.count()).toBe(0);
    // the same grouping through a variable
    const viaVariable = await postQuery(server.url, HEAVY.replace('first: FIRST', 'first: $n').replace('{ orderStats', 'query ($n: Int) { orderStats'), {
      n: 400,
    });
    expect(viaVariable.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
  });

  test('cost grows with the dimensions: one dimension at 500 groups, or three at a small page, are accepted', async () => {
    const oneDimension = await postQuery(server.url, '{ orderStats(groupBy: [SELLER], first: 500) { totalGroups groups { sellerId orderCount itemsTotal } } }');
    expect(oneDimension.body.errors).toBeUndefined();
    expect(oneDimension.body.data).toBeTruthy();
    const small = await postQuery(server.url, HEAVY.replace('FIRST', '10').replace(' meanReviewScore', ''));
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();
  });
});
