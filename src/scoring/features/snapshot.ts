/**
 * The scoring features' in-memory, column-light copy of the graph's cleaned data: fusion's bulk path
 * (src/fusion/bulk.ts, the functions the graph's views and Query.dataQuality use) renamed into compact
 * rows with every timestamp as local ms. No cleaning of its own: this file adds only the time cut-off,
 * `truncateSnapshot(asOf)`, the world as it was known at `asOf` (later orders removed, later order
 * events — approval, carrier hand-over, delivery — blanked, reviews kept only when their order was
 * delivered before `asOf`).
 */
import { cleanSources, type CleanData } from '../../fusion';
import type { Sources } from '../../sources';
import { isoLocalMs } from './time';

export interface SnapOrder {
  orderId: string;
  /** The account the order was placed with; personId is the identity graph's person of that account. */
  customerId: string;
  personId: string;
  /** The graph's status, lower-cased (delivered, canceled, …). */
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
  /** The graph's zipPrefix and state (null when the cleaning rules reject the CRM's text). */
  zip: string | null;
  state: string | null;
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
  zip: string | null;
  state: string | null;
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
  /** Zip prefix → [lat, lng]: the graph's location of each zip prefix of the geography reference. */
  geo: Map<string, [number, number]>;
}

/** Reads and cleans every source once through fusion's bulk path (a few seconds for the full Olist data). */
export async function loadSnapshot(sources: Sources): Promise<Snapshot> {
  return snapshotOf(await cleanSources(sources));
}

const num = (value: number | null) => (value === null ? Number.NaN : value);

/**
 * The cleaned data as the feature code reads it: the graph's own values (zip prefixes with leading
 * zeros, validated state codes, measures the catalog rules accept, the identity graph's person, the
 * geography reference's point per zip prefix), renamed into compact rows, timestamps as local ms.
 * Orders the graph rejects (and their rows) are not here; `CleanData.rejected` lists them.
 */
export function snapshotOf(data: CleanData): Snapshot {
  const personOf = (customerId: string) => data.people.linkOf('crm', customerId)?.personId ?? null;
  const accounts = new Map<string, SnapAccount>();
  for (const a of data.accounts.values()) {
    accounts.set(a.customerId, { customerId: a.customerId, personId: personOf(a.customerId) ?? a.personId, zip: a.zipPrefix, state: a.state });
  }
  const orders: SnapOrder[] = data.orders.map((o) => ({
    orderId: o.id,
    customerId: o.customerAccountId,
    personId: accounts.get(o.customerAccountId)!.personId,
    status: o.status.toLowerCase(),
    purchase: isoLocalMs(o.purchasedAt),
    approved: isoLocalMs(o.approvedAt),
    carrier: isoLocalMs(o.carrierAt),
    delivered: isoLocalMs(o.deliveredAt),
    estimated: isoLocalMs(o.estimatedDeliveryAt),
  }));
  const items = new Map<string, SnapItem[]>();
  for (const [orderId, list] of data.items) {
    items.set(
      orderId,
      list.map((i) => ({
        orderId,
        productId: i.productId,
        sellerId: i.sellerId,
        price: i.price,
        freight: i.freight,
        shippingLimit: isoLocalMs(i.shippingLimitAt),
      })),
    );
  }
  const payments = new Map<string, SnapPayment[]>();
  for (const [orderId, list] of data.payments) {
    payments.set(
      orderId,
      list.map((p) => ({ orderId, type: p.type, installments: p.installments, value: p.value })),
    );
  }
  const reviews = new Map<string, number[]>();
  for (const [orderId, list] of data.reviews)
    reviews.set(
      orderId,
      list.map((r) => Number(r.score)),
    );
  const products = new Map<string, SnapProduct>();
  for (const p of data.products.values()) {
    products.set(p.id, {
      productId: p.id,
      category: p.category?.name ?? null,
      nameLength: num(p.nameLength),
      descriptionLength: num(p.descriptionLength),
      photos: num(p.photosCount),
      weightG: num(p.weightGrams),
      volumeCm3: num(p.lengthCm) * num(p.heightCm) * num(p.widthCm),
    });
  }
  const sellers = new Map<string, SnapSeller>();
  for (const s of data.sellers.values()) sellers.set(s.id, { sellerId: s.id, zip: s.zipPrefix, state: s.state });
  // Every zip prefix of the geography reference, not only those named now: an account created live
  // (live-updates.ts) may name a zip prefix no account or seller named when the store was built.
  const geo = new Map<string, [number, number]>();
  for (const place of data.places.values()) if (place.point) geo.set(place.zipPrefix, [place.point.latitude, place.point.longitude]);
  return { orders, items, payments, reviews, accounts, products, sellers, geo };
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
