/**
 * The grouped SQL behind Query.orderStats on the embedded SQLite order store: the fact tables
 * (order-stats-facts.sql.ts) joined with lookup tables that hold other systems' cleaned values for the
 * order system's keys (an account's person and state, a seller's state, a product's category names, an
 * order's review score sums). The lookups are filled by the gateway (fusion decides the values) into
 * TEMP tables of the statistics connection, so grouping and filtering by them, distinct persons and
 * review means all run in SQL: one statement per query, one row per group back.
 *
 * The membership rule is the one of order-stats.sql.ts: lines are restricted to the group's line values
 * (seller, seller state, category), payments to its payment type, and order-level facts count once per
 * (order, group).
 */
import type { OrderStatsColumn, OrderStatsFilter, OrderStatsSqlRow } from './order-stats.sql';
import { idList, orderStatsRow } from './order-stats.sql';
import { LINE_FACTS, ORDER_FACTS, PAYMENT_FACTS } from './order-stats-facts.sql';

/** Other systems' values for the order system's keys, as lookup tables. */
export type LookupColumn = 'customerState' | 'sellerState' | 'productCategoryEn' | 'productCategoryPt';
export type LookupTable = 'accounts' | 'sellers' | 'products' | 'reviews';

export interface OrderStatsLookups {
  /** CRM account → its person (identity-resolved) and cleaned state. */
  accounts?: ReadonlyMap<string, { personId: string; state: string | null }>;
  /** Seller → cleaned state. */
  sellers?: ReadonlyMap<string, string | null>;
  /** Product → category names (English, Portuguese), null where the graph shows null. */
  products?: ReadonlyMap<string, { en: string | null; pt: string | null }>;
  /** Order → its reviews' count and score sum (orders without a review absent). */
  reviews?: ReadonlyMap<string, { n: number; sum: number }>;
}

export interface LookupStatsQuery {
  groupBy: readonly (Exclude<OrderStatsColumn, 'orderId' | 'customerId' | 'productId'> | LookupColumn)[];
  filter: Omit<OrderStatsFilter, 'productIds'> & {
    customerStates?: readonly string[];
    sellerStates?: readonly string[];
    productCategoriesEn?: readonly string[];
    productCategoriesPt?: readonly string[];
  };
  /** What to sum (a measure not asked for reads as 0). */
  measures: { items: boolean; payments: boolean; delivery: boolean; persons: boolean; reviews: boolean };
}

/** One group: carried sums and counts (never means), money in integer cents; persons identity-resolved. */
export interface LookupStatsRow extends Omit<OrderStatsSqlRow, 'accounts'> {
  persons: number;
  reviews: number;
  reviewScoreSum: number;
}

export const LOOKUP_TABLES: Readonly<Record<LookupTable, { name: string; columns: string[] }>> = {
  /** By the store's account_key (ACCOUNT_KEYS); persons numbered by the loader. */
  accounts: { name: 'temp.order_stats_account_lookup', columns: ['account_key INTEGER PRIMARY KEY', 'person INTEGER NOT NULL', 'state TEXT'] },
  sellers: { name: 'temp.order_stats_seller_lookup', columns: ['seller_id TEXT PRIMARY KEY', 'state TEXT'] },
  products: { name: 'temp.order_stats_product_lookup', columns: ['product_id TEXT PRIMARY KEY', 'category_en TEXT', 'category_pt TEXT'] },
  reviews: { name: 'temp.order_stats_review_lookup', columns: ['order_id TEXT PRIMARY KEY', 'review_count INTEGER NOT NULL', 'score_sum INTEGER NOT NULL'] },
};

const LINE_VALUES: Partial<Record<LookupStatsQuery['groupBy'][number], string>> = {
  sellerId: 'i.seller_id',
  sellerState: 's.state',
  productCategoryEn: 'c.category_en',
  productCategoryPt: 'c.category_pt',
};

