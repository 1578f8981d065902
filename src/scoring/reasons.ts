/**
 * Reasons: which features pushed a score most, in words a merchandiser understands, each with its
 * effect (how much it moved the score, signed). A score is explained in one direction: what raised it
 * (recommendations, risky orders) or what lowered it (LOW delivery risk), each phrase table wording only
 * its own side of a feature (a lowering reason never reads like a risk factor).
 * Contributions are occlusion effects: score(row) − score(row with feature j set to its reference
 * value), the reference being the mean (numeric) or most common value (categorical) over a sample of
 * real rows. All occluded rows of an operation go to the model in one batch (see ScoringService).
 * Only features with a phrase count (per-person features that do not vary between products, such as
 * the person's own order count, explain nothing to a merchandiser and have none).
 */
import type { Task } from './features';

export interface ReasonContext {
  /** The person's (recommendations) or customer's (delivery) state, e.g. "SP". */
  state?: string | null;
  /** The seller's state (the product's main seller, or the order's). */
  sellerState?: string | null;
  /** The product's category in English when known. */
  category?: string | null;
  /** True when the product's category is that of the person's last purchase. */
  sameCategoryAsLastPurchase?: boolean;
  /** The product's mean review score (smoothed), for wording. */
  productReview?: number;
}

type Phrase = (value: number, reference: number, ctx: ReasonContext) => string | null;

const pct = (rate: number) => `${Math.round(rate * 100)}%`;
// An unknown state (null or '?', e.g. a seller without a profile) is not printed: the route is then the seller's.
const route = (ctx: ReasonContext) =>
  ctx.sellerState && ctx.sellerState !== '?' && ctx.state && ctx.state !== '?' ? `route ${ctx.sellerState} → ${ctx.state}` : "seller's route";
const inState = (ctx: ReasonContext) => (ctx.state && ctx.state !== '?' ? `in ${ctx.state}` : 'in your region');
const above = (value: number, reference: number) => value > reference;

const RECOMMENDATION_PHRASES: Record<string, Phrase> = {
  r_prod_log_sales_all: (v, r) => (above(v, r) ? 'a best-seller' : null),
  r_prod_log_sales_30d: (v, r) => (above(v, r) ? 'selling fast this month' : null),
  r_prod_log_sales_7d: (v, r) => (above(v, r) ? 'selling fast this week' : null),
  r_prod_trend: (v, r) => (above(v, r) ? 'trending up' : null),
  r_prod_state_log_sales_180d: (v, r, c) => (above(v, r) ? `popular ${inState(c)}` : null),
  r_prod_log_days_since_sale: (v, r) => (v < r ? 'sold recently' : null),
  r_user_bought_product: (v) => (v > 0 ? 'you bought it before' : null),
  r_user_log_days_since_product: (v) => (v >= 0 ? 'you bought it before' : null),
  r_copurchase_max: (v, r) => (above(v, r) ? 'often bought with what you bought' : null),
  r_copurchase_sum: (v, r) => (above(v, r) ? 'often bought with what you bought' : null),
  r_user_bought_seller: (v) => (v > 0 ? 'from a seller you bought from' : null),
  r_price_vs_user_spend: (v) => (Math.abs(v) < 0.5 ? 'in your usual price range' : v < 0 ? 'cheaper than what you usually buy' : null),
  r_prod_log_price: (v, r) => (v < r ? 'low price' : null),
  r_prod_photos: (v, r) => (above(v, r) ? 'well presented (many photos)' : null),
  r_prod_log_desc_len: (v, r) => (above(v, r) ? 'detailed description' : null),
  r_prod_log_weight: (v, r) => (v < r ? 'light, cheap to ship' : null),
  r_cat_log_sales_30d: (v, r, c) => (above(v, r) ? `${c.category ?? 'its category'} is selling well this month` : null),
  r_user_cat_share: (v, _r, c) => (v > 0 ? (c.sameCategoryAsLastPurchase ? 'same category as your last purchase' : 'a category you buy often') : null),
  r_cat_state_lift: (v, r, c) => (above(v, r) && v > 0 ? `${c.category ?? 'its category'} is popular ${inState(c)}` : null),
  r_log_distance_km: (v, r) => (v < r ? 'ships from nearby' : null),
  r_same_state: (v, _r, c) => (v === 1 ? `seller in your state${c.state && c.state !== '?' ? ` (${c.state})` : ''}` : null),
  r_prod_review: (v, r) => (above(v, r) ? `well reviewed (${v.toFixed(1)}★)` : null),
  r_prod_log_reviews: (v, r) => (above(v, r) ? 'many reviews' : null),
  r_seller_review: (v, r) => (above(v, r) ? `highly rated seller (${v.toFixed(1)}★)` : null),
};

