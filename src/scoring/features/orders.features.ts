/** Order-management features (orders and items): basket, promised dates, seasonality, as-of volumes and lateness. */
import type { DeliveryContext, FeatureSpec, RecommendationContext } from './context';
import { GLOBAL } from './feature-index';
import { maxOrNaN, smoothedRate } from './event-series';
import { DAY_MS } from './time';

const log1p = Math.log1p;
const PRIOR_LATE = 0.08;

function lateRate(ctx: DeliveryContext, key: string, windowDays: number, weight: number, prior = PRIOR_LATE): number {
  const from = windowDays > 0 ? ctx.t - windowDays * DAY_MS : -Infinity;
  const n = ctx.index.deliveries.count(key, from, ctx.t);
  const late = ctx.index.deliveries.sum(key, 0, from, ctx.t);
  return smoothedRate(late, n, prior, weight);
}

/** The seller-state → customer-state route of the order's main seller. */
const routeKey = (ctx: DeliveryContext) => `rt:${ctx.mainSeller?.state ?? '?'}>${ctx.state}`;

function meanDays(ctx: DeliveryContext, key: string, windowDays: number, prior: number, weight: number): number {
  const from = windowDays > 0 ? ctx.t - windowDays * DAY_MS : -Infinity;
  const n = ctx.index.deliveries.count(key, from, ctx.t);
  return (ctx.index.deliveries.sum(key, 1, from, ctx.t) + prior * weight) / (n + weight);
}

function overdueRate(ctx: DeliveryContext, key: string, days: number): number {
  const [due, overdue] = ctx.index.estimates.overdue(key, ctx.t, days);
  return smoothedRate(overdue, due, PRIOR_LATE, 5);
}

const d = (spec: Omit<FeatureSpec<DeliveryContext>, 'source' | 'kind'> & { kind?: 'numeric' }): FeatureSpec<DeliveryContext> => ({
  source: 'orders',
  kind: 'numeric',
  ...spec,
});

