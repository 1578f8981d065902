/**
 * The as-of view the recommender needs beyond FeatureIndex: who bought what before t (for item-kNN
 * cosine over persons' co-purchases), each product's main seller and mean price, and the popularity
 * lists candidate generation draws from (all-time, last 30 days, per state and per category over
 * the last 180 days). Built lazily, once per as-of time, from orders purchased before it; then kept
 * current by live changes (`goLive`, `recordSale`, `advanceTo`, `personChanged`: live-updates.ts), so
 * it stays equal to the view a store built from sources holding those changes computes.
 */
import type { FeatureIndex } from './feature-index';
import type { ProductProfile, UserProfile } from './context';
import { PopularityTally, type Moved, type Sale } from './popularity';
import type { SnapItem, SnapOrder } from './snapshot';

/** Co-purchases count for persons with this many distinct products at most (and two at least). */
const CO_MAX = 50;
/** A person's walk position in a sale's `seen` key: person rank × this + their item number. */
const PERSON_STRIDE = 2 ** 20;

function topOf(counts: Map<string, number>, n: number): string[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([id]) => id);
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Lists keyed by name, flattened: key k's list is ids[offsets[k] .. offsets[k+1]). */
export interface PackedLists {
  keys: string[];
  offsets: Int32Array;
  ids: string[];
}

/** What an AsOfView computed from the index, in arrays (what a persisted store writes). */
export interface PackedAsOfView {
  globalTop: string[];
  recentTop: string[];
  stateTop: PackedLists;
  categoryTop: PackedLists;
  buyers: { ids: string[]; counts: Int32Array };
  /** Co-purchase counts: row product k's partners are others[offsets[k] .. offsets[k+1]). */
  co: { ids: string[]; offsets: Int32Array; others: string[]; counts: Int32Array };
  /** Every sold product's main seller (null: none known) and mean price. */
  sold: { ids: string[]; sellerIds: (string | null)[]; meanPrices: Float64Array };
}

function packLists(map: ReadonlyMap<string, readonly string[]>): PackedLists {
  const keys = [...map.keys()];
  const offsets = new Int32Array(keys.length + 1);
  keys.forEach((key, k) => (offsets[k + 1] = offsets[k] + map.get(key)!.length));
  return { keys, offsets, ids: keys.flatMap((key) => map.get(key)!) };
}

function unpackLists(packed: PackedLists, into: Map<string, string[]>): void {
  packed.keys.forEach((key, k) => into.set(key, packed.ids.slice(packed.offsets[k], packed.offsets[k + 1])));
}

/** What live changes need beyond the lists: full tallies, each person's walk rank, the orders still after t. */
interface LiveState {
  tally: PopularityTally;
  personRank: Map<string, number>;
  /** Orders the index holds purchased at or after t, by purchase: they join when t passes them. */
  later: SnapOrder[];
  nextLater: number;
}

/** One walk over the index's orders before t: every sale, and the buyers and co-purchase counts. */
interface Walk {
  sales: Sale[];
  buyers: Map<string, number>;
  co: Map<string, Map<string, number>>;
  personRank: Map<string, number>;
  later: SnapOrder[];
}

export class AsOfView {
  globalTop: string[];
  recentTop: string[];
  readonly stateTop = new Map<string, string[]>();
  readonly categoryTop = new Map<string, string[]>();
  private buyers = new Map<string, number>();
  private co = new Map<string, Map<string, number>>();
  private readonly users = new Map<string, UserProfile>();
  private readonly products = new Map<string, ProductProfile>();
  private live: LiveState | null = null;

  /** Computes the view from the index's orders before t; with `packed` (a persisted store of this index and t), reads it back instead. */
  constructor(
    readonly index: FeatureIndex,
    public t: number,
    packed?: PackedAsOfView,
  ) {
    if (packed) {
      this.globalTop = packed.globalTop;
      this.recentTop = packed.recentTop;
      unpackLists(packed.stateTop, this.stateTop);
      unpackLists(packed.categoryTop, this.categoryTop);
      packed.buyers.ids.forEach((id, i) => this.buyers.set(id, packed.buyers.counts[i]));
      const { co } = packed;
      co.ids.forEach((id, k) => {
        const row = new Map<string, number>();
        for (let i = co.offsets[k]; i < co.offsets[k + 1]; i++) row.set(co.others[i], co.counts[i]);
        this.co.set(id, row);
      });
      const { sold } = packed;
      sold.ids.forEach((productId, i) => this.setSold(productId, sold.sellerIds[i], sold.meanPrices[i]));
      return;
    }
    this.adopt(this.walk());
    const { tally } = this.live!;
    this.globalTop = tally.all.top;
    this.recentTop = tally.recent.top;
    for (const [state, ranking] of tally.byState) this.stateTop.set(state, ranking.top);
    for (const [category, ranking] of tally.byCategory) this.categoryTop.set(category, ranking.top);
  }