/** What makes a delivery later: each phrase only on the risky side of its feature. */
const DELIVERY_PHRASES: Record<string, Phrase> = {
  d_n_items: (v, r) => (above(v, r) ? `${Math.round(v)} items in one order` : null),
  d_n_sellers: (v) => (v > 1 ? `${Math.round(v)} sellers to ship from` : null),
  d_log_price: (v, r) => (above(v, r) ? 'high order value' : null),
  d_log_freight: (v, r) => (above(v, r) ? 'expensive freight' : null),
  d_freight_ratio: (v, r) => (above(v, r) ? `freight is ${pct(v)} of the order` : null),
  d_est_days: (v, r) => (v < r ? `tight promised date (${Math.round(v)} days)` : null),
  d_ship_limit_days: (v, r) => (v < r ? 'short shipping limit for the seller' : null),
  d_purchase_hour: () => 'time of day it was ordered',
  d_purchase_dow: (v) => `ordered on a ${['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][Math.round(v)] ?? 'busy day'}`,
  d_log_orders_7d: (v, r) => (above(v, r) ? 'busy week on the platform' : null),
  d_log_state_orders_7d: (v, r, c) => (above(v, r) ? `busy week for deliveries ${inState(c)}` : null),
  d_global_late_30d: (v, r) => (above(v, r) ? `carriers running late everywhere (${pct(v)} late last month)` : null),
  d_global_overdue_14d: (v, r) => (above(v, r) ? 'many overdue orders platform-wide' : null),
  d_state_overdue_14d: (v, r, c) => (above(v, r) ? `many overdue deliveries ${inState(c)}` : null),
  d_state_late_60d: (v, r, c) => (above(v, r) ? `deliveries ${inState(c)} often late (${pct(v)})` : null),
  d_state_days_60d: (v, r, c) => (above(v, r) ? `slow deliveries ${inState(c)} (${Math.round(v)} days on average)` : null),
  d_seller_late: (v, r) => (above(v, r) ? `seller often delivers late (${pct(v)})` : null),
  d_seller_log_delivered: (v, r) => (v < r ? 'new seller with few deliveries' : null),
  d_seller_overdue_14d: (v) => (v > 0 ? 'seller has overdue orders' : null),
  d_seller_log_sales_30d: (v, r) => (above(v, r) ? 'seller very busy this month' : null),
  d_seller_handling_days: (v, r) => (above(v, r) ? `seller slow to hand over to the carrier (${v.toFixed(1)} days)` : null),
  d_route_late: (v, r, c) => (above(v, r) ? `late-prone ${route(c)} (${pct(v)})` : null),
  d_route_days: (v, r, c) => (above(v, r) ? `long ${route(c)} (${Math.round(v)} days on average)` : null),
  d_route_late_90d: (v, r, c) => (above(v, r) ? `${route(c)} often late lately (${pct(v)} in 90 days)` : null),
  d_route_days_90d: (v, r, c) => (above(v, r) ? `slow ${route(c)} lately (${Math.round(v)} days on average)` : null),
  d_est_minus_route_days_90d: (v, r) => (v < r ? `promise leaves little slack over recent deliveries on the route (${Math.round(v)} days)` : null),
  d_est_minus_route_days_30d: (v, r) => (v < r ? `promise leaves little slack over last month's deliveries on the route (${Math.round(v)} days)` : null),
  d_est_minus_state_days_60d: (v, r, c) => (v < r ? `promise tight for recent deliveries ${inState(c)} (${Math.round(v)} days of slack)` : null),
  d_route_overdue_14d: (v, r, c) => (above(v, r) ? `many overdue orders on the ${route(c)}` : null),
  d_global_days_30d: (v, r) => (above(v, r) ? `deliveries slow everywhere (${Math.round(v)} days on average last month)` : null),
  d_customer_prior_orders: (v) => (v === 0 ? 'first order of this customer' : null),
  d_n_payments: (v) => (v > 1 ? 'split payment' : null),
  d_max_installments: (v, r) => (above(v, r) ? `paid in ${Math.round(v)} instalments` : null),
  d_pay_boleto: (v) => (v > 0 ? 'paid by boleto (approval takes days)' : null),
  d_pay_voucher: (v) => (v > 0 ? 'paid with a voucher' : null),
  d_pay_debit: (v) => (v > 0 ? 'paid by debit card' : null),
  d_log_payment_value: (v, r) => (above(v, r) ? 'high order value' : null),
  d_log_weight_kg: (v, r) => (above(v, r) ? 'heavy parcel' : null),
  d_log_volume_l: (v, r) => (above(v, r) ? 'bulky parcel' : null),
  d_mean_photos: () => null,
  d_category_late: (v, r) => (above(v, r) ? `category often delivered late (${pct(v)})` : null),
  d_customer_state: (_v, _r, c) => `delivery to ${c.state && c.state !== '?' ? c.state : 'a remote state'}`,
  d_seller_state: (_v, _r, c) => `ships from ${c.sellerState && c.sellerState !== '?' ? c.sellerState : 'another state'}`,
  d_customer_lat: () => 'remote delivery address',
  d_customer_lng: () => 'remote delivery address',
  d_log_distance_km: (v, r) => (above(v, r) ? `long distance from the seller (${Math.round(Math.expm1(v))} km)` : null),
  d_same_state: (v) => (v === 0 ? 'seller in another state' : null),
  d_seller_review: (v, r) => (v < r ? `seller has weak reviews (${v.toFixed(1)}★)` : null),
  d_seller_low_review: (v, r) => (above(v, r) ? `seller gets many 1–2★ reviews (${pct(v)})` : null),
  d_customer_review: (v, r) => (v < r ? 'customer reviewed earlier orders poorly' : null),
};

