import type { ProductRecord, Sources } from '../../sources';
import { compareRanked, type CrossKeyIndex, type RankedProduct } from './key-index';

/**
 * Query.products / Seller.products sorted or filtered by the average rating, which no single system
 * holds (reviews belong to orders, products to the catalog, the link to the order lines). The plan: the
 * index's per-product rating (review store × order lines, aggregated once per process and kept) ranks
 * every catalog product; a page walks that ranking from the cursor, keeps the products that pass the
 * category / rating / row-scope filters, and reads only the page's products from the catalog.
 */
export interface ProductListRequest {
  /** Raw (catalog) category names. */
  categoryNames?: readonly string[];
  minAverageRating?: number;
  maxAverageRating?: number;
  sort: 'id' | 'averageRating';
  direction: 'asc' | 'desc';
  /** The cursor's key: [id] when sorted by id; [rating (−1: none), id] when sorted by rating. */
  after?: (string | number)[];
  limit: number;
}

export interface ProductListPage {
  products: ProductRecord[];
  /** The page's products' sort keys (for their cursors), aligned with `products`. */
  keys: (string | number)[][];
  count(): Promise<number>;
}

/** The sort key a cursor carries for a ranked product. */
export function productSortKey(product: RankedProduct, sort: ProductListRequest['sort']): (string | number)[] {
  return sort === 'id' ? [product.productId] : [product.rating ?? -1, product.productId];
}

export async function productListPage(
  sources: Pick<Sources, 'catalog'>,
  index: CrossKeyIndex,
  request: ProductListRequest,
  /** Row scope: only these products (a partner's own, a seller's). */
  scope?: readonly string[],
): Promise<ProductListPage> {
  const ranking = await index.ratingRanking(request.direction);
  const ordered = request.sort === 'id' ? byId(ranking, request.direction) : ranking;
  const categories = request.categoryNames ? await index.productCategory() : undefined;
  const names = request.categoryNames ? new Set(request.categoryNames) : undefined;
  const inScope = scope ? new Set(scope) : undefined;
  const min = request.minAverageRating ?? -Infinity;
  const max = request.maxAverageRating ?? Infinity;
  const ratingFiltered = request.minAverageRating !== undefined || request.maxAverageRating !== undefined;
  const passes = (product: RankedProduct) => {
    if (inScope && !inScope.has(product.productId)) return false;
    if (names) {
      const name = categories!.get(product.productId);
      if (name === null || name === undefined || !names.has(name)) return false;
    }
    if (ratingFiltered && (product.rating === null || product.rating < min || product.rating > max)) return false;
    return true;
  };
  let start = 0;
  if (request.after) {
    const after = request.after;
    const compare = (p: RankedProduct) =>
      request.sort === 'id' ? compareIds(p.productId, String(after[0]), request.direction) : compareRanked(p, cursorProduct(after), request.direction);
    start = firstAfter(ordered, compare);
  }
  const page: RankedProduct[] = [];
  for (let i = start; i < ordered.length && page.length < request.limit; i += 1) if (passes(ordered[i])) page.push(ordered[i]);
  const records = page.length > 0 ? await sources.catalog.productsByIds(page.map((p) => p.productId)) : [];
  const kept = page.flatMap((product, i) => (records[i] ? [{ record: records[i]!, key: productSortKey(product, request.sort) }] : []));
  return {
    products: kept.map((k) => k.record),
    keys: kept.map((k) => k.key),
    count: async () => ordered.reduce((n, product) => (passes(product) ? n + 1 : n), 0),
  };
}

function cursorProduct(after: (string | number)[]): RankedProduct {
  const rating = Number(after[0]);
  return { productId: String(after[1]), rating: rating < 0 ? null : rating };
}

function compareIds(a: string, b: string, direction: 'asc' | 'desc'): number {
  const c = a < b ? -1 : a > b ? 1 : 0;
  return direction === 'asc' ? c : -c;
}

/** The first index whose product sorts after the cursor (`compare` < 0 / 0 / > 0: before / at / after it). */
function firstAfter(ordered: readonly RankedProduct[], compare: (p: RankedProduct) => number): number {
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(ordered[mid]) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byIdCache = new WeakMap<readonly RankedProduct[], Record<'asc' | 'desc', RankedProduct[]>>();

function byId(ranking: readonly RankedProduct[], direction: 'asc' | 'desc'): RankedProduct[] {
  let sorted = byIdCache.get(ranking);
  if (!sorted) {
    const asc = [...ranking].sort((a, b) => compareIds(a.productId, b.productId, 'asc'));
    sorted = { asc, desc: [...asc].reverse() };
    byIdCache.set(ranking, sorted);
  }
  return sorted[direction];
}
