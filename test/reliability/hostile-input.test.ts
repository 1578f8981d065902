/**
 * Nothing a client sends gets a 5xx or takes the server down: a few hundred random but schema-valid
 * operations (selections and arguments drawn from the composed API schema with a seeded PRNG, arguments
 * often out of range or malformed), unparsable JSON, oversized bodies, wrong content types and methods,
 * GET requests with garbage parameters. Every answer is 2xx/4xx with coded errors, never
 * INTERNAL_SERVER_ERROR, and the server still answers a normal query afterwards.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import { openEmbeddedSources, type Sources } from '../../src/sources';
import { adminCredential } from '../helpers/credentials';
import { postQuery } from '../helpers/graphql-client';

const QUERIES = 300;
const SEED = 20261124;
const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
let sources: Sources;
let server: RunningServer;
let knownIds: string[] = [];
let headers: Record<string, string>;

beforeAll(async () => {
  sources = await openEmbeddedSources(configFromEnv().dataDir);
  server = await startEmbeddedGateway({ dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources, scoring: false });
  headers = (await adminCredential()).headers;
  const seedIds = await postQuery<{
    orders: { edges: { node: { id: string; customer: { id: string }; items: { product: { id: string }; seller: { id: string } }[] } }[] };
  }>(server.url, '{ orders(first: 5) { edges { node { id customer { id } items { product { id } seller { id } } } } } }');
  knownIds = seedIds.body.data!.orders.edges.flatMap(({ node }) => [
    node.id,
    node.customer.id,
    ...node.items.flatMap((item) => [item.product.id, item.seller.id]),
  ]);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await sources?.close();
});

/** mulberry32: a small seeded PRNG, so a failure replays exactly. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)], chance: (p: number) => next() < p };
}

type Rng = ReturnType<typeof prng>;
const GARBAGE = ['', ' ', 'x', '%%', "'; DROP TABLE orders; --", '🙂', 'ffffffffffffffffffffffffffffffff', 'a'.repeat(300), '\u0000', '../../etc/passwd'];

function literal(type: GraphQLInputType, rng: Rng): string {
  const named = getNamedType(type);
  if (isListType(getNullableType(type))) return `[${literal((getNullableType(type) as { ofType: GraphQLInputType }).ofType, rng)}]`;
  if (isEnumType(named)) return rng.pick(named.getValues()).name;
  switch (named.name) {
    case 'Int':
      return String(rng.pick([-1, 0, 1, 3, 20, 100, 101, 2147483647]));
    case 'Float':
      return String(rng.pick([-1.5, 0, 2.5, 1e9]));
    case 'Boolean':
      return rng.pick(['true', 'false']);
    case 'ID':
      return JSON.stringify(rng.chance(0.6) && knownIds.length > 0 ? rng.pick(knownIds) : rng.pick(GARBAGE));
    case 'DateTime':
      return JSON.stringify(
        rng.chance(0.8)
          ? rng.pick(['2017-01-01T00:00:00-02:00', '2018-06-30T23:59:59-03:00', '1900-01-01T00:00:00Z', '2030-01-01T00:00:00Z'])
          : rng.pick(['2018-08-31', 'not a date', '2017-13-45T99:99:99Z']),
      );
    default:
      return JSON.stringify(rng.pick(['SP', 'RJ', 'health_beauty', 'beleza_saude', 'zz', ...GARBAGE]));
  }
}

function args(field: GraphQLField<unknown, unknown>, rng: Rng): string {
  const chosen = field.args.filter((arg: GraphQLArgument) => isNonNullType(arg.type) || rng.chance(0.5));
  return chosen.length === 0 ? '' : `(${chosen.map((arg) => `${arg.name}: ${literal(arg.type, rng)}`).join(', ')})`;
}

function selection(type: GraphQLObjectType, rng: Rng, depth: number): string {
  const fields = Object.values(type.getFields()).filter((field) => !(depth === 0 && field.name === 'dataQuality')); // a full scan: covered elsewhere
  const count = 1 + Math.floor(rng.next() * Math.min(4, fields.length));
  const parts: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const field = rng.pick(fields);
    if (seen.has(field.name)) continue; // no aliases: the gateway limits them
    seen.add(field.name);
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(`${field.name}${args(field, rng)}`);
    else if (isObjectType(named) && depth < 3) parts.push(`${field.name}${args(field, rng)} { ${selection(named, rng, depth + 1)} }`);
    else parts.push('__typename');
  }
  return parts.join(' ');
}

test(`${QUERIES} random schema-valid operations: never a 5xx, never INTERNAL_SERVER_ERROR`, async () => {
  const rng = prng(SEED);
  const statuses = new Map<number, number>();
  const codes = new Map<string, number>();
  for (let i = 0; i < QUERIES; i += 1) {
    const query = `{ ${selection(schema.getQueryType()!, rng, 0)} }`;
    const answer = await postQuery(server.url, query);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    for (const error of answer.body.errors ?? []) codes.set(String(error.extensions?.code), (codes.get(String(error.extensions?.code)) ?? 0) + 1);
    if (answer.status >= 500 || (answer.body.errors ?? []).some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR' || !error.extensions?.code)) {
      throw new Error(`query ${i} ${query}\nanswered ${answer.status}: ${answer.text.slice(0, 500)}`);
    }
  }
  console.log(`random operations: statuses ${JSON.stringify([...statuses])}, error codes ${JSON.stringify([...codes])}`);
  expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
}, 300_000);

test('malformed transport input: 4xx with a coded error body, never a 5xx; the server still answers', async () => {
  const url = server.url;
  const base = url.replace('/graphql', '');
  const cases: { what: string; request: () => Promise<Response> }[] = [
    {
      what: 'unparsable JSON',
      request: () => fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"query": "{ orders' }),
    },
    { what: 'JSON null', request: () => fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: 'null' }) },
    {
      what: 'JSON array (batch)',
      request: () => fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '[{"query":"{ __typename }"}]' }),
    },
    {
      what: 'JSON string',
      request: () => fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '"{ __typename }"' }),
    },
    {
      what: 'query not a string',
      request: () => fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"query": 42}' }),
    },
    {
      what: 'variables not an object',
      request: () =>
        fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"query": "{ __typename }", "variables": [1]}' }),
    },
    {
      what: 'oversized body (2 MB)',
      request: () =>
        fetch(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(2_000_000) } }),
        }),
    },
    { what: 'text/plain body', request: () => fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: '{ __typename }' }) },
    { what: 'no content type', request: () => fetch(url, { method: 'POST', headers, body: new Uint8Array([0, 1, 2, 255]) }) },
    {
      what: 'multipart body',
      request: () => fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\n\r\n--x--' }),
    },
    {
      what: 'PUT',
      request: () => fetch(url, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
    },
    { what: 'DELETE', request: () => fetch(url, { method: 'DELETE', headers }) },
    { what: 'GET without a query', request: () => fetch(url, { headers }) },
    {
      what: 'GET with garbage',
      request: () => fetch(`${url}?query=%7B%7B%7B&variables=%7Bnot-json&extensions=%5B`, { headers: { ...headers, 'apollo-require-preflight': 'true' } }),
    },
    {
      what: 'GET with a bad percent-encoding',
      request: () => fetch(`${url}?query=%E0%A4%A&x=%`, { headers: { ...headers, 'apollo-require-preflight': 'true' } }),
    },
    {
      what: 'GET with a mutation-like text',
      request: () => fetch(`${url}?query=${encodeURIComponent('mutation { x }')}`, { headers: { ...headers, 'apollo-require-preflight': 'true' } }),
    },
    { what: 'unknown path', request: () => fetch(`${base}/graphql/../../etc/passwd`, { headers }) },
    {
      what: 'deeply nested text',
      request: () =>
        fetch(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ query: `${'{ a '.repeat(5000)}${'}'.repeat(5000)}` }),
        }),
    },
  ];
  for (const { what, request } of cases) {
    const response = await request();
    const text = await response.text();
    if (response.status >= 500) throw new Error(`${what}: HTTP ${response.status} ${text.slice(0, 300)}`);
    expect([what, response.status < 500]).toEqual([what, true]);
    if (response.status >= 400 && text.length > 0) {
      const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
      expect([what, typeof body.errors?.[0]?.extensions?.code]).toEqual([what, 'string']);
    }
  }
  const alive = await postQuery<{ orders: { totalCount: number } }>(server.url, '{ orders(first: 1) { totalCount } }');
  expect(alive.status).toBe(200);
  expect(alive.body.data!.orders.totalCount).toBeGreaterThan(0);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
}, 60_000);
