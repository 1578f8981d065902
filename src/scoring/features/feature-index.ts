/**
 * FeatureIndex: the as-of aggregates every feature reads, built once from a Snapshot. Nothing here
 * is tied to a prediction time; each query names its own `t` and sees only events strictly before it:
 * a sale at its purchase time, a delivery (and its lateness) at its delivery time, a carrier hand-over
 * at its hand-over time, a review at its order's delivery time (the scores carry no dates).
 */
import { EventSeries, lowerBound, type PackedEvents } from './event-series';
import type { SnapAccount, SnapItem, SnapOrder, SnapPayment, Snapshot } from './snapshot';
import { DAY_MS, dayStart } from './time';

export const GLOBAL = '*';

export function isLate(order: SnapOrder): boolean {
  return order.delivered > order.estimated;
}

/** Estimated dates per key, packed like EventSeries: key k's orders are [starts[k], starts[k+1]), by estimated date. */
export interface PackedEstimates {
  keys: string[];
  starts: Int32Array;
  estimated: Float64Array;
  delivered: Float64Array;
}

/** Orders whose estimated date falls in a window, with their delivery time, for "overdue right now" rates. */
class EstimateBook {
  private pending: Map<string, [number, number][]> | null = new Map();
  private readonly slots = new Map<string, number>();
  private packed: PackedEstimates = { keys: [], starts: new Int32Array(1), estimated: new Float64Array(0), delivered: new Float64Array(0) };
  private readonly memo = new Map<string, [number, number]>();
  /** Orders added live (after freezing), per key; their delivery time is read when asked (it changes later). */
  private readonly live = new Map<string, SnapOrder[]>();

  static restore(packed: PackedEstimates): EstimateBook {
    if (packed.starts.length !== packed.keys.length + 1) throw new Error('packed estimates do not match');
    const book = new EstimateBook();
    book.pending = null;
    book.packed = packed;
    packed.keys.forEach((key, k) => book.slots.set(key, k));
    return book;
  }

  add(key: string, estimated: number, delivered: number): void {
    if (!Number.isFinite(estimated)) return;
    if (!this.pending) throw new Error('EstimateBook is frozen');
    let list = this.pending.get(key);
    if (!list) this.pending.set(key, (list = []));
    list.push([estimated, delivered]);
  }

  /** Adds a live order to a frozen book; its delivery is read from the order at query time. */
  append(key: string, order: SnapOrder): void {
    if (!Number.isFinite(order.estimated)) return;
    let list = this.live.get(key);
    if (!list) this.live.set(key, (list = []));
    list.push(order);
    this.memo.clear();
  }

  /** Forgets memoised answers (a live delivery changed one). */
  changed(): void {
    this.memo.clear();
  }

  freeze(): this {
    if (!this.pending) return this;
    const keys = [...this.pending.keys()];
    const starts = new Int32Array(keys.length + 1);
    keys.forEach((key, k) => (starts[k + 1] = starts[k] + this.pending!.get(key)!.length));
    const estimated = new Float64Array(starts[keys.length]);
    const delivered = new Float64Array(starts[keys.length]);
    keys.forEach((key, k) => {
      const list = this.pending!.get(key)!.sort((a, b) => a[0] - b[0]);
      list.forEach(([e, d], i) => {
        estimated[starts[k] + i] = e;
        delivered[starts[k] + i] = d;
      });
      this.slots.set(key, k);
    });
    this.packed = { keys, starts, estimated, delivered };
    this.pending = null;
    return this;
  }

  pack(): PackedEstimates {
    if (this.pending) throw new Error('EstimateBook is not frozen');
    return this.packed;
  }

