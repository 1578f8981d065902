import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import {
  ConnectionArgs,
  connectionFromSortedList,
  needsRatingPlan,
  ProductsFilter,
  ProductsOrderBy,
  ratedProducts,
  type Connection,
  type SubgraphContext,
} from '../common';
import { ProductConnection } from './connections';
import { ProductReference, SellerReference } from './references.stub';

/** What the order system knows of a seller: the products it has sold. */
@Resolver(() => SellerReference)
export class SellerProductsResolver {
  @FieldResolver(() => ProductConnection, { nullable: true, description: 'Distinct products the seller has sold, by id' })
  async products(
    @Root() seller: SellerReference,
    @Args() args: ConnectionArgs,
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => ProductsFilter, { nullable: true }) filter?: ProductsFilter | null,
    @Arg('orderBy', () => ProductsOrderBy, { nullable: true, description: 'Default: by id, ascending' }) orderBy?: ProductsOrderBy | null,
  ): Promise<Connection<ProductReference>> {
    if (needsRatingPlan(filter, orderBy))
      return ratedProducts(ctx, args, null, filter, orderBy, (request) => ctx.data.ratedProductsOfSeller(seller.id, request));
    return connectionFromSortedList(await ctx.data.productsOfSeller(seller.id), args, (product) => [product.id], 1);
  }
}
