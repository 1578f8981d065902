import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, connectionFromSortedList, type Connection, type SubgraphContext } from '../common';
import { ProductConnection } from './connections';
import { ProductReference, SellerReference } from './references.stub';

/** What the order system knows of a seller: the products it has sold. */
@Resolver(() => SellerReference)
export class SellerProductsResolver {
  @FieldResolver(() => ProductConnection, { nullable: true, description: 'Distinct products the seller has sold, by id' })
  async products(@Root() seller: SellerReference, @Args() args: ConnectionArgs, @Ctx() ctx: SubgraphContext): Promise<Connection<ProductReference>> {
    return connectionFromSortedList(await ctx.data.productsOfSeller(seller.id), args, (product) => [product.id], 1);
  }
}
