import type { LookupStatsQuery, OrderStatsColumn, OrderStatsFilter, OrderStatsLookups, OrderStatsSqlRow, Sources } from '../../sources';
import { DIMENSION_SOURCES, isFusedDimension, type OrderStatsDimensionName } from './dimensions';
import type { ReferenceMaps } from './reference-maps';

/**
 * Query.orderStats' engine: plans the grouped SQL on the order system, maps keys to other systems'
 * values and re-aggregates exactly (sums and counts carried, never means; persons as key sets).
 * The plan per combination is in docs/analytics.md.
 */
export interface OrderStatsRequest {
  groupBy: readonly OrderStatsDimensionName[];
  /** Equality filters: a group's value must be one of these (graph values: upper-case status, state codes, category names). */
  filter: Partial<Record<OrderStatsDimensionName, readonly string[]>>;
  /** Inclusive, local wall-clock text. */
  purchasedFrom?: string;
  purchasedTo?: string;
  /** Row scope: only this seller's lines, and the orders that have one (a partner). */
  sellerScope?: string;
  /** Compute the review measures (they need each group's order ids). */
  withReviews: boolean;
  /** Read the item sums / payment sums (default: both). */
  measures?: { items: boolean; payments: boolean; delivery?: boolean };
}

/** One group: its values (in groupBy order) and the SQL's carried sums/counts, with persons and reviews; money in integer cents. */
export interface OrderStatsGroupTotals extends Omit<OrderStatsSqlRow, 'keys' | 'accounts'> {
  values: (string | null)[];
  persons: number;
  reviews: number;
  reviewScoreSum: number;
}

/**
 * grouped-sql-with-lookups: the store takes other systems' values as lookup tables and groups everything
 * in SQL (the embedded SQLite store); grouped-sql and per-order-fusion: database servers (docs/analytics.md).
 */
export type OrderStatsPlan = 'grouped-sql-with-lookups' | 'grouped-sql' | 'per-order-fusion';

export interface OrderStatsResult {
  plan: OrderStatsPlan;
  groups: OrderStatsGroupTotals[];
}

const REVIEW_BATCH = 5_000;

/** The filter's order-system values (status, purchase dates, payment types, date range) as the statements take them. */
function ownFilter(request: OrderStatsRequest): OrderStatsFilter {
  const f = request.filter;
  return {
    ...(f.ORDER_STATUS ? { statuses: f.ORDER_STATUS.map((status) => status.toLowerCase()) } : {}),
    ...(f.PURCHASE_DAY ? { purchaseDays: f.PURCHASE_DAY } : {}),
    ...(f.PURCHASE_WEEK ? { purchaseWeeks: f.PURCHASE_WEEK } : {}),
    ...(f.PURCHASE_MONTH ? { purchaseMonths: f.PURCHASE_MONTH } : {}),
    ...(f.PAYMENT_TYPE ? { paymentTypes: f.PAYMENT_TYPE } : {}),
    ...(request.purchasedFrom !== undefined ? { purchasedFrom: request.purchasedFrom } : {}),
    ...(request.purchasedTo !== undefined ? { purchasedTo: request.purchasedTo } : {}),
  };
}

/** Each dimension as the lookup statement's column (the store's own, or the lookup's value). */
const LOOKUP_COLUMNS: Readonly<Record<OrderStatsDimensionName, LookupStatsQuery['groupBy'][number]>> = {
  PURCHASE_DAY: 'purchaseDay',
  PURCHASE_WEEK: 'purchaseWeek',
  PURCHASE_MONTH: 'purchaseMonth',
  ORDER_STATUS: 'status',
  CUSTOMER_STATE: 'customerState',
  SELLER_STATE: 'sellerState',
  PRODUCT_CATEGORY: 'productCategoryEn',
  PRODUCT_CATEGORY_PT: 'productCategoryPt',
  PAYMENT_TYPE: 'paymentType',
  SELLER: 'sellerId',
};

export class OrderStatsEngine {
  constructor(
    private readonly sources: Pick<Sources, 'orders' | 'reviews'>,
    private readonly maps: ReferenceMaps,
  ) {}

