import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { productView, type Category as CategoryView, type ProductView } from '../../fusion';
import { assertOlistId, badUserInput, decodeCursor, pageSize } from '../../shared';
import { ConnectionArgs, connectionFromKeysetPage, type Connection, type SubgraphContext } from '../common';
import { Category } from './category.type';
import { ProductConnection } from './product.connection';
import { Product } from './product.type';

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, { nullable: true })
  async product(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<ProductView | null> {
    const record = await ctx.loaders.productById.load(assertOlistId(id));
    return record ? productView(record) : null;
  }

  @Query(() => ProductConnection, { description: 'Products in id order, optionally of one category (Portuguese or English name)' })
  async products(
    @Args() args: ConnectionArgs,
    @Arg('category', () => String, { nullable: true }) category: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Connection<ProductView>> {
    const limit = pageSize(args.first);
    let categoryNames: string[] | undefined;
    if (category !== null && category !== undefined) {
      if (category.trim() === '') throw badUserInput('"category" must not be empty', 'category');
      categoryNames = ctx.categories.rawNamesFor(category.trim());
    }
    const afterProductId = args.after ? String(decodeCursor(args.after, 1)[0]) : undefined;
    const records = await ctx.sources.catalog.productsPage({ categoryNames, afterProductId, limit: limit + 1 });
    return connectionFromKeysetPage(
      records.map(productView),
      limit,
      (product) => [product.id],
      afterProductId !== undefined,
      () => ctx.sources.catalog.countProducts(categoryNames),
    );
  }

  @FieldResolver(() => Category, { nullable: true, description: 'Null when the catalog has no category for the product' })
  category(@Root() product: ProductView, @Ctx() ctx: SubgraphContext): CategoryView | null {
    return ctx.categories.category(product.categoryName);
  }
}