/** What makes a delivery safer: the other side of the same features, for the reasons of a LOW risk. */
const DELIVERY_LOWERING_PHRASES: Record<string, Phrase> = {
  d_n_items: (v) => (Math.round(v) <= 1 ? 'a single item' : null),
  d_n_sellers: (v) => (v <= 1 ? 'one seller ships everything' : null),
  d_log_price: (v, r) => (v < r ? 'modest order value' : null),
  d_log_freight: (v, r) => (v < r ? 'cheap freight' : null),
  d_freight_ratio: (v, r) => (v < r ? `freight is only ${pct(v)} of the order` : null),
  d_est_days: (v, r) => (v > r ? `generous promised window (${Math.round(v)} days)` : null),
  d_ship_limit_days: (v, r) => (v > r ? 'generous shipping limit for the seller' : null),
  d_purchase_hour: () => 'time of day it was ordered',
  d_purchase_dow: (v) => `ordered on a ${['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][Math.round(v)] ?? 'quiet day'}`,
  d_log_orders_7d: (v, r) => (v < r ? 'quiet week on the platform' : null),
  d_log_state_orders_7d: (v, r, c) => (v < r ? `quiet week for deliveries ${inState(c)}` : null),
  d_global_late_30d: (v, r) => (v < r ? `carriers mostly on time (${pct(v)} late last month)` : null),
  d_global_overdue_14d: (v, r) => (v < r ? 'few overdue orders platform-wide' : null),
  d_state_overdue_14d: (v, r, c) => (v < r ? `few overdue deliveries ${inState(c)}` : null),
  d_state_late_60d: (v, r, c) => (v < r ? `deliveries ${inState(c)} mostly on time (${pct(v)} late)` : null),
  d_state_days_60d: (v, r, c) => (v < r ? `fast deliveries ${inState(c)} (${Math.round(v)} days on average)` : null),
  d_seller_late: (v, r) => (v < r ? `seller usually delivers on time (${pct(v)} late)` : null),
  d_seller_log_delivered: (v, r) => (v > r ? 'experienced seller with many deliveries' : null),
  d_seller_overdue_14d: (v) => (v === 0 ? 'seller has no overdue orders' : null),
  d_seller_log_sales_30d: (v, r) => (v < r ? 'seller not overloaded this month' : null),
  d_seller_handling_days: (v, r) => (v < r ? `seller hands over to the carrier quickly (${v.toFixed(1)} days)` : null),
  d_route_late: (v, r, c) => (v < r ? `reliable ${route(c)} (${pct(v)} late)` : null),
  d_route_days: (v, r, c) => (v < r ? `short ${route(c)} (${Math.round(v)} days on average)` : null),
  d_route_late_90d: (v, r, c) => (v < r ? `${route(c)} reliable lately (${pct(v)} late in 90 days)` : null),
  d_route_days_90d: (v, r, c) => (v < r ? `fast ${route(c)} lately (${Math.round(v)} days on average)` : null),
  d_est_minus_route_days_90d: (v, r) => (v > r ? `promise leaves ample slack over recent deliveries on the route (${Math.round(v)} days)` : null),
  d_est_minus_route_days_30d: (v, r) => (v > r ? `promise leaves ample slack over last month's deliveries on the route (${Math.round(v)} days)` : null),
  d_est_minus_state_days_60d: (v, r, c) => (v > r ? `promise generous for recent deliveries ${inState(c)} (${Math.round(v)} days of slack)` : null),
  d_route_overdue_14d: (v, r, c) => (v < r ? `few overdue orders on the ${route(c)}` : null),
  d_global_days_30d: (v, r) => (v < r ? `deliveries fast everywhere (${Math.round(v)} days on average last month)` : null),
  d_customer_prior_orders: (v) => (v > 0 ? 'returning customer' : null),
  d_n_payments: (v) => (v <= 1 ? 'a single payment' : null),
  d_max_installments: (v) => (Math.round(v) <= 1 ? 'paid in one go' : null),
  d_pay_boleto: (v) => (v === 0 ? 'not paid by boleto (approved at once)' : null),
  d_log_payment_value: (v, r) => (v < r ? 'modest order value' : null),
  d_log_weight_kg: (v, r) => (v < r ? 'light parcel' : null),
  d_log_volume_l: (v, r) => (v < r ? 'small parcel' : null),
  d_category_late: (v, r) => (v < r ? `category usually delivered on time (${pct(v)} late)` : null),
  d_customer_state: (_v, _r, c) => `delivery to ${c.state && c.state !== '?' ? c.state : 'its state'}`,
  d_seller_state: (_v, _r, c) => `ships from ${c.sellerState && c.sellerState !== '?' ? c.sellerState : 'its state'}`,
  d_customer_lat: () => 'where the delivery address is',
  d_customer_lng: () => 'where the delivery address is',
  d_log_distance_km: (v, r) => (v < r ? `short distance from the seller (${Math.round(Math.expm1(v))} km)` : null),
  d_same_state: (v) => (v === 1 ? 'seller in the same state' : null),
  d_seller_review: (v, r) => (v > r ? `seller well reviewed (${v.toFixed(1)}★)` : null),
  d_seller_low_review: (v, r) => (v < r ? `seller rarely gets 1–2★ reviews (${pct(v)})` : null),
  d_customer_review: (v, r) => (v > r ? 'customer reviewed earlier orders well' : null),
};

