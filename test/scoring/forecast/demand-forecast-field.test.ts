/**
 * Product/Category.demandForecast through the embedded gateway over real HTTP, the scoring service at
 * as-of 2018-06-01 over the seeded stores and the real demand_forecast ONNX model: the history equals a
 * count over the dataset CSVs, the expected orders equal the model run on rows built from that count,
 * the median and interval follow config.json's calibration, sparse products get a reason, a bad `weeks`
 * is BAD_USER_INPUT, partners see their own lines only, other roles are refused, and 20 products cost
 * one model run and the same source statements as 5 (no N+1).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { startEmbeddedGateway, type RunningServer } from '../../../src/gateway';
import { FORECAST_FEATURES, ScoringService, writeForecastRows, weekOf } from '../../../src/scoring';
import { localMs } from '../../../src/scoring/features';
import { configFromEnv } from '../../../src/shared';
import type { Sources, SourceQueryLog } from '../../../src/sources';
import { tokenCredential, type Credential } from '../../helpers/credentials';
import { postQuery } from '../../helpers/graphql-client';
import { olistDatasetDir } from '../../helpers/olist-oracle';
import { openSeededSources } from '../../helpers/seeded-sources';
import { servableModels } from '../helpers/models-dir';
import { csvWeeks, dense, mondays, type CsvWeeks } from './csv-weeks';

interface Week {
  weekStart: string;
  expected: number;
  median: number;
  low: number;
  high: number;
}
interface Forecast {
  origin: string;
  history: { weekStart: string; orders: number }[];
  recentOrders: number;
  weeks: Week[] | null;
  reason: string | null;
  intervalLevel: number;
  sellerScoped: boolean;
  modelVersion: string;
}

const AS_OF = '2018-06-01';
const ORIGIN = '2018-05-28';
/** The partners' trusted document (partner-operations/): every field of the forecast, for a product and its category. */
const DOCUMENT = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'partner-operations', 'product-demand-forecast.graphql'), 'utf8');

let sources: Sources;
let log: SourceQueryLog;
let service: ScoringService;
let server: RunningServer;
let models: ReturnType<typeof servableModels>;
let csv: CsvWeeks;
let weeks: string[];
let bi: Credential;
let session: ort.InferenceSession;
let calibration: { level: number; log_ratio_quantiles: Record<string, [number, number, number][]> };

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
  await service.demandForecaster();
  csv = csvWeeks(olistDatasetDir(), `${AS_OF} 00:00:00`);
  weeks = mondays(csv.firstMonday, ORIGIN);
  bi = await tokenCredential({ role: 'bi', subject: 'forecast-test' });
  const dir = path.join(models.dir, 'demand_forecast', '1');
  session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
  calibration = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).interval;
}, 600_000);

afterAll(async () => {
  await session?.release();
  await server?.close();
  await sources?.close();
  models?.remove();
});

const recentByKey = new Map<string, number>();
/** Orders of a series in the 13 weeks before the origin (memoised: the sorts below ask often). */
function recent(key: string): number {
  let n = recentByKey.get(key);
  if (n === undefined) recentByKey.set(key, (n = dense(csv, key, weeks.slice(-13)).reduce((s, v) => s + v, 0)));
  return n;
}
/** Unscoped product series, most orders in the 13 weeks before the origin first. */
const busiest = (kind: 'PRODUCT' | 'CATEGORY') =>
  [...csv.counts.keys()].filter((k) => k.startsWith(`${kind}|`) && k.endsWith('|')).sort((a, b) => recent(b) - recent(a) || (a < b ? -1 : 1));

async function productForecast(id: string, credential: Credential = bi, weeksArg: unknown = 4) {
  return postQuery<{ product: { id: string; demandForecast: Forecast | null; category: { name: string; demandForecast: Forecast | null } | null } | null }>(
    server.url,
    DOCUMENT,
    { id, weeks: weeksArg },
    credential,
  );
}

