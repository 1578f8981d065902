import { Arg, Ctx, FieldResolver, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { OrderView } from '../../fusion';
import { subscriptionsUnavailable } from '../../shared';
import type { OrderChangeStreams } from '../../gateway/realtime/order-streams';
import type { SubgraphContext, SubscriptionContext } from '../common';
import { OrderChange } from './order-change.type';
import { Order } from './order.type';

/** The caller's change streams; absent where this process does not follow the change events (or over plain HTTP). */
function streams(data: SubscribeResolverData<unknown, Record<string, unknown>, SubscriptionContext>, field: string): OrderChangeStreams {
  if (!data.context.changes) throw subscriptionsUnavailable(`${field} is served over SSE or WebSocket by a process that follows the change events`);
  return data.context.changes;
}

/** The event a subscription delivers; none when the operation came over plain HTTP and was executed as a query. */
function delivered(change: OrderChange | undefined, field: string): OrderChange {
  if (change === undefined || change === null)
    throw subscriptionsUnavailable(`${field} is served over SSE or WebSocket by a process that follows the change events`);
  return change;
}

const nullableId = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));

/**
 * The order subscriptions, with the embedded gateway's scopes (gateway/realtime/order-streams.ts): served by the
 * orders service over SSE or WebSocket, so a router that carries subscriptions (Hive Gateway) reaches them.
 */
@Resolver(() => OrderChange)
export class OrderChangeResolver {
  @Subscription(() => OrderChange, {
    description: "One order's changes (a customer its own orders, a partner those with its seller's lines)",
    subscribe: (data: SubscribeResolverData<unknown, Record<string, unknown>, SubscriptionContext>) =>
      streams(data, 'orderUpdated').orderUpdated(String(data.args.id)),
  })
  orderUpdated(@Root() change: OrderChange | undefined, @Arg('id', () => ID) _id: string): OrderChange {
    return delivered(change, 'orderUpdated');
  }

  @Subscription(() => OrderChange, {
    description: "A seller's order changes (a partner its own; bi and admin name the seller)",
    subscribe: (data: SubscribeResolverData<unknown, Record<string, unknown>, SubscriptionContext>) =>
      streams(data, 'ordersOfSeller').ordersOfSeller(nullableId(data.args.sellerId)),
  })
  ordersOfSeller(@Root() change: OrderChange | undefined, @Arg('sellerId', () => ID, { nullable: true }) _sellerId: string | null): OrderChange {
    return delivered(change, 'ordersOfSeller');
  }

  @FieldResolver(() => Order, {
    nullable: true,
    description: 'The order as it is after the change; null while the order system does not show it to the caller',
  })
  async order(@Root() change: OrderChange, @Ctx() ctx: SubgraphContext): Promise<OrderView | null> {
    return ctx.data.order(change.orderId);
  }
}
