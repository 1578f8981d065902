/**
 * The sales tallies behind the as-of view's popularity lists and sold-product profiles, kept as full
 * counts so that a live sale (or the as-of time moving on) updates them in place: all-time, last 30 days,
 * per state and per category over the last 180 days (Rankings), each product's sales per seller (main
 * seller: most sales, ties to the seller first met in the view's walk order) and price sum in cents
 * (exact, so a mean does not depend on the order sales arrive in). The windows' sales wait in time order
 * and leave their windows when `advance` moves the as-of time past them.
 */
import { Ranking } from './ranking';
import { DAY_MS } from './time';

export const TOP = 200;
export const CATEGORY_TOP = 50;
const RECENT_MS = 30 * DAY_MS;
const REGIONAL_MS = 180 * DAY_MS;

export interface Sale {
  time: number;
  productId: string;
  sellerId: string;
  price: number;
  state: string;
  category: string;
  /** Where the view's walk (persons in index order, then their orders and items) meets this sale: ties of main seller go to the lowest. */
  seen: number;
}

interface SellerTally {
  n: number;
  seen: number;
}

/** The keys whose top list a change moved: what the view copies out after an event. */
export interface Moved {
  global: boolean;
  recent: boolean;
  states: Set<string>;
  categories: Set<string>;
}

export class PopularityTally {
  readonly all: Ranking;
  readonly recent: Ranking;
  readonly byState = new Map<string, Ranking>();
  readonly byCategory = new Map<string, Ranking>();
  private readonly sellers = new Map<string, Map<string, SellerTally>>();
  private readonly cents = new Map<string, { sum: number; n: number }>();
  /** Sales by time: [0, regionalFrom) have left the 180-day window, [0, recentFrom) the 30-day one. */
  private window: Sale[] = [];
  private regionalFrom = 0;
  private recentFrom = 0;

  /** `sales`: every sale before t, in the view's walk order. */
  constructor(
    public t: number,
    sales: Iterable<Sale>,
  ) {
    const all = new Map<string, number>();
    const recent = new Map<string, number>();
    const byState = new Map<string, Map<string, number>>();
    const byCategory = new Map<string, Map<string, number>>();
    for (const sale of sales) {
      bump(all, sale.productId);
      if (sale.time >= t - RECENT_MS) bump(recent, sale.productId);
      if (sale.time >= t - REGIONAL_MS) {
        bump(inner(byState, sale.state), sale.productId);
        bump(inner(byCategory, sale.category), sale.productId);
        this.window.push(sale);
      }
      this.tallySeller(sale);
    }
    this.window.sort((a, b) => a.time - b.time);
    while (this.recentFrom < this.window.length && this.window[this.recentFrom].time < t - RECENT_MS) this.recentFrom++;
    this.all = new Ranking(all, TOP);
    this.recent = new Ranking(recent, TOP);
    for (const [state, counts] of byState) this.byState.set(state, new Ranking(counts, TOP));
    for (const [category, counts] of byCategory) this.byCategory.set(category, new Ranking(counts, CATEGORY_TOP));
  }

  static moved(): Moved {
    return { global: false, recent: false, states: new Set(), categories: new Set() };
  }

  /** Products sold before t, each with its main seller id and mean price. */
  *sold(): IterableIterator<{ productId: string; sellerId: string | null; meanPrice: number }> {
    for (const productId of this.sellers.keys()) yield { productId, sellerId: this.mainSeller(productId), meanPrice: this.meanPrice(productId) };
  }

  mainSeller(productId: string): string | null {
    let best: string | null = null;
    let top: SellerTally | null = null;
    for (const [sellerId, tally] of this.sellers.get(productId) ?? []) {
      if (!top || tally.n > top.n || (tally.n === top.n && tally.seen < top.seen)) {
        best = sellerId;
        top = tally;
      }
    }
    return best;
  }

  meanPrice(productId: string): number {
    const c = this.cents.get(productId);
    return c && c.n ? c.sum / c.n / 100 : 0;
  }

  /** A sale before t joins every tally (and its windows when recent enough). */
  add(sale: Sale, moved: Moved): void {
    if (!(sale.time < this.t)) throw new Error('PopularityTally: a sale at or after the as-of time');
    if (this.all.add(sale.productId, 1)) moved.global = true;
    if (sale.time >= this.t - REGIONAL_MS) {
      this.regional(sale, 1, moved);
      let at = this.window.length;
      while (at > this.regionalFrom && this.window[at - 1].time > sale.time) at--;
      this.window.splice(at, 0, sale);
      if (sale.time >= this.t - RECENT_MS) {
        if (this.recent.add(sale.productId, 1)) moved.recent = true;
      } else this.recentFrom++;
    }
    this.tallySeller(sale);
  }

  /** Moves the as-of time on: sales older than 30 (180) days leave the recent (state, category) lists. */
  advance(t: number, moved: Moved): void {
    if (!(t > this.t)) return;
    this.t = t;
    const window = this.window;
    while (this.recentFrom < window.length && window[this.recentFrom].time < t - RECENT_MS) {
      if (this.recent.add(window[this.recentFrom].productId, -1)) moved.recent = true;
      this.recentFrom++;
    }
    while (this.regionalFrom < window.length && window[this.regionalFrom].time < t - REGIONAL_MS) this.regional(window[this.regionalFrom++], -1, moved);
    // Sales gone from both windows are dropped now and then, not per event (no copy of the window per event).
    if (this.regionalFrom > 4096 && this.regionalFrom * 2 > window.length) {
      this.window = window.slice(this.regionalFrom);
      this.recentFrom -= this.regionalFrom;
      this.regionalFrom = 0;
    }
  }

  private regional(sale: Sale, by: 1 | -1, moved: Moved): void {
    const state = rankingOf(this.byState, sale.state, TOP);
    if (state.add(sale.productId, by)) moved.states.add(sale.state);
    const category = rankingOf(this.byCategory, sale.category, CATEGORY_TOP);
    if (category.add(sale.productId, by)) moved.categories.add(sale.category);
  }

  private tallySeller(sale: Sale): void {
    let sellers = this.sellers.get(sale.productId);
    if (!sellers) this.sellers.set(sale.productId, (sellers = new Map()));
    const tally = sellers.get(sale.sellerId);
    if (tally) {
      tally.n += 1;
      tally.seen = Math.min(tally.seen, sale.seen);
    } else sellers.set(sale.sellerId, { n: 1, seen: sale.seen });
    const cents = this.cents.get(sale.productId);
    const c = Math.round(sale.price * 100);
    if (cents) {
      cents.sum += c;
      cents.n += 1;
    } else this.cents.set(sale.productId, { sum: c, n: 1 });
  }
}

function rankingOf(map: Map<string, Ranking>, key: string, size: number): Ranking {
  let ranking = map.get(key);
  if (!ranking) map.set(key, (ranking = new Ranking(new Map(), size)));
  return ranking;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function inner(map: Map<string, Map<string, number>>, key: string): Map<string, number> {
  let m = map.get(key);
  if (!m) map.set(key, (m = new Map()));
  return m;
}
