/** Catalogue features: the product sheet (static reference data) and category-level as-of aggregates. */
import { STATES, type DeliveryContext, type FeatureSpec, type RecommendationContext } from './context';

const STATE_KEYS = [...STATES.map((s) => `st:${s}`), 'st:?'];
import { smoothedRate } from './event-series';
import { DAY_MS } from './time';

const log1p = Math.log1p;
const d = (spec: Omit<FeatureSpec<DeliveryContext>, 'source' | 'kind'>): FeatureSpec<DeliveryContext> => ({ source: 'catalog', kind: 'numeric', ...spec });

export const CATALOG_DELIVERY_FEATURES: FeatureSpec<DeliveryContext>[] = [
  d({
    name: 'd_log_weight_kg',
    transform: 'log1p',
    fill: 0.5,
    description: 'log1p total weight of the items, kg',
    compute: (c) => log1p(c.items.reduce((s, i) => s + (c.index.snap.products.get(i.productId)?.weightG ?? Number.NaN), 0) / 1000),
  }),
  d({
    name: 'd_log_volume_l',
    transform: 'log1p',
    fill: 2,
    description: 'log1p total volume of the items, litres',
    compute: (c) => log1p(c.items.reduce((s, i) => s + (c.index.snap.products.get(i.productId)?.volumeCm3 ?? Number.NaN), 0) / 1000),
  }),
  d({
    name: 'd_mean_photos',
    transform: 'identity',
    fill: 2,
    description: 'mean product photos',
    compute: (c) => (c.products.length ? c.products.reduce((s, p) => s + p.photos, 0) / c.products.length : Number.NaN),
  }),
  d({
    name: 'd_category_late',
    transform: 'rate',
    fill: 0.08,
    description: "late share of the main product's category, deliveries before purchase",
    compute: (c) => {
      const key = `c:${c.products[0]?.category ?? '?'}`;
      return smoothedRate(c.index.deliveries.sum(key, 0, -Infinity, c.t), c.index.deliveries.count(key, -Infinity, c.t), 0.08, 30);
    },
  }),
];

const r = (spec: Omit<FeatureSpec<RecommendationContext>, 'source' | 'kind'>): FeatureSpec<RecommendationContext> => ({
  source: 'catalog',
  kind: 'numeric',
  ...spec,
});

export const CATALOG_RECOMMENDATION_FEATURES: FeatureSpec<RecommendationContext>[] = [
  r({
    name: 'r_prod_log_price',
    scope: 'product',
    transform: 'log1p',
    fill: 4.5,
    description: 'log1p mean sale price before t',
    compute: (c) => (c.product.meanPrice > 0 ? log1p(c.product.meanPrice) : Number.NaN),
  }),
  r({
    name: 'r_prod_photos',
    scope: 'product',
    transform: 'identity',
    fill: 2,
    description: 'product photos',
    compute: (c) => c.product.product?.photos ?? Number.NaN,
  }),
  r({
    name: 'r_prod_log_weight',
    scope: 'product',
    transform: 'log1p',
    fill: 6.5,
    description: 'log1p weight, g',
    compute: (c) => log1p(c.product.product?.weightG ?? Number.NaN),
  }),
  r({
    name: 'r_prod_log_desc_len',
    scope: 'product',
    transform: 'log1p',
    fill: 6.5,
    description: 'log1p description length',
    compute: (c) => log1p(c.product.product?.descriptionLength ?? Number.NaN),
  }),
  r({
    name: 'r_cat_log_sales_30d',
    scope: 'product',
    transform: 'log1p',
    fill: 0,
    description: "log1p items of the product's category sold in the 30 days before t",
    compute: (c) => log1p(c.index.sales.count(`c:${c.product.category}`, c.t - 30 * DAY_MS, c.t)),
  }),
  r({
    name: 'r_user_cat_share',
    scope: 'pair',
    transform: 'rate',
    fill: 0,
    description: "share of the person's past items in the product's category",
    compute: (c) => (c.user.nItems ? (c.user.categories.get(c.product.category) ?? 0) / c.user.nItems : 0),
  }),
  r({
    name: 'r_cat_state_lift',
    scope: 'state',
    transform: 'identity',
    fill: 0,
    description: "log lift of the category in the user's state vs everywhere, 180 days before t",
    compute: (c) => {
      const from = c.t - 180 * DAY_MS;
      const inState = c.index.sales.count(`cs:${c.user.state}|${c.product.category}`, from, c.t);
      const state = c.index.sales.count(`st:${c.user.state}`, from, c.t);
      const cat = c.index.sales.count(`c:${c.product.category}`, from, c.t);
      const all = c.index.memo(`all-sales-180d|${c.t}`, () => STATE_KEYS.reduce((n, s) => n + c.index.sales.count(s, from, c.t), 0));
      return Math.log((inState + 1) / (state + 20) / ((cat + 1) / (all + 20)));
    },
  }),
];
