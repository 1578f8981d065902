import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { PROVENANCE_COLUMNS, type ProductView } from '../../fusion';
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
    return ctx.data.product(assertOlistId(id));
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
      return ratedProducts(ctx, args, category, filter, orderBy, (request) => ctx.data.ratedProductsPage(request));
    }
    const limit = pageSize(args.first);
    let categoryName: string | undefined;
    if (category !== null && category !== undefined) {
      if (category.trim() === '') throw badUserInput('"category" must not be empty', 'category');
      categoryName = category.trim();
    }
    const afterProductId = args.after ? String(decodeCursor(args.after, 1)[0]) : undefined;
    const products = await ctx.data.productsPage({ category: categoryName, afterProductId, limit: limit + 1 });
    return connectionFromKeysetPage(
      products,
      limit,
      (product) => [product.id],
      afterProductId !== undefined,
      () => ctx.data.countProducts(categoryName),
    );
  }
}
