/**
 * Live updates: one change event applied to a built FeatureStore, incrementally (no rebuild). The order,
 * its items, payments, account and reviews join the snapshot; the as-of aggregates get the same events the
 * index's constructor would have given them (a sale at purchase, a hand-over at its time, a delivery and
 * its reviews at delivery), appended beside the packed ones; memoised aggregates are forgotten; the serving
 * as-of time moves to the newest purchase. So a deliveryRisk or recommendation row computed after the event
 * equals one computed by a store built from the sources holding the change.
 *
 * Idempotent by state, whatever the event ids: a change the store already holds (an order it knows, an item
 * number or payment it has, a delivery already dated, a review already counted) is skipped, which covers an
 * event redelivered after a restart whose store was rebuilt from sources that already held the change.
 *
 * The recommendation side follows too, when the store has built its as-of view: a sale joins the view's
 * popularity tallies, buyers, co-purchase counts and its product's main seller and mean price; a new
 * purchase moves the view's as-of time (30- and 180-day windows slide); the persons an event touches have
 * their profiles recomputed on next use; template rows are recomputed on use (recommendation-rows.ts).
 * Per event: a few ranking moves, the buyer's own orders, and sales leaving a window (each once).
 */
import type { ChangeEvent } from '../../events';
import { accountView } from '../../fusion';
import type { FeatureStore } from './feature-store';
import { GLOBAL, isLate, type FeatureIndex } from './feature-index';
import type { SnapOrder } from './snapshot';
import { DAY_MS, localMs } from './time';

export type LiveOutcome = 'applied' | 'already-held' | 'unknown-order';

/**
 * What each index learnt from events (not from the sources): the orders created live and the payments applied
 * live. Payments carry no sequence number in the snapshot, and one order may hold two equal payments.
 */
const learnt = new WeakMap<FeatureIndex, { orders: Set<string>; payments: Set<string> }>();
function learntBy(index: FeatureIndex) {
  let entry = learnt.get(index);
  if (!entry) learnt.set(index, (entry = { orders: new Set(), payments: new Set() }));
  return entry;
}

export function applyChange(store: FeatureStore, event: ChangeEvent): LiveOutcome {
  const index = store.index;
  // Ready before the index changes: a read-back view walks the index as it was.
  const view = store.liveView();
  const outcome = apply(index, event);
  if (outcome !== 'applied') return outcome;
  index.forgetMemos();
  if (event.type === 'order.created') {
    const order = index.orders.get(event.data.order.order_id)!;
    store.advanceTo(order.purchase + 1000);
    view?.personChanged(order.personId);
  } else if (event.type === 'order.item-added') {
    const order = index.orders.get(event.data.item.order_id)!;
    const items = index.itemsOf(order.orderId);
    view?.recordSale(order, items[items.length - 1]);
  } else if (event.type === 'customer.account-created') {
    view?.personChanged(index.snap.accounts.get(event.data.customer.customer_id)!.personId);
  } else if (event.type === 'order.payment-added') {
    const order = index.orders.get(event.data.payment.order_id);
    if (order) view?.personChanged(order.personId);
  }
  return outcome;
}