  private walk(): Walk {
    const { index, t } = this;
    const walk: Walk = { sales: [], buyers: new Map(), co: new Map(), personRank: new Map(), later: [] };
    for (const [personId, orders] of index.ordersByPerson) {
      const rank = walk.personRank.size;
      walk.personRank.set(personId, rank);
      const distinct = new Set<string>();
      let position = 0;
      for (const order of orders) {
        if (order.purchase >= t) {
          walk.later.push(order);
          continue;
        }
        for (const item of index.itemsOf(order.orderId)) {
          distinct.add(item.productId);
          walk.sales.push(this.saleOf(order, item, rank * PERSON_STRIDE + position++));
        }
      }
      if (distinct.size === 0) continue;
      const products = [...distinct];
      for (const p of products) bump(walk.buyers, p);
      if (products.length < 2 || products.length > CO_MAX) continue;
      for (const a of products) {
        let row = walk.co.get(a);
        if (!row) walk.co.set(a, (row = new Map()));
        for (const b of products) if (a !== b) bump(row, b);
      }
    }
    walk.later.sort((a, b) => a.purchase - b.purchase || (a.orderId < b.orderId ? -1 : 1));
    return walk;
  }

  /** Takes a walk's counts as the view's own (the lists and sold profiles of a read-back view are equal to them). */
  private adopt(walk: Walk): void {
    this.buyers = walk.buyers;
    this.co = walk.co;
    const tally = new PopularityTally(this.t, walk.sales);
    this.live = { tally, personRank: walk.personRank, later: walk.later, nextLater: 0 };
    for (const sold of tally.sold()) this.setSold(sold.productId, sold.sellerId, sold.meanPrice);
  }

  /** A sold product's profile, updated in place (row assemblers keep profile objects). */
  private setSold(productId: string, sellerId: string | null, meanPrice: number): void {
    const seller = sellerId === null ? null : (this.index.snap.sellers.get(sellerId) ?? null);
    const profile = this.products.get(productId);
    if (profile) {
      profile.seller = seller;
      profile.meanPrice = meanPrice;
      return;
    }
    const product = this.index.snap.products.get(productId) ?? null;
    this.products.set(productId, { productId, product, category: product?.category ?? '?', seller, meanPrice });
  }

  private saleOf(order: SnapOrder, item: SnapItem, seen: number): Sale {
    return {
      time: order.purchase,
      productId: item.productId,
      sellerId: item.sellerId,
      price: item.price,
      state: this.index.stateOfAccount(order.customerId),
      category: this.index.snap.products.get(item.productId)?.category ?? '?',
      seen,
    };
  }

  /**
   * Makes the view ready for live changes: a read-back view walks the index once (the full tallies are
   * not persisted). Call before the index takes the first change, so the walk sees the state the view shows.
   */
  goLive(): void {
    if (!this.live) this.adopt(this.walk());
  }

  /** A person's profile may have changed (an order, a payment, an account): computed again on next use. */
  personChanged(personId: string): void {
    this.users.delete(personId);
  }

  /** An item the index has just taken, of an order purchased before t (later ones join when t passes them). */
  recordSale(order: SnapOrder, item: SnapItem): void {
    const live = this.requireLive();
    this.personChanged(order.personId);
    if (!(order.purchase < this.t)) return;
    const moved = PopularityTally.moved();
    this.sell(live, order, [item], moved);
    this.publish(live, moved);
  }

  /** Moves the as-of time on (a live purchase): windows slide, orders the index held after the old time join. */
  advanceTo(t: number): void {
    if (!(t > this.t)) return;
    // Walking at the old time and then moving on counts what a walk at t would.
    this.goLive();
    const live = this.requireLive();
    this.t = t;
    const moved = PopularityTally.moved();
    live.tally.advance(t, moved);
    while (live.nextLater < live.later.length && live.later[live.nextLater].purchase < t) {
      const order = live.later[live.nextLater++];
      this.personChanged(order.personId);
      this.sell(live, order, this.index.itemsOf(order.orderId), moved);
    }
    this.publish(live, moved);
  }

