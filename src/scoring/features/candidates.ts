/**
 * The as-of view the recommender needs beyond FeatureIndex: who bought what before t (for item-kNN
 * cosine over persons' co-purchases), each product's main seller and mean price, and the popularity
 * lists candidate generation draws from (all-time, last 30 days, per state and per category over
 * the last 180 days). Built lazily, once per as-of time, from orders purchased before it.
 */
import type { FeatureIndex } from './feature-index';
import type { ProductProfile, UserProfile } from './context';
import type { SnapSeller } from './snapshot';
import { DAY_MS } from './time';

const TOP = 200;

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

export class AsOfView {
  readonly globalTop: string[];
  readonly recentTop: string[];
  readonly stateTop = new Map<string, string[]>();
  readonly categoryTop = new Map<string, string[]>();
  private readonly buyers = new Map<string, number>();
  private readonly co = new Map<string, Map<string, number>>();
  private readonly users = new Map<string, UserProfile>();
  private readonly products = new Map<string, ProductProfile>();

  /** Computes the view from the index's orders before t; with `packed` (a persisted store of this index and t), reads it back instead. */
  constructor(
    readonly index: FeatureIndex,
    readonly t: number,
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
      sold.ids.forEach((productId, i) => {
        const product = index.snap.products.get(productId) ?? null;
        const sellerId = sold.sellerIds[i];
        const seller = sellerId === null ? null : (index.snap.sellers.get(sellerId) ?? null);
        this.products.set(productId, { productId, product, category: product?.category ?? '?', seller, meanPrice: sold.meanPrices[i] });
      });
      return;
    }
    const all = new Map<string, number>();
    const recent = new Map<string, number>();
    const byState = new Map<string, Map<string, number>>();
    const byCategory = new Map<string, Map<string, number>>();
    const productSellers = new Map<string, Map<string, number>>();
    const priceSum = new Map<string, number>();
    const priceN = new Map<string, number>();
    for (const [personId, orders] of index.ordersByPerson) {
      const distinct = new Set<string>();
      for (const order of orders) {
        if (order.purchase >= t) break;
        const state = index.stateOfAccount(order.customerId);
        for (const item of index.itemsOf(order.orderId)) {
          distinct.add(item.productId);
          bump(all, item.productId);
          if (order.purchase >= t - 30 * DAY_MS) bump(recent, item.productId);
          if (order.purchase >= t - 180 * DAY_MS) {
            let s = byState.get(state);
            if (!s) byState.set(state, (s = new Map()));
            bump(s, item.productId);
            const category = index.snap.products.get(item.productId)?.category ?? '?';
            let c = byCategory.get(category);
            if (!c) byCategory.set(category, (c = new Map()));
            bump(c, item.productId);
          }
          let sellers = productSellers.get(item.productId);
          if (!sellers) productSellers.set(item.productId, (sellers = new Map()));
          bump(sellers, item.sellerId);
          bump(priceSum, item.productId, item.price);
          bump(priceN, item.productId);
        }
      }
      if (distinct.size === 0) continue;
      const products = [...distinct];
      for (const p of products) bump(this.buyers, p);
      if (products.length < 2 || products.length > 50) continue;
      for (const a of products) {
        let row = this.co.get(a);
        if (!row) this.co.set(a, (row = new Map()));
        for (const b of products) if (a !== b) bump(row, b);
      }
      void personId;
    }
    // Every sold product's profile now (the per-seller counts and price sums are not kept).
    for (const [productId, sellers] of productSellers) {
      let seller: SnapSeller | null = null;
      let best = 0;
      for (const [sellerId, n] of sellers) {
        if (n > best) {
          best = n;
          seller = index.snap.sellers.get(sellerId) ?? null;
        }
      }
      const n = priceN.get(productId) ?? 0;
      const product = index.snap.products.get(productId) ?? null;
      this.products.set(productId, { productId, product, category: product?.category ?? '?', seller, meanPrice: n ? (priceSum.get(productId) ?? 0) / n : 0 });
    }
    this.globalTop = topOf(all, TOP);
    this.recentTop = topOf(recent, TOP);
    for (const [state, counts] of byState) this.stateTop.set(state, topOf(counts, TOP));
    for (const [category, counts] of byCategory) this.categoryTop.set(category, topOf(counts, 50));
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
