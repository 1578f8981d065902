/**
 * The grouped SQL behind Query.orderStats, on the order system's own tables (orders, order_items,
 * order_payments), for each engine the system can live on. Knows only raw columns and keys; what a
 * key means in another system (a customer's state, a product's category) is fusion's business.
 *
 * One row of the inner query is a membership of an order in a group: the order with the values of its
 * grouped columns. Items are restricted to the group's item columns (seller, product) and payments to
 * its payment column (type), so each kind of money is attributed to the rows that carry the value.
 */
import type { SqlProvider } from '../sql/clients';

/** Columns of the order system a grouping can use (raw keys, as the system stores them). */
export type OrderStatsColumn =
  'purchaseDay' | 'purchaseWeek' | 'purchaseMonth' | 'status' | 'paymentType' | 'sellerId' | 'productId' | 'customerId' | 'orderId';

export interface OrderStatsFilter {
  statuses?: readonly string[];
  /** Local purchase dates (YYYY-MM-DD), weeks (the Monday, YYYY-MM-DD), months (YYYY-MM). */
  purchaseDays?: readonly string[];
  purchaseWeeks?: readonly string[];
  purchaseMonths?: readonly string[];
  /** Inclusive bounds on the purchase timestamp, in the system's local wall-clock text. */
  purchasedFrom?: string;
  purchasedTo?: string;
  paymentTypes?: readonly string[];
  /** Item restrictions: only lines of these sellers / products (an order without one is left out). */
  sellerIds?: readonly string[];
  productIds?: readonly string[];
  /** Only orders placed from these CRM accounts. */
  customerIds?: readonly string[];
}

export interface OrderStatsSqlQuery {
  groupBy: readonly OrderStatsColumn[];
  filter: OrderStatsFilter;
  /** Sums the caller does not need are not read (items or payments not restricted are then not joined); default: all. */
  measures?: { items: boolean; payments: boolean };
}

/** One group as the SQL answers it: carried sums and counts (never means), money in integer cents. */
export interface OrderStatsSqlRow {
  keys: (string | null)[];
  orders: number;
  accounts: number;
  itemsCents: number;
  freightCents: number;
  paymentCents: number;
  delivered: number;
  late: number;
  deliveryDays: number;
}

const ITEM_COLUMNS: Partial<Record<OrderStatsColumn, string>> = { sellerId: 'seller_id', productId: 'product_id' };
const ID = /^[0-9a-f]{32}$/;

/** Ids are inlined as literals (lists can exceed the engines' bound-parameter limits): only 32-hex ids pass. */
export function idList(ids: readonly string[]): string {
  if (ids.length === 0) return "('')";
  for (const id of ids) if (!ID.test(id)) throw new Error(`order stats: not an Olist id: ${JSON.stringify(id)}`);
  return `(${ids.map((id) => `'${id}'`).join(',')})`;
}

function dialect(provider: SqlProvider) {
  const day = (column: string) => `SUBSTR(${column}, 1, 10)`;
  switch (provider) {
    case 'postgresql':
      return {
        week: (c: string) => `TO_CHAR(DATE_TRUNC('week', CAST(${day(c)} AS TIMESTAMP)), 'YYYY-MM-DD')`,
        daysBetween: (from: string, to: string) => `(CAST(${day(to)} AS DATE) - CAST(${day(from)} AS DATE))`,
        placeholder: (n: number) => `$${n}`,
      };
    case 'mysql':
      return {
        week: (c: string) => `DATE_FORMAT(DATE_SUB(CAST(${day(c)} AS DATE), INTERVAL WEEKDAY(CAST(${day(c)} AS DATE)) DAY), '%Y-%m-%d')`,
        daysBetween: (from: string, to: string) => `DATEDIFF(${day(to)}, ${day(from)})`,
        placeholder: () => '?',
      };
    default:
      return {
        week: (c: string) => `DATE(${day(c)}, '-6 days', 'weekday 1')`,
        daysBetween: (from: string, to: string) => `CAST(JULIANDAY(${day(to)}) - JULIANDAY(${day(from)}) AS INTEGER)`,
        placeholder: () => '?',
      };
  }
}

