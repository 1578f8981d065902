import { Arg, Args, Ctx, FieldResolver, Float, ID, Query, Resolver, Root } from 'type-graphql';
import {
  instantToLocalTimestamp,
  multipleReviewsRule,
  PROVENANCE_COLUMNS,
  type DataFlag,
  type Resolved,
  type OrderItemView,
  type OrderView,
  type PaymentView,
  type ReviewView,
} from '../../fusion';
import { assertOlistId, badUserInput, decodeCursor, pageSize } from '../../shared';
import { ConnectionArgs, connectionFromKeysetPage, DateTimeScalar, TracedResolver, type Connection, type SubgraphContext } from '../common';
import { OrderConnection } from './connections';
import { OrdersFilter, OrdersOrderBy } from './order-filter.input';
import { crossFilteredOrders, needsCrossFilter } from './order-list.service';
import { OrderItem } from './order-item.type';
import { OrderStatus } from './order-status.enum';
import { Order } from './order.type';
import { Payment } from './payment.type';
import { UserReference } from './references.stub';
import { Review } from './review.type';

@Resolver(() => Order)
export class OrderResolver extends TracedResolver<OrderView>(() => Order, PROVENANCE_COLUMNS.order) {
  @Query(() => Order, { nullable: true })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<OrderView | null> {
    return ctx.data.order(assertOlistId(id));
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
    };
    if (needsCrossFilter(ordersFilter, orderBy))
      return crossFilteredOrders(ctx, args, filter, ordersFilter, orderBy, (request) => ctx.data.filteredOrdersPage(request));
    let after: { purchaseTimestamp: string; orderId: string } | undefined;
    if (args.after) {
      const [purchaseTimestamp, orderId] = decodeCursor(args.after, 2);
      after = { purchaseTimestamp: String(purchaseTimestamp), orderId: String(orderId) };
    }
    const orders = await ctx.data.ordersPage(filter, { after, limit: limit + 1 });
    return connectionFromKeysetPage(
      orders,
      limit,
      (order) => [order.purchaseTimestamp, order.id],
      after !== undefined,
      () => ctx.data.countOrders(filter),
    );
  }

  @FieldResolver(() => UserReference, { nullable: true, description: 'The person who placed the order (identity-resolved from the CRM account)' })
  async customer(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<UserReference | null> {
    return ctx.data.personOfAccount(order.customerAccountId);
  }

  @FieldResolver(() => [OrderItem])
  async items(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<OrderItemView[]> {
    return ctx.data.itemsOfOrder(order);
  }

  @FieldResolver(() => [Payment])
  async payments(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<PaymentView[]> {
    return ctx.data.paymentsOfOrder(order);
  }

  @FieldResolver(() => [Review], { nullable: true })
  async reviews(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<ReviewView[]> {
    return ctx.data.reviewsOfOrder(order);
  }

  @FieldResolver(() => Float, { description: 'Sum of item prices, BRL' })
  async itemsTotal(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<number> {
    return ctx.data.itemsTotalOf(order);
  }

  @FieldResolver(() => Float, { description: 'Sum of item freight, BRL' })
  async freightTotal(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<number> {
    return ctx.data.freightTotalOf(order);
  }

  @FieldResolver(() => Float, { description: 'Sum of payments, BRL' })
  async paymentTotal(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<number> {
    return ctx.data.paymentTotalOf(order);
  }

  @FieldResolver(() => Float, {
    description: 'What the order cost, by policy order.total_from_payments: the payments when there are any, else items + freight',
  })
  async total(@Root() order: OrderView, @Ctx() ctx: SubgraphContext): Promise<number> {
    return (await ctx.data.orderTotalOf(order)).value;
  }

  protected override async resolvedFields(order: OrderView, ctx: SubgraphContext): Promise<Record<string, Resolved<unknown>>> {
    return { total: await ctx.data.orderTotalOf(order) };
  }

  /** Flags that need the order's other records: several reviews, unclassified payments. */
  protected override async extraFlags(order: OrderView, ctx: SubgraphContext): Promise<DataFlag[]> {
    const [reviews, payments] = await Promise.all([ctx.data.reviewsOfOrder(order), ctx.data.paymentsOfOrder(order)]);
    const flags: DataFlag[] = [];
    const multiple = multipleReviewsRule.apply(reviews.length, undefined);
    if (multiple.flag) flags.push({ rule: multipleReviewsRule.name, field: 'reviews', message: multiple.flag });
    for (const payment of payments) flags.push(...payment.trace.flags.map((flag) => ({ ...flag, field: 'payments' })));
    return flags;
  }
}
