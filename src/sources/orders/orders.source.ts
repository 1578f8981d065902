import type { OrdersClient } from '../sql';
import type { Order, OrderItem, OrderPayment } from '../../../generated/prisma/orders/client';
import { alignMany, alignOne } from '../align';
import type { SqlProvider } from '../sql/clients';
import { prismaKeyedReads, type KeyedReads } from '../sql/keyed-reads';
import { NO_MEMO, type ResultMemo } from '../sql/result-memo';
import { orderCountStatement, orderListStatement, type OrderListSqlFilter, type OrderListSqlQuery } from './order-page.sql';
import { lookupsNeeded, type LookupStatsQuery, type LookupStatsRow, type LookupTable, type OrderStatsLookups } from './order-stats-lookups.sql';
import { orderStatsRow, orderStatsStatement, type OrderStatsSqlQuery, type OrderStatsSqlRow } from './order-stats.sql';
import type { SqliteOrderStats } from './sqlite-order-stats';

export type OrderRecord = Order;
export type OrderItemRecord = OrderItem;
export type OrderPaymentRecord = OrderPayment;

export interface OrdersModels {
  Order: Order;
  OrderItem: OrderItem;
  OrderPayment: OrderPayment;
}

export interface OrderFilter {
  status?: string;
  /** Inclusive bounds on the purchase timestamp, in the system's local wall-clock text. */
  purchasedFrom?: string;
  purchasedTo?: string;
  /** Row scope (src/read-model/row-scope.ts): only orders placed from these CRM accounts. */
  customerIds?: string[];
  /** Row scope: only orders with at least one line of this seller. */
  sellerId?: string;
}

export interface OrderPageQuery extends OrderFilter {
  /** Keyset position: orders after (purchaseTimestamp, orderId). */
  after?: { purchaseTimestamp: string; orderId: string };
  limit: number;
}

/** An order's keys in a listing: enough to test key sets and to continue the keyset. */
export interface OrderListKeys {
  orderId: string;
  customerId: string;
  purchaseTimestamp: string;
}

export interface SellerProduct {
  sellerId: string;
  productId: string;
}

/** Order-management connector: orders, items and payments. */
export class OrdersSource {
  readonly name = 'orders';

  constructor(
    private readonly client: OrdersClient,
    /** The engine behind the client: the grouped statistics use its date functions. */
    private readonly provider: SqlProvider = 'sqlite',
    /** The by-key batches (./sql/keyed-reads.ts): straight SQLite reads in the embedded default. */
    private readonly keyed: KeyedReads<OrdersModels> = prismaKeyedReads<OrdersModels>(client),
    /** The embedded SQLite store's statistics over fact and lookup tables (./sqlite-order-stats.ts). */
    private readonly lookupStats?: SqliteOrderStats,
    /** Counts kept until the store changes (./sql/result-memo.ts): the embedded default's SQLite file. */
    private readonly memo: ResultMemo = NO_MEMO,
  ) {}

