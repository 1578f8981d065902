import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { PROVENANCE_COLUMNS, productView, type ProductView } from '../../fusion';
import { canSee, productRowScope } from '../../security';
import { assertOlistId, badUserInput, decodeCursor, pageSize } from '../../shared';
import {
  ConnectionArgs,
  connectionFromKeysetPage,
  needsRatingPlan,
  ProductsFilter,
  ProductsOrderBy,
  ratedProducts,
  TracedResolver,
  type Connection,
  type SubgraphContext,
} from '../common';
import { ProductConnection } from './product.connection';
import { Product } from './product.type';

@Resolver(() => Product)
export class ProductResolver extends TracedResolver<ProductView>(() => Product, PROVENANCE_COLUMNS.product) {
  @Query(() => Product, { nullable: true })
  async product(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<ProductView | null> {
    const record = await ctx.loaders.productById.load(assertOlistId(id));
    return record && (await canSee(ctx.principal, ctx.loaders, 'Product', record.productId)) ? productView(record, ctx.categories) : null;
  }

  @Query(() => ProductConnection, { nullable: true, description: 'Products in id order, optionally of one category (Portuguese or English name)' })
  async products(
    @Args() args: ConnectionArgs,
    @Arg('category', () => String, { nullable: true }) category: string | null,
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => ProductsFilter, { nullable: true }) filter?: ProductsFilter | null,
    @Arg('orderBy', () => ProductsOrderBy, { nullable: true, description: 'Default: by id, ascending' }) orderBy?: ProductsOrderBy | null,
  ): Promise<Connection<ProductView>> {
    if (needsRatingPlan(filter, orderBy)) {
      const scope = await productRowScope(ctx.principal, ctx.loaders);
      return ratedProducts(ctx, args, category, filter, orderBy, scope, (record) => productView(record, ctx.categories));
    }
    const limit = pageSize(args.first);
    let categoryNames: string[] | undefined;
    if (category !== null && category !== undefined) {
      if (category.trim() === '') throw badUserInput('"category" must not be empty', 'category');
      categoryNames = ctx.categories.rawNamesFor(category.trim());
    }
    const afterProductId = args.after ? String(decodeCursor(args.after, 1)[0]) : undefined;
    const productIds = await productRowScope(ctx.principal, ctx.loaders);
    const records = await ctx.sources.catalog.productsPage({ categoryNames, afterProductId, productIds, limit: limit + 1 });
    return connectionFromKeysetPage(
      records.map((record) => productView(record, ctx.categories)),
      limit,
      (product) => [product.id],
      afterProductId !== undefined,
      () => ctx.sources.catalog.countProducts(categoryNames, productIds),
    );
  }
}
