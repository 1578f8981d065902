/**
 * Product.boughtTogether through the embedded gateway over real HTTP, the scoring service at as-of
 * 2018-06-01 over the seeded stores: the figures equal a count over the dataset CSVs before that
 * date, a pair seen only later is no rule, anonymous catalog callers may read it, a bad `first` is
 * BAD_USER_INPUT, and 20 products cost the same source statements as 5 (no N+1).
 */
import { startEmbeddedGateway, type RunningServer } from '../../../src/gateway';
import { BoughtTogetherIndex, ScoringService, type Purchase } from '../../../src/scoring';
import { localMs } from '../../../src/scoring/features';
import { configFromEnv } from '../../../src/shared';
import type { Sources, SourceQueryLog } from '../../../src/sources';
import { ANONYMOUS_CALLER } from '../../helpers/credentials';
import { postQuery } from '../../helpers/graphql-client';
import { openSeededSources } from '../../helpers/seeded-sources';
import { servableModels } from '../helpers/models-dir';
import { purchasesFromCsv } from './csv-purchases';

interface Item {
  product: { id: string };
  basis: string;
  support: number;
  supportShare: number;
  confidence: number;
  lift: number;
}

const AS_OF = '2018-06-01';
const cut = localMs(`${AS_OF} 00:00:00`);

let sources: Sources;
let log: SourceQueryLog;
let service: ScoringService;
let server: RunningServer;
let models: ReturnType<typeof servableModels>;
let purchases: Purchase[];

beforeAll(async () => {
  ({ sources, log } = await openSeededSources());
  models = servableModels();
  service = await ScoringService.start({
    sources,
    dataKey: configFromEnv().dataDir,
    config: { modelsDir: models.dir, executionProviders: ['cpu'], asOf: AS_OF },
    log: () => undefined,
  });
  server = await startEmbeddedGateway({ dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources, scoring: service });
  await service.boughtTogether();
  purchases = purchasesFromCsv();
}, 300_000);

afterAll(async () => {
  await server?.close();
  await sources?.close();
  models?.remove();
});

const FIELD = `boughtTogether(first: $first) { product { id } basis support supportShare confidence lift }`;

async function boughtTogether(id: string, first: unknown = 50) {
  return postQuery<{ product: { boughtTogether: Item[] | null } | null }>(
    server.url,
    `query($id: ID!, $first: Int) { product(id: $id) { id ${FIELD} } }`,
    { id, first },
    ANONYMOUS_CALLER,
  );
}

/** Orders before the cut holding each pair of products ("a|b", a < b). */
function orderPairs(list: readonly Purchase[]): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const { productIds } of list) {
    const sorted = [...productIds].sort();
    for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) pairs.set(`${sorted[i]}|${sorted[j]}`, (pairs.get(`${sorted[i]}|${sorted[j]}`) ?? 0) + 1);
  }
  return pairs;
}

it('answers the ORDER rule of the most co-ordered pair before the as-of with the figures of a count over the CSVs', async () => {
  const before = purchases.filter((x) => x.t < cut);
  const [key, support] = [...orderPairs(before)].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
  const [a, b] = key.split('|');
  const withA = before.filter((x) => x.productIds.includes(a)).length;
  const withB = before.filter((x) => x.productIds.includes(b)).length;
  const response = await boughtTogether(a);
  expect(response.body.errors).toBeUndefined();
  const item = response.body.data!.product!.boughtTogether!.find((i) => i.product.id === b && i.basis === 'ORDER');
  expect(item).toBeDefined();
  expect(item!.support).toBe(support);
  expect(item!.supportShare).toBeCloseTo(support / before.length, 12);
  expect(item!.confidence).toBeCloseTo(support / withA, 12);
  expect(item!.lift).toBeCloseTo(support / withA / (withB / before.length), 9);
});

it('has no rule for a pair first co-ordered after the as-of time (which a later as-of would make a rule)', async () => {
  const early = orderPairs(purchases.filter((x) => x.t < cut));
  const late = [...orderPairs(purchases)].filter(([key, n]) => n - (early.get(key) ?? 0) >= 2 && !early.has(key));
  expect(late.length).toBeGreaterThan(0);
  const [a, b] = late[0][0].split('|');
  const later = BoughtTogetherIndex.mine(purchases, new Map(), { asOf: Infinity });
  expect(later.rules(a, 'ORDER').map((r) => r.productId)).toContain(b);
  const response = await boughtTogether(a);
  expect(response.body.errors).toBeUndefined();
  const items = response.body.data!.product!.boughtTogether!;
  expect(items.filter((i) => i.basis !== 'CATEGORY').map((i) => i.product.id)).not.toContain(b);
  for (const item of items) expect(item.support).toBeGreaterThanOrEqual(2);
});

it('defaults to 5 items and fills sparse products from their category', async () => {
  const lonely = purchases.find((x) => x.t < cut && x.productIds.length === 1)!.productIds[0];
  const response = await postQuery<{ product: { boughtTogether: Item[] } }>(
    server.url,
    `query($id: ID!) { product(id: $id) { boughtTogether { product { id } basis support } } }`,
    { id: lonely },
    ANONYMOUS_CALLER,
  );
  expect(response.body.errors).toBeUndefined();
  const items = response.body.data!.product.boughtTogether;
  expect(items.length).toBeLessThanOrEqual(5);
  expect(items.length).toBeGreaterThan(0);
  expect(items.map((i) => i.product.id)).not.toContain(lonely);
});

it.each([0, -1, 51])('answers BAD_USER_INPUT for first: %p', async (first) => {
  const response = await boughtTogether(purchases[0].productIds[0], first);
  expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(response.body.data?.product?.boughtTogether ?? null).toBeNull();
});

describe('batching (no N+1)', () => {
  const PAGE = `query($n: Int!) { products(first: $n) { edges { node { id boughtTogether(first: 5) { basis support product { id weightGrams category { name } } } } } } }`;

  async function statementsFor(n: number) {
    log.reset();
    const response = await postQuery<{ products: { edges: { node: { boughtTogether: Item[] } }[] } }>(server.url, PAGE, { n }, ANONYMOUS_CALLER);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.products.edges).toHaveLength(n);
    const statements = log.snapshot();
    log.reset();
    return statements;
  }

  it('20 products with their bought-together products cost the same statements as 5, one per level', async () => {
    const twenty = await statementsFor(20);
    expect(twenty).toEqual(await statementsFor(5));
    // catalog: the products page, then the bought-together products in one batch.
    expect(twenty.catalog).toBeLessThanOrEqual(3);
    expect(Object.values(twenty).reduce((n, c) => n + c, 0)).toBeLessThanOrEqual(6);
  });
});