  /** Known category names for filter validation: the catalog's (pt) and their English names (en). */
  async categoryNames(): Promise<{ pt: Set<string>; en: Set<string> }> {
    const categories = [...(await this.maps.productCategory()).values()];
    return {
      pt: new Set(categories.flatMap((category) => (category.pt !== null ? [category.pt] : []))),
      en: new Set(categories.flatMap((category) => (category.en !== null ? [category.en] : []))),
    };
  }

  async run(request: OrderStatsRequest): Promise<OrderStatsResult> {
    if (this.sources.orders.groupsWithLookups) return this.withLookups(request);
    const filter = await this.sqlFilter(request);
    const columns = [...new Set(request.groupBy.map((dimension) => DIMENSION_SOURCES[dimension].column))];
    const perOrder = request.withReviews || request.groupBy.some(isFusedDimension);
    const decode = await this.decoders(request.groupBy, columns);
    if (filter === null) return { plan: perOrder ? 'per-order-fusion' : 'grouped-sql', groups: [] };
    return perOrder ? this.perOrder(request, columns, filter, decode) : this.grouped(request, columns, filter, decode);
  }

  /** Every combination as one statement, with the key maps shipped to the store as lookup tables. */
  private async withLookups(request: OrderStatsRequest): Promise<OrderStatsResult> {
    const f = request.filter;
    let sellers: readonly string[] | undefined = request.sellerScope !== undefined ? [request.sellerScope] : undefined;
    if (f.SELLER) sellers = sellers === undefined ? f.SELLER : sellers.filter((id) => f.SELLER!.includes(id));
    if (sellers !== undefined && sellers.length === 0) return { plan: 'grouped-sql-with-lookups', groups: [] };
    const query: LookupStatsQuery = {
      groupBy: request.groupBy.map((dimension) => LOOKUP_COLUMNS[dimension]),
      filter: {
        ...ownFilter(request),
        ...(sellers ? { sellerIds: sellers } : {}),
        ...(f.CUSTOMER_STATE ? { customerStates: f.CUSTOMER_STATE } : {}),
        ...(f.SELLER_STATE ? { sellerStates: f.SELLER_STATE } : {}),
        ...(f.PRODUCT_CATEGORY ? { productCategoriesEn: f.PRODUCT_CATEGORY } : {}),
        ...(f.PRODUCT_CATEGORY_PT ? { productCategoriesPt: f.PRODUCT_CATEGORY_PT } : {}),
      },
      measures: {
        items: request.measures?.items ?? true,
        payments: request.measures?.payments ?? true,
        delivery: request.measures?.delivery ?? true,
        persons: true,
        reviews: request.withReviews,
      },
    };
    const lookups: OrderStatsLookups = {};
    await Promise.all(
      this.sources.orders.lookupsNeeded(query).map(async (table) => {
        if (table === 'accounts') lookups.accounts = await this.maps.accounts();
        if (table === 'sellers') lookups.sellers = await this.maps.sellerState();
        if (table === 'products') lookups.products = await this.maps.productCategory();
        if (table === 'reviews') lookups.reviews = await this.maps.orderReviews();
      }),
    );
    const statusAt = request.groupBy.indexOf('ORDER_STATUS');
    const rows = await this.sources.orders.orderStatsWithLookups(query, lookups);
    return {
      plan: 'grouped-sql-with-lookups',
      groups: rows.map(({ keys, ...totals }) => ({
        ...totals,
        values: statusAt < 0 ? keys : keys.map((key, n) => (n === statusAt ? (key?.toUpperCase() ?? null) : key)),
      })),
    };
  }

