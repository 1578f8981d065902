import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { orderView, type OrderView, type ReviewView } from '../../fusion';
import type { SubgraphContext } from '../common';
import { Order } from './order.type';
import { Review } from './review.type';

@Resolver(() => Review)
export class ReviewResolver {
  @FieldResolver(() => Order)
  async order(@Root() review: ReviewView, @Ctx() ctx: SubgraphContext): Promise<OrderView | null> {
    const record = await ctx.loaders.orderById.load(review.orderId);
    return record ? orderView(record) : null;
  }
}
