/**
 * An in-memory, column-light copy of what the sources hold, read once through their public
 * connectors (no SQL of our own), with every timestamp parsed to local ms. `truncate(asOf)` gives
 * the world as it was known at `asOf`: later orders removed, later order events (approval, carrier
 * hand-over, delivery) blanked, reviews kept only when their order was delivered before `asOf`.
 */
import type { Sources } from '../../sources';
import { localMs } from './time';

export interface SnapOrder {
  orderId: string;
  customerId: string;
  personId: string;
  status: string;
  purchase: number;
  approved: number;
  carrier: number;
  delivered: number;
  estimated: number;
}

export interface SnapItem {
  orderId: string;
  productId: string;
  sellerId: string;
  price: number;
  freight: number;
  shippingLimit: number;
}

export interface SnapPayment {
  orderId: string;
  type: string;
  installments: number;
  value: number;
}

export interface SnapAccount {
  customerId: string;
  personId: string;
  zip: string;
  state: string;
}

export interface SnapProduct {
  productId: string;
  category: string | null;
  nameLength: number;
  descriptionLength: number;
  photos: number;
  weightG: number;
  volumeCm3: number;
}

export interface SnapSeller {
  sellerId: string;
  zip: string;
  state: string;
}

export interface Snapshot {
  orders: SnapOrder[];
  /** Items and payments grouped by order id. */
  items: Map<string, SnapItem[]>;
  payments: Map<string, SnapPayment[]>;
  /**
   * Review scores by order id (every review document of the order). Read only to build FeatureIndex's
   * review series; empty in a store read back from disk (persisted-store.ts).
   */
  reviews: Map<string, number[]>;
  accounts: Map<string, SnapAccount>;
  products: Map<string, SnapProduct>;
  sellers: Map<string, SnapSeller>;
  /** Zip prefix → [lat, lng] (median of the reference rows). */
  geo: Map<string, [number, number]>;
}

const CHUNK = 900;

