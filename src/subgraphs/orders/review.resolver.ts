import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { orderView, PROVENANCE_COLUMNS, type OrderView, type ReviewView } from '../../fusion';
import { canSee } from '../../security';
import { forbidden } from '../../shared';
import { TracedResolver, type SubgraphContext } from '../common';
import { Order } from './order.type';
import { Review } from './review.type';

@Resolver(() => Review)
export class ReviewResolver extends TracedResolver<ReviewView>(() => Review, PROVENANCE_COLUMNS.review) {
  @FieldResolver(() => Order, { nullable: true })
  async order(@Root() review: ReviewView, @Ctx() ctx: SubgraphContext): Promise<OrderView | null> {
    // Reviews are listed within the caller's scope already; this holds should any other path reach one.
    if (!(await canSee(ctx.principal, ctx.loaders, 'Order', review.orderId))) throw forbidden('Review.order');
    const record = await ctx.loaders.orderById.load(review.orderId);
    return record ? orderView(record) : null;
  }
}
