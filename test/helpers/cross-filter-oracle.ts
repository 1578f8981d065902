/**
 * The connections' cross-system filters and sorts computed straight from the dataset files (through
 * olist-oracle), importing nothing from src/. The contract, written out independently:
 * - customerState: the order's customer row's state, trimmed + upper-cased, one of the 27 codes;
 * - category: the order has a line whose product's raw category is the name, or translates to it;
 *   a partner's lines only, for a partner;
 * - min/maxReviewScore: the mean score of the order's review rows lies in the range (no review: out);
 * - orders by (purchase timestamp, order id), both ascending or both descending;
 * - products by averageRating (the product's reviews, as olist-oracle defines them), no rating last
 *   whatever the direction, ties by product id ascending; or by id.
 */
import type { OlistOracle, OracleOrder, OracleProduct } from './olist-oracle';

const STATES = new Set('AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO'.split(' '));
const cleanState = (raw: string | undefined): string | null => {
  const code = (raw ?? '').trim().toUpperCase();
  return STATES.has(code) ? code : null;
};
const ascending = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface OrderOracleQuery {
  customerState?: string;
  category?: string;
  minReviewScore?: number;
  maxReviewScore?: number;
  status?: string;
  direction?: 'asc' | 'desc';
  /** Row scope: only orders of these accounts (a customer's), only lines of this seller (a partner's). */
  customerIds?: string[];
  sellerId?: string;
}

export function oracleOrderIds(oracle: OlistOracle, query: OrderOracleQuery): string[] {
  const accounts = query.customerIds ? new Set(query.customerIds) : undefined;
  const matchesCategory = (productId: string) => {
    const product = oracle.product(productId);
    const raw = product?.categoryName ?? null;
    return raw !== null && (raw === query.category || oracle.categoryNameEn(raw) === query.category);
  };
  const passes = (order: OracleOrder) => {
    if (query.status !== undefined && order.status !== query.status) return false;
    if (accounts && !accounts.has(order.customerId)) return false;
    if (query.customerState !== undefined && cleanState(oracle.account(order.customerId)?.state) !== query.customerState) return false;
    const lines = order.items.filter((item) => query.sellerId === undefined || item.sellerId === query.sellerId);
    if (query.sellerId !== undefined && lines.length === 0) return false;
    if (query.category !== undefined && !lines.some((item) => matchesCategory(item.productId))) return false;
    if (query.minReviewScore !== undefined || query.maxReviewScore !== undefined) {
      if (order.reviews.length === 0) return false;
      const mean = order.reviews.reduce((sum, review) => sum + review.score, 0) / order.reviews.length;
      if (mean < (query.minReviewScore ?? -Infinity) || mean > (query.maxReviewScore ?? Infinity)) return false;
    }
    return true;
  };
  const sign = query.direction === 'desc' ? -1 : 1;
  return [...oracle.ordersById().values()]
    .filter(passes)
    .sort((a, b) => sign * (ascending(a.purchaseTimestamp, b.purchaseTimestamp) || ascending(a.orderId, b.orderId)))
    .map((order) => order.orderId);
}

export interface ProductOracleQuery {
  category?: string;
  minAverageRating?: number;
  maxAverageRating?: number;
  sort: 'id' | 'averageRating';
  direction?: 'asc' | 'desc';
  productIds?: string[];
}

export function oracleProductIds(oracle: OlistOracle, query: ProductOracleQuery): string[] {
  const scope = query.productIds ? new Set(query.productIds) : undefined;
  const passes = (product: OracleProduct) => {
    if (scope && !scope.has(product.productId)) return false;
    if (query.category !== undefined) {
      const raw = product.categoryName;
      if (raw === null || (raw !== query.category && oracle.categoryNameEn(raw) !== query.category)) return false;
    }
    if (query.minAverageRating !== undefined || query.maxAverageRating !== undefined) {
      const rating = product.averageRating;
      if (rating === null || rating < (query.minAverageRating ?? -Infinity) || rating > (query.maxAverageRating ?? Infinity)) return false;
    }
    return true;
  };
  const desc = query.direction === 'desc';
  const compare = (a: OracleProduct, b: OracleProduct) => {
    if (query.sort === 'id') return (desc ? -1 : 1) * ascending(a.productId, b.productId);
    if (a.averageRating !== b.averageRating) {
      if (a.averageRating === null) return 1;
      if (b.averageRating === null) return -1;
      return desc ? b.averageRating - a.averageRating : a.averageRating - b.averageRating;
    }
    return ascending(a.productId, b.productId);
  };
  return [...oracle.productsById().values()]
    .filter(passes)
    .sort(compare)
    .map((product) => product.productId);
}
