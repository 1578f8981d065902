import { as, codes, post, startHardenedServer, type HardenedServer, type Reply } from './hardened-server';

/**
 * What an attacker was tried with: each hostile request is answered 4xx with a stable code (never a
 * 5xx, never INTERNAL_SERVER_ERROR), and the server still answers afterwards. Default limits, production mode.
 */
describe('hostile documents', () => {
  let server: HardenedServer;
  let partner: Record<string, string>;
  beforeAll(async () => {
    server = await startHardenedServer({ production: true });
    partner = await as('partner');
  });
  afterAll(() => server.close());

  const cycle = (levels: number) => {
    let inner = 'id';
    for (let i = 0; i < levels; i++) inner = i % 2 === 0 ? `products(first: 1) { edges { node { ${inner} } } }` : `sellers { ${inner} }`;
    return `{ seller(id: "3442f8959a84dea7ee197c632cb2df15") { ${inner} } }`;
  };
  const fields = (count: number, field: (i: number) => string) => Array.from({ length: count }, (_, i) => field(i)).join(' ');
  // A body too deep for JSON.stringify on this side: sent as text.
  const postText = async (body: string): Promise<Reply> => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Reply['body'] };
  };
  const nestedJson = (depth: number) => `{"query":"query Q($x: ID!) { seller(id: $x) { id } }","variables":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;

  // [name, request, the codes it may get, the status when it is not a 4xx]
  type Attack = [name: string, send: () => Promise<Reply>, expected: string[], status?: number];
  const attacks: Attack[] = [
    ['deep nesting (41 levels)', () => post(server.url, { query: cycle(41) }), ['QUERY_TOO_DEEP']],
    ['10,000 nested braces', () => post(server.url, { query: `${'{ a '.repeat(10_000)}${'}'.repeat(10_000)}` }), ['TOO_MANY_TOKENS']],
    [
      '100 aliases',
      () => post(server.url, { query: `{ ${fields(100, (i) => `a${i}: seller(id: "3442f8959a84dea7ee197c632cb2df15") { id }`)} }` }),
      ['TOO_MANY_ALIASES'],
    ],
    ['1,000 aliases', () => post(server.url, { query: `{ ${fields(1_000, (i) => `a${i}: __typename`)} }` }), ['TOO_MANY_TOKENS', 'TOO_MANY_ALIASES']],
    ['50,000 tokens', () => post(server.url, { query: `{ ${'__typename '.repeat(50_000)} }` }), ['TOO_MANY_TOKENS']],
    [
      'many directives',
      () => post(server.url, { query: `{ products(first: 1) { edges { node { ${fields(30, () => 'id @skip(if: false)')} } } } }` }),
      ['TOO_MANY_DIRECTIVES'],
    ],
    // A page size over 100 never runs: the resolver's BAD_USER_INPUT (HTTP 200, the graph's contract for argument errors).
    ['first: 1,000,000', () => post(server.url, { query: '{ products(first: 1000000) { totalCount } }' }), ['BAD_USER_INPUT'], 200],
    [
      'first: 1,000,000 in a variable',
      () => post(server.url, { query: 'query Q($n: Int) { products(first: $n) { totalCount } }', variables: { n: 1_000_000 } }),
      ['BAD_USER_INPUT'],
      200,
    ],
    [
      'first: 1,000,000 on nested connections',
      () =>
        post(server.url, {
          query:
            '{ sellers: products(first: 1000000) { edges { node { sellers { products(first: 1000000) { edges { node { reviews(first: 1000000) { totalCount } } } } } } } } }',
        }),
      ['BAD_USER_INPUT'],
      200,
    ],
    ['first beyond a 32-bit Int', () => post(server.url, { query: '{ users(first: 99999999999) { totalCount } }' }), ['GRAPHQL_VALIDATION_FAILED']],
    [
      'nested connections',
      () =>
        post(server.url, {
          query: '{ users(first: 100) { edges { node { orders(first: 100) { edges { node { items { product { similar(first: 100) { score } } } } } } } } } }',
        }),
      ['QUERY_TOO_COSTLY'],
    ],
    ['introspection as anonymous', () => post(server.url, { query: '{ __schema { types { name } } }' }), ['INTROSPECTION_DISABLED']],
    ['introspection as partner', () => post(server.url, { query: '{ __schema { types { name } } }' }, partner), ['OPERATION_NOT_TRUSTED']],
    [
      'unknown persisted hash as partner',
      () => post(server.url, { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, partner),
      ['PERSISTED_QUERY_NOT_FOUND'],
    ],
    ['a non-hex "hash" as partner', () => post(server.url, { documentId: '../../etc/passwd' }, partner), ['PERSISTED_QUERY_NOT_FOUND']],
    ['fragment cycle', () => post(server.url, { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }), ['GRAPHQL_VALIDATION_FAILED']],
    ['field suggestion probing', () => post(server.url, { query: '{ usr { id } }' }), ['GRAPHQL_VALIDATION_FAILED']],
    ['a batch (array body)', () => post(server.url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]), ['BAD_REQUEST']],
    ['query that is a number', () => post(server.url, { query: 5 }), ['BAD_REQUEST']],
    ['control characters', () => post(server.url, { query: '{ \u0000__typename }' }), ['GRAPHQL_PARSE_FAILED']],
    [
      'a forged token',
      () => post(server.url, { query: '{ __typename }' }, { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.' }),
      ['UNAUTHENTICATED'],
    ],
    ['200,000-deep JSON variables', () => postText(nestedJson(200_000)), ['BAD_USER_INPUT']],
    [
      '10,000-deep list variable',
      () => postText(`{"query":"query Q($x: [ID]) { __typename }","variables":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`),
      ['BAD_USER_INPUT'],
    ],
    ['a 2 MB body', () => post(server.url, { query: `{ __typename } # ${'x'.repeat(2_000_000)}` }), ['PAYLOAD_TOO_LARGE']],
  ];

  it.each(attacks.map(([name, send, expected, status]) => ({ name, send, expected, status })))(
    '$name → a coded rejection, never a 5xx',
    async ({ send, expected, status }) => {
      const reply = await send();
      if (status !== undefined) expect(reply.status).toBe(status);
      else {
        expect(reply.status).toBeGreaterThanOrEqual(400);
        expect(reply.status).toBeLessThan(500);
      }
      expect(codes(reply).length).toBeGreaterThan(0);
      for (const code of codes(reply)) expect(expected).toContain(code);
    },
  );

  it('still answers afterwards', async () => {
    const reply = await post(server.url, { query: '{ __typename }' });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ __typename: 'Query' });
  });
});