  private requireLive(): LiveState {
    if (!this.live) throw new Error('AsOfView: goLive before the index takes live changes');
    return this.live;
  }

  /**
   * Sales of one order (items the index holds, now counted) into the tallies, the products' profiles, and
   * buyers and co-purchases (products new to the buyer: as a build's walk counts the person's products).
   */
  private sell(live: LiveState, order: SnapOrder, sold: readonly SnapItem[], moved: Moved): void {
    const { index } = this;
    let rank = live.personRank.get(order.personId);
    if (rank === undefined) live.personRank.set(order.personId, (rank = live.personRank.size));
    // Where a build's walk meets each sale (ties of main seller), and what the buyer held before these.
    const held = new Map<string, number>();
    let passed = 0;
    let first = -1;
    for (const o of index.ordersBefore(order.personId, this.t)) {
      const items = index.itemsOf(o.orderId);
      if (o === order) first = passed;
      passed += items.length;
      for (const i of items) bump(held, i.productId);
    }
    const items = index.itemsOf(order.orderId);
    for (const item of sold) {
      bump(held, item.productId, -1);
      live.tally.add(this.saleOf(order, item, rank * PERSON_STRIDE + first + items.indexOf(item)), moved);
    }
    for (const item of sold) this.setSold(item.productId, live.tally.mainSeller(item.productId), live.tally.meanPrice(item.productId));
    const before = [...held].filter(([, n]) => n > 0).map(([id]) => id);
    const added = [...new Set(sold.map((i) => i.productId))].filter((id) => !(held.get(id)! > 0));
    if (added.length === 0) return;
    for (const id of added) bump(this.buyers, id);
    const pairs = (ids: readonly string[], by: 1 | -1) => {
      if (ids.length < 2 || ids.length > CO_MAX) return;
      for (const a of ids) for (const b of ids) if (a !== b) this.coAdd(a, b, by);
    };
    const after = [...before, ...added];
    if (before.length < 2 || after.length > CO_MAX) {
      pairs(before, -1);
      pairs(after, 1);
      return;
    }
    // Both in range: the pairs among the products held stay; only those with a new product are counted.
    for (const a of added) {
      for (const b of after) {
        if (a === b) continue;
        this.coAdd(a, b, 1);
        if (!added.includes(b)) this.coAdd(b, a, 1);
      }
    }
  }

  private coAdd(a: string, b: string, by: 1 | -1): void {
    let row = this.co.get(a);
    if (!row) this.co.set(a, (row = new Map()));
    const n = (row.get(b) ?? 0) + by;
    if (n > 0) row.set(b, n);
    else {
      row.delete(b);
      if (row.size === 0) this.co.delete(a);
    }
  }

  /** Copies the top lists a change moved into the view's lists (a list that emptied is dropped, as a build has none). */
  private publish(live: LiveState, moved: Moved): void {
    const { tally } = live;
    if (moved.global) this.globalTop = tally.all.top;
    if (moved.recent) this.recentTop = tally.recent.top;
    const copy = (names: Set<string>, from: Map<string, { top: string[] }>, into: Map<string, string[]>) => {
      for (const name of names) {
        const top = from.get(name)?.top ?? [];
        if (top.length) into.set(name, top);
        else into.delete(name);
      }
    };
    copy(moved.states, tally.byState, this.stateTop);
    copy(moved.categories, tally.byCategory, this.categoryTop);
  }

  /** What the constructor computed (not the per-request caches), in arrays. */
  pack(): PackedAsOfView {
    const coIds = [...this.co.keys()];
    const coOffsets = new Int32Array(coIds.length + 1);
    coIds.forEach((id, k) => (coOffsets[k + 1] = coOffsets[k] + this.co.get(id)!.size));
    const rows = coIds.map((id) => [...this.co.get(id)!]);
    const sold = [...this.products.values()].filter((p) => this.buyers.has(p.productId));
    return {
      globalTop: this.globalTop,
      recentTop: this.recentTop,
      stateTop: packLists(this.stateTop),
      categoryTop: packLists(this.categoryTop),
      buyers: { ids: [...this.buyers.keys()], counts: Int32Array.from(this.buyers.values()) },
      co: {
        ids: coIds,
        offsets: coOffsets,
        others: rows.flatMap((row) => row.map(([other]) => other)),
        counts: Int32Array.from(rows.flatMap((row) => row.map(([, n]) => n))),
      },
      sold: {
        ids: sold.map((p) => p.productId),
        sellerIds: sold.map((p) => p.seller?.sellerId ?? null),
        meanPrices: Float64Array.from(sold, (p) => p.meanPrice),
      },
    };
  }