/** What the model answers for a series counted from the CSVs, with the median and interval from config.json. */
async function expectedFromCsv(key: string, kind: 'PRODUCT' | 'CATEGORY', horizons: number): Promise<Week[]> {
  const width = FORECAST_FEATURES.length;
  const rows = new Float32Array(horizons * width);
  writeForecastRows({ history: dense(csv, key, weeks), origin: weekOf(localMs(`${ORIGIN} 00:00:00`)), kind }, horizons, rows, 0);
  const out = await session.run({ features: new ort.Tensor('float32', rows, [horizons, width]) });
  const expected = out.expected.data as Float32Array;
  const q = calibration.log_ratio_quantiles[kind];
  return mondays(ORIGIN, '2018-07-30')
    .slice(0, horizons)
    .map((weekStart, i) => ({
      weekStart,
      expected: expected[i],
      median: Math.round(Math.max(0, (expected[i] + 1) * Math.exp(q[i][1]) - 1)),
      low: Math.max(0, (expected[i] + 1) * Math.exp(q[i][0]) - 1),
      high: (expected[i] + 1) * Math.exp(q[i][2]) - 1,
    }));
}

function expectWeeks(actual: Week[] | null, wanted: Week[]): void {
  expect(actual).not.toBeNull();
  expect(actual!.map((w) => w.weekStart)).toEqual(wanted.map((w) => w.weekStart));
  actual!.forEach((week, i) => {
    expect(week.median).toBe(wanted[i].median);
    for (const field of ['expected', 'low', 'high'] as const) expect(week[field]).toBeCloseTo(wanted[i][field], 4);
    expect(week.low).toBeLessThanOrEqual(week.expected);
    expect(week.high).toBeGreaterThanOrEqual(week.expected);
  });
}

it("forecasts the busiest product from its weekly orders as counted in the CSVs, and its category's from the category's", async () => {
  const key = busiest('PRODUCT')[0];
  const id = key.split('|')[1];
  const response = await productForecast(id, bi, 6);
  expect(response.body.errors).toBeUndefined();
  const product = response.body.data!.product!;
  const forecast = product.demandForecast!;
  expect(forecast.origin).toBe(ORIGIN);
  expect(forecast.history).toEqual(weeks.slice(-13).map((weekStart, i) => ({ weekStart, orders: dense(csv, key, weeks).slice(-13)[i] })));
  expect(forecast.recentOrders).toBe(recent(key));
  expect(forecast.recentOrders).toBeGreaterThanOrEqual(6);
  expect(forecast.reason).toBeNull();
  expect(forecast).toMatchObject({ intervalLevel: calibration.level, sellerScoped: false, modelVersion: 'demand_forecast/1' });
  expectWeeks(forecast.weeks, await expectedFromCsv(key, 'PRODUCT', 6));

  const categoryKey = `CATEGORY|${product.category!.name}|`;
  const category = product.category!.demandForecast!;
  expect(category.history.map((w) => w.orders)).toEqual(dense(csv, categoryKey, weeks).slice(-13));
  expectWeeks(category.weeks, await expectedFromCsv(categoryKey, 'CATEGORY', 6));
});

it('answers no weeks, with the reason, for a product with too few recent orders', async () => {
  const key = busiest('PRODUCT').find((k) => recent(k) > 0 && recent(k) < 6)!;
  const response = await productForecast(key.split('|')[1]);
  expect(response.body.errors).toBeUndefined();
  const forecast = response.body.data!.product!.demandForecast!;
  expect(forecast.weeks).toBeNull();
  expect(forecast.recentOrders).toBe(recent(key));
  expect(forecast.reason).toBe(`only ${recent(key)} order${recent(key) === 1 ? '' : 's'} in the 13 weeks before ${ORIGIN}; a forecast needs at least 6`);
});