  /** Orders-system dimensions only: one grouped statement, plus one for the persons with several accounts. */
  private async grouped(
    request: OrderStatsRequest,
    columns: OrderStatsColumn[],
    filter: OrderStatsFilter,
    decode: (keys: (string | null)[]) => (string | null)[],
  ): Promise<OrderStatsResult> {
    const shared = await this.maps.sharedPersonAccounts();
    const inFilter = filter.customerIds ? new Set(filter.customerIds) : undefined;
    const sharedIds = [...shared.keys()].filter((id) => !inFilter || inFilter.has(id));
    const [rows, sharedRows] = await Promise.all([
      this.sources.orders.orderStats({ groupBy: columns, filter, measures: request.measures }),
      // Only the persons' accounts matter here: no sums.
      sharedIds.length > 0
        ? this.sources.orders.orderStats({
            groupBy: [...columns, 'customerId'],
            filter: { ...filter, customerIds: sharedIds },
            measures: { items: false, payments: false },
          })
        : Promise.resolve([] as OrderStatsSqlRow[]),
    ]);
    // accounts − Σ(accounts of one person in the group − 1) = distinct persons.
    const accountsOfPerson = new Map<string, Map<string, number>>();
    for (const row of sharedRows) {
      const group = JSON.stringify(row.keys.slice(0, columns.length));
      const persons = accountsOfPerson.get(group) ?? new Map<string, number>();
      const person = shared.get(row.keys[columns.length]!)!;
      persons.set(person, (persons.get(person) ?? 0) + 1);
      accountsOfPerson.set(group, persons);
    }
    const groups = rows.map((row) => {
      const folded = [...(accountsOfPerson.get(JSON.stringify(row.keys))?.values() ?? [])].reduce((sum, n) => sum + n - 1, 0);
      return {
        values: decode(row.keys),
        orders: row.orders,
        persons: row.accounts - folded,
        itemsCents: row.itemsCents,
        freightCents: row.freightCents,
        paymentCents: row.paymentCents,
        delivered: row.delivered,
        late: row.late,
        deliveryDays: row.deliveryDays,
        reviews: 0,
        reviewScoreSum: 0,
      };
    });
    return { plan: 'grouped-sql', groups };
  }

  /**
   * A fused dimension or the review measures: the statement groups by the keys and the order, the keys
   * are mapped to values, and each group counts each of its orders once (items add up; an order's
   * payments, delivery and reviews count once per group; persons are a set).
   */
  private async perOrder(
    request: OrderStatsRequest,
    columns: OrderStatsColumn[],
    filter: OrderStatsFilter,
    decode: (keys: (string | null)[]) => (string | null)[],
  ): Promise<OrderStatsResult> {
    const [rows, shared] = await Promise.all([
      this.sources.orders.orderStats({ groupBy: [...columns, 'orderId', 'customerId'], filter, measures: request.measures }),
      this.maps.sharedPersonAccounts(),
    ]);
    interface Building {
      totals: OrderStatsGroupTotals;
      orders: Set<string>;
      persons: Set<string>;
    }
    const groups = new Map<string, Building>();
    for (const row of rows) {
      const values = decode(row.keys.slice(0, columns.length));
      const key = JSON.stringify(values);
      let group = groups.get(key);
      if (!group) {
        group = {
          totals: {
            values,
            orders: 0,
            persons: 0,
            itemsCents: 0,
            freightCents: 0,
            paymentCents: 0,
            delivered: 0,
            late: 0,
            deliveryDays: 0,
            reviews: 0,
            reviewScoreSum: 0,
          },
          orders: new Set(),
          persons: new Set(),
        };
        groups.set(key, group);
      }
      const orderId = row.keys[columns.length]!;
      const customerId = row.keys[columns.length + 1]!;
      group.totals.itemsCents += row.itemsCents;
      group.totals.freightCents += row.freightCents;
      if (group.orders.has(orderId)) continue;
      group.orders.add(orderId);
      group.persons.add(shared.get(customerId) ?? customerId);
      group.totals.paymentCents += row.paymentCents;
      group.totals.delivered += row.delivered;
      group.totals.late += row.late;
      group.totals.deliveryDays += row.deliveryDays;
    }
    if (request.withReviews) await this.addReviews([...groups.values()]);
    return {
      plan: 'per-order-fusion',
      groups: [...groups.values()].map((group) => ({ ...group.totals, orders: group.orders.size, persons: group.persons.size })),
    };
  }

  private async addReviews(groups: { totals: OrderStatsGroupTotals; orders: Set<string> }[]): Promise<void> {
    const orderIds = [...new Set(groups.flatMap((group) => [...group.orders]))];
    const scores = new Map<string, { n: number; sum: number }>();
    for (let start = 0; start < orderIds.length; start += REVIEW_BATCH) {
      const batch = orderIds.slice(start, start + REVIEW_BATCH);
      const reviews = await this.sources.reviews.reviewsByOrderIds(batch);
      batch.forEach((orderId, i) => {
        if (reviews[i].length > 0) scores.set(orderId, { n: reviews[i].length, sum: reviews[i].reduce((sum, r) => sum + r.document.review_score, 0) });
      });
    }
    for (const group of groups) {
      for (const orderId of group.orders) {
        const score = scores.get(orderId);
        if (score) {
          group.totals.reviews += score.n;
          group.totals.reviewScoreSum += score.sum;
        }
      }
    }
  }

