import type { Sources } from '../sources';
import { CategoryDictionary } from './categories';
import { geographyCity, resolveCity, resolveOrderTotal } from './conflicts';
import { accountView, orderItemView, orderView, paymentView, productView, reviewView, sellerView } from './entities';
import { exactKeyMatcher, IdentityGraph } from './identity';
import { multipleReviewsRule, type DataFlag } from './rules';

/**
 * Reconciliation: every source row is accounted for, per table, as
 *   read = served + merged + rejected
 * served: rows the graph shows as an entity of their own; merged: rows folded into another entity
 * (accounts into their person, geography rows into one point per zip prefix); rejected: rows the
 * graph cannot reach (e.g. an item of an unknown order), by reason. flagged counts served rows
 * with at least one flag, and flags are counted per rule (a row may carry several).
 */
export interface TableReconciliation {
  table: string;
  source: string;
  read: number;
  served: number;
  merged: number;
  rejected: number;
  flagged: number;
  flagsByRule: { rule: string; count: number }[];
  rejectionsByReason: { reason: string; count: number }[];
  balanced: boolean;
}

export interface DataQualityReport {
  generatedAt: string;
  tables: TableReconciliation[];
  balanced: boolean;
}

class TableTally {
  private served = 0;
  private merged = 0;
  private flagged = 0;
  private readonly flags = new Map<string, number>();
  private readonly rejections = new Map<string, number>();

  constructor(
    private readonly table: string,
    private readonly source: string,
    private readonly read: number,
  ) {}

  serve(flags: readonly DataFlag[] = []): void {
    this.served += 1;
    if (flags.length > 0) this.flagged += 1;
    for (const flag of flags) this.flags.set(flag.rule, (this.flags.get(flag.rule) ?? 0) + 1);
  }

  merge(count = 1): void {
    this.merged += count;
  }

  reject(reason: string): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }

  result(): TableReconciliation {
    const rejected = [...this.rejections.values()].reduce((sum, count) => sum + count, 0);
    const sorted = (map: Map<string, number>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
    return {
      table: this.table,
      source: this.source,
      read: this.read,
      served: this.served,
      merged: this.merged,
      rejected,
      flagged: this.flagged,
      flagsByRule: sorted(this.flags).map(([rule, count]) => ({ rule, count })),
      rejectionsByReason: sorted(this.rejections).map(([reason, count]) => ({ reason, count })),
      balanced: this.read === this.served + this.merged + rejected,
    };
  }
}

