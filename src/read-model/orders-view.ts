import {
  accountIdsOfPerson,
  orderItemView,
  orderView,
  paymentView,
  resolveOrderTotal,
  reviewView,
  sumCents,
  type OrderItemView,
  type OrderView,
  type PaymentView,
  type Resolved,
  type ReviewView,
} from '../fusion';
import { forbidden } from '../shared';
import type { OrderPageQuery } from '../sources';
import { canSee, orderRowScope, visibleItems, visibleOrdersOfPerson, visibleReviewOrders, visibleSellers } from './row-scope';
import type { RequestReads } from './request-reads';

/** An orders listing's filter as the graph asks it; the caller's row scope is added here, never by the caller. */
export type OrdersQuery = Omit<OrderPageQuery, 'customerIds' | 'sellerId' | 'after' | 'limit'>;

function loaded<T>(values: (T | Error)[]): T[] {
  return values.map((value) => {
    if (value instanceof Error) throw value;
    return value;
  });
}

function byPurchaseThenId(a: OrderView, b: OrderView): number {
  if (a.purchaseTimestamp !== b.purchaseTimestamp) return a.purchaseTimestamp < b.purchaseTimestamp ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Orders, their lines, payments and reviews, and the order facts other domains show (a person's
 * orders, a product's sellers and reviews, a seller's products). Every order handed out is one the
 * caller may reach; a partner sees (and sums) only its own lines.
 */
export function ordersView({ loaders, sources, principal }: RequestReads) {
  const scoped = async (filter: OrdersQuery) => ({ ...filter, ...(await orderRowScope(principal, loaders)) });
  const ownLines = async (orderId: string) => visibleItems(principal, await loaders.itemsByOrderId.load(orderId));
  const paymentTotal = async (orderIds: readonly string[]): Promise<number> =>
    sumCents(loaded(await loaders.paymentsByOrderId.loadMany(orderIds)).flatMap((payments) => payments.map((payment) => payment.paymentValue)));
  const ordersOfPerson = async (personId: string): Promise<OrderView[]> => {
    const perAccount = loaded(await loaders.ordersByCustomerId.loadMany(await accountIdsOfPerson(loaders, personId)));
    return visibleOrdersOfPerson(principal, personId, perAccount.flat().map(orderView).sort(byPurchaseThenId));
  };
  /** Reviews of every order containing the product (each once, in review-store order), of the orders `scope` keeps. */
  const reviewsOfProductOrders = async (productId: string, scope: (orderIds: string[]) => Promise<string[]>): Promise<ReviewView[]> => {
    const items = await loaders.itemsByProductId.load(productId);
    const orderIds = await scope([...new Set(items.map((item) => item.orderId))]);
    const reviews = loaded(await loaders.reviewsByOrderId.loadMany(orderIds)).flatMap((stored) => stored.map(reviewView));
    return reviews.sort((a, b) => a.storeLine - b.storeLine);
  };

  return {
    /** An order by id; null when unknown or out of the caller's scope. */
    async order(id: string): Promise<OrderView | null> {
      const record = await loaders.orderById.load(id);
      return record && (await canSee(principal, loaders, 'Order', record.orderId)) ? orderView(record) : null;
    },

    /** Orders by purchase time then id, after the keyset position, within the caller's scope (pushed into the source query). */
    async ordersPage(filter: OrdersQuery, page: Pick<OrderPageQuery, 'after' | 'limit'>): Promise<OrderView[]> {
      return (await sources.orders.ordersPage({ ...(await scoped(filter)), ...page })).map(orderView);
    },

    /** How many orders `ordersPage` would list over all pages. */
    async countOrders(filter: OrdersQuery): Promise<number> {
      return sources.orders.countOrders(await scoped(filter));
    },

    /** The order's lines the caller may see (a partner: its own). */
    async itemsOfOrder(order: OrderView): Promise<OrderItemView[]> {
      return (await ownLines(order.id)).map(orderItemView);
    },

    /** Sum of the visible lines' prices, BRL. */
    async itemsTotalOf(order: OrderView): Promise<number> {
      return sumCents((await ownLines(order.id)).map((item) => item.price));
    },

    /** Sum of the visible lines' freight, BRL. */
    async freightTotalOf(order: OrderView): Promise<number> {
      return sumCents((await ownLines(order.id)).map((item) => item.freightValue));
    },

    async paymentsOfOrder(order: OrderView): Promise<PaymentView[]> {
      return (await loaders.paymentsByOrderId.load(order.id)).map(paymentView);
    },

    async reviewsOfOrder(order: OrderView): Promise<ReviewView[]> {
      return (await loaders.reviewsByOrderId.load(order.id)).map(reviewView);
    },

    /** Sum of the order's payments, BRL. */
    paymentTotalOf: (order: OrderView): Promise<number> => paymentTotal([order.id]),

    /** What the order cost, by policy order.total_from_payments (the whole order: the policy shows it only to roles that see every line). */
    async orderTotalOf(order: OrderView): Promise<Resolved<number>> {
      const [items, payments] = await Promise.all([loaders.itemsByOrderId.load(order.id), loaders.paymentsByOrderId.load(order.id)]);
      return resolveOrderTotal(
        order.id,
        items.flatMap((item) => [item.price, item.freightValue]),
        payments.map((payment) => payment.paymentValue),
      );
    },

    /** The order a review is of. A review is only listed within the caller's scope; this holds should any other path reach one. */
    async orderOfReview(review: ReviewView): Promise<OrderView | null> {
      if (!(await canSee(principal, loaders, 'Order', review.orderId))) throw forbidden('Review.order');
      const record = await loaders.orderById.load(review.orderId);
      return record ? orderView(record) : null;
    },

    /** A person's orders over all their accounts, by purchase time then id, as far as the caller may list them. */
    ordersOfPerson,

    /** Sum of the payments of the person's orders (those `ordersOfPerson` lists), BRL. */
    async totalSpentOf(personId: string): Promise<number> {
      return paymentTotal((await ordersOfPerson(personId)).map((order) => order.id));
    },

    /** Sellers that sold the product, by id, as far as the caller may see them (a partner: itself). */
    async sellersOfProduct(productId: string): Promise<{ id: string }[]> {
      const items = await loaders.itemsByProductId.load(productId);
      return visibleSellers(principal, [...new Set(items.map((item) => item.sellerId))].sort()).map((id) => ({ id }));
    },

    /** Distinct orders containing the product (a figure over every order, no row). */
    async orderCountOfProduct(productId: string): Promise<number> {
      return new Set((await loaders.itemsByProductId.load(productId)).map((item) => item.orderId)).size;
    },

    /** Mean score of the reviews of every order containing the product (a figure over every order, no row); null without reviews. */
    async averageRatingOfProduct(productId: string): Promise<number | null> {
      const reviews = await reviewsOfProductOrders(productId, async (orderIds) => orderIds);
      if (reviews.length === 0) return null;
      return reviews.reduce((sum, review) => sum + review.score, 0) / reviews.length;
    },

    /** Reviews of the orders containing the product that the caller may read (a customer: their own orders; a partner: orders with its lines). */
    reviewsOfProduct(productId: string): Promise<ReviewView[]> {
      return reviewsOfProductOrders(productId, (orderIds) => visibleReviewOrders(principal, loaders, orderIds));
    },

    /** Distinct products the seller has sold, by id (a seller is reached only within the caller's scope). */
    async productsOfSeller(sellerId: string): Promise<{ id: string }[]> {
      return (await loaders.productIdsBySellerId.load(sellerId)).map((id) => ({ id }));
    },
  };
}

export type OrdersView = ReturnType<typeof ordersView>;