  /** Graph values of the filter → the order system's keys; null when the filter can match nothing. */
  private async sqlFilter(request: OrderStatsRequest): Promise<OrderStatsFilter | null> {
    const f = request.filter;
    const filter: OrderStatsFilter = ownFilter(request);
    const keysWith = <V>(map: Map<string, V>, accept: (value: V) => boolean) => [...map].filter(([, value]) => accept(value)).map(([key]) => key);
    const intersect = (a: string[] | undefined, b: string[]) => (a === undefined ? b : a.filter((id) => b.includes(id)));
    let sellers: string[] | undefined = request.sellerScope !== undefined ? [request.sellerScope] : undefined;
    if (f.SELLER) sellers = intersect(sellers, [...f.SELLER]);
    if (f.SELLER_STATE) {
      const states = new Set(f.SELLER_STATE);
      sellers = intersect(
        sellers,
        keysWith(await this.maps.sellerState(), (state) => state !== null && states.has(state)),
      );
    }
    let products: string[] | undefined;
    if (f.PRODUCT_CATEGORY || f.PRODUCT_CATEGORY_PT) {
      const en = f.PRODUCT_CATEGORY ? new Set(f.PRODUCT_CATEGORY) : undefined;
      const pt = f.PRODUCT_CATEGORY_PT ? new Set(f.PRODUCT_CATEGORY_PT) : undefined;
      products = keysWith(
        await this.maps.productCategory(),
        (category) => (!en || (category.en !== null && en.has(category.en))) && (!pt || (category.pt !== null && pt.has(category.pt))),
      );
    }
    let customers: string[] | undefined;
    if (f.CUSTOMER_STATE) {
      const states = new Set(f.CUSTOMER_STATE);
      customers = keysWith(await this.maps.accountState(), (state) => state !== null && states.has(state));
    }
    if ([sellers, products, customers].some((keys) => keys !== undefined && keys.length === 0)) return null;
    return {
      ...filter,
      ...(sellers ? { sellerIds: sellers } : {}),
      ...(products ? { productIds: products } : {}),
      ...(customers ? { customerIds: customers } : {}),
    };
  }

  /** The SQL keys of a row (one per distinct column) → the graph's value of each grouped dimension. */
  private async decoders(groupBy: readonly OrderStatsDimensionName[], columns: OrderStatsColumn[]) {
    const needs = new Set(groupBy.map((dimension) => DIMENSION_SOURCES[dimension].mappedBy));
    const accountState = needs.has('crm-state') ? await this.maps.accountState() : undefined;
    const sellerState = needs.has('catalog-seller-state') ? await this.maps.sellerState() : undefined;
    const categories = needs.has('catalog-category-en') || needs.has('catalog-category-pt') ? await this.maps.productCategory() : undefined;
    const valueOf = groupBy.map((dimension) => {
      const source = DIMENSION_SOURCES[dimension];
      const index = columns.indexOf(source.column);
      switch (source.mappedBy) {
        case 'crm-state':
          return (keys: (string | null)[]) => (keys[index] === null ? null : (accountState!.get(keys[index]!) ?? null));
        case 'catalog-seller-state':
          return (keys: (string | null)[]) => (keys[index] === null ? null : (sellerState!.get(keys[index]!) ?? null));
        case 'catalog-category-en':
          return (keys: (string | null)[]) => (keys[index] === null ? null : (categories!.get(keys[index]!)?.en ?? null));
        case 'catalog-category-pt':
          return (keys: (string | null)[]) => (keys[index] === null ? null : (categories!.get(keys[index]!)?.pt ?? null));
        default:
          return dimension === 'ORDER_STATUS' ? (keys: (string | null)[]) => keys[index]?.toUpperCase() ?? null : (keys: (string | null)[]) => keys[index];
      }
    });
    return (keys: (string | null)[]) => valueOf.map((value) => value(keys));
  }
}