  /** Grouped order statistics on the raw tables (carried sums and counts per group), pushed down as one statement. */
  async orderStats(query: OrderStatsSqlQuery): Promise<OrderStatsSqlRow[]> {
    const { sql, values } = orderStatsStatement(this.provider, query);
    const rows = await this.client.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...values);
    return rows.map((row) => orderStatsRow(row, query.groupBy.length));
  }

  /** Whether this store groups by other systems' values in SQL (orderStatsWithLookups); otherwise fusion groups them. */
  get groupsWithLookups(): boolean {
    return this.lookupStats !== undefined;
  }

  /** The lookup tables a statistic needs (orderStatsWithLookups). */
  lookupsNeeded(query: LookupStatsQuery): LookupTable[] {
    return lookupsNeeded(query);
  }

  /** Grouped statistics with other systems' values supplied as lookups: one statement, one row per group. */
  async orderStatsWithLookups(query: LookupStatsQuery, lookups: OrderStatsLookups): Promise<readonly Readonly<LookupStatsRow>[]> {
    if (!this.lookupStats) throw new Error('order stats: this store has no lookup tables');
    return this.lookupStats.run(query, lookups);
  }

  /** A page of orders' keys under key sets other systems resolved (fusion/cross-filter plans them). */
  async orderListPage(query: OrderListSqlQuery): Promise<OrderListKeys[]> {
    const { sql, values } = orderListStatement(this.provider, query);
    const rows = await this.client.$queryRawUnsafe<{ order_id: string; customer_id: string; purchased: string }[]>(sql, ...values);
    return rows.map((row) => ({ orderId: String(row.order_id), customerId: String(row.customer_id), purchaseTimestamp: String(row.purchased) }));
  }

  async countOrderList(filter: OrderListSqlFilter): Promise<number> {
    const { sql, values } = orderCountStatement(this.provider, filter);
    return this.memo.remember(`countOrderList ${sql} ${JSON.stringify(values)}`, async () => {
      const rows = await this.client.$queryRawUnsafe<{ n: number | bigint }[]>(sql, ...values);
      return Number(rows[0].n);
    });
  }

  /** Every order id (one narrow scan; callers cache it). */
  async allOrderIds(): Promise<string[]> {
    return (await this.client.order.findMany({ select: { orderId: true } })).map((row) => row.orderId);
  }

  /** The distinct (product, order) pairs of the order lines (one narrow scan; callers cache what they derive). */
  async allProductOrderPairs(): Promise<{ productId: string; orderId: string }[]> {
    const rows = await this.client.$queryRaw<{ product_id: string; order_id: string }[]>`SELECT DISTINCT product_id, order_id FROM order_items`;
    return rows.map((row) => ({ productId: row.product_id, orderId: row.order_id }));
  }

  async allOrders(): Promise<OrderRecord[]> {
    return this.client.order.findMany();
  }

  async allItems(): Promise<OrderItemRecord[]> {
    return this.client.orderItem.findMany();
  }

  async allPayments(): Promise<OrderPaymentRecord[]> {
    return this.client.orderPayment.findMany();
  }

  async ordersByIds(orderIds: readonly string[]): Promise<(OrderRecord | null)[]> {
    const rows = await this.keyed.rowsWhereIn('Order', 'orderId', orderIds);
    return alignOne(orderIds, rows, (row) => row.orderId);
  }

  async ordersByCustomerIds(customerIds: readonly string[]): Promise<OrderRecord[][]> {
    const rows = await this.keyed.rowsWhereIn('Order', 'customerId', customerIds, ['purchaseTimestamp', 'orderId']);
    return alignMany(customerIds, rows, (row) => row.customerId);
  }

  async itemsByOrderIds(orderIds: readonly string[]): Promise<OrderItemRecord[][]> {
    const rows = await this.keyed.rowsWhereIn('OrderItem', 'orderId', orderIds, ['orderId', 'orderItemId']);
    return alignMany(orderIds, rows, (row) => row.orderId);
  }

  async paymentsByOrderIds(orderIds: readonly string[]): Promise<OrderPaymentRecord[][]> {
    const rows = await this.keyed.rowsWhereIn('OrderPayment', 'orderId', orderIds, ['orderId', 'paymentSequential']);
    return alignMany(orderIds, rows, (row) => row.orderId);
  }

  async itemsByProductIds(productIds: readonly string[]): Promise<OrderItemRecord[][]> {
    const rows = await this.keyed.rowsWhereIn('OrderItem', 'productId', productIds, ['orderId', 'orderItemId']);
    return alignMany(productIds, rows, (row) => row.productId);
  }

  /** The distinct products each seller has sold, in product id order. */
  async productIdsBySellerIds(sellerIds: readonly string[]): Promise<string[][]> {
    const rows = await this.client.orderItem.groupBy({
      by: ['sellerId', 'productId'],
      where: { sellerId: { in: [...sellerIds] } },
      orderBy: [{ sellerId: 'asc' }, { productId: 'asc' }],
    });
    return alignMany(sellerIds, rows, (row) => row.sellerId).map((group) => group.map((row) => row.productId));
  }

  async ordersPage(query: OrderPageQuery): Promise<OrderRecord[]> {
    const after = query.after;
    return this.client.order.findMany({
      where: {
        ...(await this.orderFilter(query)),
        ...(after
          ? {
              OR: [{ purchaseTimestamp: { gt: after.purchaseTimestamp } }, { purchaseTimestamp: after.purchaseTimestamp, orderId: { gt: after.orderId } }],
            }
          : {}),
      },
      orderBy: [{ purchaseTimestamp: 'asc' }, { orderId: 'asc' }],
      take: query.limit,
    });
  }

  async countOrders(filter: OrderFilter): Promise<number> {
    return this.memo.remember(`countOrders ${JSON.stringify(filter)}`, async () => this.client.order.count({ where: await this.orderFilter(filter) }));
  }

  /** The distinct orders with a line of this seller (the order system keeps no seller on the order itself). */
  async orderIdsOfSeller(sellerId: string): Promise<string[]> {
    const rows = await this.client.orderItem.groupBy({ by: ['orderId'], where: { sellerId }, orderBy: { orderId: 'asc' } });
    return rows.map((row) => row.orderId);
  }

  private async orderFilter(filter: OrderFilter) {
    const orderIds = filter.sellerId !== undefined ? await this.orderIdsOfSeller(filter.sellerId) : undefined;
    const purchaseBounds = {
      ...(filter.purchasedFrom !== undefined ? { gte: filter.purchasedFrom } : {}),
      ...(filter.purchasedTo !== undefined ? { lte: filter.purchasedTo } : {}),
    };
    return {
      ...(filter.status !== undefined ? { status: filter.status } : {}),
      ...(filter.customerIds !== undefined ? { customerId: { in: filter.customerIds } } : {}),
      ...(orderIds !== undefined ? { orderId: { in: orderIds } } : {}),
      ...(Object.keys(purchaseBounds).length > 0 ? { purchaseTimestamp: purchaseBounds } : {}),
    };
  }
}
