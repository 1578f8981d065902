/**
 * No leakage: a sample's features, recomputed from a world where everything after the prediction
 * time is removed (later orders gone, later deliveries/hand-overs blanked, reviews of orders not yet
 * delivered dropped), are identical to the features the full-data store computes.
 */
import { DELIVERY_FEATURES, FeatureStore, loadSnapshot, localMs, rng, truncateSnapshot, type Snapshot } from '../../../src/scoring/features';
import type { Sources } from '../../../src/sources';
import { openSeededSources } from '../../helpers/seeded-sources';

describe('features use only what was known at prediction time', () => {
  let sources: Sources;
  let snap: Snapshot;
  let full: FeatureStore;

  beforeAll(async () => {
    ({ sources } = await openSeededSources());
    snap = await loadSnapshot(sources);
    full = FeatureStore.fromSnapshot(snap);
  }, 180_000);

  afterAll(async () => {
    await sources?.close();
  });

  function sampleOrders(n: number, seed: number) {
    const random = rng(seed);
    const delivered = snap.orders.filter(
      (o) => Number.isFinite(o.delivered) && o.purchase >= localMs('2017-06-01 00:00:00') && (snap.items.get(o.orderId)?.length ?? 0) > 0,
    );
    return Array.from({ length: n }, () => delivered[Math.floor(random() * delivered.length)]);
  }

  it('delivery-risk rows: full data == data cut at the purchase time', () => {
    for (const order of sampleOrders(5, 11)) {
      const cut = order.purchase + 1000;
      const past = FeatureStore.fromSnapshot(truncateSnapshot(snap, cut), { asOf: cut });
      const truncatedOrder = past.index.orders.get(order.orderId)!;
      expect(Number.isNaN(truncatedOrder.delivered)).toBe(true);
      expect(Array.from(past.deliveryRiskRow(order.orderId))).toEqual(Array.from(full.deliveryRiskRow(order.orderId)));
    }
  }, 180_000);

  it('recommendation rows and candidates: full data == data cut at the as-of time', () => {
    const asOf = '2018-06-01';
    const cut = localMs('2018-06-01 00:00:00');
    const present = full.at(asOf);
    const past = FeatureStore.fromSnapshot(truncateSnapshot(snap, cut), { asOf });
    const random = rng(5);
    const later = snap.orders.filter((o) => o.purchase >= cut && o.purchase < cut + 60 * 86_400_000);
    const returning = [...new Set(later.map((o) => o.personId))].filter((p) => present.index.ordersBefore(p, cut).length > 0);
    const persons = [...returning.slice(0, 15), ...Array.from({ length: 10 }, () => later[Math.floor(random() * later.length)].personId)];
    for (const personId of persons) {
      const candidates = present.candidatesFor(personId, 60);
      expect(past.candidatesFor(personId, 60)).toEqual(candidates);
      expect(Array.from(past.recommendationRows(personId, candidates))).toEqual(Array.from(present.recommendationRows(personId, candidates)));
    }
  }, 180_000);

  it('the check has power: cutting a month earlier changes the features', () => {
    const orders = sampleOrders(5, 12);
    let differing = 0;
    for (const order of orders) {
      const early = order.purchase - 30 * 86_400_000;
      const snapEarly = truncateSnapshot(snap, early);
      // keep the order itself (with its items and payments) so its row can be computed
      snapEarly.orders.push({ ...order, approved: NaN, carrier: NaN, delivered: NaN });
      snapEarly.items.set(order.orderId, snap.items.get(order.orderId)!);
      snapEarly.payments.set(order.orderId, snap.payments.get(order.orderId) ?? []);
      const past = FeatureStore.fromSnapshot(snapEarly, { asOf: order.purchase + 1000 });
      const a = past.deliveryRiskRow(order.orderId);
      const b = full.deliveryRiskRow(order.orderId);
      if (DELIVERY_FEATURES.some((_, j) => a[j] !== b[j])) differing += 1;
    }
    expect(differing).toBe(orders.length);
  }, 180_000);
});
