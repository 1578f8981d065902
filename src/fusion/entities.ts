import type { CustomerRecord, OrderItemRecord, OrderPaymentRecord, OrderRecord, ProductRecord, SellerRecord, StoredReview } from '../sources';
import type { CategoryDictionary } from './categories';
import { roundCents } from './money';
import {
  categoryRule,
  cityNameRule,
  expectedDatesRule,
  MEASURE_LIMITS,
  paymentTypeRule,
  productMeasureRule,
  reviewTextRule,
  sharedReviewIdRule,
  stateCodeRule,
  statusTimelineRule,
  timestampRule,
  zipPrefixRule,
} from './rules';
import { TraceBuilder, type Trace } from './trace';

/**
 * The graph's view of each source record, cleaned by the named rules as it enters the graph:
 * names the graph uses, ISO-8601 timestamps, validated codes, money in cents. Each view keeps a
 * trace (source, record, rules that changed a field, flags) for provenance and data quality.
 */
export interface Traced {
  trace: Trace;
}

export interface AccountView extends Traced {
  customerId: string;
  personId: string;
  zipPrefix: string | null;
  /** The CRM's city after cleaning; null when the CRM's text is not a city (the geography source may fill in). */
  city: string | null;
  state: string | null;
}

export interface OrderView extends Traced {
  id: string;
  customerAccountId: string;
  /** The order system's status in upper case: the graph's OrderStatus enum names. */
  status: string;
  /** The raw purchase timestamp: the orders listing's sort key and cursor. */
  purchaseTimestamp: string;
  purchasedAt: string | null;
  approvedAt: string | null;
  carrierAt: string | null;
  deliveredAt: string | null;
  estimatedDeliveryAt: string | null;
}

export interface OrderItemView extends Traced {
  orderId: string;
  position: number;
  productId: string;
  sellerId: string;
  price: number;
  freight: number;
  shippingLimitAt: string | null;
}

export interface PaymentView extends Traced {
  sequential: number;
  type: string;
  installments: number;
  value: number;
}

export interface ReviewView extends Traced {
  /** review_id when the review store has it (the full Kaggle file); null for the scores-only projection. */
  id: string | null;
  /** Position in the review store: a stable cursor even without an id. */
  storeLine: number;
  orderId: string;
  score: number;
  title: string | null;
  comment: string | null;
  createdAt: string | null;
  answeredAt: string | null;
}

export interface ProductView extends Traced {
  id: string;
  category: { name: string; nameEn: string | null } | null;
  weightGrams: number | null;
  lengthCm: number | null;
  heightCm: number | null;
  widthCm: number | null;
  photosCount: number | null;
  /** The catalog's character counts of the product's name and description (not shown by the graph; the scoring features read them). */
  nameLength: number | null;
  descriptionLength: number | null;
}

export interface SellerView extends Traced {
  id: string;
  zipPrefix: string | null;
  city: string | null;
  state: string | null;
}

export function accountView(record: CustomerRecord): AccountView {
  const trace = new TraceBuilder('crm', `customers/${record.customerId}`, record);
  const state = trace.clean('state', stateCodeRule, record.state, undefined);
  return {
    customerId: record.customerId,
    personId: record.customerUniqueId,
    zipPrefix: trace.clean('zipPrefix', zipPrefixRule, record.zipCodePrefix, undefined),
    city: trace.clean('city', cityNameRule, record.city, { state }),
    state,
    trace: trace.build(),
  };
}

export function sellerView(record: SellerRecord): SellerView {
  const trace = new TraceBuilder('catalog', `sellers/${record.sellerId}`, record);
  const state = trace.clean('state', stateCodeRule, record.state, undefined);
  return {
    id: record.sellerId,
    zipPrefix: trace.clean('zipPrefix', zipPrefixRule, record.zipCodePrefix, undefined),
    city: trace.clean('city', cityNameRule, record.city, { state }),
    state,
    trace: trace.build(),
  };
}