/** Scans every source once, applies every rule and policy, and accounts for every row. */
export async function reconcileSources(sources: Sources): Promise<DataQualityReport> {
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
  const geography = sources.geography.allByPrefix();
  const categories = new CategoryDictionary(translations);
  const geographyRowsOf = (zip: string | null) => (zip === null ? [] : (geography.get(zip) ?? []));

  const customerTally = new TableTally('customers', 'crm', accounts.length);
  const identity = new IdentityGraph([exactKeyMatcher()]);
  for (const record of accounts) {
    const link = identity.add({ system: 'crm', accountId: record.customerId, personKey: record.customerUniqueId });
    const view = accountView(record);
    const city = resolveCity({ source: 'crm', record: view.trace.record, city: view.city }, view.zipPrefix, geographyRowsOf(view.zipPrefix));
    const flags = city.flag ? [...view.trace.flags, city.flag] : view.trace.flags;
    if (identity.accountsOf(link.personId).length === 1) customerTally.serve(flags);
    else customerTally.merge();
  }

  const productTally = new TableTally('products', 'catalog', products.length);
  for (const record of products) productTally.serve(productView(record, categories).trace.flags);

  const sellerTally = new TableTally('sellers', 'catalog', sellers.length);
  for (const record of sellers) {
    const view = sellerView(record);
    const city = resolveCity({ source: 'catalog', record: view.trace.record, city: view.city }, view.zipPrefix, geographyRowsOf(view.zipPrefix));
    sellerTally.serve(city.flag ? [...view.trace.flags, city.flag] : view.trace.flags);
  }

  const translationTally = new TableTally('category_translations', 'catalog', translations.length);
  for (let i = 0; i < translations.length; i += 1) translationTally.serve();

  const accountIds = new Set(accounts.map((a) => a.customerId));
  const productIds = new Set(products.map((p) => p.productId));
  const sellerIds = new Set(sellers.map((s) => s.sellerId));
  const orderIds = new Set(orders.map((o) => o.orderId));
  const itemsByOrder = groupBy(items, (item) => item.orderId);
  const paymentsByOrder = groupBy(payments, (payment) => payment.orderId);
  const reviewCountByOrder = new Map<string, number>();
  for (const review of reviews) reviewCountByOrder.set(review.document.order_id, (reviewCountByOrder.get(review.document.order_id) ?? 0) + 1);

  const orderTally = new TableTally('orders', 'orders', orders.length);
  for (const record of orders) {
    if (!accountIds.has(record.customerId)) {
      orderTally.reject('customer account unknown to the CRM');
      continue;
    }
    const view = orderView(record);
    const total = resolveOrderTotal(
      record.orderId,
      (itemsByOrder.get(record.orderId) ?? []).flatMap((item) => [item.price, item.freightValue]),
      (paymentsByOrder.get(record.orderId) ?? []).map((payment) => payment.paymentValue),
    );
    const multiple = multipleReviewsRule.apply(reviewCountByOrder.get(record.orderId) ?? 0, undefined);
    orderTally.serve([
      ...view.trace.flags,
      ...(total.flag ? [total.flag] : []),
      ...(multiple.flag ? [{ rule: multipleReviewsRule.name, field: 'reviews', message: multiple.flag }] : []),
    ]);
  }

  const itemTally = new TableTally('order_items', 'orders', items.length);
  for (const record of items) {
    if (!orderIds.has(record.orderId)) itemTally.reject('order unknown');
    else if (!productIds.has(record.productId)) itemTally.reject('product unknown to the catalog');
    else if (!sellerIds.has(record.sellerId)) itemTally.reject('seller unknown to the catalog');
    else itemTally.serve(orderItemView(record).trace.flags);
  }

  const paymentTally = new TableTally('order_payments', 'orders', payments.length);
  for (const record of payments) {
    if (!orderIds.has(record.orderId)) paymentTally.reject('order unknown');
    else paymentTally.serve(paymentView(record).trace.flags);
  }

  const reviewTally = new TableTally('reviews', 'reviews', reviews.length);
  for (const stored of reviews) {
    if (!orderIds.has(stored.document.order_id)) reviewTally.reject('order unknown');
    else reviewTally.serve(reviewView(stored).trace.flags);
  }

  let geographyRows = 0;
  for (const rows of geography.values()) geographyRows += rows.length;
  const geographyTally = new TableTally('geolocation', 'geography', geographyRows);
  for (const rows of geography.values()) {
    const usable = rows.filter((row) => Number.isFinite(Number(row.geolocation_lat)) && Number.isFinite(Number(row.geolocation_lng)));
    for (let i = usable.length; i < rows.length; i += 1) geographyTally.reject('coordinates are not numbers');
    if (usable.length === 0) continue;
    geographyTally.serve(geographyCity(usable) === null ? [{ rule: 'city.normalise', field: 'city', message: 'no usable city' }] : []);
    geographyTally.merge(usable.length - 1);
  }

  const tables = [customerTally, productTally, sellerTally, translationTally, orderTally, itemTally, paymentTally, reviewTally, geographyTally].map((tally) =>
    tally.result(),
  );
  return { generatedAt: new Date().toISOString(), tables, balanced: tables.every((table) => table.balanced) };
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(keyOf(row));
    if (group) group.push(row);
    else groups.set(keyOf(row), [row]);
  }
  return groups;
}
