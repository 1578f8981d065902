import type {
  CustomerRecord,
  OrderItemRecord,
  OrderPaymentRecord,
  OrderRecord,
  ProductRecord,
  SellerRecord,
  StoredReview,
} from '../sources';
import { roundCents } from './money';
import { localTimestampToIso } from './timestamps';

/**
 * The graph's view of each source record: names the graph uses, timestamps in ISO-8601 with offset,
 * money in cents precision. Raw values stay available on the source records; nothing is invented.
 */
export interface AccountView {
  customerId: string;
  personId: string;
  zipPrefix: string;
  city: string;
  state: string;
}

export interface OrderView {
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

export interface OrderItemView {
  orderId: string;
  position: number;
  productId: string;
  sellerId: string;
  price: number;
  freight: number;
  shippingLimitAt: string | null;
}

export interface PaymentView {
  sequential: number;
  type: string;
  installments: number;
  value: number;
}

export interface ReviewView {
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

export interface ProductView {
  id: string;
  categoryName: string | null;
  weightGrams: number | null;
  lengthCm: number | null;
  heightCm: number | null;
  widthCm: number | null;
  photosCount: number | null;
}

export interface SellerView {
  id: string;
  zipPrefix: string;
  city: string;
  state: string;
}

export function accountView(record: CustomerRecord): AccountView {
  return {
    customerId: record.customerId,
    personId: record.customerUniqueId,
    zipPrefix: record.zipCodePrefix,
    city: record.city,
    state: record.state,
  };
}

export function orderView(record: OrderRecord): OrderView {
  return {
    id: record.orderId,
    customerAccountId: record.customerId,
    status: record.status.toUpperCase(),
    purchaseTimestamp: record.purchaseTimestamp,
    purchasedAt: localTimestampToIso(record.purchaseTimestamp),
    approvedAt: localTimestampToIso(record.approvedAt),
    carrierAt: localTimestampToIso(record.deliveredCarrierDate),
    deliveredAt: localTimestampToIso(record.deliveredCustomerDate),
    estimatedDeliveryAt: localTimestampToIso(record.estimatedDeliveryDate),
  };
}

export function orderItemView(record: OrderItemRecord): OrderItemView {
  return {
    orderId: record.orderId,
    position: record.orderItemId,
    productId: record.productId,
    sellerId: record.sellerId,
    price: roundCents(record.price),
    freight: roundCents(record.freightValue),
    shippingLimitAt: localTimestampToIso(record.shippingLimitDate),
  };
}

export function paymentView(record: OrderPaymentRecord): PaymentView {
  return {
    sequential: record.paymentSequential,
    type: record.paymentType,
    installments: record.paymentInstallments,
    value: roundCents(record.paymentValue),
  };
}

export function reviewView(stored: StoredReview): ReviewView {
  const doc = stored.document;
  return {
    id: textOrNull(doc.review_id),
    storeLine: stored.line,
    orderId: doc.order_id,
    score: doc.review_score,
    title: textOrNull(doc.review_comment_title),
    comment: textOrNull(doc.review_comment_message),
    createdAt: localTimestampToIso(textOrNull(doc.review_creation_date)),
    answeredAt: localTimestampToIso(textOrNull(doc.review_answer_timestamp)),
  };
}

export function productView(record: ProductRecord): ProductView {
  return {
    id: record.productId,
    categoryName: record.categoryName,
    weightGrams: record.weightG,
    lengthCm: record.lengthCm,
    heightCm: record.heightCm,
    widthCm: record.widthCm,
    photosCount: record.photosQty,
  };
}

export function sellerView(record: SellerRecord): SellerView {
  return { id: record.sellerId, zipPrefix: record.zipCodePrefix, city: record.city, state: record.state };
}

/** Review text arrives with stray spaces; blank text means "no text". */
function textOrNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
