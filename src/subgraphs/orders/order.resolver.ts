import { Arg, Args, Ctx, FieldResolver, Float, ID, Query, Resolver, Root } from 'type-graphql';
import {
  instantToLocalTimestamp,
  orderItemView,
  orderView,
  paymentView,
  multipleReviewsRule,
  personIdOfAccount,
  PROVENANCE_COLUMNS,
  resolveOrderTotal,
  reviewView,
  sumCents,
  type DataFlag,
  type Resolved,
  type OrderItemView,
  type OrderView,
  type PaymentView,
  type ReviewView,
} from '../../fusion';
import { canSee, orderRowScope, visibleItems } from '../../security';
import { assertOlistId, badUserInput, decodeCursor, pageSize } from '../../shared';
import { ConnectionArgs, connectionFromKeysetPage, DateTimeScalar, TracedResolver, type Connection, type SubgraphContext } from '../common';
import { OrderConnection } from './connections';
import { OrdersFilter, OrdersOrderBy } from './order-filter.input';
import { crossFilteredOrders, needsCrossFilter } from './order-list.service';
import { OrderItem } from './order-item.type';
import { OrderStatus } from './order-status.enum';
import { Order } from './order.type';
import { paymentTotalOf } from './order.service';
import { Payment } from './payment.type';
import { UserReference } from './references.stub';
import { Review } from './review.type';

@Resolver(() => Order)
export class OrderResolver extends TracedResolver<OrderView>(() => Order, PROVENANCE_COLUMNS.order) {
  @Query(() => Order, { nullable: true })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<OrderView | null> {
    const record = await ctx.loaders.orderById.load(assertOlistId(id));
    return record && (await canSee(ctx.principal, ctx.loaders, 'Order', record.orderId)) ? orderView(record) : null;
  }

  @Query(() => OrderConnection, { nullable: true, description: 'Orders by purchase time (then id), with optional filters' })
  async orders(
    @Args() args: ConnectionArgs,
    @Arg('status', () => OrderStatus, { nullable: true }) status: OrderStatus | null,
    @Arg('purchasedFrom', () => DateTimeScalar, { nullable: true, description: 'Inclusive' }) purchasedFrom: Date | null,
    @Arg('purchasedTo', () => DateTimeScalar, { nullable: true, description: 'Inclusive' }) purchasedTo: Date | null,
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => OrdersFilter, { nullable: true, description: 'Predicates other systems own' }) ordersFilter?: OrdersFilter | null,
    @Arg('orderBy', () => OrdersOrderBy, { nullable: true }) orderBy?: OrdersOrderBy | null,
  ): Promise<Connection<OrderView>> {
    const limit = pageSize(args.first);
    if (purchasedFrom && purchasedTo && purchasedFrom.getTime() > purchasedTo.getTime()) {
      throw badUserInput('"purchasedFrom" must not be later than "purchasedTo"', 'purchasedFrom');
    }
    const filter = {
      status: status ? status.toLowerCase() : undefined,
      purchasedFrom: purchasedFrom ? instantToLocalTimestamp(purchasedFrom) : undefined,
      purchasedTo: purchasedTo ? instantToLocalTimestamp(purchasedTo) : undefined,
      ...(await orderRowScope(ctx.principal, ctx.loaders)),
    };
    if (needsCrossFilter(ordersFilter, orderBy)) return crossFilteredOrders(ctx, args, filter, ordersFilter, orderBy, filter);
    let after: { purchaseTimestamp: string; orderId: string } | undefined;
    if (args.after) {
      const [purchaseTimestamp, orderId] = decodeCursor(args.after, 2);
      after = { purchaseTimestamp: String(purchaseTimestamp), orderId: String(orderId) };
    }
    const records = await ctx.sources.orders.ordersPage({ ...filter, after, limit: limit + 1 });
    return connectionFromKeysetPage(
      records.map(orderView),
      limit,
      (order) => [order.purchaseTimestamp, order.id],
      after !== undefined,
      () => ctx.sources.orders.countOrders(filter),
    );
  }

  @FieldResolver(() => UserReference, { nullable: true, description: 'The person who placed the order (identity-resolved from the CRM account)' })
  async customer(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<UserReference | null> {
    const personId = await personIdOfAccount(ctx.loaders, order.customerAccountId);
    return personId ? { id: personId } : null;
  }

  @FieldResolver(() => [OrderItem])
  async items(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<OrderItemView[]> {
    return (await this.visibleItems(order, ctx)).map(orderItemView);
  }

  @FieldResolver(() => [Payment])
  async payments(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<PaymentView[]> {
    return (await ctx.loaders.paymentsByOrderId.load(order.id)).map(paymentView);
  }

  @FieldResolver(() => [Review], { nullable: true })
  async reviews(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<ReviewView[]> {
    return (await ctx.loaders.reviewsByOrderId.load(order.id)).map(reviewView);
  }

  @FieldResolver(() => Float, { description: 'Sum of item prices, BRL' })
  async itemsTotal(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<number> {
    return sumCents((await this.visibleItems(order, ctx)).map((item) => item.price));
  }

  @FieldResolver(() => Float, { description: 'Sum of item freight, BRL' })
  async freightTotal(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<number> {
    return sumCents((await this.visibleItems(order, ctx)).map((item) => item.freightValue));
  }

  @FieldResolver(() => Float, { description: 'Sum of payments, BRL' })
  async paymentTotal(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<number> {
    return paymentTotalOf(ctx, [order.id]);
  }

  @FieldResolver(() => Float, {
    description: 'What the order cost, by policy order.total_from_payments: the payments when there are any, else items + freight',
  })
  async total(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<number> {
    return (await this.totalDecision(order, ctx)).value;
  }

  protected override async resolvedFields(order: OrderView, ctx: SubgraphContext): Promise<Record<string, Resolved<unknown>>> {
    return { total: await this.totalDecision(order, ctx) };
  }

  /** Flags that need the order's other records: several reviews, unclassified payments. */
  protected override async extraFlags(order: OrderView, ctx: SubgraphContext): Promise<DataFlag[]> {
    const [reviews, payments] = await Promise.all([ctx.loaders.reviewsByOrderId.load(order.id), ctx.loaders.paymentsByOrderId.load(order.id)]);
    const flags: DataFlag[] = [];
    const multiple = multipleReviewsRule.apply(reviews.length, undefined);
    if (multiple.flag) flags.push({ rule: multipleReviewsRule.name, field: 'reviews', message: multiple.flag });
    for (const payment of payments.map(paymentView)) flags.push(...payment.trace.flags.map((flag) => ({ ...flag, field: 'payments' })));
    return flags;
  }

  /** A partner sees (and sums) only its own lines of an order. */
  private async visibleItems(order: OrderView, ctx: SubgraphContext) {
    return visibleItems(ctx.principal, await ctx.loaders.itemsByOrderId.load(order.id));
  }

  private async totalDecision(order: OrderView, ctx: SubgraphContext): Promise<Resolved<number>> {
    const [items, payments] = await Promise.all([ctx.loaders.itemsByOrderId.load(order.id), ctx.loaders.paymentsByOrderId.load(order.id)]);
    return resolveOrderTotal(
      order.id,
      items.flatMap((item) => [item.price, item.freightValue]),
      payments.map((payment) => payment.paymentValue),
    );
  }
}
