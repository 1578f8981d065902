import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { representativePoint, type AccountView, type GeoPoint as Point } from '../../fusion';
import { GeoPoint, type SubgraphContext } from '../common';
import { CustomerAccount } from './customer-account.type';

@Resolver(() => CustomerAccount)
export class CustomerAccountResolver {
  @FieldResolver(() => GeoPoint, { nullable: true, description: 'Where the zip prefix lies, from the geography source' })
  async location(@Root() account: AccountView, @Ctx() ctx: SubgraphContext): Promise<Point | null> {
    return representativePoint(await ctx.loaders.locationsByZipPrefix.load(account.zipPrefix));
  }
}