/** The lookup tables a query reads (the caller loads exactly these). */
export function lookupsNeeded(query: LookupStatsQuery): LookupTable[] {
  const f = query.filter;
  const uses = (...columns: LookupColumn[]) => columns.some((column) => query.groupBy.includes(column));
  const needed: LookupTable[] = [];
  if (query.measures.persons || uses('customerState') || f.customerStates) needed.push('accounts');
  if (uses('sellerState') || f.sellerStates) needed.push('sellers');
  if (uses('productCategoryEn', 'productCategoryPt') || f.productCategoriesEn || f.productCategoriesPt) needed.push('products');
  if (query.measures.reviews) needed.push('reviews');
  return needed;
}

/** The statement and its bound values (in text order: `?` placeholders). */
export function lookupStatsStatement(query: LookupStatsQuery): { sql: string; values: unknown[] } {
  const f = query.filter;
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return '?';
  };
  const inValues = (column: string, list: readonly string[]) => `${column} IN (${list.length === 0 ? 'NULL' : list.map(bind).join(', ')})`;
  const where = (conditions: string[]) => (conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '');
  // Every fact table carries the order's filter columns, so each part reads its own index range.
  const orderConditions = (alias: string): string[] => {
    const purchase = `${alias}.order_purchase_timestamp`;
    const conditions: string[] = [];
    if (f.purchasedFrom !== undefined) conditions.push(`${purchase} >= ${bind(f.purchasedFrom)}`);
    if (f.purchasedTo !== undefined) conditions.push(`${purchase} <= ${bind(f.purchasedTo)}`);
    if (f.statuses) conditions.push(inValues(`${alias}.order_status`, f.statuses));
    if (f.purchaseDays) conditions.push(inValues(`SUBSTR(${purchase}, 1, 10)`, f.purchaseDays));
    if (f.purchaseMonths) conditions.push(inValues(`SUBSTR(${purchase}, 1, 7)`, f.purchaseMonths));
    if (f.purchaseWeeks) conditions.push(inValues(`DATE(SUBSTR(${purchase}, 1, 10), '-6 days', 'weekday 1')`, f.purchaseWeeks));
    if (f.customerIds) conditions.push(`${alias}.customer_id IN ${idList(f.customerIds)}`);
    return conditions;
  };

  const lineKeys = query.groupBy.filter((column) => LINE_VALUES[column] !== undefined);
  const linesRestricted =
    lineKeys.length > 0 ||
    f.sellerIds !== undefined ||
    f.sellerStates !== undefined ||
    f.productCategoriesEn !== undefined ||
    f.productCategoriesPt !== undefined;
  let lines = '';
  if (linesRestricted) {
    const conditions = orderConditions('i');
    if (f.sellerIds) conditions.push(`i.seller_id IN ${idList(f.sellerIds)}`);
    if (f.sellerStates) conditions.push(inValues('s.state', f.sellerStates));
    if (f.productCategoriesEn) conditions.push(inValues('c.category_en', f.productCategoriesEn));
    if (f.productCategoriesPt) conditions.push(inValues('c.category_pt', f.productCategoriesPt));
    const joinsSellers = lineKeys.includes('sellerState') || f.sellerStates !== undefined;
    const joinsProducts =
      lineKeys.some((key) => key.startsWith('productCategory')) || f.productCategoriesEn !== undefined || f.productCategoriesPt !== undefined;
    const keys = lineKeys.map((key, n) => `${LINE_VALUES[key]!} AS l${n}`);
    lines =
      `SELECT i.order_id AS order_id${keys.map((key) => `, ${key}`).join('')}, SUM(i.items_cents) AS items_cents, SUM(i.freight_cents) AS freight_cents` +
      ` FROM ${LINE_FACTS} i` +
      (joinsSellers ? ` LEFT JOIN ${LOOKUP_TABLES.sellers.name} s ON s.seller_id = i.seller_id` : '') +
      (joinsProducts ? ` LEFT JOIN ${LOOKUP_TABLES.products.name} c ON c.product_id = i.product_id` : '') +
      where(conditions) +
      ` GROUP BY i.order_id${lineKeys.map((_, n) => `, l${n}`).join('')}`;
  }

  const paymentKeyed = query.groupBy.includes('paymentType');
  const paymentsRestricted = paymentKeyed || f.paymentTypes !== undefined;
  let payments = '';
  if (paymentsRestricted) {
    const conditions = orderConditions('p');
    if (f.paymentTypes) conditions.push(inValues('p.payment_type', f.paymentTypes));
    payments =
      `SELECT p.order_id AS order_id${paymentKeyed ? ', p.payment_type AS payment_type' : ''}, SUM(p.payment_cents) AS payment_cents` +
      ` FROM ${PAYMENT_FACTS} p${where(conditions)} GROUP BY p.order_id${paymentKeyed ? ', p.payment_type' : ''}`;
  }

  const joinsAccounts = query.measures.persons || query.groupBy.includes('customerState') || f.customerStates !== undefined;
  const orderWhere = orderConditions('o');
  if (f.customerStates) orderWhere.push(inValues('a.state', f.customerStates));

  const purchase = 'o.order_purchase_timestamp';
  const keyExpression = (column: LookupStatsQuery['groupBy'][number]): string => {
    switch (column) {
      case 'purchaseDay':
        return `SUBSTR(${purchase}, 1, 10)`;
      case 'purchaseWeek':
        return `DATE(SUBSTR(${purchase}, 1, 10), '-6 days', 'weekday 1')`;
      case 'purchaseMonth':
        return `SUBSTR(${purchase}, 1, 7)`;
      case 'status':
        return 'o.order_status';
      case 'paymentType':
        return 'pt.payment_type';
      case 'customerState':
        return 'a.state';
      default:
        return `it.l${lineKeys.indexOf(column)}`;
    }
  };
  const keys = query.groupBy.map((column, n) => `${keyExpression(column)} AS k${n}`);
  const items = linesRestricted ? 'it.items_cents' : query.measures.items ? 'o.items_cents' : '0';
  const freight = linesRestricted ? 'it.freight_cents' : query.measures.items ? 'o.freight_cents' : '0';
  const payment = paymentsRestricted ? 'pt.payment_cents' : query.measures.payments ? 'o.payment_cents' : '0';
  const sql =
    `SELECT ${keys.map((key) => `${key}, `).join('')}COUNT(*) AS orders,` +
    // An account numbered after the lookup was loaded is its own person (negative: apart from the loader's numbers).
    ` ${query.measures.persons ? 'COUNT(DISTINCT COALESCE(a.person, -o.account_key))' : '0'} AS persons,` +
    ` SUM(${items}) AS items_cents, SUM(${freight}) AS freight_cents, SUM(${payment}) AS payment_cents,` +
    (query.measures.delivery
      ? ' SUM(o.delivered) AS delivered, SUM(o.late) AS late, SUM(o.delivery_days) AS delivery_days,'
      : ' 0 AS delivered, 0 AS late, 0 AS delivery_days,') +
    (query.measures.reviews
      ? ' SUM(COALESCE(r.review_count, 0)) AS reviews, SUM(COALESCE(r.score_sum, 0)) AS review_score_sum'
      : ' 0 AS reviews, 0 AS review_score_sum') +
    ` FROM ${ORDER_FACTS} o` +
    (linesRestricted ? ` INNER JOIN (${lines}) it ON it.order_id = o.order_id` : '') +
    (paymentsRestricted ? ` INNER JOIN (${payments}) pt ON pt.order_id = o.order_id` : '') +
    (joinsAccounts ? ` LEFT JOIN ${LOOKUP_TABLES.accounts.name} a ON a.account_key = o.account_key` : '') +
    (query.measures.reviews ? ` LEFT JOIN ${LOOKUP_TABLES.reviews.name} r ON r.order_id = o.order_id` : '') +
    where(orderWhere) +
    (keys.length > 0 ? ` GROUP BY ${query.groupBy.map((_, n) => `k${n}`).join(', ')}` : '');
  return { sql, values };
}

/** A driver's row → numbers and key texts (the raw statement's decoding, with persons and reviews). */
export function lookupStatsRow(row: Record<string, unknown>, keyCount: number): LookupStatsRow {
  const { accounts: _accounts, ...decoded } = orderStatsRow(row, keyCount);
  const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
  return { ...decoded, persons: num(row.persons), reviews: num(row.reviews), reviewScoreSum: num(row.review_score_sum) };
}
