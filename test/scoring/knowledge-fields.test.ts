/**
 * User.segment, Query.segments and Order.anomaly through the embedded gateway over real HTTP, real
 * ONNX sessions (models/segments, models/order_anomaly) and the feature store over the seeded stores:
 * the segment the model answers is the nearest centroid of config.json (computed here), sizes add up,
 * names follow the centroids; anomalies in one batch (two model runs for any number of orders),
 * levels from the thresholds, reasons with positive effects, largest first; MODEL_UNAVAILABLE and
 * Query.models when the models are missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { ScoringService, SEGMENT_FEATURES, segmentName, segmentRows } from '../../src/scoring';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { tokenCredential } from '../helpers/credentials';
import { postQuery } from '../helpers/graphql-client';
import { openSeededSources } from '../helpers/seeded-sources';
import { servableModels, tempModels, type TempModels } from './helpers/models-dir';

interface Explained {
  text: string;
  effect: number | null;
}
interface AnomalyView {
  score: number;
  level: string;
  reasons: string[];
  explanation: Explained[];
  modelVersion: string;
}

let sources: Sources;
let service: ScoringService;
let server: RunningServer;
let models: ReturnType<typeof servableModels>;
let bare: TempModels;
let bareService: ScoringService;
let bareServer: RunningServer;

beforeAll(async () => {
  ({ sources } = await openSeededSources());
  models = servableModels();
  const dataKey = configFromEnv().dataDir;
  service = await ScoringService.start({ sources, dataKey, config: { modelsDir: models.dir, executionProviders: ['cpu'] }, log: () => undefined });
  server = await startEmbeddedGateway({ dataDir: dataKey, port: 0, host: '127.0.0.1', sources, scoring: service });
  bare = tempModels();
  bare.copy('delivery_risk');
  bareService = await ScoringService.start({ sources, dataKey, config: { modelsDir: bare.dir, executionProviders: ['cpu'] }, log: () => undefined });
  bareServer = await startEmbeddedGateway({ dataDir: dataKey, port: 0, host: '127.0.0.1', sources, scoring: bareService });
  await service.ensureFeatures();
}, 300_000);

afterAll(async () => {
  await server?.close();
  await bareServer?.close();
  await sources?.close();
  models?.remove();
  bare?.remove();
});

function config(name: string) {
  return JSON.parse(fs.readFileSync(path.join(models.dir, name, '1', 'config.json'), 'utf8'));
}

test('User.segment: the nearest centroid of config.json for the person’s features as of the store’s as-of time, with RFM scores', async () => {
  const response = await postQuery<{
    users: {
      edges: {
        node: {
          id: string;
          segment: {
            id: number;
            name: string;
            rfm: { recency: number; frequency: number; monetary: number; code: string };
            orders: number;
            recencyDays: number;
            spend: number;
            modelVersion: string;
            asOf: string;
          } | null;
        };
      }[];
    };
  }>(
    server.url,
    '{ users(first: 25) { edges { node { id segment { id name rfm { recency frequency monetary code } orders recencyDays spend modelVersion asOf } } } } }',
  );
  expect(response.body.errors).toBeUndefined();
  const c = config('segments');
  const index = await service.segments();
  const users = response.body.data!.users.edges.map((e) => e.node);
  let seen = 0;
  for (const user of users) {
    const person = index.of(user.id);
    if (!person) {
      expect(user.segment).toBeNull();
      continue;
    }
    seen++;
    const s = user.segment!;
    const row = segmentRows([person.behaviour]);
    const z = SEGMENT_FEATURES.map((_, j) => (row[j] - c.feature_mean[j]) / c.feature_std[j]);
    const distances = c.centroids_z.map((centre: Record<string, number>) => SEGMENT_FEATURES.reduce((n, f, j) => n + (z[j] - centre[f.name]) ** 2, 0));
    expect(s.id).toBe(distances.indexOf(Math.min(...distances)));
    expect(s.name).toBe(segmentName(c.centroids_z[s.id]));
    expect(s.rfm.code).toBe(`R${s.rfm.recency}F${s.rfm.frequency}M${s.rfm.monetary}`);
    expect(s.rfm.frequency).toBe(s.orders > 1 ? 5 : 1);
    expect(s.orders).toBeGreaterThan(0);
    expect(s.recencyDays).toBeGreaterThan(0);
    expect(s.modelVersion).toBe('segments/1');
    expect(s.asOf).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  }
  expect(seen).toBeGreaterThan(15);
});

test('Query.segments: one entry per centroid, sizes adding up to every person with a bought order, named by the centroid', async () => {
  const response = await postQuery<{
    segments: { id: number; name: string; persons: number; share: number; meanOrders: number; repeatBuyerShare: number; meanRfm: { recency: number } }[];
  }>(server.url, '{ segments { id name persons share meanOrders repeatBuyerShare meanRfm { recency } } }');
  expect(response.body.errors).toBeUndefined();
  const segments = response.body.data!.segments;
  const c = config('segments');
  expect(segments.map((s) => s.id)).toEqual(c.centroids_z.map((_: unknown, i: number) => i));
  const index = await service.segments();
  expect(segments.reduce((n, s) => n + s.persons, 0)).toBe(index.persons);
  expect(segments.reduce((n, s) => n + s.share, 0)).toBeCloseTo(1, 9);
  for (const s of segments) {
    expect(s.name).toBe(segmentName(c.centroids_z[s.id]));
    expect(s.meanOrders).toBeGreaterThanOrEqual(1);
    expect(s.meanRfm.recency).toBeGreaterThanOrEqual(1);
  }
  // The repeat buyers' segment is the one whose centroid is furthest above the mean order count.
  const repeat = c.centroids_z
    .map((z: Record<string, number>) => z.s_log_orders)
    .reduce((best: number, v: number, i: number, all: number[]) => (v > all[best] ? i : best), 0);
  expect(segments[repeat].repeatBuyerShare).toBe(Math.max(...segments.map((s) => s.repeatBuyerShare)));
});

test('Order.anomaly for 40 orders: two model runs, levels from the thresholds, reasons with positive effects, largest first', async () => {
  const before = service.runCounts().order_anomaly ?? 0;
  const response = await postQuery<{ orders: { edges: { node: { id: string; anomaly: AnomalyView | null } }[] } }>(
    server.url,
    '{ orders(first: 40, purchasedFrom: "2018-08-01T00:00:00Z") { edges { node { id anomaly { score level reasons explanation { text effect } modelVersion } } } } }',
  );
  expect(response.body.errors).toBeUndefined();
  expect((service.runCounts().order_anomaly ?? 0) - before).toBe(2);
  const { thresholds } = config('order_anomaly');
  const orders = response.body.data!.orders.edges.map((e) => e.node);
  expect(orders).toHaveLength(40);
  for (const { anomaly } of orders) {
    expect(anomaly).not.toBeNull();
    const a = anomaly!;
    expect(a.score).toBeGreaterThan(0);
    expect(a.score).toBeLessThanOrEqual(1);
    expect(a.level).toBe(a.score >= thresholds.high ? 'HIGH' : a.score >= thresholds.medium ? 'MEDIUM' : 'LOW');
    expect(a.reasons).toEqual(a.explanation.map((r) => r.text));
    expect(a.explanation.length).toBeLessThanOrEqual(3);
    const effects = a.explanation.map((r) => r.effect).filter((e): e is number => e !== null);
    for (const effect of effects) expect(effect).toBeGreaterThan(0);
    expect(effects).toEqual([...effects].sort((x, y) => y - x));
    for (const text of a.reasons) expect(text).not.toMatch(/_|NaN|undefined|Infinity/);
    expect(a.modelVersion).toBe('order_anomaly/1');
  }
});

test('without the segments and anomaly models: the fields are null with MODEL_UNAVAILABLE, Query.models says why, siblings answer', async () => {
  const response = await postQuery<{
    users: { edges: { node: { id: string; segment: unknown } }[] };
    orders: { edges: { node: { id: string; status: string; anomaly: unknown } }[] };
    models: { name: string; status: string; error: string | null }[];
  }>(
    bareServer.url,
    '{ users(first: 2) { edges { node { id segment { id } } } } orders(first: 2) { edges { node { id status anomaly { score } } } } models { name status error } }',
  );
  const data = response.body.data!;
  for (const e of data.users.edges) expect(e.node.segment).toBeNull();
  for (const e of data.orders.edges) {
    expect(e.node.status).toBeTruthy();
    expect(e.node.anomaly).toBeNull();
  }
  const errors = response.body.errors!;
  expect(errors).toHaveLength(4);
  expect(new Set(errors.map((e) => e.extensions?.code))).toEqual(new Set(['MODEL_UNAVAILABLE']));
  const byName = Object.fromEntries(data.models.map((m) => [m.name, m]));
  expect(byName.segments).toMatchObject({ status: 'UNAVAILABLE' });
  expect(byName.order_anomaly).toMatchObject({ status: 'UNAVAILABLE' });
  expect(byName.segments.error).toMatch(/no model/);
  const segments = await postQuery<{ segments: unknown }>(bareServer.url, '{ segments { id } }');
  expect(segments.body.data?.segments ?? null).toBeNull();
  expect(segments.body.errors![0].extensions?.code).toBe('MODEL_UNAVAILABLE');
});

test('a partner reads the anomaly of its own orders only (its trusted document); Query.segments is for BI, not for customers', async () => {
  const document = fs.readFileSync(path.join(__dirname, '..', '..', 'partner-operations', 'order-anomaly.graphql'), 'utf8');
  const { store } = await service.ensureFeatures();
  const ordersOf = new Map<string, string[]>();
  for (const [orderId, items] of store.index.snap.items)
    for (const sellerId of new Set(items.map((i) => i.sellerId))) ordersOf.set(sellerId, [...(ordersOf.get(sellerId) ?? []), orderId]);
  const [sellerId, own] = [...ordersOf].find(([, ids]) => ids.length >= 3)!;
  const other = [...store.index.snap.items].find(([, items]) => items.every((i) => i.sellerId !== sellerId))![0];
  const partner = await tokenCredential({ role: 'partner', subject: 'knowledge-test', sellerId });
  const mine = await postQuery<{ order: { id: string; anomaly: { score: number; reasons: string[] } | null } | null }>(
    server.url,
    document,
    { orderId: own[0] },
    partner,
  );
  expect(mine.body.errors).toBeUndefined();
  expect(mine.body.data!.order!.anomaly!.score).toBeGreaterThan(0);
  expect(mine.body.data!.order!.anomaly!.reasons.length).toBeGreaterThan(0);
  const theirs = await postQuery<{ order: unknown }>(server.url, document, { orderId: other }, partner);
  expect(theirs.body.data!.order).toBeNull();

  const bi = await postQuery<{ segments: { id: number }[] }>(
    server.url,
    '{ segments { id } }',
    undefined,
    await tokenCredential({ role: 'bi', subject: 'knowledge-test' }),
  );
  expect(bi.body.errors).toBeUndefined();
  expect(bi.body.data!.segments.length).toBeGreaterThan(1);
  const customer = await postQuery<{ segments: unknown }>(
    server.url,
    '{ segments { id } }',
    undefined,
    await tokenCredential({ role: 'customer', subject: 'a'.repeat(32) }),
  );
  expect(customer.body.errors![0].extensions?.code).toBe('FORBIDDEN');
});
