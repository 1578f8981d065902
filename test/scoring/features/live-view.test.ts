/**
 * The recommendation side of live updates: after a day of change events (2018-08-20: orders, items,
 * payments, accounts, and their later deliveries and reviews) applied live, the as-of view (popularity
 * lists, buyers, co-purchases, sold products' main seller and mean price) and the recommendation
 * candidates and rows of the persons the events touched equal those of a store built from a snapshot that
 * already holds those orders, at the same as-of time. Both ways a serving store comes to be: built from the
 * snapshot, and read back from its packed view (persisted-store.ts), whose view walks the index on its
 * first live change. Also: the as-of time moving alone (windows sliding, later orders joining).
 */
import type { ChangeEvent } from '../../../src/events';
import { applyChange, asOfMs, FeatureStore, loadSnapshot, type AsOfView, type Snapshot } from '../../../src/scoring/features';
import { readHistory } from '../../../src/seed';
import { configFromEnv } from '../../../src/shared';
import { openEmbeddedSources } from '../../../src/sources';
import { olistDatasetDir } from '../../helpers/olist-oracle';

const FROM = '2018-08-20';
const TO = '2018-08-21';

/** The snapshot's orders purchased before `to` (whole: later deliveries and reviews kept), in fresh containers. */
function ordersBefore(snap: Snapshot, to: number): Snapshot {
  const orders = snap.orders.filter((o) => o.purchase < to).map((o) => ({ ...o }));
  const kept = new Set(orders.map((o) => o.orderId));
  const keep = <T>(map: Map<string, T[]>) => new Map([...map].filter(([id]) => kept.has(id)).map(([id, list]) => [id, [...list]]));
  return { ...snap, orders, items: keep(snap.items), payments: keep(snap.payments), reviews: keep(snap.reviews), accounts: new Map(snap.accounts) };
}

function latestPurchase(snap: Snapshot): number {
  return snap.orders.reduce((max, o) => Math.max(max, o.purchase), 0) + 1000;
}

