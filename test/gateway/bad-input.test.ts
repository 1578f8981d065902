import { postQuery } from '../helpers/graphql-client';
import { startEmbeddedTestServer, type EmbeddedTestServer } from '../helpers/servers';

/** Bad input gets a coded GraphQL error and a 2xx/4xx status: never INTERNAL_SERVER_ERROR, never 5xx. */
describe('bad input', () => {
  let server: EmbeddedTestServer;
  let knownOrderId: string;
  beforeAll(async () => {
    server = await startEmbeddedTestServer();
    const page = await postQuery<{ orders: { edges: { node: { id: string } }[] } }>(server.url, '{ orders(first: 1) { edges { node { id } } } }');
    knownOrderId = page.body.data!.orders.edges[0].node.id;
  });
  afterAll(() => server.close());

  function codesOf(body: unknown): string[] {
    return ((body as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).map((error) => error.extensions?.code ?? 'NONE');
  }

  const resolverErrors: [string, string, Record<string, unknown>?][] = [
    ['malformed order id', '{ order(id: "not-an-id") { id } }'],
    ['malformed user id', '{ user(id: "123") { id } }'],
    ['malformed product id', '{ product(id: "ZZZZ3e06e7ecb4970a6e2683c13e61ff") { id } }'],
    ['malformed seller id', '{ seller(id: "") { id } }'],
    ['negative page size', '{ orders(first: -1) { totalCount } }'],
    ['page size over the maximum', '{ products(first: 101) { totalCount } }'],
    ['cursor that is not base64 JSON', '{ users(after: "%%%") { totalCount } }'],
    ['cursor of the wrong shape', '{ orders(after: "WyJ4Il0") { totalCount } }'],
    ['nested page size out of range', '{ users(first: 1) { edges { node { orders(first: 1000) { totalCount } } } } }'],
    ['state that is not a state code', '{ users(state: "Sao Paulo") { totalCount } }'],
    ['two letters that are no Brazilian state', '{ users(state: "ZZ") { totalCount } }'],
    ['empty category', '{ products(category: "  ") { totalCount } }'],
    ['inverted date range', '{ orders(purchasedFrom: "2018-02-01T00:00:00Z", purchasedTo: "2018-01-01T00:00:00Z") { totalCount } }'],
  ];

  it.each(resolverErrors)('%s → BAD_USER_INPUT', async (_name, query) => {
    const response = await postQuery(server.url, query);
    expect(response.status).toBe(200);
    expect(codesOf(response.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('a state code in any case or padding is the same state', async () => {
    const count = async (state: string) =>
      ((await postQuery(server.url, `{ users(state: "${state}") { totalCount } }`)).body as { data: { users: { totalCount: number } } }).data.users.totalCount;
    const sp = await count('SP');
    expect(sp).toBeGreaterThan(0);
    expect(await count(' sp ')).toBe(sp);
  });

  it('a bad date in a variable → HTTP 400 BAD_USER_INPUT', async () => {
    const response = await postQuery(server.url, 'query Q($from: DateTime) { orders(purchasedFrom: $from) { totalCount } }', {
      from: 'yesterday',
    });
    expect(response.status).toBe(400);
    expect(codesOf(response.body)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['a bad date literal', '{ orders(purchasedFrom: "31/01/2018") { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown status', '{ orders(status: LOST) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown field', '{ order(id: "x") { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error', '{ order(id: ', 'GRAPHQL_PARSE_FAILED'],
  ])('%s → HTTP 400 %s', async (_name, query, code) => {
    const response = await postQuery(server.url, query);
    expect(response.status).toBe(400);
    expect(codesOf(response.body)).toEqual([code]);
  });

  it('unknown but well-formed ids → null without errors', async () => {
    const unknown = 'ffffffffffffffffffffffffffffffff';
    const response = await postQuery(
      server.url,
      `{ order(id: "${unknown}") { id } user(id: "${unknown}") { id } product(id: "${unknown}") { id } seller(id: "${unknown}") { id } }`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { order: null, user: null, product: null, seller: null } });
  });

  it('one bad field does not take down its siblings', async () => {
    const response = await postQuery<{ good: { id: string } | null; bad: unknown }>(
      server.url,
      `{ good: order(id: "${knownOrderId}") { id } bad: order(id: "nope") { id } }`,
    );
    expect(response.body.data).toEqual({ good: { id: knownOrderId }, bad: null });
    expect(codesOf(response.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('transport mistakes get 4xx with a coded body', async () => {
    const notJson = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(notJson.status).toBe(400);
    expect(codesOf(await notJson.json())).toEqual(['BAD_REQUEST']);

    const tooLarge = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }${' '.repeat(2_000_000)}` }),
    });
    expect(tooLarge.status).toBe(413);
    expect(codesOf(await tooLarge.json())).toEqual(['PAYLOAD_TOO_LARGE']);

    const noQuery = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noQuery.status).toBe(400);

    const elsewhere = await fetch(server.url.replace('/graphql', '/nowhere'));
    expect(elsewhere.status).toBe(404);
  });
});