export function orderView(record: OrderRecord): OrderView {
  const trace = new TraceBuilder('orders', `orders/${record.orderId}`, record);
  const view = {
    id: record.orderId,
    customerAccountId: record.customerId,
    status: record.status.toUpperCase(),
    purchaseTimestamp: record.purchaseTimestamp,
    purchasedAt: trace.clean('purchasedAt', timestampRule, record.purchaseTimestamp, undefined),
    approvedAt: trace.clean('approvedAt', timestampRule, record.approvedAt, undefined),
    carrierAt: trace.clean('carrierAt', timestampRule, record.deliveredCarrierDate, undefined),
    deliveredAt: trace.clean('deliveredAt', timestampRule, record.deliveredCustomerDate, undefined),
    estimatedDeliveryAt: trace.clean('estimatedDeliveryAt', timestampRule, record.estimatedDeliveryDate, undefined),
  };
  const facts = { ...view, status: record.status };
  trace.clean('status', expectedDatesRule, facts, undefined);
  trace.clean('status', statusTimelineRule, facts, undefined);
  return { ...view, trace: trace.build() };
}

export function orderItemView(record: OrderItemRecord): OrderItemView {
  const trace = new TraceBuilder('orders', `order_items/${record.orderId}/${record.orderItemId}`, record);
  return {
    orderId: record.orderId,
    position: record.orderItemId,
    productId: record.productId,
    sellerId: record.sellerId,
    price: roundCents(record.price),
    freight: roundCents(record.freightValue),
    shippingLimitAt: trace.clean('shippingLimitAt', timestampRule, record.shippingLimitDate, undefined),
    trace: trace.build(),
  };
}

export function paymentView(record: OrderPaymentRecord): PaymentView {
  const trace = new TraceBuilder('orders', `order_payments/${record.orderId}/${record.paymentSequential}`, record);
  return {
    sequential: record.paymentSequential,
    type: trace.clean('type', paymentTypeRule, record.paymentType, undefined),
    installments: record.paymentInstallments,
    value: roundCents(record.paymentValue),
    trace: trace.build(),
  };
}

export function reviewView(stored: StoredReview): ReviewView {
  const doc = stored.document;
  const trace = new TraceBuilder('reviews', `reviews.jsonl#${stored.line}`, doc);
  const id = doc.review_id === undefined || doc.review_id === '' ? null : doc.review_id;
  if (id !== null) trace.clean('id', sharedReviewIdRule, stored.ordersSharingReviewId, undefined);
  return {
    id,
    storeLine: stored.line,
    orderId: doc.order_id,
    score: doc.review_score,
    title: trace.clean('title', reviewTextRule, doc.review_comment_title, undefined),
    comment: trace.clean('comment', reviewTextRule, doc.review_comment_message, undefined),
    createdAt: trace.clean('createdAt', timestampRule, doc.review_creation_date, undefined),
    answeredAt: trace.clean('answeredAt', timestampRule, doc.review_answer_timestamp, undefined),
    trace: trace.build(),
  };
}

export function productView(record: ProductRecord, categories: CategoryDictionary): ProductView {
  const trace = new TraceBuilder('catalog', `products/${record.productId}`, record);
  const measure = (field: keyof typeof MEASURE_LIMITS, raw: number | null) => trace.clean(field, productMeasureRule, raw, MEASURE_LIMITS[field]);
  return {
    id: record.productId,
    category: trace.clean('category', categoryRule, record.categoryName, (name) => categories.english(name)),
    weightGrams: measure('weightGrams', record.weightG),
    lengthCm: measure('lengthCm', record.lengthCm),
    heightCm: measure('heightCm', record.heightCm),
    widthCm: measure('widthCm', record.widthCm),
    photosCount: record.photosQty,
    nameLength: record.nameLength,
    descriptionLength: record.descriptionLength,
    trace: trace.build(),
  };
}
