import type {
  CategoryTranslationRecord,
  CustomerRecord,
  GeolocationRecord,
  OrderItemRecord,
  OrderPaymentRecord,
  OrderRecord,
  ProductRecord,
  SellerRecord,
  Sources,
  StoredReview,
} from '../sources';
import { CategoryDictionary } from './categories';
import {
  accountView,
  orderItemView,
  orderView,
  paymentView,
  productView,
  reviewView,
  sellerView,
  type AccountView,
  type OrderItemView,
  type OrderView,
  type PaymentView,
  type ProductView,
  type ReviewView,
  type SellerView,
} from './entities';
import { representativePoint, type GeoPoint } from './geography';
import { exactKeyMatcher, IdentityGraph } from './identity';

/**
 * The bulk path: every source row read once and cleaned by the very functions the graph's views use
 * (entities.ts for each record, geography.ts for a zip prefix's point, identity/ for people). Every
 * consumer that needs the whole data set — the reconciliation report (Query.dataQuality) and the
 * scoring snapshot the models are trained and served on — reads this, so what they describe is what
 * the graph answers. A row the graph cannot reach is not dropped silently: it is listed in `rejected`
 * with its reason.
 */
export interface SourceRows {
  accounts: CustomerRecord[];
  products: ProductRecord[];
  sellers: SellerRecord[];
  translations: CategoryTranslationRecord[];
  orders: OrderRecord[];
  items: OrderItemRecord[];
  payments: OrderPaymentRecord[];
  reviews: StoredReview[];
  /** The geography reference, zip prefix → its rows. */
  geography: ReadonlyMap<string, readonly GeolocationRecord[]>;
}

/** Reads every row of every source once (a few seconds for the full Olist data). */
export async function readSourceRows(sources: Sources): Promise<SourceRows> {
  const [accounts, products, sellers, translations, orders, items, payments] = await Promise.all([
    sources.crm.allAccounts(),
    sources.catalog.allProducts(),
    sources.catalog.allSellers(),
    sources.catalog.categoryTranslations(),
    sources.orders.allOrders(),
    sources.orders.allItems(),
    sources.orders.allPayments(),
  ]);
  const reviews = await sources.reviews.all();
  return { accounts, products, sellers, translations, orders, items, payments, reviews, geography: sources.geography.allByPrefix() };
}

/** A zip prefix as the graph shows it: the reference's point (null when no row has coordinates) and its rows. */
export interface Place {
  zipPrefix: string;
  point: GeoPoint | null;
  rows: readonly GeolocationRecord[];
}

export type BulkTable = 'orders' | 'order_items' | 'order_payments' | 'reviews';

/** A source row the graph cannot reach, and why. */
export interface Rejection {
  table: BulkTable;
  record: string;
  reason: string;
}

export interface CleanData {
  read: { [table in BulkTable | 'customers' | 'products' | 'sellers' | 'category_translations']: number };
  categories: CategoryDictionary;
  /** Every CRM account, by account id (persons hold several: `people` says whose). */
  accounts: Map<string, AccountView>;
  /** The identity graph over the CRM accounts (person id = the CRM's customer_unique_id). */
  people: IdentityGraph;
  products: Map<string, ProductView>;
  sellers: Map<string, SellerView>;
  /** Orders the graph serves (their account is known), in source order. */
  orders: OrderView[];
  /** The served items, payments and reviews of each served order, by order id. */
  items: Map<string, OrderItemView[]>;
  payments: Map<string, PaymentView[]>;
  reviews: Map<string, ReviewView[]>;
  /** Every zip prefix of the geography reference. */
  places: Map<string, Place>;
  rejected: Rejection[];
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Cleans every row with the graph's own view functions and accounts for the rows the graph cannot reach. */
export function cleanAll(raw: SourceRows): CleanData {
  const categories = new CategoryDictionary(raw.translations);
  const people = new IdentityGraph([exactKeyMatcher()]);
  const accounts = new Map<string, AccountView>();
  for (const record of raw.accounts) {
    people.add({ system: 'crm', accountId: record.customerId, personKey: record.customerUniqueId });
    accounts.set(record.customerId, accountView(record));
  }
  const products = new Map(raw.products.map((record) => [record.productId, productView(record, categories)]));
  const sellers = new Map(raw.sellers.map((record) => [record.sellerId, sellerView(record)]));

  const rejected: Rejection[] = [];
  const orders: OrderView[] = [];
  for (const record of raw.orders) {
    if (accounts.has(record.customerId)) orders.push(orderView(record));
    else rejected.push({ table: 'orders', record: `orders/${record.orderId}`, reason: 'customer account unknown to the CRM' });
  }
  const servedOrders = new Set(orders.map((order) => order.id));
  const knownOrders = new Set(raw.orders.map((order) => order.orderId));
  /** Why a row of an order cannot be reached (null: it can). */
  const orderProblem = (orderId: string) => (servedOrders.has(orderId) ? null : knownOrders.has(orderId) ? 'order rejected' : 'order unknown');

  const items = new Map<string, OrderItemView[]>();
  for (const record of raw.items) {
    const reason =
      orderProblem(record.orderId) ??
      (!products.has(record.productId) ? 'product unknown to the catalog' : !sellers.has(record.sellerId) ? 'seller unknown to the catalog' : null);
    if (reason !== null) rejected.push({ table: 'order_items', record: `order_items/${record.orderId}/${record.orderItemId}`, reason });
    else push(items, record.orderId, orderItemView(record));
  }
  const payments = new Map<string, PaymentView[]>();
  for (const record of raw.payments) {
    const reason = orderProblem(record.orderId);
    if (reason !== null) rejected.push({ table: 'order_payments', record: `order_payments/${record.orderId}/${record.paymentSequential}`, reason });
    else push(payments, record.orderId, paymentView(record));
  }
  const reviews = new Map<string, ReviewView[]>();
  for (const stored of raw.reviews) {
    const reason = orderProblem(stored.document.order_id);
    if (reason !== null) rejected.push({ table: 'reviews', record: `reviews.jsonl#${stored.line}`, reason });
    else push(reviews, stored.document.order_id, reviewView(stored));
  }

  const places = new Map<string, Place>();
  for (const [zipPrefix, rows] of raw.geography) places.set(zipPrefix, { zipPrefix, point: representativePoint(rows), rows });

  return {
    read: {
      customers: raw.accounts.length,
      products: raw.products.length,
      sellers: raw.sellers.length,
      category_translations: raw.translations.length,
      orders: raw.orders.length,
      order_items: raw.items.length,
      order_payments: raw.payments.length,
      reviews: raw.reviews.length,
    },
    categories,
    accounts,
    people,
    products,
    sellers,
    orders,
    items,
    payments,
    reviews,
    places,
    rejected,
  };
}

/** Reads and cleans every source: `cleanAll(await readSourceRows(sources))`. */
export async function cleanSources(sources: Sources): Promise<CleanData> {
  return cleanAll(await readSourceRows(sources));
}

/** The geography rows of a (cleaned) zip prefix; none for an unknown or invalid one. */
export function placeRows(data: CleanData, zipPrefix: string | null): readonly GeolocationRecord[] {
  return zipPrefix === null ? [] : (data.places.get(zipPrefix)?.rows ?? []);
}