/** The view's content, order-free where the view's maps are (row order of co-purchases, map keys). */
function contentOf(view: AsOfView) {
  const packed = view.pack();
  const lists = (p: typeof packed.stateTop) =>
    p.keys.map((key, k) => [key, p.ids.slice(p.offsets[k], p.offsets[k + 1])] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  const co: string[] = [];
  packed.co.ids.forEach((id, k) => {
    for (let i = packed.co.offsets[k]; i < packed.co.offsets[k + 1]; i++) co.push(`${id}|${packed.co.others[i]}|${packed.co.counts[i]}`);
  });
  return {
    t: view.t,
    globalTop: packed.globalTop,
    recentTop: packed.recentTop,
    stateTop: lists(packed.stateTop),
    categoryTop: lists(packed.categoryTop),
    buyers: packed.buyers.ids.map((id, i) => `${id}|${packed.buyers.counts[i]}`).sort(),
    co: co.sort(),
    sold: packed.sold.ids.map((id, i) => `${id}|${packed.sold.sellerIds[i]}|${packed.sold.meanPrices[i]}`).sort(),
  };
}

/** Candidates and their rows for each person, as numbers (NaN-free: rows are always finite). */
function recommendationsOf(store: FeatureStore, persons: readonly string[]) {
  return persons.map((personId) => {
    const candidates = store.candidatesFor(personId, 100);
    return { personId, candidates, rows: Array.from(store.recommendationRows(personId, candidates)) };
  });
}

describe('live changes keep the recommendation as-of view equal to a rebuild', () => {
  let full: Snapshot;
  let history: ChangeEvent[];
  const cut = asOfMs(FROM);
  const end = asOfMs(TO);

  beforeAll(async () => {
    const sources = await openEmbeddedSources(configFromEnv().dataDir);
    try {
      full = await loadSnapshot(sources);
    } finally {
      await sources.close();
    }
    const known = new Set(full.orders.map((o) => o.orderId));
    // Orders the graph rejects are not in the snapshot (nor in a rebuild): their events are left out.
    history = (await readHistory(olistDatasetDir(), FROM, TO)).filter((e) => e.entity.kind !== 'order' || known.has(e.entity.key));
  }, 300_000);

  /** A serving store over the orders before the cut with its view, template rows and some persons' rows in use. */
  function servingBefore(readBack: boolean, persons: readonly string[]): FeatureStore {
    const snap = ordersBefore(full, cut);
    const built = FeatureStore.fromSnapshot(snap, { asOf: latestPurchase(snap) });
    recommendationsOf(built, persons);
    if (!readBack) return built;
    const restored = new FeatureStore(built.index, built.asOf).withRestored(built.asOfView().pack(), built.productTemplate());
    recommendationsOf(restored, persons);
    return restored;
  }

  it.each([
    ['built from the snapshot', false],
    ['read back from its packed view', true],
  ])(
    'a day of events applied live (%s) gives the view, candidates and rows of a rebuild; again, they change nothing',
    (_, readBack) => {
      // Persons of the day's orders (every 4th: the rows of 100 candidates each are what the test spends its time on), and others.
      const touched = [...new Set(history.flatMap((e) => (e.type === 'order.created' ? [full.accounts.get(e.data.order.customer_id)?.personId ?? ''] : [])))]
        .filter(Boolean)
        .filter((_, i) => i % 4 === 0);
      const bystanders = [...new Set(full.orders.filter((o) => o.purchase < cut).map((o) => o.personId))].slice(0, 20);
      const persons = [...touched, ...bystanders];
      const live = servingBefore(readBack as boolean, persons);
      const before = contentOf(live.asOfView());
      const rowsBefore = recommendationsOf(live, persons);

      const outcomes = { applied: 0, 'already-held': 0, 'unknown-order': 0 };
      for (const event of history) outcomes[applyChange(live, event)] += 1;
      expect(outcomes['unknown-order']).toBe(0);
      expect(outcomes.applied).toBeGreaterThan(1000);
      // The newest purchase moved the as-of time, as a serving store built now would have it.
      const after = ordersBefore(full, end);
      expect(live.asOf).toBe(latestPurchase(after));
      const rebuilt = FeatureStore.fromSnapshot(after, { asOf: live.asOf });

      const liveView = contentOf(live.asOfView());
      expect(liveView).toEqual(contentOf(rebuilt.asOfView()));
      // The day moved the lists and counts (the comparison could fail).
      expect(liveView.recentTop).not.toEqual(before.recentTop);
      expect(liveView.co.length).toBeGreaterThan(before.co.length);
      const rowsLive = recommendationsOf(live, persons);
      expect(rowsLive).toEqual(recommendationsOf(rebuilt, persons));
      expect(rowsLive.filter((r, i) => r.candidates.join() !== rowsBefore[i].candidates.join()).length).toBeGreaterThan(0);

      const again = { applied: 0, 'already-held': 0, 'unknown-order': 0 };
      for (const event of history) again[applyChange(live, event)] += 1;
      expect(again.applied).toBe(0);
      expect(contentOf(live.asOfView())).toEqual(liveView);
    },
    300_000,
  );

  it('the as-of time moving alone slides the 30- and 180-day windows and brings in the orders the index held after it', () => {
    const snap = ordersBefore(full, end);
    const live = FeatureStore.fromSnapshot(snap, { asOf: cut });
    const persons = [...new Set(snap.orders.filter((o) => o.purchase >= cut - 40 * 86_400_000).map((o) => o.personId))].slice(0, 30);
    recommendationsOf(live, persons);
    live.liveView();
    const later = latestPurchase(snap) + 45 * 86_400_000;
    live.advanceTo(later);
    const rebuilt = FeatureStore.fromSnapshot(ordersBefore(full, end), { asOf: later });
    expect(contentOf(live.asOfView())).toEqual(contentOf(rebuilt.asOfView()));
    expect(recommendationsOf(live, persons)).toEqual(recommendationsOf(rebuilt, persons));
  }, 300_000);
});
