import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PROVENANCE_COLUMNS, type OrderView, type ReviewView } from '../../fusion';
import { TracedResolver, type SubgraphContext } from '../common';
import { Order } from './order.type';
import { Review } from './review.type';

@Resolver(() => Review)
export class ReviewResolver extends TracedResolver<ReviewView>(() => Review, PROVENANCE_COLUMNS.review) {
  @FieldResolver(() => Order, { nullable: true })
  async order(@Root() review: ReviewView, @Ctx() ctx: SubgraphContext): Promise<OrderView | null> {
    return ctx.data.orderOfReview(review);
  }
}
