import type { CatalogClient } from '../sql';
import type { CategoryTranslation, Product, Seller } from '../../../generated/prisma/catalog/client';
import { alignOne } from '../align';
import { prismaKeyedReads, type KeyedReads } from '../sql/keyed-reads';
import { NO_MEMO, type ResultMemo } from '../sql/result-memo';

export type ProductRecord = Product;
export type SellerRecord = Seller;
export type CategoryTranslationRecord = CategoryTranslation;

export interface CatalogModels {
  Product: Product;
  Seller: Seller;
}

export interface ProductPageQuery {
  /** Raw (Portuguese) category names as the catalog stores them. */
  categoryNames?: string[];
  afterProductId?: string;
  /** Row scope (src/read-model/row-scope.ts): only these products (a partner's own). */
  productIds?: string[];
  limit: number;
}

/** Catalog connector: products, sellers and the category translation table. */
export class CatalogSource {
  readonly name = 'catalog';

  constructor(
    private readonly client: CatalogClient,
    /** The by-key batches (./sql/keyed-reads.ts): straight SQLite reads in the embedded default. */
    private readonly keyed: KeyedReads<CatalogModels> = prismaKeyedReads<CatalogModels>(client),
    /** Counts kept until the store changes (./sql/result-memo.ts): the embedded default's SQLite file. */
    private readonly memo: ResultMemo = NO_MEMO,
  ) {}

  async allProducts(): Promise<ProductRecord[]> {
    return this.client.product.findMany();
  }

  async allSellers(): Promise<SellerRecord[]> {
    return this.client.seller.findMany();
  }

  /** Each product's raw category name, for grouping by it (one narrow scan; callers cache it). */
  async productCategoryNames(): Promise<{ productId: string; categoryName: string | null }[]> {
    return this.client.product.findMany({ select: { productId: true, categoryName: true } });
  }

  /** Each seller's raw state, for grouping by it. */
  async sellerStates(): Promise<{ sellerId: string; state: string }[]> {
    return this.client.seller.findMany({ select: { sellerId: true, state: true } });
  }

  async productsByIds(productIds: readonly string[]): Promise<(ProductRecord | null)[]> {
    const rows = await this.keyed.rowsWhereIn('Product', 'productId', productIds);
    return alignOne(productIds, rows, (row) => row.productId);
  }

  async sellersByIds(sellerIds: readonly string[]): Promise<(SellerRecord | null)[]> {
    const rows = await this.keyed.rowsWhereIn('Seller', 'sellerId', sellerIds);
    return alignOne(sellerIds, rows, (row) => row.sellerId);
  }

  async categoryTranslations(): Promise<CategoryTranslationRecord[]> {
    return this.client.categoryTranslation.findMany({ orderBy: { categoryName: 'asc' } });
  }

  async productsPage(query: ProductPageQuery): Promise<ProductRecord[]> {
    return this.client.product.findMany({
      where: this.productFilter(query.categoryNames, query.afterProductId, query.productIds),
      orderBy: { productId: 'asc' },
      take: query.limit,
    });
  }

  async countProducts(categoryNames?: string[], productIds?: string[]): Promise<number> {
    return this.memo.remember(`countProducts ${JSON.stringify([categoryNames ?? null, productIds ?? null])}`, () =>
      this.client.product.count({ where: this.productFilter(categoryNames, undefined, productIds) }),
    );
  }

  private productFilter(categoryNames?: string[], afterProductId?: string, productIds?: string[]) {
    return {
      ...(categoryNames !== undefined ? { categoryName: { in: categoryNames } } : {}),
      ...(productIds !== undefined ? { AND: [{ productId: { in: productIds } }] } : {}),
      ...(afterProductId !== undefined ? { productId: { gt: afterProductId } } : {}),
    };
  }
}
