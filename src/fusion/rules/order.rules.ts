import type { CleaningRule } from './rule';

/** What the order system says about one order, in the shape the order rules read. */
export interface OrderFacts {
  status: string;
  purchasedAt: string | null;
  approvedAt: string | null;
  carrierAt: string | null;
  deliveredAt: string | null;
}

/** Statuses after which each milestone must have happened. */
const APPROVED_BY = new Set(['approved', 'invoiced', 'processing', 'shipped', 'delivered']);
const SHIPPED_BY = new Set(['shipped', 'delivered']);

/** Missing timestamps stay null; when the status says they must exist, the reason is flagged. */
export const expectedDatesRule: CleaningRule<OrderFacts, string[]> = {
  name: 'order.expected_dates',
  description:
    'A timestamp the status implies (approval for approved-and-later orders, carrier hand-over for shipped ' +
    'and delivered ones, delivery for delivered ones) but the order system lacks: it stays null and is flagged.',
  examples: [{ input: 'status delivered, no delivery date', output: 'deliveredAt null, flagged' }],
  apply(order) {
    const missing: string[] = [];
    if (APPROVED_BY.has(order.status) && order.approvedAt === null) missing.push('approvedAt');
    if (SHIPPED_BY.has(order.status) && order.carrierAt === null) missing.push('carrierAt');
    if (order.status === 'delivered' && order.deliveredAt === null) missing.push('deliveredAt');
    return {
      value: missing,
      changed: false,
      ...(missing.length > 0 ? { flag: `${order.status} order lacks ${missing.join(', ')}` } : {}),
    };
  },
};

/** Orders whose status or timeline contradicts their own timestamps. */
export const statusTimelineRule: CleaningRule<OrderFacts, string[]> = {
  name: 'order.status_contradicts_timestamps',
  description:
    'Flags a canceled or unavailable order with a delivery date, and milestones dated before the purchase ' +
    '(approval, carrier hand-over or delivery earlier than the purchase itself).',
  examples: [
    { input: 'status canceled, delivered 2017-10-10', output: 'flagged' },
    { input: 'delivered before purchased', output: 'flagged' },
  ],
  apply(order) {
    const problems: string[] = [];
    if ((order.status === 'canceled' || order.status === 'unavailable') && order.deliveredAt !== null) {
      problems.push(`${order.status} but delivered`);
    }
    const purchased = order.purchasedAt ? Date.parse(order.purchasedAt) : NaN;
    for (const [field, value] of [
      ['approvedAt', order.approvedAt],
      ['carrierAt', order.carrierAt],
      ['deliveredAt', order.deliveredAt],
    ] as const) {
      if (value !== null && Date.parse(value) < purchased) problems.push(`${field} before purchasedAt`);
    }
    return { value: problems, changed: false, ...(problems.length > 0 ? { flag: problems.join('; ') } : {}) };
  },
};

/** Orders with more than one review (the review store keeps every one; the graph shows all). */
export const multipleReviewsRule: CleaningRule<number, number> = {
  name: 'order.multiple_reviews',
  description: 'An order reviewed more than once keeps every review; the order is flagged.',
  examples: [{ input: '2 reviews for one order', output: 'both listed, flagged' }],
  apply(count) {
    return { value: count, changed: false, ...(count > 1 ? { flag: `${count} reviews for one order` } : {}) };
  },
};

/** Payment types the order system could not classify. */
export const paymentTypeRule: CleaningRule<string, string> = {
  name: 'payment.type_not_defined',
  description: 'A payment of type "not_defined" keeps its type and value and is flagged.',
  examples: [{ input: 'not_defined', output: 'not_defined (flagged)' }],
  apply(type) {
    return { value: type, changed: false, ...(type === 'not_defined' ? { flag: 'payment type not defined' } : {}) };
  },
};

/** Review text: trimmed; blank means none. */
export const reviewTextRule: CleaningRule<string | null | undefined, string | null> = {
  name: 'review.text',
  description: 'Review titles and comments are trimmed; empty or blank text becomes null.',
  examples: [
    { input: '"  Ótimo produto "', output: '"Ótimo produto"' },
    { input: '"   "', output: 'null' },
  ],
  apply(raw) {
    if (raw === null || raw === undefined) return { value: null, changed: false };
    const trimmed = raw.trim();
    const value = trimmed === '' ? null : trimmed;
    return { value, changed: value !== raw };
  },
};

/** Kaggle's review file reuses some review ids across orders. */
export const sharedReviewIdRule: CleaningRule<number, number> = {
  name: 'review.id_shared_across_orders',
  description: 'A review id the review store uses for several orders: each order keeps its copy; flagged.',
  examples: [{ input: 'review id on 3 orders', output: 'flagged' }],
  apply(orderCount) {
    return { value: orderCount, changed: false, ...(orderCount > 1 ? { flag: `review id used by ${orderCount} orders` } : {}) };
  },
};
