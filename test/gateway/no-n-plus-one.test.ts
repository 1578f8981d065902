import { postQuery } from '../helpers/graphql-client';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../helpers/servers';

/**
 * Fetching a page of orders with their customers, accounts, items, products, sellers, payments and
 * reviews costs a fixed number of source statements, whatever the page size: one per entity type
 * per nesting level. Counted at the source (SQL statements seen by the Prisma driver adapter,
 * look-ups in the document and CSV stores), not estimated.
 */
const PAGE_QUERY = `
  query Page($first: Int!) {
    orders(first: $first) {
      edges {
        node {
          id
          customer { id accounts { customerId city location { latitude } } }
          items { position product { id weightGrams category { name nameEn } } seller { id city } }
          payments { value }
          reviews { score }
          itemsTotal
        }
      }
    }
  }`;

// orders: the page, its items, its payments · crm: account → person, person → accounts
// catalog: products, sellers · reviews: one look-up · geography: one look-up
const BOUND = { orders: 3, crm: 2, catalog: 2, reviews: 1, geography: 1 };

describe('batched source access (no N+1)', () => {
  let server: EmbeddedTestServer;
  beforeAll(async () => {
    server = await startEmbeddedTestServer();
  });
  afterAll(() => server.close());

  async function statementsFor(first: number) {
    server.queryLog.reset();
    const response = await postQuery<{ orders: { edges: unknown[] } }>(server.url, PAGE_QUERY, { first });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.orders.edges).toHaveLength(first);
    return server.queryLog.snapshot();
  }

  it('50 orders with every nested entity stay within one statement per source per level', async () => {
    const counts = await statementsFor(50);
    expect(counts).toEqual(BOUND);
  });

  it('costs the same for 5 orders as for 100', async () => {
    expect(await statementsFor(5)).toEqual(await statementsFor(100));
  });
});
