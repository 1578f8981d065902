import { productView, sellerView, type ProductView, type SellerView } from '../fusion';
import { canSee, productRowScope } from './row-scope';
import type { RequestReads } from './request-reads';

/** The catalog: products (with their categories in both languages) and sellers. */
export function catalogView({ loaders, sources, principal, categories }: RequestReads) {
  const productsFilter = async (category: string | undefined) => ({
    categoryNames: category === undefined ? undefined : categories.rawNamesFor(category),
    productIds: await productRowScope(principal, loaders),
  });
  return {
    /** A product by id; null when unknown or out of the caller's scope (a partner: its own products). */
    async product(id: string): Promise<ProductView | null> {
      const record = await loaders.productById.load(id);
      return record && (await canSee(principal, loaders, 'Product', record.productId)) ? productView(record, categories) : null;
    },

    /** Products in id order after `afterProductId`, optionally of one category (Portuguese or English name), within the caller's scope. */
    async productsPage(query: { category?: string; afterProductId?: string; limit: number }): Promise<ProductView[]> {
      const records = await sources.catalog.productsPage({
        ...(await productsFilter(query.category)),
        afterProductId: query.afterProductId,
        limit: query.limit,
      });
      return records.map((record) => productView(record, categories));
    },

    /** How many products `productsPage` would list over all pages. */
    async countProducts(category: string | undefined): Promise<number> {
      const { categoryNames, productIds } = await productsFilter(category);
      return sources.catalog.countProducts(categoryNames, productIds);
    },

    /** A seller by id; null when unknown or out of the caller's scope (a partner: itself). */
    async seller(id: string): Promise<SellerView | null> {
      const record = await loaders.sellerById.load(id);
      return record && (await canSee(principal, loaders, 'Seller', record.sellerId)) ? sellerView(record) : null;
    },
  };
}

export type CatalogView = ReturnType<typeof catalogView>;
