/**
 * An anomaly's reasons in a merchant's words. Each feature that raised the score (occlusion: the
 * score minus the score with that feature at the training median) is worded with the order's value
 * and, where it helps, the usual one ("freight is 95% of the price (usually 20%)").
 */
import { STATUS_STAGE, type OrderFactsRow } from './order-features';

const brl = (x: number) => `R$ ${x.toFixed(2)}`;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const round1 = (x: number) => (Math.abs(x) >= 10 ? Math.round(x).toString() : x.toFixed(1));
const STATUS_BY_STAGE = Object.fromEntries(Object.entries(STATUS_STAGE).map(([status, stage]) => [stage, status]));

const billed = (r: OrderFactsRow) => r.items.reduce((n, i) => n + i.price + i.freight, 0);
const paid = (r: OrderFactsRow) => r.payments.reduce((n, p) => n + p.value, 0);

/** `value` is the order's, `typical` the training median; `row` the order's facts. */
const PHRASES: Record<string, (value: number, typical: number, row: OrderFactsRow) => string> = {
  a_log_payment_total: (v, t) => `paid ${brl(Math.expm1(v))} in total (usually ${brl(Math.expm1(t))})`,
  a_payment_gap: (v, _t, r) =>
    r.items.length === 0
      ? `paid ${brl(paid(r))} for an order with no items`
      : `paid ${brl(Math.abs(paid(r) - billed(r)))} ${v > 0 ? 'more' : 'less'} than the items and freight (${brl(billed(r))})`,
  a_n_payments: (v) => (v === 0 ? 'no payment recorded' : `paid in ${v} separate payments`),
  a_max_installments: (v, t) => `${v} instalments (usually ${t})`,
  a_voucher_share: (v) => `${pct(v)} paid by voucher`,
  a_freight_ratio: (v, t) => `freight is ${pct(v)} of the price (usually ${pct(t)})`,
  a_log_price: (v, t, r) => (r.items.length === 0 ? 'no items recorded' : `items cost ${brl(Math.expm1(v))} (usually ${brl(Math.expm1(t))})`),
  a_n_items: (v) => (v === 0 ? 'no items recorded' : `${v} items in one order`),
  a_n_sellers: (v) => (v === 0 ? 'no seller (no items recorded)' : `${v} sellers in one order`),
  a_approval_hours: (v, t) =>
    v < 0 && v !== -1 ? 'approved before it was bought' : v === -1 ? 'never approved' : `approved after ${round1(v)} hours (usually ${round1(t)})`,
  a_carrier_days: (v, t) =>
    v === -1
      ? 'never handed to the carrier'
      : v < 0
        ? 'handed to the carrier before it was bought'
        : `handed to the carrier after ${round1(v)} days (usually ${round1(t)})`,
  a_delivery_days: (v, t) =>
    v === -1 ? 'not delivered' : v < 0 ? 'delivered before it was bought' : `delivered after ${round1(v)} days (usually ${round1(t)})`,
  a_late_days: (v) =>
    v > 0
      ? `delivered ${round1(v)} days after the estimated date`
      : v < 0
        ? `delivered ${round1(-v)} days before the estimated date`
        : 'no delivery to compare with the estimate',
  a_promised_days: (v, t) => `delivery promised in ${round1(v)} days (usually ${round1(t)})`,
  a_status_stage: (v) => `status "${STATUS_BY_STAGE[v] ?? 'unknown'}"`,
  a_missing_milestones: (v) => `the status implies ${v} date${v === 1 ? '' : 's'} the order lacks (approval, carrier or delivery)`,
  a_before_purchase: (v) => `${v} date${v === 1 ? '' : 's'} (approval, carrier or delivery) before the purchase`,
  a_out_of_sequence: (v) => `${v} date${v === 1 ? '' : 's'} out of sequence (e.g. handed to the carrier before approval)`,
};

export function anomalyPhrase(feature: string, value: number, typical: number, row: OrderFactsRow): string {
  const phrase = PHRASES[feature];
  return phrase ? phrase(value, typical, row) : `${feature} = ${value}`;
}

/** The neutral reason when no feature raised the score noticeably. */
export const NOTHING_UNUSUAL = 'nothing stands out: payments, freight, dates and status look like most orders';