  /** Cosine between two products over the persons who bought them before t (0 when never co-bought). */
  cosine(a: string, b: string): number {
    const co = this.co.get(a)?.get(b);
    if (!co) return 0;
    return co / Math.sqrt((this.buyers.get(a) ?? 1) * (this.buyers.get(b) ?? 1));
  }

  /** Each product co-bought with `productId` before t, with `cosine(thatProduct, productId)`, in no particular order. */
  *cosinesTo(productId: string): IterableIterator<[string, number]> {
    const row = this.co.get(productId);
    if (row) for (const other of row.keys()) yield [other, this.cosine(other, productId)];
  }

  /** Products co-bought with `productId` before t, best cosine first. */
  neighbours(productId: string, limit: number): { productId: string; score: number }[] {
    const row = this.co.get(productId);
    if (!row) return [];
    return [...row.keys()]
      .map((other) => ({ productId: other, score: this.cosine(productId, other) }))
      .sort((x, y) => y.score - x.score || (x.productId < y.productId ? -1 : 1))
      .slice(0, limit);
  }

  user(personId: string): UserProfile {
    let profile = this.users.get(personId);
    if (profile) return profile;
    const index = this.index;
    const account = index.profileAt(personId, this.t);
    const orders = index.ordersBefore(personId, this.t);
    const bought = new Map<string, [number, number]>();
    const categories = new Map<string, number>();
    const sellers = new Map<string, number>();
    let nItems = 0;
    let priceSum = 0;
    let installments = 0;
    let nPayments = 0;
    for (const order of orders) {
      for (const item of index.itemsOf(order.orderId)) {
        const b = bought.get(item.productId);
        bought.set(item.productId, [(b?.[0] ?? 0) + 1, order.purchase]);
        bump(categories, index.snap.products.get(item.productId)?.category ?? '?');
        bump(sellers, item.sellerId);
        nItems += 1;
        priceSum += item.price;
      }
      for (const payment of index.paymentsOf(order.orderId)) {
        installments += payment.installments;
        nPayments += 1;
      }
    }
    profile = {
      personId,
      account,
      state: account?.state ?? '?',
      point: index.point(account?.zip),
      orders,
      bought,
      categories,
      sellers,
      nItems,
      meanItemPrice: nItems ? priceSum / nItems : 0,
      meanInstallments: nPayments ? installments / nPayments : 0,
    };
    this.users.set(personId, profile);
    return profile;
  }

  product(productId: string): ProductProfile {
    let profile = this.products.get(productId);
    if (profile) return profile;
    // Never sold before t: no main seller, no mean price.
    const product = this.index.snap.products.get(productId) ?? null;
    profile = { productId, product, category: product?.category ?? '?', seller: null, meanPrice: 0 };
    this.products.set(productId, profile);
    return profile;
  }

  /**
   * Candidates for a person, in generation order: their own past products (latest first), item-kNN
   * neighbours of those, popular products of their top categories, then state, trending (30 days)
   * and all-time popularity. Only products sold before t can appear.
   */
  candidates(personId: string, limit: number): string[] {
    const user = this.user(personId);
    const out = new Set<string>();
    const add = (ids: Iterable<string>, cap = Infinity) => {
      let added = 0;
      for (const id of ids) {
        if (out.size >= limit || added >= cap) return;
        if (!out.has(id)) {
          out.add(id);
          added += 1;
        }
      }
    };
    const past = [...user.bought].sort((a, b) => b[1][1] - a[1][1]).map(([id]) => id);
    add(past);
    const neighbourScores = new Map<string, number>();
    for (const p of past) for (const n of this.neighbours(p, 20)) bump(neighbourScores, n.productId, n.score);
    add(topOf(neighbourScores, 30), 30);
    const topCategories = [...user.categories]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([c]) => c);
    for (const category of topCategories) add(this.categoryTop.get(category) ?? [], 10);
    const half = Math.max(10, Math.floor(limit / 3));
    add(this.stateTop.get(user.state) ?? [], half);
    add(this.recentTop, half);
    add(this.globalTop);
    add(this.recentTop);
    add(this.stateTop.get(user.state) ?? []);
    return [...out];
  }
}
