import { accountIdsOfPerson, orderView, reviewView, sumCents, type OrderView, type ReviewView } from '../../fusion';
import type { SubgraphContext } from '../common';

/** Facts this subgraph derives from orders, shared by its resolvers. All reads go through the request's loaders. */

export async function ordersOfPerson(ctx: SubgraphContext, personId: string): Promise<OrderView[]> {
  const accountIds = await accountIdsOfPerson(ctx.loaders, personId);
  const perAccount = await ctx.loaders.ordersByCustomerId.loadMany(accountIds);
  const orders = perAccount.flatMap((records) => {
    if (records instanceof Error) throw records;
    return records.map(orderView);
  });
  return orders.sort(byPurchaseThenId);
}

export async function paymentTotalOf(ctx: SubgraphContext, orderIds: readonly string[]): Promise<number> {
  const perOrder = await ctx.loaders.paymentsByOrderId.loadMany(orderIds);
  return sumCents(
    perOrder.flatMap((payments) => {
      if (payments instanceof Error) throw payments;
      return payments.map((payment) => payment.paymentValue);
    }),
  );
}

/**
 * Reviews of every order that contains the product, each review once, in review-store order;
 * `scope` narrows the orders before their reviews are read (a customer's own, see src/security/row-scope).
 */
export async function reviewsOfProduct(ctx: SubgraphContext, productId: string, scope?: (orderIds: string[]) => Promise<string[]>): Promise<ReviewView[]> {
  const items = await ctx.loaders.itemsByProductId.load(productId);
  const allOrderIds = [...new Set(items.map((item) => item.orderId))];
  const orderIds = scope ? await scope(allOrderIds) : allOrderIds;
  const perOrder = await ctx.loaders.reviewsByOrderId.loadMany(orderIds);
  const reviews = perOrder.flatMap((stored) => {
    if (stored instanceof Error) throw stored;
    return stored.map(reviewView);
  });
  return reviews.sort((a, b) => a.storeLine - b.storeLine);
}

export function byPurchaseThenId(a: OrderView, b: OrderView): number {
  if (a.purchaseTimestamp !== b.purchaseTimestamp) return a.purchaseTimestamp < b.purchaseTimestamp ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
