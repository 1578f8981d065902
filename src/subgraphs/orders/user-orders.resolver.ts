import { Arg, Args, Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import type { OrderView } from '../../fusion';
import { ConnectionArgs, connectionFromSortedList, type Connection, type SubgraphContext } from '../common';
import { OrderConnection } from './connections';
import { OrdersFilter, OrdersOrderBy } from './order-filter.input';
import { crossFilteredOrders, needsCrossFilter } from './order-list.service';
import { UserReference } from './references.stub';

/** The fields the order system adds to a person. */
@Resolver(() => UserReference)
export class UserOrdersResolver {
  @FieldResolver(() => OrderConnection, { nullable: true, description: "Orders over all of the person's accounts, by purchase time" })
  async orders(
    @Root() user: UserReference,
    @Args() args: ConnectionArgs,
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => OrdersFilter, { nullable: true, description: 'Predicates other systems own' }) filter?: OrdersFilter | null,
    @Arg('orderBy', () => OrdersOrderBy, { nullable: true }) orderBy?: OrdersOrderBy | null,
  ): Promise<Connection<OrderView>> {
    if (needsCrossFilter(filter, orderBy)) {
      return crossFilteredOrders(ctx, args, {}, filter, orderBy, (request) => ctx.data.filteredOrdersOfPerson(user.id, request));
    }
    const orders = await ctx.data.ordersOfPerson(user.id);
    return connectionFromSortedList(orders, args, (order) => [order.purchaseTimestamp, order.id], 2);
  }

  @FieldResolver(() => Int, { nullable: true })
  async orderCount(@Root() user: UserReference, @Ctx() ctx: SubgraphContext): Promise<number> {
    return (await ctx.data.ordersOfPerson(user.id)).length;
  }

  @FieldResolver(() => Float, { nullable: true, description: "Sum of the payments of all the person's orders, BRL" })
  async totalSpent(@Root() user: UserReference, @Ctx() ctx: SubgraphContext): Promise<number> {
    return ctx.data.totalSpentOf(user.id);
  }
}
