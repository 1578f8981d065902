/**
 * No usable models: a truncated delivery_risk model.onnx, no recommendation and no demand_forecast model. The server
 * starts, the scoring fields are null with MODEL_UNAVAILABLE, every other field answers, Query.models
 * and /readyz say why — and the feature store is never built (it is only needed to score).
 */
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { ScoringService } from '../../src/scoring';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { postQuery } from '../helpers/graphql-client';
import { openSeededSources } from '../helpers/seeded-sources';
import { tempModels, type TempModels } from './helpers/models-dir';

let sources: Sources;
let models: TempModels;
let service: ScoringService;
let server: RunningServer;
let startMs: number;

beforeAll(async () => {
  ({ sources } = await openSeededSources());
  models = tempModels();
  models.truncated('delivery_risk');
  const started = Date.now();
  service = await ScoringService.start({ sources, dataKey: configFromEnv().dataDir, config: { modelsDir: models.dir }, log: () => undefined });
  server = await startEmbeddedGateway({ dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources, scoring: service });
  startMs = Date.now() - started;
});

afterAll(async () => {
  await server?.close();
  await sources?.close();
  models?.remove();
});

test('the server starts and answers everything but the scoring fields', async () => {
  expect(startMs).toBeLessThan(30_000);
  const response = await postQuery<{
    orders: { edges: { node: { id: string; status: string; deliveryRisk: unknown } }[] };
    users: { edges: { node: { id: string; orderCount: number; recommendations: unknown } }[] };
    product: { id: string; similar: unknown; score: unknown } | null;
  }>(
    server.url,
    `{ orders(first: 3) { edges { node { id status deliveryRisk { probability reasons } } } }
       users(first: 2) { edges { node { id orderCount recommendations(first: 3) { score } } } } }`,
  );
  expect(response.status).toBe(200);
  const orders = response.body.data!.orders.edges.map((e) => e.node);
  expect(orders).toHaveLength(3);
  for (const order of orders) {
    expect(order.status).toBeTruthy();
    expect(order.deliveryRisk).toBeNull();
  }
  const users = response.body.data!.users.edges.map((e) => e.node);
  expect(users).toHaveLength(2);
  for (const user of users) {
    expect(user.orderCount).toBeGreaterThan(0);
    expect(user.recommendations).toBeNull();
  }
  const errors = response.body.errors!;
  expect(errors).toHaveLength(5);
  expect(new Set(errors.map((e) => e.extensions?.code))).toEqual(new Set(['MODEL_UNAVAILABLE']));
  expect(errors.filter((e) => e.path?.at(-1) === 'deliveryRisk')).toHaveLength(3);
  expect(errors.filter((e) => e.path?.at(-1) === 'recommendations')).toHaveLength(2);
});

test('Product and Category demandForecast answer MODEL_UNAVAILABLE without the demand_forecast model; the product itself answers', async () => {
  const response = await postQuery<{
    products: { edges: { node: { id: string; demandForecast: unknown; category: { name: string; demandForecast: unknown } | null } }[] };
  }>(
    server.url,
    '{ products(first: 2) { edges { node { id demandForecast(weeks: 2) { recentOrders } category { name demandForecast { recentOrders } } } } } }',
  );
  const nodes = response.body.data!.products.edges.map((e) => e.node);
  expect(nodes).toHaveLength(2);
  for (const node of nodes) {
    expect(node.id).toBeTruthy();
    expect(node.demandForecast).toBeNull();
    if (node.category) expect(node.category.demandForecast).toBeNull();
  }
  const errors = response.body.errors!;
  expect(errors.length).toBeGreaterThanOrEqual(2);
  expect(new Set(errors.map((e) => e.extensions?.code))).toEqual(new Set(['MODEL_UNAVAILABLE']));
  expect(errors.every((e) => /demand_forecast/.test(e.message))).toBe(true);
});

test('Query.models and /readyz say which model is unavailable and why; the feature store was not built', async () => {
  const response = await postQuery<{
    models: { name: string; version: string | null; status: string; executionProvider: string | null; error: string | null }[];
  }>(server.url, '{ models { name version status executionProvider error } }');
  const byName = Object.fromEntries(response.body.data!.models.map((m) => [m.name, m]));
  expect(byName.delivery_risk).toMatchObject({ version: '1', status: 'UNAVAILABLE', executionProvider: null });
  expect(byName.delivery_risk.error).toMatch(/protobuf|load model|failed/i);
  expect(byName.recommendation).toMatchObject({ version: null, status: 'UNAVAILABLE', executionProvider: null });
  expect(byName.demand_forecast).toMatchObject({ version: null, status: 'UNAVAILABLE', executionProvider: null });
  const ready = await fetch(server.url.replace('/graphql', '/readyz'));
  expect(ready.status).toBe(200);
  const body = (await ready.json()) as { status: string; scoring: { models: { name: string; status: string }[]; featureStore: { status: string } } };
  // Still 200 (the process serves every other field), but "degraded" rather than "ready".
  expect(body.status).toBe('degraded');
  expect(body.scoring.models.map((m) => m.status)).toEqual(['unavailable', 'unavailable', 'unavailable', 'unavailable', 'unavailable']);
  expect(body.scoring.models.map((m) => m.name)).toEqual(['delivery_risk', 'recommendation', 'demand_forecast', 'segments', 'order_anomaly']);
  expect(body.scoring.featureStore.status).toBe('idle');
});