  /** [due, overdue] at the start of t's day: orders due in the last `days` days, and those not delivered by then. */
  overdue(key: string, t: number, days: number): [number, number] {
    const day = dayStart(t);
    const memoKey = `${key}|${day}|${days}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const k = this.slots.get(key);
    let due = 0;
    let overdue = 0;
    if (k !== undefined) {
      const { starts, estimated, delivered } = this.packed;
      const from = lowerBound(estimated, day - days * DAY_MS, starts[k], starts[k + 1]);
      const to = lowerBound(estimated, day, starts[k], starts[k + 1]);
      for (let i = from; i < to; i++) {
        due += 1;
        if (!(delivered[i] < day)) overdue += 1;
      }
    }
    for (const order of this.live.get(key) ?? []) {
      if (order.estimated >= day - days * DAY_MS && order.estimated < day) {
        due += 1;
        if (!(order.delivered < day)) overdue += 1;
      }
    }
    const result: [number, number] = [due, overdue];
    this.memo.set(memoKey, result);
    return result;
  }
}

/** Every as-of aggregate of a FeatureIndex, packed (what a persisted store writes). */
export interface PackedIndex {
  purchases: PackedEvents;
  sales: PackedEvents;
  deliveries: PackedEvents;
  handling: PackedEvents;
  reviews: PackedEvents;
  estimates: PackedEstimates;
}

export class FeatureIndex {
  readonly orders = new Map<string, SnapOrder>();
  readonly ordersByPerson = new Map<string, SnapOrder[]>();
  /** Each person's account with the lowest id (their profile when no order says otherwise). */
  readonly lowestAccountOfPerson = new Map<string, SnapAccount>();
  /** Purchases: keys GLOBAL and `st:<state>`. */
  readonly purchases: EventSeries;
  /** Item sales: keys `p:<product>`, `ps:<state>|<product>`, `c:<category>`, `cs:<state>|<category>`, `s:<seller>`, `st:<state>`; channel 0 price. */
  readonly sales: EventSeries;
  /** Deliveries at their delivery time: keys GLOBAL, `st:`, `se:`, `rt:<from>><to>`, `c:`; channels [late, days]. */
  readonly deliveries: EventSeries;
  /** Carrier hand-overs per seller, at hand-over time; channel 0 handling days. */
  readonly handling: EventSeries;
  /** Reviews known at their order's delivery: keys `se:`, `p:`, `pe:<person>`; channels [score, low (<=2)]. */
  readonly reviews: EventSeries;
  /** Estimated dates: keys GLOBAL, `st:`, `se:`, `rt:<from>><to>`. */
  readonly estimates: EstimateBook;

  /** Indexes `snap`; with `packed` (a persisted store of the same snapshot) the aggregates are read back, not rebuilt. */
  constructor(
    readonly snap: Snapshot,
    packed?: PackedIndex,
  ) {
    for (const account of snap.accounts.values()) {
      const lowest = this.lowestAccountOfPerson.get(account.personId);
      if (!lowest || account.customerId < lowest.customerId) this.lowestAccountOfPerson.set(account.personId, account);
    }
    const sorted = [...snap.orders].sort((a, b) => a.purchase - b.purchase || (a.orderId < b.orderId ? -1 : 1));
    for (const order of sorted) {
      this.orders.set(order.orderId, order);
      const list = this.ordersByPerson.get(order.personId);
      if (list) list.push(order);
      else this.ordersByPerson.set(order.personId, [order]);
    }
    if (packed) {
      this.purchases = EventSeries.restore(0, packed.purchases);
      this.sales = EventSeries.restore(1, packed.sales);
      this.deliveries = EventSeries.restore(2, packed.deliveries);
      this.handling = EventSeries.restore(1, packed.handling);
      this.reviews = EventSeries.restore(2, packed.reviews);
      this.estimates = EstimateBook.restore(packed.estimates);
      return;
    }
    this.purchases = new EventSeries(0);
    this.sales = new EventSeries(1);
    this.deliveries = new EventSeries(2);
    this.handling = new EventSeries(1);
    this.reviews = new EventSeries(2);
    this.estimates = new EstimateBook();
    for (const order of sorted) {
      const state = this.stateOfAccount(order.customerId);
      const items = this.itemsOf(order.orderId);
      this.purchases.add(GLOBAL, order.purchase);
      this.purchases.add(`st:${state}`, order.purchase);
      for (const item of items) {
        const product = snap.products.get(item.productId);
        const category = product?.category ?? '?';
        this.sales.add(`p:${item.productId}`, order.purchase, item.price);
        this.sales.add(`ps:${state}|${item.productId}`, order.purchase, item.price);
        this.sales.add(`c:${category}`, order.purchase, item.price);
        this.sales.add(`cs:${state}|${category}`, order.purchase, item.price);
        this.sales.add(`s:${item.sellerId}`, order.purchase, item.price);
        this.sales.add(`st:${state}`, order.purchase, item.price);
      }
      const sellerIds = [...new Set(items.map((i) => i.sellerId))];
      this.estimates.add(GLOBAL, order.estimated, order.delivered);
      this.estimates.add(`st:${state}`, order.estimated, order.delivered);
      for (const sellerId of sellerIds) {
        this.estimates.add(`se:${sellerId}`, order.estimated, order.delivered);
        this.estimates.add(`rt:${snap.sellers.get(sellerId)?.state ?? '?'}>${state}`, order.estimated, order.delivered);
      }
      if (Number.isFinite(order.carrier)) {
        for (const sellerId of sellerIds) this.handling.add(`se:${sellerId}`, order.carrier, (order.carrier - order.purchase) / DAY_MS);
      }
      if (Number.isFinite(order.delivered) && Number.isFinite(order.estimated)) {
        const late = isLate(order) ? 1 : 0;
        const days = (order.delivered - order.purchase) / DAY_MS;
        this.deliveries.add(GLOBAL, order.delivered, late, days);
        this.deliveries.add(`st:${state}`, order.delivered, late, days);
        const categories = new Set(items.map((i) => snap.products.get(i.productId)?.category ?? '?'));
        for (const category of categories) this.deliveries.add(`c:${category}`, order.delivered, late, days);
        for (const sellerId of sellerIds) {
          this.deliveries.add(`se:${sellerId}`, order.delivered, late, days);
          this.deliveries.add(`rt:${snap.sellers.get(sellerId)?.state ?? '?'}>${state}`, order.delivered, late, days);
        }
        for (const score of snap.reviews.get(order.orderId) ?? []) {
          const low = score <= 2 ? 1 : 0;
          for (const sellerId of sellerIds) this.reviews.add(`se:${sellerId}`, order.delivered, score, low);
          for (const productId of new Set(items.map((i) => i.productId))) this.reviews.add(`p:${productId}`, order.delivered, score, low);
          this.reviews.add(`pe:${order.personId}`, order.delivered, score, low);
        }
      }
    }
    this.purchases.freeze();
    this.sales.freeze();
    this.deliveries.freeze();
    this.handling.freeze();
    this.reviews.freeze();
    this.estimates.freeze();
  }

  /** The as-of aggregates, packed. */
  pack(): PackedIndex {
    return {
      purchases: this.purchases.pack(),
      sales: this.sales.pack(),
      deliveries: this.deliveries.pack(),
      handling: this.handling.pack(),
      reviews: this.reviews.pack(),
      estimates: this.estimates.pack(),
    };
  }

  private readonly memos = new Map<string, number>();

  /** Live changes taken so far: what is computed once per state of the index (template rows) is stamped with it. */
  revision = 0;

  /** Forgets every memoised aggregate (after a live change; see live-updates.ts). */
  forgetMemos(): void {
    this.revision += 1;
    this.memos.clear();
    this.estimates.changed();
  }

  /** A number computed once per key (for aggregates many rows share, e.g. per as-of time). */
  memo(key: string, compute: () => number): number {
    let value = this.memos.get(key);
    if (value === undefined) this.memos.set(key, (value = compute()));
    return value;
  }

  itemsOf(orderId: string): SnapItem[] {
    return this.snap.items.get(orderId) ?? [];
  }

  paymentsOf(orderId: string): SnapPayment[] {
    return this.snap.payments.get(orderId) ?? [];
  }

  stateOfAccount(customerId: string): string {
    return this.snap.accounts.get(customerId)?.state ?? '?';
  }

  /** A person's orders purchased strictly before t (oldest first). */
  ordersBefore(personId: string, t: number): SnapOrder[] {
    const list = this.ordersByPerson.get(personId) ?? [];
    let n = 0;
    while (n < list.length && list[n].purchase < t) n++;
    return list.slice(0, n);
  }

  /**
   * The CRM profile a person is known by at t: the account of their first order before t, else
   * their lowest account id (CRM profiles are reference data, known whenever the person asks).
   */
  profileAt(personId: string, t: number): SnapAccount | null {
    const first = this.ordersBefore(personId, t)[0];
    if (first) return this.snap.accounts.get(first.customerId) ?? null;
    return this.lowestAccountOfPerson.get(personId) ?? null;
  }

  point(zip: string | null | undefined): [number, number] | null {
    return zip === undefined || zip === null ? null : (this.snap.geo.get(zip) ?? null);
  }
}

export function haversineKm(a: [number, number] | null, b: [number, number] | null): number {
  if (!a || !b) return Number.NaN;
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLng = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
