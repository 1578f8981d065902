import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { PROVENANCE_COLUMNS, type GeoPoint as Point, type Resolved, type SellerView } from '../../fusion';
import { assertOlistId } from '../../shared';
import { GeoPoint, TracedResolver, type SubgraphContext } from '../common';
import { Seller } from './seller.type';

@Resolver(() => Seller)
export class SellerResolver extends TracedResolver<SellerView>(() => Seller, PROVENANCE_COLUMNS.seller) {
  @Query(() => Seller, { nullable: true })
  async seller(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<SellerView | null> {
    return ctx.data.seller(assertOlistId(id));
  }

  @FieldResolver(() => String, { nullable: true, description: "The catalog's city, cleaned; the geography reference's when the catalog's is not a city" })
  async city(@Root() seller: SellerView, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    return ctx.data.cityOf(seller);
  }

  @FieldResolver(() => GeoPoint, { nullable: true, description: 'Where the zip prefix lies, from the geography source' })
  async location(@Root() seller: SellerView, @Ctx() ctx: SubgraphContext): Promise<Point | null> {
    return ctx.data.locationOfZip(seller.zipPrefix);
  }

  protected override async resolvedFields(seller: SellerView, ctx: SubgraphContext): Promise<Record<string, Resolved<unknown>>> {
    return { city: await ctx.data.cityDecision(seller) };
  }
}