export const ORDERS_DELIVERY_FEATURES: FeatureSpec<DeliveryContext>[] = [
  d({ name: 'd_n_items', transform: 'identity', fill: 1, description: 'items in the order', compute: (c) => c.items.length }),
  d({ name: 'd_n_sellers', transform: 'identity', fill: 1, description: 'distinct sellers in the order', compute: (c) => c.sellers.length }),
  d({
    name: 'd_log_price',
    transform: 'log1p',
    fill: 0,
    description: 'log1p total item price',
    compute: (c) => log1p(c.items.reduce((s, i) => s + i.price, 0)),
  }),
  d({
    name: 'd_log_freight',
    transform: 'log1p',
    fill: 0,
    description: 'log1p total freight',
    compute: (c) => log1p(c.items.reduce((s, i) => s + i.freight, 0)),
  }),
  d({
    name: 'd_freight_ratio',
    transform: 'rate',
    fill: 0,
    description: 'freight / (price + freight)',
    compute: (c) => {
      const f = c.items.reduce((s, i) => s + i.freight, 0);
      const p = c.items.reduce((s, i) => s + i.price, 0);
      return f + p > 0 ? f / (f + p) : Number.NaN;
    },
  }),
  d({
    name: 'd_est_days',
    transform: 'identity',
    fill: 24,
    description: 'promised delivery: estimated date - purchase, days',
    compute: (c) => (c.order.estimated - c.t) / DAY_MS,
  }),
  d({
    name: 'd_ship_limit_days',
    transform: 'identity',
    fill: 6,
    description: 'latest seller shipping limit - purchase, days',
    compute: (c) => (c.items.length ? Math.max(...c.items.map((i) => i.shippingLimit)) - c.t : Number.NaN) / DAY_MS,
  }),
  d({ name: 'd_purchase_hour', transform: 'identity', fill: 12, description: 'hour of purchase (local)', compute: (c) => new Date(c.t).getUTCHours() }),
  d({ name: 'd_purchase_dow', transform: 'identity', fill: 3, description: 'day of week of purchase (0 = Sunday)', compute: (c) => new Date(c.t).getUTCDay() }),
  d({
    name: 'd_log_orders_7d',
    transform: 'log1p',
    fill: 0,
    description: 'log1p orders placed platform-wide in the 7 days before',
    compute: (c) => log1p(c.index.purchases.count(GLOBAL, c.t - 7 * DAY_MS, c.t)),
  }),
  d({
    name: 'd_log_state_orders_7d',
    transform: 'log1p',
    fill: 0,
    description: "log1p orders placed in the customer's state in the 7 days before",
    compute: (c) => log1p(c.index.purchases.count(`st:${c.state}`, c.t - 7 * DAY_MS, c.t)),
  }),
  d({
    name: 'd_global_late_30d',
    transform: 'rate',
    fill: PRIOR_LATE,
    description: 'late share of deliveries completed in the 30 days before',
    compute: (c) => lateRate(c, GLOBAL, 30, 20),
  }),
  d({
    name: 'd_global_overdue_14d',
    transform: 'rate',
    fill: PRIOR_LATE,
    description: 'share of orders due in the 14 days before (start of day) still undelivered then',
    compute: (c) => overdueRate(c, GLOBAL, 14),
  }),
  d({
    name: 'd_state_overdue_14d',
    transform: 'rate',
    fill: PRIOR_LATE,
    description: "same, customer's state",
    compute: (c) => overdueRate(c, `st:${c.state}`, 14),
  }),
  d({
    name: 'd_state_late_60d',
    transform: 'rate',
    fill: PRIOR_LATE,
    description: "late share of deliveries to the customer's state completed in the 60 days before",
    compute: (c) => lateRate(c, `st:${c.state}`, 60, 20),
  }),
  d({
    name: 'd_state_days_60d',
    transform: 'identity',
    fill: 12,
    description: 'mean purchase-to-delivery days of deliveries to the state completed in the 60 days before',
    compute: (c) => meanDays(c, `st:${c.state}`, 60, 12, 10),
  }),
  d({
    name: 'd_seller_late',
    transform: 'rate',
    fill: PRIOR_LATE,
    description: "worst seller's late share over its deliveries completed before purchase",
    compute: (c) => maxOrNaN(c.sellers.map((s) => lateRate(c, `se:${s.sellerId}`, 0, 10))),
  }),
  d({
    name: 'd_seller_log_delivered',
    transform: 'log1p',
    fill: 0,
    description: 'log1p deliveries the main seller completed before purchase',
    compute: (c) => (c.mainSeller ? log1p(c.index.deliveries.count(`se:${c.mainSeller.sellerId}`, -Infinity, c.t)) : Number.NaN),
  }),
  d({
    name: 'd_seller_overdue_14d',
    transform: 'log1p',
    fill: 0,
    description: "log1p main seller's orders due in the 14 days before and undelivered",
    compute: (c) => (c.mainSeller ? log1p(c.index.estimates.overdue(`se:${c.mainSeller.sellerId}`, c.t, 14)[1]) : Number.NaN),
  }),
  d({
    name: 'd_seller_log_sales_30d',
    transform: 'log1p',
    fill: 0,
    description: 'log1p items the main seller sold in the 30 days before',
    compute: (c) => (c.mainSeller ? log1p(c.index.sales.count(`s:${c.mainSeller.sellerId}`, c.t - 30 * DAY_MS, c.t)) : Number.NaN),
  }),
  d({
    name: 'd_seller_handling_days',
    transform: 'identity',
    fill: 3,
    description: "main seller's mean purchase-to-carrier days over hand-overs before purchase (smoothed)",
    compute: (c) => {
      if (!c.mainSeller) return Number.NaN;
      const key = `se:${c.mainSeller.sellerId}`;
      const n = c.index.handling.count(key, -Infinity, c.t);
      return (c.index.handling.sum(key, 0, -Infinity, c.t) + 3 * 5) / (n + 5);
    },
  }),
  d({
    name: 'd_route_late',
    transform: 'rate',
    fill: PRIOR_LATE,
    description: 'late share on the seller-state → customer-state route, deliveries before purchase',
    compute: (c) => lateRate(c, routeKey(c), 0, 20),
  }),
  d({
    name: 'd_route_days',
    transform: 'identity',
    fill: 12,
    description: 'mean delivery days on the route, deliveries before purchase',
    compute: (c) => meanDays(c, routeKey(c), 0, 12, 10),
  }),
  d({
    name: 'd_route_late_90d',
    transform: 'rate',
    fill: PRIOR_LATE,
    description: 'late share on the route, deliveries completed in the 90 days before (smoothed toward the platform share of those days)',
    compute: (c) => lateRate(c, routeKey(c), 90, 20, lateRate(c, GLOBAL, 90, 20)),
  }),
  d({
    name: 'd_route_days_90d',
    transform: 'identity',
    fill: 12,
    description: 'mean delivery days on the route, deliveries completed in the 90 days before (smoothed toward the platform mean of those days)',
    compute: (c) => meanDays(c, routeKey(c), 90, meanDays(c, GLOBAL, 90, 12, 10), 10),
  }),
  d({
    name: 'd_est_minus_route_days_90d',
    transform: 'identity',
    fill: 12,
    description: 'promised days minus the recent (90 d) route mean delivery days: the slack the promise leaves today',
    compute: (c) => (c.order.estimated - c.t) / DAY_MS - meanDays(c, routeKey(c), 90, meanDays(c, GLOBAL, 90, 12, 10), 10),
  }),
  d({
    name: 'd_est_minus_state_days_60d',
    transform: 'identity',
    fill: 12,
    description: "promised days minus the recent (60 d) mean delivery days to the customer's state",
    compute: (c) => (c.order.estimated - c.t) / DAY_MS - meanDays(c, `st:${c.state}`, 60, 12, 10),
  }),
  d({
    name: 'd_global_days_30d',
    transform: 'identity',
    fill: 12,
    description: 'mean delivery days platform-wide, deliveries completed in the 30 days before',
    compute: (c) => meanDays(c, GLOBAL, 30, 12, 10),
  }),
  d({
    name: 'd_route_overdue_14d',
    transform: 'rate',
    fill: PRIOR_LATE,
    description: 'share of the route orders due in the 14 days before (start of day) still undelivered then',
    compute: (c) => overdueRate(c, routeKey(c), 14),
  }),
  d({
    name: 'd_est_minus_route_days_30d',
    transform: 'identity',
    fill: 12,
    description: 'promised days minus the route mean delivery days of the 30 days before (smoothed toward the 90 d route mean)',
    compute: (c) => (c.order.estimated - c.t) / DAY_MS - meanDays(c, routeKey(c), 30, meanDays(c, routeKey(c), 90, meanDays(c, GLOBAL, 90, 12, 10), 10), 10),
  }),
  d({
    name: 'd_customer_prior_orders',
    transform: 'log1p',
    fill: 0,
    description: "log1p the person's orders before this one",
    compute: (c) => log1p(c.index.ordersBefore(c.order.personId, c.t).length),
  }),
];