async function chunked<T>(ids: string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

const num = (value: number | null | undefined) => (value === null || value === undefined ? Number.NaN : value);

/** Reads every source once. Takes a few seconds for the full Olist data. */
export async function loadSnapshot(sources: Sources): Promise<Snapshot> {
  const rawOrders = [];
  let after: { purchaseTimestamp: string; orderId: string } | undefined;
  for (;;) {
    const page = await sources.orders.ordersPage({ limit: 50_000, after });
    rawOrders.push(...page);
    if (page.length < 50_000) break;
    const last = page[page.length - 1];
    after = { purchaseTimestamp: last.purchaseTimestamp, orderId: last.orderId };
  }
  const orderIds = rawOrders.map((o) => o.orderId);
  const customerIds = [...new Set(rawOrders.map((o) => o.customerId))];
  const [itemGroups, paymentGroups, accountRows, reviewGroups] = await Promise.all([
    chunked(orderIds, (chunk) => sources.orders.itemsByOrderIds(chunk)),
    chunked(orderIds, (chunk) => sources.orders.paymentsByOrderIds(chunk)),
    chunked(customerIds, (chunk) => sources.crm.accountsByIds(chunk)),
    sources.reviews.reviewsByOrderIds(orderIds),
  ]);
  const accounts = new Map<string, SnapAccount>();
  for (const a of accountRows) {
    if (a) accounts.set(a.customerId, { customerId: a.customerId, personId: a.customerUniqueId, zip: a.zipCodePrefix, state: a.state });
  }
  const orders: SnapOrder[] = rawOrders.map((o) => ({
    orderId: o.orderId,
    customerId: o.customerId,
    personId: accounts.get(o.customerId)?.personId ?? o.customerId,
    status: o.status,
    purchase: localMs(o.purchaseTimestamp),
    approved: localMs(o.approvedAt),
    carrier: localMs(o.deliveredCarrierDate),
    delivered: localMs(o.deliveredCustomerDate),
    estimated: localMs(o.estimatedDeliveryDate),
  }));
  const items = new Map<string, SnapItem[]>();
  const payments = new Map<string, SnapPayment[]>();
  const reviews = new Map<string, number[]>();
  orderIds.forEach((orderId, i) => {
    if (itemGroups[i].length > 0) {
      items.set(
        orderId,
        itemGroups[i].map((r) => ({
          orderId,
          productId: r.productId,
          sellerId: r.sellerId,
          price: r.price,
          freight: r.freightValue,
          shippingLimit: localMs(r.shippingLimitDate),
        })),
      );
    }
    if (paymentGroups[i].length > 0) {
      payments.set(
        orderId,
        paymentGroups[i].map((r) => ({ orderId, type: r.paymentType, installments: r.paymentInstallments, value: r.paymentValue })),
      );
    }
    if (reviewGroups[i].length > 0)
      reviews.set(
        orderId,
        reviewGroups[i].map((r) => Number(r.document.review_score)),
      );
  });

  const products = new Map<string, SnapProduct>();
  let afterProductId: string | undefined;
  for (;;) {
    const page = await sources.catalog.productsPage({ limit: 50_000, afterProductId });
    for (const p of page) {
      products.set(p.productId, {
        productId: p.productId,
        category: p.categoryName && p.categoryName !== '' ? p.categoryName : null,
        nameLength: num(p.nameLength),
        descriptionLength: num(p.descriptionLength),
        photos: num(p.photosQty),
        weightG: num(p.weightG),
        volumeCm3: num(p.lengthCm) * num(p.heightCm) * num(p.widthCm),
      });
    }
    if (page.length < 50_000) break;
    afterProductId = page[page.length - 1].productId;
  }
  const sellerIds = [...new Set([...items.values()].flatMap((list) => list.map((i) => i.sellerId)))];
  const sellers = new Map<string, SnapSeller>();
  for (const s of await chunked(sellerIds, (chunk) => sources.catalog.sellersByIds(chunk))) {
    if (s) sellers.set(s.sellerId, { sellerId: s.sellerId, zip: s.zipCodePrefix, state: s.state });
  }
  const zips = [...new Set([...[...accounts.values()].map((a) => a.zip), ...[...sellers.values()].map((s) => s.zip)])];
  const geo = new Map<string, [number, number]>();
  const locations = await sources.geography.locationsByZipPrefixes(zips);
  zips.forEach((zip, i) => {
    const point = medianPoint(locations[i].map((r) => [Number(r.geolocation_lat), Number(r.geolocation_lng)]));
    if (point) geo.set(zip, point);
  });
  return { orders, items, payments, reviews, accounts, products, sellers, geo };
}

function medianPoint(points: number[][]): [number, number] | null {
  const ok = points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (ok.length === 0) return null;
  const med = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  return [med(ok.map((p) => p[0])), med(ok.map((p) => p[1]))];
}

/**
 * The snapshot as known at `asOf` (local ms): orders purchased at or after it removed with their
 * items, payments and reviews; order events at or after it blanked; a review kept only when its
 * order was delivered before `asOf` (the scores carry no dates). Catalogue, CRM and geography are
 * reference data and stay whole.
 */
export function truncateSnapshot(snap: Snapshot, asOf: number): Snapshot {
  const known = (ms: number) => (ms < asOf ? ms : Number.NaN);
  const orders = snap.orders
    .filter((o) => o.purchase < asOf)
    .map((o) => ({ ...o, approved: known(o.approved), carrier: known(o.carrier), delivered: known(o.delivered) }));
  const kept = new Set(orders.map((o) => o.orderId));
  const deliveredIds = new Set(orders.filter((o) => !Number.isNaN(o.delivered)).map((o) => o.orderId));
  const keep = <T>(map: Map<string, T>, ids: Set<string>) => new Map([...map].filter(([id]) => ids.has(id)));
  return {
    ...snap,
    orders,
    items: keep(snap.items, kept),
    payments: keep(snap.payments, kept),
    reviews: keep(snap.reviews, deliveredIds),
  };
}
