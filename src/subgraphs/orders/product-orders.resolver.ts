import { Args, Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import type { ReviewView } from '../../fusion';
import { ConnectionArgs, connectionFromSortedList, type Connection, type SubgraphContext } from '../common';
import { ReviewConnection } from './connections';
import { ProductReference, SellerReference } from './references.stub';

/** The fields the order system adds to a catalog product: who sold it, how often, how it was rated. */
@Resolver(() => ProductReference)
export class ProductOrdersResolver {
  @FieldResolver(() => [SellerReference], { nullable: true, description: 'Sellers that sold the product, by id' })
  async sellers(@Root() product: ProductReference, @Ctx() ctx: SubgraphContext): Promise<SellerReference[]> {
    return ctx.data.sellersOfProduct(product.id);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Distinct orders containing the product' })
  async orderCount(@Root() product: ProductReference, @Ctx() ctx: SubgraphContext): Promise<number> {
    return ctx.data.orderCountOfProduct(product.id);
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Mean score of the reviews of orders containing the product' })
  async averageRating(@Root() product: ProductReference, @Ctx() ctx: SubgraphContext): Promise<number | null> {
    return ctx.data.averageRatingOfProduct(product.id);
  }

  @FieldResolver(() => ReviewConnection, { nullable: true, description: 'Reviews of orders containing the product, each once' })
  async reviews(@Root() product: ProductReference, @Args() args: ConnectionArgs, @Ctx() ctx: SubgraphContext): Promise<Connection<ReviewView>> {
    const reviews = await ctx.data.reviewsOfProduct(product.id);
    return connectionFromSortedList(reviews, args, (review) => [review.storeLine], 1);
  }
}
