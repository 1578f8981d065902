/**
 * What the anomaly model reads of an order: its payments, freight, instalments, timestamps and how
 * its status agrees with them, from the feature store's snapshot (the source systems' values, every
 * order, whatever its status). A timestamp that does not exist (not yet, or never) is "missing": its
 * duration takes the fill value -1 and the status features say whether the status implies it.
 * Durations are from the purchase, in days (approval in hours); they may be negative when a source
 * dates a milestone before the purchase.
 */
import { DAY_MS, type SnapItem, type SnapOrder, type SnapPayment, type Snapshot } from '../features';

export interface OrderFactsRow {
  order: SnapOrder;
  items: readonly SnapItem[];
  payments: readonly SnapPayment[];
}

/** The snapshot's orders purchased when `filter` says, with their items and payments (none left out). */
export function orderFactsRows(snap: Snapshot, filter: (purchase: number) => boolean = () => true): OrderFactsRow[] {
  return snap.orders
    .filter((o) => filter(o.purchase))
    .map((order) => ({ order, items: snap.items.get(order.orderId) ?? [], payments: snap.payments.get(order.orderId) ?? [] }));
}

/** Status order along the normal life of an order; canceled and unavailable are off the path. */
export const STATUS_STAGE: Readonly<Record<string, number>> = {
  created: 0,
  approved: 1,
  invoiced: 2,
  processing: 3,
  shipped: 4,
  delivered: 5,
  unavailable: 6,
  canceled: 7,
};

const APPROVED_BY = new Set(['approved', 'invoiced', 'processing', 'shipped', 'delivered']);
const SHIPPED_BY = new Set(['shipped', 'delivered']);

const sum = <T>(list: readonly T[], of: (x: T) => number) => list.reduce((n, x) => n + of(x), 0);
const has = (ms: number) => Number.isFinite(ms);
const days = (from: number, to: number) => (has(from) && has(to) ? (to - from) / DAY_MS : -1);

/** Milestones the status implies but the order lacks (approval, carrier hand-over, delivery). */
export function missingMilestones(order: SnapOrder): number {
  let n = 0;
  if (APPROVED_BY.has(order.status) && !has(order.approved)) n++;
  if (SHIPPED_BY.has(order.status) && !has(order.carrier)) n++;
  if (order.status === 'delivered' && !has(order.delivered)) n++;
  return n;
}

/** Milestones (approval, carrier hand-over, delivery) dated before the purchase. */
export function milestonesBeforePurchase(order: SnapOrder): number {
  return [order.approved, order.carrier, order.delivered].filter((ms) => has(ms) && ms < order.purchase).length;
}

/** Milestones out of sequence with each other (carrier before approval, delivery before carrier), or a delivery on a canceled/unavailable order. */
export function milestonesOutOfSequence(order: SnapOrder): number {
  let n = 0;
  if (has(order.approved) && has(order.carrier) && order.carrier < order.approved) n++;
  if (has(order.carrier) && has(order.delivered) && order.delivered < order.carrier) n++;
  if ((order.status === 'canceled' || order.status === 'unavailable') && has(order.delivered)) n++;
  return n;
}

export interface AnomalyFeature {
  name: string;
  description: string;
  of(row: OrderFactsRow): number;
}

/** The model's `features` columns, in this order (config.json feature_names). */
export const ANOMALY_FEATURES: readonly AnomalyFeature[] = [
  { name: 'a_log_payment_total', description: 'log(1 + paid, BRL)', of: (r) => Math.log1p(sum(r.payments, (p) => p.value)) },
  {
    name: 'a_payment_gap',
    description: 'paid minus price + freight of the items, over price + freight (0: they agree)',
    of: (r) => {
      const billed = sum(r.items, (i) => i.price + i.freight);
      const paid = sum(r.payments, (p) => p.value);
      return billed > 0 ? (paid - billed) / billed : paid > 0 ? 1 : 0;
    },
  },
  { name: 'a_n_payments', description: 'payment records', of: (r) => r.payments.length },
  { name: 'a_max_installments', description: 'largest instalment count', of: (r) => Math.max(0, ...r.payments.map((p) => p.installments)) },
  {
    name: 'a_voucher_share',
    description: 'share paid by voucher',
    of: (r) => {
      const paid = sum(r.payments, (p) => p.value);
      return paid > 0 ? sum(r.payments, (p) => (p.type === 'voucher' ? p.value : 0)) / paid : 0;
    },
  },
  {
    name: 'a_freight_ratio',
    description: 'freight over price',
    of: (r) => {
      const price = sum(r.items, (i) => i.price);
      return price > 0 ? sum(r.items, (i) => i.freight) / price : 0;
    },
  },
  { name: 'a_log_price', description: 'log(1 + price of the items, BRL)', of: (r) => Math.log1p(sum(r.items, (i) => i.price)) },
  { name: 'a_n_items', description: 'items', of: (r) => r.items.length },
  { name: 'a_n_sellers', description: 'distinct sellers', of: (r) => new Set(r.items.map((i) => i.sellerId)).size },
  {
    name: 'a_approval_hours',
    description: 'hours from purchase to approval (-1: none)',
    of: (r) => (has(r.order.approved) ? (r.order.approved - r.order.purchase) / 3_600_000 : -1),
  },
  { name: 'a_carrier_days', description: 'days from purchase to carrier hand-over (-1: none)', of: (r) => days(r.order.purchase, r.order.carrier) },
  { name: 'a_delivery_days', description: 'days from purchase to delivery (-1: none)', of: (r) => days(r.order.purchase, r.order.delivered) },
  {
    name: 'a_late_days',
    description: 'days delivered after the estimated date (negative: early; 0 without a delivery)',
    of: (r) => (has(r.order.delivered) && has(r.order.estimated) ? (r.order.delivered - r.order.estimated) / DAY_MS : 0),
  },
  { name: 'a_promised_days', description: 'days from purchase to the estimated delivery date', of: (r) => days(r.order.purchase, r.order.estimated) },
  {
    name: 'a_status_stage',
    description: 'status along the order life (created 0 … delivered 5, unavailable 6, canceled 7)',
    of: (r) => STATUS_STAGE[r.order.status] ?? 8,
  },
  { name: 'a_missing_milestones', description: 'milestones the status implies but the order lacks', of: (r) => missingMilestones(r.order) },
  { name: 'a_before_purchase', description: 'milestones dated before the purchase', of: (r) => milestonesBeforePurchase(r.order) },
  {
    name: 'a_out_of_sequence',
    description: 'milestones out of sequence (carrier before approval, delivery before carrier, delivery on a canceled order)',
    of: (r) => milestonesOutOfSequence(r.order),
  },
];

/** Row-major [rows.length × ANOMALY_FEATURES.length]. */
export function anomalyRows(rows: readonly OrderFactsRow[]): Float32Array {
  const width = ANOMALY_FEATURES.length;
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, r) => ANOMALY_FEATURES.forEach((f, j) => (out[r * width + j] = f.of(row))));
  return out;
}