/** Which way a score is explained: the features that raised it, or those that lowered it. */
export type ReasonDirection = 'raised' | 'lowered';

/** One reason: its words, and how much it moved the score (score − score with the feature at its reference; signed). */
export interface Reason {
  text: string;
  /** null for the neutral phrase said when no single feature stands out, and for reasons that are not model effects. */
  effect: number | null;
}

const FALLBACK: Record<Task, Record<ReasonDirection, string>> = {
  recommendation: { raised: 'popular with shoppers like you', lowered: 'popular with shoppers like you' },
  delivery_risk: { raised: 'typical delivery conditions', lowered: 'typical delivery conditions' },
};

function phrasesFor(task: Task, direction: ReasonDirection): Record<string, Phrase> {
  if (task === 'recommendation') return direction === 'raised' ? RECOMMENDATION_PHRASES : {};
  return direction === 'raised' ? DELIVERY_PHRASES : DELIVERY_LOWERING_PHRASES;
}

/** Whether the feature can be worded at all (only those are occluded). */
export function hasPhrase(task: Task, feature: string): boolean {
  return feature in phrasesFor(task, 'raised') || feature in phrasesFor(task, 'lowered');
}

/**
 * The features that moved the score most in `direction` (largest effect first), worded by that direction's
 * phrases, at most `max`, without repeated phrases; the neutral phrase (effect null) when none did.
 */
export function reasonsFromContributions(
  task: Task,
  featureNames: readonly string[],
  row: ArrayLike<number>,
  reference: ArrayLike<number>,
  contributions: ArrayLike<number>,
  ctx: ReasonContext,
  direction: ReasonDirection = 'raised',
  max = 3,
): Reason[] {
  const phrases = phrasesFor(task, direction);
  const sign = direction === 'raised' ? 1 : -1;
  const order = Array.from({ length: featureNames.length }, (_, j) => j)
    .filter((j) => sign * contributions[j] > 1e-6)
    .sort((a, b) => sign * (contributions[b] - contributions[a]));
  const out: Reason[] = [];
  for (const j of order) {
    const text = phrases[featureNames[j]]?.(row[j], reference[j], ctx);
    if (text && !out.some((reason) => reason.text === text)) out.push({ text, effect: contributions[j] });
    if (out.length >= max) break;
  }
  return out.length > 0 ? out : [{ text: FALLBACK[task][direction], effect: null }];
}
