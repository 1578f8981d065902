import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, print } from 'graphql';
import { buildEmbeddedSupergraphSchema } from '../../../src/gateway';
import { defaultLimits } from '../../../src/config/limits-config';
import { operationCost } from '../../../src/security/limits';
import { as, codes, post as postAs, startHardenedServer, type HardenedServer } from './hardened-server';

/** Query-shape and cost limits: each rejection is HTTP 400 with its own code, the limit in extensions. */
describe('query limits', () => {
  let server: HardenedServer;
  beforeAll(async () => {
    server = await startHardenedServer({ maxDepth: 6, maxAliases: 5, maxDirectives: 4, maxTokens: 200, cost: { max: 2_000 } });
  });
  let admin: Record<string, string>;
  beforeAll(async () => {
    admin = await as('admin');
  });
  afterAll(() => server.close());
  // An admin may read every field, so a query that passes the limits answers without policy errors.
  const post = (url: string, body: unknown) => postAs(url, body, admin);

  const nested = (levels: number) => {
    // seller → products → edges → node → sellers → products → …: deep by repeating the seller/product cycle
    let inner = 'id';
    for (let i = 0; i < levels; i++) inner = i % 2 === 0 ? `products(first: 1) { edges { node { ${inner} } } }` : `sellers { ${inner} }`;
    return `{ seller(id: "ffffffffffffffffffffffffffffffff") { ${inner} } }`;
  };

  it('answers a query within every limit', async () => {
    const reply = await post(server.url, { query: '{ orders(first: 2) { edges { node { id status } } } }' });
    expect(reply.status).toBe(200);
    expect(reply.body.errors).toBeUndefined();
  });

  it('too deep → 400 QUERY_TOO_DEEP', async () => {
    const reply = await post(server.url, { query: nested(5) });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['QUERY_TOO_DEEP']);
    expect(reply.body.errors![0].extensions).toMatchObject({ limit: 6 });
  });

  it('too deep through fragments → 400 QUERY_TOO_DEEP', async () => {
    const query = `query { seller(id: "ffffffffffffffffffffffffffffffff") { ...P } }
      fragment P on Seller { products(first: 1) { edges { node { sellers { products(first: 1) { edges { node { id } } } } } } } }`;
    const reply = await post(server.url, { query });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['QUERY_TOO_DEEP']);
  });

  it('too many aliases → 400 TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: order(id: "ffffffffffffffffffffffffffffffff") { id }`).join(' ');
    const reply = await post(server.url, { query: `{ ${aliases} }` });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['TOO_MANY_ALIASES']);
    expect(reply.body.errors![0].extensions).toMatchObject({ limit: 5 });
  });

  it('too many directives → 400 TOO_MANY_DIRECTIVES', async () => {
    const twice = (field: string) => `${field} @include(if: true) @skip(if: false)`;
    const reply = await post(server.url, { query: `{ orders(first: 1) { ${twice('totalCount')} edges { ${twice('cursor')} node { ${twice('id')} } } } }` });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['TOO_MANY_DIRECTIVES']);
  });

  it('too many tokens → 400 TOO_MANY_TOKENS, before parsing', async () => {
    const reply = await post(server.url, { query: `{ orders(first: 1) { ${'totalCount '.repeat(300)} } }` });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['TOO_MANY_TOKENS']);
    expect(reply.body.errors![0].extensions).toMatchObject({ limit: 200 });
  });

  it('variables nested deeper than 32 levels → 400 BAD_USER_INPUT before anything walks them', async () => {
    const nestedList = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}"x"${']'.repeat(depth)}`);
    const query = 'query Q($id: ID!) { order(id: $id) { id } }';
    const deep = await post(server.url, { query, variables: { id: nestedList(32) } });
    expect(deep.status).toBe(400);
    expect(codes(deep)).toEqual(['BAD_USER_INPUT']);
    expect(deep.body.errors![0]).toMatchObject({ message: 'Variables are nested deeper than 32 levels', extensions: { limit: 32 } });
    const shallow = await post(server.url, { query, variables: { id: nestedList(31) } });
    expect(shallow.status).toBe(400);
    expect(shallow.body.errors![0].message).toMatch(/^Variable "\$id" got invalid value/);
  });

  it('a text the lexer cannot read still gets the parser’s 400 GRAPHQL_PARSE_FAILED', async () => {
    const reply = await post(server.url, { query: '{ orders(first: 1) { "unterminated } }' });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('too costly → 400 QUERY_TOO_COSTLY with the cost and the limit', async () => {
    const reply = await post(server.url, { query: '{ users(first: 100) { edges { node { orders(first: 100) { totalCount } } } } }' });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['QUERY_TOO_COSTLY']);
    expect(reply.body.errors![0].extensions).toMatchObject({ limit: 2_000 });
    expect(reply.body.errors![0].extensions!.cost).toBeGreaterThan(2_000);
  });

  it('counts `first` given in variables', async () => {
    const query = 'query Q($n: Int) { users(first: $n) { edges { node { orders(first: $n) { totalCount } } } } }';
    const cheap = await post(server.url, { query, variables: { n: 2 } });
    expect(cheap.status).toBe(200);
    expect(cheap.body.errors).toBeUndefined();
    const costly = await post(server.url, { query, variables: { n: 90 } });
    expect(costly.status).toBe(400);
    expect(codes(costly)).toEqual(['QUERY_TOO_COSTLY']);
  });

  it('scoring fields weigh more than plain fields', async () => {
    const plain = await post(server.url, { query: '{ products(first: 30) { edges { node { id orderCount } } } }' });
    expect(plain.status).toBe(200);
    const scored = await post(server.url, { query: '{ products(first: 30) { edges { node { id similar(first: 5) { score } } } } }' });
    expect(scored.status).toBe(400);
    expect(codes(scored)).toEqual(['QUERY_TOO_COSTLY']);
  });

  it('a page size over the maximum is still the resolver’s BAD_USER_INPUT when it fits the cost', async () => {
    const reply = await post(server.url, { query: '{ products(first: 101) { totalCount } }' });
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('default limits and the operations clients run', () => {
  it('every canonical and partner operation fits the default limits at the largest page size', async () => {
    const schema = await buildEmbeddedSupergraphSchema();
    const limits = defaultLimits({});
    const costs: Record<string, number> = {};
    for (const folder of [path.join(__dirname, '../../operations'), path.join(__dirname, '../../../partner-operations')]) {
      for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.graphql'))) {
        const document = parse(fs.readFileSync(path.join(folder, file), 'utf8'));
        for (const operation of document.definitions) {
          if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
          const variables = Object.fromEntries(
            (operation.variableDefinitions ?? []).map((definition) => {
              const type = print(definition.type).replace('!', '');
              // orderStats at its costliest grouping of three dimensions; its optional inputs left out; orders' cross-system filters all given.
              const orderStats: Record<string, unknown> = {
                '[OrderStatsDimension]': ['PURCHASE_DAY', 'SELLER', 'PRODUCT_CATEGORY'],
                OrderStatsFilter: null,
                '[OrderStatsOrder]': null,
                // The cross-system filters with every surcharged predicate.
                OrdersFilter: { customerState: 'SP', category: 'x', minReviewScore: 4 },
                OrdersOrderBy: { purchasedAt: 'DESC' },
              };
              const bare = type.replace(/!/g, '');
              const value =
                bare in orderStats
                  ? orderStats[bare]
                  : type === 'Int'
                    ? 100
                    : type === 'OrderStatus'
                      ? 'DELIVERED'
                      : type === 'DateTime'
                        ? '2018-01-01T00:00:00-02:00'
                        : 'x';
              return [definition.variable.name.value, value];
            }),
          );
          costs[operation.name!.value] = operationCost(schema, document, variables, operation.name!.value, limits.cost);
        }
      }
    }
    expect(Object.keys(costs).length).toBeGreaterThanOrEqual(10);
    for (const [name, cost] of Object.entries(costs)) expect([name, cost <= limits.cost.max]).toEqual([name, true]);
  });
});
