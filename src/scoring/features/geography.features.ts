/** Geography features: customer and seller coordinates from the zip-prefix reference, distances. */
import type { DeliveryContext, FeatureSpec, RecommendationContext } from './context';
import { maxOrNaN } from './event-series';
import { haversineKm } from './feature-index';

const d = (spec: Omit<FeatureSpec<DeliveryContext>, 'source' | 'kind'>): FeatureSpec<DeliveryContext> => ({ source: 'geography', kind: 'numeric', ...spec });
const customerPoint = (c: DeliveryContext) => c.index.point(c.account?.zip);

export const GEOGRAPHY_DELIVERY_FEATURES: FeatureSpec<DeliveryContext>[] = [
  d({
    name: 'd_customer_lat',
    transform: 'identity',
    fill: -22,
    description: 'customer zip prefix latitude',
    compute: (c) => customerPoint(c)?.[0] ?? Number.NaN,
  }),
  d({
    name: 'd_customer_lng',
    transform: 'identity',
    fill: -46,
    description: 'customer zip prefix longitude',
    compute: (c) => customerPoint(c)?.[1] ?? Number.NaN,
  }),
  d({
    name: 'd_log_distance_km',
    transform: 'log1p',
    fill: 6,
    description: 'log1p largest customer-seller distance, km',
    compute: (c) => Math.log1p(maxOrNaN(c.sellers.map((s) => haversineKm(customerPoint(c), c.index.point(s.zip))))),
  }),
  d({
    name: 'd_same_state',
    transform: 'identity',
    fill: 0,
    description: '1 when every seller is in the customer state',
    compute: (c) => (c.sellers.length ? (c.sellers.every((s) => s.state === c.state) ? 1 : 0) : Number.NaN),
  }),
];

const r = (spec: Omit<FeatureSpec<RecommendationContext>, 'source' | 'kind'>): FeatureSpec<RecommendationContext> => ({
  source: 'geography',
  kind: 'numeric',
  ...spec,
});

export const GEOGRAPHY_RECOMMENDATION_FEATURES: FeatureSpec<RecommendationContext>[] = [
  r({
    name: 'r_user_lat',
    scope: 'user',
    transform: 'identity',
    fill: -22,
    description: "person's profile latitude",
    compute: (c) => c.user.point?.[0] ?? Number.NaN,
  }),
  r({
    name: 'r_user_lng',
    scope: 'user',
    transform: 'identity',
    fill: -46,
    description: "person's profile longitude",
    compute: (c) => c.user.point?.[1] ?? Number.NaN,
  }),
  r({
    name: 'r_log_distance_km',
    scope: 'pair',
    transform: 'log1p',
    fill: 6,
    description: "log1p distance person → product's main seller, km",
    compute: (c) => Math.log1p(haversineKm(c.user.point, c.index.point(c.product.seller?.zip))),
  }),
  r({
    name: 'r_same_state',
    scope: 'state',
    transform: 'identity',
    fill: 0,
    description: "1 when the product's main seller is in the person's state",
    compute: (c) => (c.product.seller ? (c.product.seller.state === c.user.state ? 1 : 0) : Number.NaN),
  }),
];
