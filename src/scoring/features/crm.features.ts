/** CRM features: where the customer account is (state, as a categorical code). */
import { stateCode, STATES, type DeliveryContext, type FeatureSpec, type RecommendationContext } from './context';

export const CRM_DELIVERY_FEATURES: FeatureSpec<DeliveryContext>[] = [
  {
    name: 'd_customer_state',
    source: 'crm',
    kind: 'categorical',
    cardinality: STATES.length + 1,
    transform: 'code',
    fill: 0,
    description: "customer account's state (0 unknown, 1..27 in STATES order)",
    compute: (c) => stateCode(c.account?.state),
  },
  {
    name: 'd_seller_state',
    source: 'crm',
    kind: 'categorical',
    cardinality: STATES.length + 1,
    transform: 'code',
    fill: 0,
    description: "main seller's state (catalog seller record)",
    compute: (c) => stateCode(c.mainSeller?.state),
  },
];

export const CRM_RECOMMENDATION_FEATURES: FeatureSpec<RecommendationContext>[] = [
  {
    name: 'r_user_state',
    scope: 'user',
    source: 'crm',
    kind: 'categorical',
    cardinality: STATES.length + 1,
    transform: 'code',
    fill: 0,
    description: "person's profile state",
    compute: (c) => stateCode(c.user.account?.state),
  },
];
