import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { CRM_IDENTITY_RULE, PROVENANCE_COLUMNS, type AccountView, type GeoPoint as Point, type Resolved } from '../../fusion';
import { GeoPoint, TracedResolver, type SubgraphContext } from '../common';
import { CustomerAccount, IdentityLink } from './customer-account.type';

@Resolver(() => CustomerAccount)
export class CustomerAccountResolver extends TracedResolver<AccountView>(() => CustomerAccount, PROVENANCE_COLUMNS.account) {
  @FieldResolver(() => String, { description: 'The channel holding the account' })
  system(): string {
    return 'crm';
  }

  @FieldResolver(() => IdentityLink)
  link(): IdentityLink {
    return { rule: CRM_IDENTITY_RULE, confidence: 1 };
  }

  @FieldResolver(() => String, { nullable: true, description: "The CRM's city, cleaned; the geography reference's when the CRM's is not a city" })
  async city(@Root() account: AccountView, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    return ctx.data.cityOf(account);
  }

  @FieldResolver(() => GeoPoint, { nullable: true, description: 'Where the zip prefix lies, from the geography source' })
  async location(@Root() account: AccountView, @Ctx() ctx: SubgraphContext): Promise<Point | null> {
    return ctx.data.locationOfZip(account.zipPrefix);
  }

  protected override async resolvedFields(account: AccountView, ctx: SubgraphContext): Promise<Record<string, Resolved<unknown>>> {
    return { city: await ctx.data.cityDecision(account) };
  }
}
