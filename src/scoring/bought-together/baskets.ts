/**
 * The purchases the bought-together rules are mined from: one record per order, with the person
 * who placed it (identity-resolved: customer_unique_id through the CRM account) and its distinct
 * products. Read from the feature store's snapshot (the sources are not read a second time); only
 * orders purchased strictly before the as-of time, and never canceled or unavailable ones (nothing
 * was bought).
 */
import type { Snapshot } from '../features';

export interface Purchase {
  orderId: string;
  /** The person (User.id), not the per-order CRM account. */
  personId: string;
  /** Purchase time, local ms (see features/time.ts). */
  t: number;
  /** Distinct products of the order. */
  productIds: readonly string[];
}

/** Orders that bought nothing: never a basket. */
export const NOT_BOUGHT_STATUSES: ReadonlySet<string> = new Set(['canceled', 'unavailable']);

/** Every order of the snapshot with at least one item and a bought status, by purchase time (then id). */
export function purchasesFromSnapshot(snap: Snapshot): Purchase[] {
  const out: Purchase[] = [];
  for (const order of snap.orders) {
    if (NOT_BOUGHT_STATUSES.has(order.status) || !Number.isFinite(order.purchase)) continue;
    const items = snap.items.get(order.orderId);
    if (!items || items.length === 0) continue;
    out.push({ orderId: order.orderId, personId: order.personId, t: order.purchase, productIds: [...new Set(items.map((i) => i.productId))] });
  }
  return out.sort((a, b) => a.t - b.t || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
}

/** Raw category name of every catalogue product (null when the catalogue has none). */
export function categoriesFromSnapshot(snap: Snapshot): Map<string, string | null> {
  return new Map([...snap.products.values()].map((p) => [p.productId, p.category]));
}

/** The purchases known at `asOf` (local ms): purchased strictly before it. */
export function purchasesBefore(purchases: readonly Purchase[], asOf: number): Purchase[] {
  return purchases.filter((p) => p.t < asOf);
}