/** The statement and its bound values for one grouped query. */
export function orderStatsStatement(provider: SqlProvider, query: OrderStatsSqlQuery): { sql: string; values: unknown[] } {
  const d = dialect(provider);
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return d.placeholder(values.length);
  };
  const inValues = (column: string, list: readonly string[]) => `${column} IN (${list.length === 0 ? 'NULL' : list.map(bind).join(', ')})`;
  const f = query.filter;
  const purchase = 'o.order_purchase_timestamp';

  // Bound values must follow the text order for `?` placeholders: items, payments, then the orders' WHERE.
  const orderConditions = (withAccounts = true): string[] => {
    const conditions: string[] = [];
    if (f.statuses) conditions.push(inValues('o.order_status', f.statuses));
    if (f.purchasedFrom !== undefined) conditions.push(`${purchase} >= ${bind(f.purchasedFrom)}`);
    if (f.purchasedTo !== undefined) conditions.push(`${purchase} <= ${bind(f.purchasedTo)}`);
    if (f.purchaseDays) conditions.push(inValues(`SUBSTR(${purchase}, 1, 10)`, f.purchaseDays));
    if (f.purchaseMonths) conditions.push(inValues(`SUBSTR(${purchase}, 1, 7)`, f.purchaseMonths));
    if (f.purchaseWeeks) conditions.push(inValues(d.week(purchase), f.purchaseWeeks));
    if (f.customerIds && withAccounts) conditions.push(`o.customer_id IN ${idList(f.customerIds)}`);
    return conditions;
  };
  // The items and payments sub-queries read only the filtered orders' rows, driven from the orders (their
  // range index, then each order's rows by key); a long account list is applied once, to the orders, and
  // the join drops the other orders' sums.
  const ofOrders = (table: string, alias: string): { from: string; where: string[] } => {
    const conditions = orderConditions(!f.customerIds || f.customerIds.length <= 1000);
    return conditions.length > 0
      ? { from: `orders o INNER JOIN ${table} ${alias} ON ${alias}.order_id = o.order_id`, where: conditions }
      : { from: `${table} ${alias}`, where: [] };
  };
  const where = (conditions: string[]) => (conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '');

  const itemKeys = query.groupBy.filter((column) => ITEM_COLUMNS[column]).map((column) => `i.${ITEM_COLUMNS[column]!}`);
  const itemsRestricted = itemKeys.length > 0 || f.sellerIds !== undefined || f.productIds !== undefined;
  const joinItems = itemsRestricted || (query.measures?.items ?? true);
  let items = '';
  if (joinItems) {
    const source = ofOrders('order_items', 'i');
    if (f.sellerIds) source.where.push(`i.seller_id IN ${idList(f.sellerIds)}`);
    if (f.productIds) source.where.push(`i.product_id IN ${idList(f.productIds)}`);
    const keys = itemKeys.map((c) => `, ${c}`).join('');
    items =
      `SELECT i.order_id AS order_id${itemKeys.map((c) => `, ${c} AS ${c.slice(2)}`).join('')}, SUM(ROUND(i.price * 100)) AS items_cents, SUM(ROUND(i.freight_value * 100)) AS freight_cents` +
      ` FROM ${source.from}${where(source.where)} GROUP BY i.order_id${keys}`;
  }

  const paymentKeyed = query.groupBy.includes('paymentType');
  const paymentsRestricted = paymentKeyed || f.paymentTypes !== undefined;
  const joinPayments = paymentsRestricted || (query.measures?.payments ?? true);
  let payments = '';
  if (joinPayments) {
    const source = ofOrders('order_payments', 'p');
    if (f.paymentTypes) source.where.push(inValues('p.payment_type', f.paymentTypes));
    payments =
      `SELECT p.order_id AS order_id${paymentKeyed ? ', p.payment_type AS payment_type' : ''}, SUM(ROUND(p.payment_value * 100)) AS payment_cents` +
      ` FROM ${source.from}${where(source.where)} GROUP BY p.order_id${paymentKeyed ? ', p.payment_type' : ''}`;
  }
  const orderWhere = orderConditions();

  const keyExpression: Record<OrderStatsColumn, string> = {
    purchaseDay: `SUBSTR(${purchase}, 1, 10)`,
    purchaseWeek: d.week(purchase),
    purchaseMonth: `SUBSTR(${purchase}, 1, 7)`,
    status: 'o.order_status',
    paymentType: 'pt.payment_type',
    sellerId: 'it.seller_id',
    productId: 'it.product_id',
    customerId: 'o.customer_id',
    orderId: 'o.order_id',
  };
  const delivered = "o.order_delivered_customer_date IS NOT NULL AND o.order_delivered_customer_date <> ''";
  const late = `${delivered} AND o.order_estimated_delivery_date IS NOT NULL AND o.order_estimated_delivery_date <> '' AND SUBSTR(o.order_delivered_customer_date, 1, 10) > SUBSTR(o.order_estimated_delivery_date, 1, 10)`;
  const keys = query.groupBy.map((column, i) => `${keyExpression[column]} AS k${i}`);
  const inner =
    `SELECT o.order_id AS order_id, o.customer_id AS customer_id${keys.map((k) => `, ${k}`).join('')},` +
    (joinItems ? ' COALESCE(it.items_cents, 0) AS items_cents, COALESCE(it.freight_cents, 0) AS freight_cents,' : ' 0 AS items_cents, 0 AS freight_cents,') +
    (joinPayments ? ' COALESCE(pt.payment_cents, 0) AS payment_cents,' : ' 0 AS payment_cents,') +
    ` CASE WHEN ${delivered} THEN 1 ELSE 0 END AS delivered, CASE WHEN ${late} THEN 1 ELSE 0 END AS late,` +
    ` CASE WHEN ${delivered} THEN ${d.daysBetween(purchase, 'o.order_delivered_customer_date')} ELSE 0 END AS delivery_days` +
    ` FROM orders o` +
    (joinItems ? ` ${itemsRestricted ? 'INNER' : 'LEFT'} JOIN (${items}) it ON it.order_id = o.order_id` : '') +
    (joinPayments ? ` ${paymentsRestricted ? 'INNER' : 'LEFT'} JOIN (${payments}) pt ON pt.order_id = o.order_id` : '') +
    where(orderWhere);
  const groupKeys = query.groupBy.map((_, i) => `m.k${i}`);
  // Grouped by the order: each inner row already is one group (an order with its line keys and payment
  // type), so no outer grouping, which would make engines walk every order in key order.
  const sql = query.groupBy.includes('orderId')
    ? `SELECT ${groupKeys.map((k) => `${k}, `).join('')}1 AS orders, 1 AS accounts, m.items_cents, m.freight_cents, m.payment_cents,` +
      ` m.delivered, m.late, m.delivery_days FROM (${inner}) m`
    : `SELECT ${groupKeys.map((k) => `${k}, `).join('')}COUNT(*) AS orders, COUNT(DISTINCT m.customer_id) AS accounts,` +
      ` SUM(m.items_cents) AS items_cents, SUM(m.freight_cents) AS freight_cents, SUM(m.payment_cents) AS payment_cents,` +
      ` SUM(m.delivered) AS delivered, SUM(m.late) AS late, SUM(m.delivery_days) AS delivery_days` +
      ` FROM (${inner}) m${groupKeys.length > 0 ? ` GROUP BY ${groupKeys.join(', ')}` : ''}`;
  return { sql, values };
}

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** A driver's row (bigint counts, numeric strings, Decimals) → numbers and key texts. */
export function orderStatsRow(row: Record<string, unknown>, keyCount: number): OrderStatsSqlRow {
  return {
    keys: Array.from({ length: keyCount }, (_, i) => text(row[`k${i}`])),
    orders: num(row.orders),
    accounts: num(row.accounts),
    itemsCents: num(row.items_cents),
    freightCents: num(row.freight_cents),
    paymentCents: num(row.payment_cents),
    delivered: num(row.delivered),
    late: num(row.late),
    deliveryDays: num(row.delivery_days),
  };
}
