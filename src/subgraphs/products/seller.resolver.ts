import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { representativePoint, sellerView, type GeoPoint as Point, type SellerView } from '../../fusion';
import { assertOlistId } from '../../shared';
import { GeoPoint, type SubgraphContext } from '../common';
import { Seller } from './seller.type';

@Resolver(() => Seller)
export class SellerResolver {
  @Query(() => Seller, { nullable: true })
  async seller(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<SellerView | null> {
    const record = await ctx.loaders.sellerById.load(assertOlistId(id));
    return record ? sellerView(record) : null;
  }

  @FieldResolver(() => GeoPoint, { nullable: true, description: 'Where the zip prefix lies, from the geography source' })
  async location(@Root() seller: SellerView, @Ctx() ctx: SubgraphContext): Promise<Point | null> {
    return representativePoint(await ctx.loaders.locationsByZipPrefix.load(seller.zipPrefix));
  }
}
