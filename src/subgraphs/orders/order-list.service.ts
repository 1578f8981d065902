import type { OrderListRequest, OrderView } from '../../fusion';
import type { ListPage } from '../../read-model';
import { decodeCursor, pageSize } from '../../shared';
import {
  connectionFromKeysetPage,
  directionOf,
  scoreRangeArgument,
  stateCodeArgument,
  type Connection,
  type ConnectionArgs,
  type SubgraphContext,
} from '../common';
import type { OrdersFilter, OrdersOrderBy } from './order-filter.input';

/** The order system's own predicates of a listing (already validated by the caller). */
export interface OwnOrderPredicates {
  status?: string;
  purchasedFrom?: string;
  purchasedTo?: string;
}

/** Whether a listing needs the cross-system plan (fusion/cross-filter) rather than the order system's own page. */
export function needsCrossFilter(filter: OrdersFilter | null | undefined, orderBy: OrdersOrderBy | null | undefined): boolean {
  const given = (value: unknown) => value !== null && value !== undefined;
  return (
    (filter !== null && filter !== undefined && Object.values(filter).some(given)) ||
    (orderBy !== null && orderBy !== undefined && Object.values(orderBy).some(given))
  );
}

/** Query.orders / User.orders with cross-system filters and sort: a keyset page whose cursor is (purchase time, id). */
export async function crossFilteredOrders(
  ctx: SubgraphContext,
  args: ConnectionArgs,
  own: OwnOrderPredicates,
  filter: OrdersFilter | null | undefined,
  orderBy: OrdersOrderBy | null | undefined,
  read: (request: OrderListRequest) => Promise<ListPage<OrderView>>,
): Promise<Connection<OrderView>> {
  const limit = pageSize(args.first);
  const f = filter ?? {};
  const scores = scoreRangeArgument(f.minReviewScore, f.maxReviewScore, { min: 'filter.minReviewScore', max: 'filter.maxReviewScore' });
  const request: OrderListRequest = {
    ...own,
    customerState: stateCodeArgument(f.customerState, 'filter.customerState'),
    categoryNames: f.category === null || f.category === undefined ? undefined : await ctx.data.categoryNamesOf(f.category, 'filter.category'),
    minReviewScore: scores.min,
    maxReviewScore: scores.max,
    direction: directionOf(orderBy?.purchasedAt),
    limit: limit + 1,
  };
  if (args.after) {
    const [purchaseTimestamp, orderId] = decodeCursor(args.after, 2);
    request.after = { purchaseTimestamp: String(purchaseTimestamp), orderId: String(orderId) };
  }
  const page = await read(request);
  return connectionFromKeysetPage(page.nodes, limit, (order) => [order.purchaseTimestamp, order.id], request.after !== undefined, page.count);
}
