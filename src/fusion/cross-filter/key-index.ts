import type { Sources } from '../../sources';
import { cachedFor, type KeyChange, type Kept, type ReferenceMaps, type ScoreSum } from '../analytics/reference-maps';

export type { ScoreSum };

/** A product in the rating ranking: its id and mean review score (null: no review of any order holding it). */
export interface RankedProduct {
  productId: string;
  rating: number | null;
}

/**
 * The per-key facts each owning system answers for the cross-system filters, each read in one narrow
 * scan when first needed and kept for `ttlMs` (like the analytics reference maps, which it reuses for
 * the CRM's account states and the review sums):
 * - CRM: account → cleaned state (ReferenceMaps.accountState);
 * - catalog: product → raw category name;
 * - review store: order → its reviews' count and score sum; which orders have none (against the order system's ids);
 * - reviews × order lines: product → count and sum of the reviews of the distinct orders holding it
 *   (Product.averageRating's figure), and the catalog's products ranked by it.
 */
export interface CrossKeyIndex {
  accountState(): Promise<Map<string, string | null>>;
  productCategory(): Promise<Map<string, string | null>>;
  orderReviews(): Promise<Map<string, ScoreSum>>;
  unreviewedOrderIds(): Promise<string[]>;
  productRatings(): Promise<Map<string, ScoreSum>>;
  /** Every catalog product by rating in `direction` (products without one last), ties by id ascending. */
  ratingRanking(direction: 'asc' | 'desc'): Promise<RankedProduct[]>;
  /** Drops the key sets a change makes stale (read anew on next use); the account states are the reference maps'. */
  invalidate(change: KeyChange): void;
}

export function createCrossKeyIndex(sources: Pick<Sources, 'orders' | 'reviews' | 'catalog'>, maps: ReferenceMaps, ttlMs = 10 * 60_000): CrossKeyIndex {
  const cached = cachedFor(ttlMs);
  const productCategory = cached(async () => new Map((await sources.catalog.productCategoryNames()).map((row) => [row.productId, row.categoryName])));
  const orderReviews = () => maps.orderReviews();
  const productRatings = cached(async () => {
    const [pairs, reviews] = await Promise.all([sources.orders.allProductOrderPairs(), orderReviews()]);
    const byProduct = new Map<string, ScoreSum>();
    for (const { productId, orderId } of pairs) {
      const review = reviews.get(orderId);
      if (!review) continue;
      const entry = byProduct.get(productId) ?? { n: 0, sum: 0 };
      entry.n += review.n;
      entry.sum += review.sum;
      byProduct.set(productId, entry);
    }
    return byProduct;
  });
  const ranking = (direction: 'asc' | 'desc') =>
    cached(async () => {
      const [products, ratings] = await Promise.all([productCategory(), productRatings()]);
      const ranked = [...products.keys()].map((productId) => {
        const r = ratings.get(productId);
        return { productId, rating: r ? r.sum / r.n : null };
      });
      return ranked.sort((a, b) => compareRanked(a, b, direction));
    });
  const ascending = ranking('asc');
  const descending = ranking('desc');
  const unreviewedOrderIds = cached(async () => {
    const [ids, reviews] = await Promise.all([sources.orders.allOrderIds(), orderReviews()]);
    return ids.filter((id) => !reviews.has(id));
  });
  // A new order or line changes which orders lack a review and which orders hold a product; a review, the scores too.
  const staleBy: Record<KeyChange, Kept<unknown>[]> = {
    accounts: [],
    orders: [unreviewedOrderIds, productRatings, ascending, descending],
    reviews: [unreviewedOrderIds, productRatings, ascending, descending],
  };
  return {
    accountState: () => maps.accountState(),
    productCategory,
    orderReviews,
    unreviewedOrderIds,
    productRatings,
    ratingRanking: (direction) => (direction === 'asc' ? ascending() : descending()),
    invalidate: (change) => staleBy[change].forEach((kept) => kept.clear()),
  };
}

/** Rating in `direction`, products without a rating last whatever the direction, then id ascending. */
export function compareRanked(a: RankedProduct, b: RankedProduct, direction: 'asc' | 'desc'): number {
  if (a.rating !== b.rating) {
    if (a.rating === null) return 1;
    if (b.rating === null) return -1;
    return direction === 'desc' ? b.rating - a.rating : a.rating - b.rating;
  }
  return a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
}
