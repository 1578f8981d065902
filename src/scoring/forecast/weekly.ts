/**
 * Weekly sales series: orders per week, per product and per category, counted from the feature
 * store's snapshot (the sources as the graph shows them: an order's week is the Monday-to-Sunday week
 * of its purchase timestamp in the source's local time, i.e. the date part of Order.purchasedAt).
 * Bought orders only (never canceled or unavailable ones, as for bought-together); an order counts once
 * per product (several lines of one product are one order) and once per category. A series can be scoped
 * to one seller's lines (a partner's view). Only purchases strictly before the as-of time are counted,
 * and only complete weeks: the series end at the week holding the as-of time (the first forecast week).
 */
import { NOT_BOUGHT_STATUSES } from '../bought-together/baskets';
import type { Snapshot } from '../features';
import { DAY_MS, localText } from '../features/time';

export const WEEK_MS = 7 * DAY_MS;
/** Monday 1970-01-05, local ms: week numbers count from it. */
const EPOCH_MONDAY = Date.UTC(1970, 0, 5);

/** The week number (Monday-based) of a local-ms time. */
export function weekOf(localMs: number): number {
  return Math.floor((localMs - EPOCH_MONDAY) / WEEK_MS);
}

/** The local ms of a week's Monday 00:00. */
export function weekStartMs(week: number): number {
  return EPOCH_MONDAY + week * WEEK_MS;
}

/** "YYYY-MM-DD" of a week's Monday. */
export function weekLabel(week: number): string {
  return localText(weekStartMs(week)).slice(0, 10);
}

export type ForecastKind = 'PRODUCT' | 'CATEGORY';

/** What a series counts: a product's or a category's orders, optionally one seller's lines only. */
export interface SeriesScope {
  kind: ForecastKind;
  /** Product id, or the category's catalog (Portuguese) name. */
  id: string;
  /** Only orders with a line of this seller (for this product / category); null: every seller. */
  sellerId: string | null;
}

export function scopeKey(scope: SeriesScope): string {
  return `${scope.kind}\u0001${scope.id}\u0001${scope.sellerId ?? ''}`;
}

export class WeeklySales {
  private constructor(
    /** Series key → the week number of each order counted (sorted). */
    private readonly events: Map<string, number[]>,
    /** The first week with any order in the data. */
    readonly firstWeek: number,
    /** The week holding the as-of time: the first week not in the history (the first forecast week). */
    readonly originWeek: number,
  ) {}

  /** Counts the snapshot's bought orders purchased before `asOf` (local ms). */
  static fromSnapshot(snap: Snapshot, asOf: number): WeeklySales {
    const originWeek = weekOf(asOf);
    const events = new Map<string, number[]>();
    const add = (scope: SeriesScope, week: number) => {
      const key = scopeKey(scope);
      const list = events.get(key);
      if (list) list.push(week);
      else events.set(key, [week]);
    };
    let firstWeek = originWeek;
    for (const order of snap.orders) {
      if (NOT_BOUGHT_STATUSES.has(order.status) || !(order.purchase < asOf)) continue;
      const items = snap.items.get(order.orderId);
      if (!items || items.length === 0) continue;
      const week = weekOf(order.purchase);
      if (week >= originWeek) continue;
      firstWeek = Math.min(firstWeek, week);
      const seen = new Set<string>();
      const once = (scope: SeriesScope) => {
        const key = scopeKey(scope);
        if (seen.has(key)) return;
        seen.add(key);
        add(scope, week);
      };
      for (const item of items) {
        once({ kind: 'PRODUCT', id: item.productId, sellerId: null });
        once({ kind: 'PRODUCT', id: item.productId, sellerId: item.sellerId });
        const category = snap.products.get(item.productId)?.category;
        if (category) {
          once({ kind: 'CATEGORY', id: category, sellerId: null });
          once({ kind: 'CATEGORY', id: category, sellerId: item.sellerId });
        }
      }
    }
    for (const list of events.values()) list.sort((a, b) => a - b);
    return new WeeklySales(events, firstWeek, originWeek);
  }

  /** Every series of one kind, unscoped (all sellers). */
  ids(kind: ForecastKind): string[] {
    const out: string[] = [];
    for (const key of this.events.keys()) {
      const [k, id, seller] = key.split('\u0001');
      if (k === kind && seller === '') out.push(id);
    }
    return out.sort();
  }

  /** Whether the series has any order before the origin. */
  has(scope: SeriesScope): boolean {
    return this.events.has(scopeKey(scope));
  }

  /** Orders per week for weeks firstWeek .. end-1 (default: up to the origin), index 0 = firstWeek. */
  series(scope: SeriesScope, end = this.originWeek): number[] {
    const counts = new Array<number>(Math.max(end - this.firstWeek, 0)).fill(0);
    for (const week of this.events.get(scopeKey(scope)) ?? []) {
      if (week >= end) break;
      counts[week - this.firstWeek]++;
    }
    return counts;
  }

  /** The series through `end` (exclusive) together with the weeks after it, up to the origin (for backtests). */
  actuals(scope: SeriesScope, from: number, weeks: number): number[] {
    const all = this.series(scope, Math.min(from + weeks, this.originWeek));
    return Array.from({ length: weeks }, (_, i) => all[from + i - this.firstWeek] ?? Number.NaN);
  }
}