it.each([0, -1, 9, 100])('answers BAD_USER_INPUT for weeks: %p', async (weeksArg) => {
  const response = await productForecast(busiest('PRODUCT')[0].split('|')[1], bi, weeksArg);
  expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(response.body.errors?.[0]?.message).toMatch(/"weeks" must be between 1 and 8/);
  expect(response.body.data?.product?.demandForecast ?? null).toBeNull();
});

it('is refused to customers and the storefront service (seller-facing: partners and BI only)', async () => {
  const id = busiest('PRODUCT')[0].split('|')[1];
  for (const role of ['customer', 'frontend-service'] as const) {
    const credential = await tokenCredential({ role, subject: 'aa'.repeat(16) });
    const response = await productForecast(id, credential);
    expect(response.body.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(response.body.data?.product?.demandForecast ?? null).toBeNull();
  }
});

describe('partners', () => {
  /** A product two sellers sold before the as-of, the first of them with the most recent orders of its own. */
  function coSold() {
    const scoped = [...csv.counts.keys()].filter((k) => k.startsWith('PRODUCT|') && !k.endsWith('|'));
    const bySeller = new Map<string, string[]>();
    for (const k of scoped) bySeller.set(k.split('|')[1], [...(bySeller.get(k.split('|')[1]) ?? []), k.split('|')[2]]);
    const [productId, sellers] = [...bySeller].filter(([, s]) => s.length > 1).sort((a, b) => recent(`PRODUCT|${b[0]}|`) - recent(`PRODUCT|${a[0]}|`))[0];
    return { productId, seller: sellers[0], other: sellers[1] };
  }

  it("count only the partner's own lines of a product and of its category", async () => {
    const { productId, seller } = coSold();
    const partner = await tokenCredential({ role: 'partner', subject: 'forecast-partner', sellerId: seller });
    const response = await productForecast(productId, partner);
    expect(response.body.errors).toBeUndefined();
    const product = response.body.data!.product!;
    const own = dense(csv, `PRODUCT|${productId}|${seller}`, weeks);
    expect(own.join()).not.toBe(dense(csv, `PRODUCT|${productId}|`, weeks).join());
    expect(product.demandForecast!.sellerScoped).toBe(true);
    expect(product.demandForecast!.history.map((w) => w.orders)).toEqual(own.slice(-13));
    expect(product.demandForecast!.recentOrders).toBe(own.slice(-13).reduce((s, v) => s + v, 0));
    const category = product.category!;
    expect(category.demandForecast!.history.map((w) => w.orders)).toEqual(dense(csv, `CATEGORY|${category.name}|${seller}`, weeks).slice(-13));
  });

  it('get nothing for a product they never sold', async () => {
    const { seller } = coSold();
    const partner = await tokenCredential({ role: 'partner', subject: 'forecast-partner', sellerId: seller });
    const foreign = busiest('PRODUCT').find((k) => !csv.counts.has(`PRODUCT|${k.split('|')[1]}|${seller}`))!;
    const response = await productForecast(foreign.split('|')[1], partner);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.product).toBeNull();
  });
});

describe('batching (no N+1)', () => {
  const PAGE = `query($n: Int!) { products(first: $n) { edges { node { id demandForecast(weeks: 3) { recentOrders weeks { expected } } category { demandForecast { recentOrders } } } } } }`;

  async function during(n: number) {
    const before = service.runCounts().demand_forecast;
    log.reset();
    const response = await postQuery<{ products: { edges: { node: { demandForecast: Forecast } }[] } }>(server.url, PAGE, { n }, bi);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.products.edges).toHaveLength(n);
    const statements = log.snapshot();
    log.reset();
    return { statements, runs: service.runCounts().demand_forecast - before };
  }

  it('20 products with their categories cost the same statements as 5 and at most one model run per level', async () => {
    const twenty = await during(20);
    const five = await during(5);
    expect(twenty.statements).toEqual(five.statements);
    expect(twenty.runs).toBeLessThanOrEqual(2);
    expect(five.runs).toBeLessThanOrEqual(2);
  });
});
