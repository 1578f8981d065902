import { Args, Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import type { ReviewView } from '../../fusion';
import { visibleReviewOrders, visibleSellers } from '../../security';
import { ConnectionArgs, connectionFromSortedList, type Connection, type SubgraphContext } from '../common';
import { ReviewConnection } from './connections';
import { reviewsOfProduct } from './order.service';
import { ProductReference, SellerReference } from './references.stub';

/** The fields the order system adds to a catalog product: who sold it, how often, how it was rated. */
@Resolver(() => ProductReference)
export class ProductOrdersResolver {
  @FieldResolver(() => [SellerReference], { nullable: true, description: 'Sellers that sold the product, by id' })
  async sellers(@Root() product: ProductReference, @Ctx() ctx: SubgraphContext): Promise<SellerReference[]> {
    const items = await ctx.loaders.itemsByProductId.load(product.id);
    return visibleSellers(ctx.principal, [...new Set(items.map((item) => item.sellerId))].sort()).map((id) => ({ id }));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Distinct orders containing the product' })
  async orderCount(@Root() product: ProductReference, @Ctx() ctx: SubgraphContext): Promise<number> {
    const items = await ctx.loaders.itemsByProductId.load(product.id);
    return new Set(items.map((item) => item.orderId)).size;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Mean score of the reviews of orders containing the product' })
  async averageRating(@Root() product: ProductReference, @Ctx() ctx: SubgraphContext): Promise<number | null> {
    const reviews = await reviewsOfProduct(ctx, product.id);
    if (reviews.length === 0) return null;
    return reviews.reduce((sum, review) => sum + review.score, 0) / reviews.length;
  }

  @FieldResolver(() => ReviewConnection, { nullable: true, description: 'Reviews of orders containing the product, each once' })
  async reviews(@Root() product: ProductReference, @Args() args: ConnectionArgs, @Ctx() ctx: SubgraphContext): Promise<Connection<ReviewView>> {
    const reviews = await reviewsOfProduct(ctx, product.id, (orderIds) => visibleReviewOrders(ctx.principal, ctx.loaders, orderIds));
    return connectionFromSortedList(reviews, args, (review) => [review.storeLine], 1);
  }
}
