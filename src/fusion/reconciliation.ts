import type { Sources } from '../sources';
import { cleanSources, placeRows, type BulkTable, type CleanData } from './bulk';
import { geographyCity, resolveCity, resolveOrderTotal } from './conflicts';
import type { AccountView, SellerView, Traced } from './entities';
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

/** Scans every source once through the bulk path, applies every rule and policy, and accounts for every row. */
export async function reconcileSources(sources: Sources): Promise<DataQualityReport> {
  return reconcile(await cleanSources(sources));
}

/** The reconciliation report of the cleaned data: each table's served, merged and rejected rows and their flags. */
export function reconcile(data: CleanData): DataQualityReport {
  const rejected = (table: BulkTable, tally: TableTally) => {
    for (const rejection of data.rejected) if (rejection.table === table) tally.reject(rejection.reason);
  };
  const withCity = (view: AccountView | SellerView) => {
    const city = resolveCity({ source: view.trace.source, record: view.trace.record, city: view.city }, view.zipPrefix, placeRows(data, view.zipPrefix));
    return city.flag ? [...view.trace.flags, city.flag] : view.trace.flags;
  };

  const customerTally = new TableTally('customers', 'crm', data.read.customers);
  for (const view of data.accounts.values()) {
    const flags = withCity(view);
    // A person's first account is served as the person; the others are merged into it.
    if (data.people.accountsOf(view.personId)[0]?.accountId === view.customerId) customerTally.serve(flags);
    else customerTally.merge();
  }

  const productTally = new TableTally('products', 'catalog', data.read.products);
  for (const view of data.products.values()) productTally.serve(view.trace.flags);

  const sellerTally = new TableTally('sellers', 'catalog', data.read.sellers);
  for (const view of data.sellers.values()) sellerTally.serve(withCity(view));

  const translationTally = new TableTally('category_translations', 'catalog', data.read.category_translations);
  for (let i = 0; i < data.read.category_translations; i += 1) translationTally.serve();

  const orderTally = new TableTally('orders', 'orders', data.read.orders);
  rejected('orders', orderTally);
  for (const view of data.orders) {
    const total = resolveOrderTotal(
      view.id,
      (data.items.get(view.id) ?? []).flatMap((item) => [item.price, item.freight]),
      (data.payments.get(view.id) ?? []).map((payment) => payment.value),
    );
    const multiple = multipleReviewsRule.apply(data.reviews.get(view.id)?.length ?? 0, undefined);
    orderTally.serve([
      ...view.trace.flags,
      ...(total.flag ? [total.flag] : []),
      ...(multiple.flag ? [{ rule: multipleReviewsRule.name, field: 'reviews', message: multiple.flag }] : []),
    ]);
  }

  const served = <T extends Traced>(table: BulkTable, groups: Map<string, T[]>) => {
    const tally = new TableTally(table, table === 'reviews' ? 'reviews' : 'orders', data.read[table]);
    rejected(table, tally);
    for (const group of groups.values()) for (const view of group) tally.serve(view.trace.flags);
    return tally;
  };
  const itemTally = served('order_items', data.items);
  const paymentTally = served('order_payments', data.payments);
  const reviewTally = served('reviews', data.reviews);

  let geographyRows = 0;
  for (const place of data.places.values()) geographyRows += place.rows.length;
  const geographyTally = new TableTally('geolocation', 'geography', geographyRows);
  for (const { rows } of data.places.values()) {
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