const r = (spec: Omit<FeatureSpec<RecommendationContext>, 'source' | 'kind'>): FeatureSpec<RecommendationContext> => ({
  source: 'orders',
  kind: 'numeric',
  ...spec,
});

const sales = (c: RecommendationContext, key: string, days: number) => c.index.sales.count(key, days > 0 ? c.t - days * DAY_MS : -Infinity, c.t);

export const ORDERS_RECOMMENDATION_FEATURES: FeatureSpec<RecommendationContext>[] = [
  r({
    name: 'r_prod_log_sales_all',
    scope: 'product',
    transform: 'log1p',
    fill: 0,
    description: 'log1p items of the product sold before t',
    compute: (c) => log1p(sales(c, `p:${c.product.productId}`, 0)),
  }),
  r({
    name: 'r_prod_log_sales_30d',
    scope: 'product',
    transform: 'log1p',
    fill: 0,
    description: 'log1p sold in the 30 days before t',
    compute: (c) => log1p(sales(c, `p:${c.product.productId}`, 30)),
  }),
  r({
    name: 'r_prod_log_sales_7d',
    scope: 'product',
    transform: 'log1p',
    fill: 0,
    description: 'log1p sold in the 7 days before t',
    compute: (c) => log1p(sales(c, `p:${c.product.productId}`, 7)),
  }),
  r({
    name: 'r_prod_trend',
    scope: 'product',
    transform: 'identity',
    fill: 0,
    description: 'log((sold 30d + 1) / (sold in the 90 days before those / 3 + 1))',
    compute: (c) => {
      const key = `p:${c.product.productId}`;
      const recent = c.index.sales.count(key, c.t - 30 * DAY_MS, c.t);
      const before = c.index.sales.count(key, c.t - 120 * DAY_MS, c.t - 30 * DAY_MS);
      return Math.log((recent + 1) / (before / 3 + 1));
    },
  }),
  r({
    name: 'r_prod_state_log_sales_180d',
    scope: 'state',
    transform: 'log1p',
    fill: 0,
    description: "log1p sold in the user's state in the 180 days before t",
    compute: (c) => log1p(sales(c, `ps:${c.user.state}|${c.product.productId}`, 180)),
  }),
  r({
    name: 'r_prod_log_days_since_sale',
    scope: 'product',
    transform: 'log1p',
    fill: 6,
    description: 'log1p days since its last sale before t',
    compute: (c) => log1p((c.t - c.index.sales.lastBefore(`p:${c.product.productId}`, c.t)) / DAY_MS),
  }),
  r({
    name: 'r_user_log_orders',
    scope: 'user',
    transform: 'log1p',
    fill: 0,
    description: "log1p the person's orders before t",
    compute: (c) => log1p(c.user.orders.length),
  }),
  r({
    name: 'r_user_is_returning',
    scope: 'user',
    transform: 'identity',
    fill: 0,
    description: '1 when the person ordered before t',
    compute: (c) => (c.user.orders.length > 0 ? 1 : 0),
  }),
  r({
    name: 'r_user_log_days_since_order',
    scope: 'user',
    transform: 'log1p',
    fill: -1,
    description: 'log1p days since the last order (-1: none)',
    compute: (c) => (c.user.orders.length ? log1p((c.t - c.user.orders[c.user.orders.length - 1].purchase) / DAY_MS) : Number.NaN),
  }),
  r({
    name: 'r_user_bought_product',
    scope: 'pair',
    transform: 'identity',
    fill: 0,
    description: 'times the person bought this product before t',
    compute: (c) => c.user.bought.get(c.product.productId)?.[0] ?? 0,
  }),
  r({
    name: 'r_user_log_days_since_product',
    scope: 'pair',
    transform: 'log1p',
    fill: -1,
    description: 'log1p days since the person last bought it (-1: never)',
    compute: (c) => {
      const b = c.user.bought.get(c.product.productId);
      return b ? log1p((c.t - b[1]) / DAY_MS) : Number.NaN;
    },
  }),
  r({
    name: 'r_copurchase_max',
    scope: 'pair',
    transform: 'identity',
    fill: 0,
    description: 'max item-kNN cosine (co-purchases before t) to a product the person bought',
    compute: (c) => Math.max(0, ...c.coSimilarity),
  }),
  r({
    name: 'r_copurchase_sum',
    scope: 'pair',
    transform: 'identity',
    fill: 0,
    description: 'sum of those cosines',
    compute: (c) => c.coSimilarity.reduce((s, v) => s + v, 0),
  }),
  r({
    name: 'r_user_bought_seller',
    scope: 'pair',
    transform: 'log1p',
    fill: 0,
    description: "log1p items the person bought from the product's main seller",
    compute: (c) => log1p(c.product.seller ? (c.user.sellers.get(c.product.seller.sellerId) ?? 0) : 0),
  }),
];
