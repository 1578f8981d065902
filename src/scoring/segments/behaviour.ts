/**
 * Persons' purchase behaviour as of a date, from the feature store's snapshot: the orders each
 * identity-resolved person bought strictly before the as-of time (bought statuses with at least one
 * item, as for the bought-together baskets), summed into recency, frequency, spend and payment habits.
 * These figures are the RFM scores' inputs and, transformed (SEGMENT_FEATURES), the clustering's.
 */
import { NOT_BOUGHT_STATUSES } from '../bought-together/baskets';
import { DAY_MS, type Snapshot } from '../features';

export interface PersonBehaviour {
  personId: string;
  /** Bought orders before the as-of time. */
  orders: number;
  /** Days from the latest bought order to the as-of time. */
  recencyDays: number;
  /** What the person paid for those orders (payment records; price + freight where an order has none), BRL. */
  spend: number;
  /** Freight over price + freight of the items. */
  freightShare: number;
  /** Mean instalments per order (largest instalment count of each order's payments; 1 without payments). */
  meanInstallments: number;
  /** Share of the paid amount paid by boleto, and by voucher. */
  boletoShare: number;
  voucherShare: number;
  /** Distinct catalogue categories bought. */
  categories: number;
}

interface Acc {
  orders: number;
  last: number;
  spend: number;
  paid: number;
  boleto: number;
  voucher: number;
  price: number;
  freight: number;
  installments: number;
  categories: Set<string>;
}

/** Every person with a bought order before `asOf` (local ms), by person id. */
export function personBehaviours(snap: Snapshot, asOf: number): Map<string, PersonBehaviour> {
  const accs = new Map<string, Acc>();
  for (const order of snap.orders) {
    if (!(order.purchase < asOf) || NOT_BOUGHT_STATUSES.has(order.status)) continue;
    const items = snap.items.get(order.orderId);
    if (!items || items.length === 0) continue;
    let acc = accs.get(order.personId);
    if (!acc) {
      acc = { orders: 0, last: -Infinity, spend: 0, paid: 0, boleto: 0, voucher: 0, price: 0, freight: 0, installments: 0, categories: new Set() };
      accs.set(order.personId, acc);
    }
    acc.orders++;
    acc.last = Math.max(acc.last, order.purchase);
    let price = 0;
    let freight = 0;
    for (const item of items) {
      price += item.price;
      freight += item.freight;
      const category = snap.products.get(item.productId)?.category;
      if (category) acc.categories.add(category);
    }
    acc.price += price;
    acc.freight += freight;
    const payments = snap.payments.get(order.orderId) ?? [];
    if (payments.length === 0) {
      acc.spend += price + freight;
      acc.installments += 1;
    } else {
      let maxInstallments = 1;
      for (const p of payments) {
        acc.spend += p.value;
        acc.paid += p.value;
        if (p.type === 'boleto') acc.boleto += p.value;
        if (p.type === 'voucher') acc.voucher += p.value;
        maxInstallments = Math.max(maxInstallments, p.installments);
      }
      acc.installments += maxInstallments;
    }
  }
  const out = new Map<string, PersonBehaviour>();
  for (const [personId, a] of accs) {
    out.set(personId, {
      personId,
      orders: a.orders,
      recencyDays: (asOf - a.last) / DAY_MS,
      spend: a.spend,
      freightShare: a.price + a.freight > 0 ? a.freight / (a.price + a.freight) : 0,
      meanInstallments: a.installments / a.orders,
      boletoShare: a.paid > 0 ? a.boleto / a.paid : 0,
      voucherShare: a.paid > 0 ? a.voucher / a.paid : 0,
      categories: a.categories.size,
    });
  }
  return out;
}

/** The clustering's inputs, in this order (the model's `features` columns; config.json feature_names). */
export const SEGMENT_FEATURES = [
  { name: 's_log_recency_days', description: 'log(1 + days since the latest order)', of: (b: PersonBehaviour) => Math.log1p(b.recencyDays) },
  { name: 's_log_orders', description: 'log(orders)', of: (b: PersonBehaviour) => Math.log(b.orders) },
  { name: 's_log_spend', description: 'log(1 + total paid, BRL)', of: (b: PersonBehaviour) => Math.log1p(b.spend) },
  { name: 's_mean_installments', description: 'mean instalments per order', of: (b: PersonBehaviour) => b.meanInstallments },
  { name: 's_boleto_share', description: 'share of the amount paid by boleto', of: (b: PersonBehaviour) => b.boletoShare },
  { name: 's_voucher_share', description: 'share of the amount paid by voucher', of: (b: PersonBehaviour) => b.voucherShare },
  { name: 's_freight_share', description: 'freight over price + freight', of: (b: PersonBehaviour) => b.freightShare },
  { name: 's_log_categories', description: 'log(1 + distinct categories bought)', of: (b: PersonBehaviour) => Math.log1p(b.categories) },
] as const;

export type SegmentFeatureName = (typeof SEGMENT_FEATURES)[number]['name'];

/** Row-major [behaviours.length × SEGMENT_FEATURES.length]. */
export function segmentRows(behaviours: readonly PersonBehaviour[]): Float32Array {
  const width = SEGMENT_FEATURES.length;
  const out = new Float32Array(behaviours.length * width);
  behaviours.forEach((b, r) => SEGMENT_FEATURES.forEach((f, j) => (out[r * width + j] = f.of(b))));
  return out;
}
