import { postQuery } from '../helpers/graphql-client';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../helpers/servers';

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

/** Walking a connection page by page visits every node once, in order, and agrees with totalCount. */
describe('cursor pagination', () => {
  let server: EmbeddedTestServer;
  beforeAll(async () => {
    server = await startEmbeddedTestServer();
  });
  afterAll(() => server.close());

  async function walk(field: string, args: string, pageSize: number): Promise<{ ids: string[]; totalCount: number; pages: Page[] }> {
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const query = `query Walk($after: String) { ${field}(first: ${pageSize}, after: $after${args}) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }`;
      const response = await postQuery<Record<string, Page>>(server.url, query, { after });
      expect(response.body.errors).toBeUndefined();
      const page: Page = response.body.data![field];
      pages.push(page);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null && pages.length < 50);
    return { ids: pages.flatMap((page) => page.edges.map((edge) => edge.node.id)), totalCount: pages[0].totalCount, pages };
  }

  it.each([
    ['orders', ', status: CREATED', 2],
    ['orders', ', status: APPROVED', 1],
    ['users', ', state: "RR"', 7],
    ['products', ', category: "pc_gamer"', 3],
  ])('%s%s in pages of %i', async (field, args, pageSize) => {
    const { ids, totalCount, pages } = await walk(field, args, pageSize);
    expect(totalCount).toBeGreaterThan(0);
    expect(ids).toHaveLength(totalCount);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages[0].pageInfo.hasPreviousPage).toBe(false);
    expect(pages.slice(1).every((page) => page.pageInfo.hasPreviousPage)).toBe(true);
    expect(pages[pages.length - 1].pageInfo.hasNextPage).toBe(false);
  });

  it('first: 0 answers an empty page with the total', async () => {
    const response = await postQuery<{ orders: Page }>(server.url, '{ orders(first: 0) { totalCount pageInfo { hasNextPage endCursor } edges { cursor } } }');
    expect(response.body.data!.orders.edges).toEqual([]);
    expect(response.body.data!.orders.totalCount).toBe(99441);
    expect(response.body.data!.orders.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
  });
});
