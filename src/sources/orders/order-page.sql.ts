/**
 * The keyset-paged order listing with key sets other systems resolved (Query.orders' cross-system
 * filters, planned by fusion/cross-filter): one statement on the order system's own tables, ids only.
 * Key lists are inlined as validated 32-hex literals (they can exceed the engines' bound-parameter
 * limits); a list may be an inclusion (IN) or an exclusion (NOT IN), whichever is shorter.
 */
import type { SqlProvider } from '../sql/clients';
import { idList } from './order-stats.sql';

/** A key restriction: only these keys, or every key but these. */
export interface KeySet {
  mode: 'in' | 'not-in';
  ids: readonly string[];
}

export interface OrderListSqlFilter {
  status?: string;
  /** Inclusive bounds on the purchase timestamp, local wall-clock text. */
  purchasedFrom?: string;
  purchasedTo?: string;
  customerIds?: KeySet;
  orderIds?: KeySet;
  /** Only orders with a line that passes every one of these (a partner's seller, a category's products). */
  line?: { sellerId?: string; productIds?: readonly string[] };
}

export interface OrderListSqlQuery extends OrderListSqlFilter {
  direction: 'asc' | 'desc';
  /** Keyset position: the orders after this (purchase timestamp, id) in `direction`. */
  after?: { purchaseTimestamp: string; orderId: string };
  limit: number;
}

function placeholder(provider: SqlProvider): (n: number) => string {
  return provider === 'postgresql' ? (n) => `$${n}` : () => '?';
}

function conditions(provider: SqlProvider, f: OrderListSqlFilter, values: unknown[]): string[] {
  const mark = placeholder(provider);
  const bind = (value: unknown) => {
    values.push(value);
    return mark(values.length);
  };
  const keys = (column: string, set: KeySet) =>
    set.mode === 'in' ? `${column} IN ${idList(set.ids)}` : set.ids.length === 0 ? '1 = 1' : `${column} NOT IN ${idList(set.ids)}`;
  const where: string[] = [];
  if (f.status !== undefined) where.push(`o.order_status = ${bind(f.status)}`);
  if (f.purchasedFrom !== undefined) where.push(`o.order_purchase_timestamp >= ${bind(f.purchasedFrom)}`);
  if (f.purchasedTo !== undefined) where.push(`o.order_purchase_timestamp <= ${bind(f.purchasedTo)}`);
  if (f.customerIds) where.push(keys('o.customer_id', f.customerIds));
  if (f.orderIds) where.push(keys('o.order_id', f.orderIds));
  if (f.line) {
    // The lines' orders as one set (read through the product / seller indexes), not a per-order EXISTS:
    // a rare category would otherwise probe every order of the range.
    const line: string[] = [];
    if (f.line.sellerId !== undefined) line.push(`i.seller_id = ${bind(f.line.sellerId)}`);
    if (f.line.productIds) line.push(`i.product_id IN ${idList(f.line.productIds)}`);
    where.push(`o.order_id IN (SELECT i.order_id FROM order_items i WHERE ${line.join(' AND ')})`);
  }
  return where;
}

const whereClause = (where: string[]) => (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '');

/** One page of orders (id, account, purchase timestamp) in (purchase timestamp, id) order, ascending or descending. */
export function orderListStatement(provider: SqlProvider, query: OrderListSqlQuery): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const where = conditions(provider, query, values);
  if (query.after) {
    const mark = placeholder(provider);
    const bind = (value: unknown) => {
      values.push(value);
      return mark(values.length);
    };
    const cmp = query.direction === 'asc' ? '>' : '<';
    const ts = bind(query.after.purchaseTimestamp);
    const same = bind(query.after.purchaseTimestamp);
    const id = bind(query.after.orderId);
    where.push(`(o.order_purchase_timestamp ${cmp} ${ts} OR (o.order_purchase_timestamp = ${same} AND o.order_id ${cmp} ${id}))`);
  }
  const dir = query.direction === 'asc' ? 'ASC' : 'DESC';
  const limit = Math.max(0, Math.trunc(query.limit));
  return {
    sql: `SELECT o.order_id AS order_id, o.customer_id AS customer_id, o.order_purchase_timestamp AS purchased FROM orders o${whereClause(where)} ORDER BY o.order_purchase_timestamp ${dir}, o.order_id ${dir} LIMIT ${limit}`,
    values,
  };
}

export function orderCountStatement(provider: SqlProvider, filter: OrderListSqlFilter): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  return { sql: `SELECT COUNT(*) AS n FROM orders o${whereClause(conditions(provider, filter, values))}`, values };
}
