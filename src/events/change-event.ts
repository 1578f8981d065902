import { randomUUID } from 'node:crypto';

/** The entities change events are ordered by: every event of one entity goes to that entity's subject. */
export const ENTITY_KINDS = ['order', 'customer'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** An order as the order management system stores it when it is placed (raw text, as seeded). */
export interface OrderRow {
  order_id: string;
  customer_id: string;
  order_status: string;
  order_purchase_timestamp: string;
  order_approved_at: string | null;
  order_delivered_carrier_date: string | null;
  order_delivered_customer_date: string | null;
  order_estimated_delivery_date: string | null;
}

export interface OrderItemRow {
  order_id: string;
  order_item_id: number;
  product_id: string;
  seller_id: string;
  shipping_limit_date: string;
  price: number;
  freight_value: number;
}

export interface OrderPaymentRow {
  order_id: string;
  payment_sequential: number;
  payment_type: string;
  payment_installments: number;
  payment_value: number;
}

export interface CustomerRow {
  customer_id: string;
  customer_unique_id: string;
  customer_zip_code_prefix: string;
  customer_city: string;
  customer_state: string;
}

/** A review document as the review store keeps it (order_id, review_score, then the CSV's other columns). */
export interface ReviewDocument {
  order_id: string;
  review_score: number;
  review_id?: string;
  [column: string]: unknown;
}

/** The order timestamps a status change sets (approval, carrier hand-over); delivery has its own event. */
export type StatusField = 'order_approved_at' | 'order_delivered_carrier_date';

export interface ChangeEventData {
  'order.created': { order: OrderRow };
  'order.status-changed': { orderId: string; status: string; field: StatusField | null; at: string | null };
  'order.item-added': { item: OrderItemRow };
  'order.payment-added': { payment: OrderPaymentRow };
  'order.delivered': { orderId: string; deliveredAt: string };
  'review.added': { review: ReviewDocument };
  'customer.account-created': { customer: CustomerRow };
}
export type ChangeEventType = keyof ChangeEventData;
export const CHANGE_EVENT_TYPES = [
  'order.created',
  'order.status-changed',
  'order.item-added',
  'order.payment-added',
  'order.delivered',
  'review.added',
  'customer.account-created',
] as const satisfies readonly ChangeEventType[];

/** One change in one source system. */
export interface ChangeEventOf<T extends ChangeEventType> {
  /** Unique per change; the same change resent keeps its id (publish dedup, consumer idempotency). */
  id: string;
  type: T;
  /** The entity the change belongs to; its events are delivered in the order they were published. */
  entity: { kind: EntityKind; key: string };
  /** When it happened in the shop's history (the source's own timestamp text, e.g. "2018-06-01 10:22:03"). */
  occurredAt: string;
  /** Wall-clock ms when it was published (for the event-to-visible latency). */
  publishedAt: number;
  data: ChangeEventData[T];
}
export type ChangeEvent = { [T in ChangeEventType]: ChangeEventOf<T> }[ChangeEventType];

const ENTITY_OF: Record<ChangeEventType, EntityKind> = {
  'order.created': 'order',
  'order.status-changed': 'order',
  'order.item-added': 'order',
  'order.payment-added': 'order',
  'order.delivered': 'order',
  'review.added': 'order',
  'customer.account-created': 'customer',
};

/** The entity key of a change: the order id for order (and review) events, the customer id for accounts. */
function entityKey<T extends ChangeEventType>(type: T, data: ChangeEventData[T]): string {
  const d = data as ChangeEventData[ChangeEventType];
  if ('order' in d) return d.order.order_id;
  if ('item' in d) return d.item.order_id;
  if ('payment' in d) return d.payment.order_id;
  if ('review' in d) return d.review.order_id;
  if ('customer' in d) return d.customer.customer_id;
  if ('orderId' in d) return d.orderId;
  throw new Error(`change event ${type} names no entity`);
}

/**
 * A new change event. `id` defaults to a random UUID; a replay passes a deterministic one (the same history
 * line always gets the same id, so replaying it twice is one change).
 */
export function changeEvent<T extends ChangeEventType>(type: T, occurredAt: string, data: ChangeEventData[T], id: string = randomUUID()): ChangeEventOf<T> {
  return { id, type, entity: { kind: ENTITY_OF[type], key: entityKey(type, data) }, occurredAt, publishedAt: Date.now(), data };
}

/** Parses a message body; throws with the reason when it is not a change event. */
export function parseChangeEvent(body: string): ChangeEvent {
  const value = JSON.parse(body) as Partial<ChangeEvent>;
  if (typeof value !== 'object' || value === null) throw new Error('not an object');
  if (typeof value.id !== 'string' || value.id === '') throw new Error('no event id');
  if (!CHANGE_EVENT_TYPES.includes(value.type as ChangeEventType)) throw new Error(`unknown event type ${String(value.type)}`);
  if (!value.entity || typeof value.entity.key !== 'string' || !ENTITY_KINDS.includes(value.entity.kind)) throw new Error('no entity');
  if (typeof value.occurredAt !== 'string' || typeof value.publishedAt !== 'number' || typeof value.data !== 'object' || value.data === null) {
    throw new Error('missing occurredAt, publishedAt or data');
  }
  return value as ChangeEvent;
}
