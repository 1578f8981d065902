/**
 * Review features. The scores carry no dates: a review counts as known from its order's delivery
 * (FeatureIndex.reviews is keyed by delivery time), never earlier.
 */
import type { DeliveryContext, FeatureSpec, RecommendationContext } from './context';

const PRIOR = 4.1;
const mean = (c: { index: DeliveryContext['index']; t: number }, key: string, weight: number) =>
  (c.index.reviews.sum(key, 0, -Infinity, c.t) + PRIOR * weight) / (c.index.reviews.count(key, -Infinity, c.t) + weight);
const lowRate = (c: { index: DeliveryContext['index']; t: number }, key: string, weight: number) =>
  (c.index.reviews.sum(key, 1, -Infinity, c.t) + 0.13 * weight) / (c.index.reviews.count(key, -Infinity, c.t) + weight);

export const REVIEWS_DELIVERY_FEATURES: FeatureSpec<DeliveryContext>[] = [
  {
    name: 'd_seller_review',
    source: 'reviews',
    kind: 'numeric',
    transform: 'identity',
    fill: PRIOR,
    description: "main seller's mean review score, reviews known before purchase (smoothed)",
    compute: (c) => (c.mainSeller ? mean(c, `se:${c.mainSeller.sellerId}`, 5) : Number.NaN),
  },
  {
    name: 'd_seller_low_review',
    source: 'reviews',
    kind: 'numeric',
    transform: 'rate',
    fill: 0.13,
    description: "main seller's share of 1-2 star reviews (smoothed)",
    compute: (c) => (c.mainSeller ? lowRate(c, `se:${c.mainSeller.sellerId}`, 5) : Number.NaN),
  },
  {
    name: 'd_customer_review',
    source: 'reviews',
    kind: 'numeric',
    transform: 'identity',
    fill: PRIOR,
    description: "the person's mean score on earlier delivered orders (smoothed)",
    compute: (c) => mean(c, `pe:${c.order.personId}`, 1),
  },
];

export const REVIEWS_RECOMMENDATION_FEATURES: FeatureSpec<RecommendationContext>[] = [
  {
    name: 'r_prod_review',
    scope: 'product',
    source: 'reviews',
    kind: 'numeric',
    transform: 'identity',
    fill: PRIOR,
    description: 'mean review of the product, reviews known before t (smoothed)',
    compute: (c) => mean(c, `p:${c.product.productId}`, 3),
  },
  {
    name: 'r_prod_log_reviews',
    scope: 'product',
    source: 'reviews',
    kind: 'numeric',
    transform: 'log1p',
    fill: 0,
    description: 'log1p reviews of the product known before t',
    compute: (c) => Math.log1p(c.index.reviews.count(`p:${c.product.productId}`, -Infinity, c.t)),
  },
  {
    name: 'r_seller_review',
    scope: 'product',
    source: 'reviews',
    kind: 'numeric',
    transform: 'identity',
    fill: PRIOR,
    description: "main seller's mean review known before t (smoothed)",
    compute: (c) => (c.product.seller ? mean(c, `se:${c.product.seller.sellerId}`, 5) : Number.NaN),
  },
];