function apply(index: FeatureIndex, event: ChangeEvent): LiveOutcome {
  const snap = index.snap;
  switch (event.type) {
    case 'customer.account-created': {
      const c = event.data.customer;
      if (snap.accounts.has(c.customer_id)) return 'already-held';
      // Cleaned as the snapshot's accounts are (zip prefix with leading zeros, validated state code).
      const view = accountView({
        customerId: c.customer_id,
        customerUniqueId: c.customer_unique_id,
        zipCodePrefix: c.customer_zip_code_prefix,
        city: c.customer_city,
        state: c.customer_state,
      });
      const account = { customerId: view.customerId, personId: view.personId, zip: view.zipPrefix, state: view.state };
      snap.accounts.set(c.customer_id, account);
      const lowest = index.lowestAccountOfPerson.get(account.personId);
      if (!lowest || account.customerId < lowest.customerId) index.lowestAccountOfPerson.set(account.personId, account);
      return 'applied';
    }
    case 'order.created': {
      const o = event.data.order;
      if (index.orders.has(o.order_id)) return 'already-held';
      const order: SnapOrder = {
        orderId: o.order_id,
        customerId: o.customer_id,
        personId: snap.accounts.get(o.customer_id)?.personId ?? o.customer_id,
        status: o.order_status,
        purchase: localMs(o.order_purchase_timestamp),
        approved: localMs(o.order_approved_at),
        carrier: localMs(o.order_delivered_carrier_date),
        delivered: localMs(o.order_delivered_customer_date),
        estimated: localMs(o.order_estimated_delivery_date),
      };
      snap.orders.push(order);
      index.orders.set(order.orderId, order);
      learntBy(index).orders.add(order.orderId);
      const list = index.ordersByPerson.get(order.personId) ?? [];
      let at = list.length;
      while (at > 0 && list[at - 1].purchase > order.purchase) at--;
      list.splice(at, 0, order);
      index.ordersByPerson.set(order.personId, list);
      const state = index.stateOfAccount(order.customerId);
      index.purchases.append(GLOBAL, order.purchase);
      index.purchases.append(`st:${state}`, order.purchase);
      index.estimates.append(GLOBAL, order);
      index.estimates.append(`st:${state}`, order);
      return 'applied';
    }
    case 'order.item-added': {
      const i = event.data.item;
      const order = index.orders.get(i.order_id);
      if (!order) return 'unknown-order';
      const items = snap.items.get(i.order_id) ?? [];
      if (items.length >= i.order_item_id) return 'already-held';
      const newSeller = !items.some((item) => item.sellerId === i.seller_id);
      items.push({
        orderId: i.order_id,
        productId: i.product_id,
        sellerId: i.seller_id,
        price: i.price,
        freight: i.freight_value,
        shippingLimit: localMs(i.shipping_limit_date),
      });
      snap.items.set(i.order_id, items);
      const state = index.stateOfAccount(order.customerId);
      const category = snap.products.get(i.product_id)?.category ?? '?';
      for (const key of [`p:${i.product_id}`, `ps:${state}|${i.product_id}`, `c:${category}`, `cs:${state}|${category}`, `s:${i.seller_id}`, `st:${state}`]) {
        index.sales.append(key, order.purchase, i.price);
      }
      if (newSeller) {
        index.estimates.append(`se:${i.seller_id}`, order);
        index.estimates.append(`rt:${snap.sellers.get(i.seller_id)?.state ?? '?'}>${state}`, order);
      }
      return 'applied';
    }
    case 'order.payment-added': {
      const p = event.data.payment;
      if (!index.orders.has(p.order_id)) return 'unknown-order';
      const payments = snap.payments.get(p.order_id) ?? [];
      const payment = { orderId: p.order_id, type: p.payment_type, installments: p.payment_installments, value: p.payment_value };
      // Applied live before: by its sequence number. An order read from the sources: held when an equal payment is.
      const key = `${p.order_id}:${p.payment_sequential}`;
      const live = learntBy(index);
      if (live.payments.has(key)) return 'already-held';
      const sameHeld = payments.some((q) => q.type === payment.type && q.installments === payment.installments && q.value === payment.value);
      if (!live.orders.has(p.order_id) && sameHeld) return 'already-held';
      live.payments.add(key);
      payments.push(payment);
      snap.payments.set(p.order_id, payments);
      return 'applied';
    }
    case 'order.status-changed': {
      const order = index.orders.get(event.data.orderId);
      if (!order) return 'unknown-order';
      const at = localMs(event.data.at);
      if (event.data.field === 'order_approved_at') {
        if (Number.isFinite(order.approved)) return 'already-held';
        order.approved = at;
      } else if (event.data.field === 'order_delivered_carrier_date') {
        if (Number.isFinite(order.carrier)) return 'already-held';
        order.carrier = at;
        for (const sellerId of sellersOf(index, order.orderId))
          index.handling.append(`se:${sellerId}`, order.carrier, (order.carrier - order.purchase) / DAY_MS);
      } else if (order.status === event.data.status) return 'already-held';
      order.status = event.data.status;
      return 'applied';
    }
    case 'order.delivered': {
      const order = index.orders.get(event.data.orderId);
      if (!order) return 'unknown-order';
      if (Number.isFinite(order.delivered)) return 'already-held';
      order.delivered = localMs(event.data.deliveredAt);
      order.status = 'delivered';
      addDelivery(index, order);
      for (const score of snap.reviews.get(order.orderId) ?? []) addReview(index, order, score);
      return 'applied';
    }
    case 'review.added': {
      const r = event.data.review;
      const order = index.orders.get(r.order_id);
      if (!order) return 'unknown-order';
      const scores = snap.reviews.get(r.order_id) ?? [];
      if (scores.length > Number(event.id.split(':').pop())) return 'already-held';
      scores.push(r.review_score);
      snap.reviews.set(r.order_id, scores);
      addReview(index, order, r.review_score);
      return 'applied';
    }
  }
}

function sellersOf(index: FeatureIndex, orderId: string): string[] {
  return [...new Set(index.itemsOf(orderId).map((i) => i.sellerId))];
}

/** The delivery aggregates of one order, as FeatureIndex's constructor adds them. */
function addDelivery(index: FeatureIndex, order: SnapOrder): void {
  if (!Number.isFinite(order.delivered) || !Number.isFinite(order.estimated)) return;
  const state = index.stateOfAccount(order.customerId);
  const late = isLate(order) ? 1 : 0;
  const days = (order.delivered - order.purchase) / DAY_MS;
  index.deliveries.append(GLOBAL, order.delivered, late, days);
  index.deliveries.append(`st:${state}`, order.delivered, late, days);
  const items = index.itemsOf(order.orderId);
  for (const category of new Set(items.map((i) => index.snap.products.get(i.productId)?.category ?? '?'))) {
    index.deliveries.append(`c:${category}`, order.delivered, late, days);
  }
  for (const sellerId of sellersOf(index, order.orderId)) {
    index.deliveries.append(`se:${sellerId}`, order.delivered, late, days);
    index.deliveries.append(`rt:${index.snap.sellers.get(sellerId)?.state ?? '?'}>${state}`, order.delivered, late, days);
  }
}

/** One review's aggregates, known at its order's delivery (none before it is delivered). */
function addReview(index: FeatureIndex, order: SnapOrder, score: number): void {
  if (!Number.isFinite(order.delivered) || !Number.isFinite(order.estimated)) return;
  const low = score <= 2 ? 1 : 0;
  for (const sellerId of sellersOf(index, order.orderId)) index.reviews.append(`se:${sellerId}`, order.delivered, score, low);
  for (const productId of new Set(index.itemsOf(order.orderId).map((i) => i.productId))) index.reviews.append(`p:${productId}`, order.delivered, score, low);
  index.reviews.append(`pe:${order.personId}`, order.delivered, score, low);
}
