/**
 * The Olist history as a sequence of changes, for the seed's cut (`seed --until`) and the replay command.
 * Each order purchased at or after the cut becomes: its customer account created, the order created (status
 * "created", purchase and estimated dates only), its items and payments added (all at the purchase time),
 * then approval and carrier hand-over (status changes) and delivery at their own timestamps, its final status
 * when that is none of these (canceled, unavailable, ...), and its reviews at the delivery time (the dataset's
 * reviews carry no dates; the feature store dates them the same way). Orders purchased before the cut are
 * seeded whole. Every change has a deterministic id (its history line), so a replay played twice is one.
 */
import { changeEvent, type ChangeEvent, type CustomerRow, type OrderItemRow, type OrderPaymentRow, type OrderRow, type ReviewDocument } from '../events';
import { readCsvRows, type CsvRow } from './csv-rows';
import { DATASET_TABLES, locateTableFile, type DatasetTable } from './dataset-files';
import { RawRecordReader } from './raw-records';

/** A date ("2018-06-01") or timestamp ("2018-06-01 10:00:00"): compared as text with the dataset's timestamps. */
export function checkHistoryTime(text: string, option: string): string {
  if (!/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(text))
    throw new Error(`${option} must be a date (YYYY-MM-DD) or "YYYY-MM-DD HH:MM:SS", got "${text}"`);
  return text;
}

/** Which orders and accounts the seed keeps: those purchased before the cut. */
export interface HistoryCut {
  until: string;
  orders: Set<string>;
  customers: Set<string>;
}

async function rows(datasetDir: string, table: DatasetTable, each: (record: RawRecordReader, row: CsvRow) => void): Promise<void> {
  const file = locateTableFile(datasetDir, table);
  for await (const { row, line } of readCsvRows(file, table)) each(new RawRecordReader(file, row, line), row);
}

export async function historyCut(datasetDir: string, until: string): Promise<HistoryCut> {
  const cut: HistoryCut = { until, orders: new Set(), customers: new Set() };
  await rows(datasetDir, DATASET_TABLES.orders, (r) => {
    if (r.text('order_purchase_timestamp') < until) {
      cut.orders.add(r.text('order_id'));
      cut.customers.add(r.text('customer_id'));
    }
  });
  return cut;
}

function orderRow(r: RawRecordReader): OrderRow {
  return {
    order_id: r.text('order_id'),
    customer_id: r.text('customer_id'),
    order_status: r.text('order_status'),
    order_purchase_timestamp: r.text('order_purchase_timestamp'),
    order_approved_at: r.optionalText('order_approved_at'),
    order_delivered_carrier_date: r.optionalText('order_delivered_carrier_date'),
    order_delivered_customer_date: r.optionalText('order_delivered_customer_date'),
    order_estimated_delivery_date: r.optionalText('order_estimated_delivery_date'),
  };
}

/**
 * The changes of orders purchased in [from, to) (to: no end), in time order (ties: in the order an order's
 * life has them). Reads the orders, items, payments, customers and reviews files once.
 */
export async function readHistory(datasetDir: string, from: string, to?: string): Promise<ChangeEvent[]> {
  const orders = new Map<string, OrderRow>();
  await rows(datasetDir, DATASET_TABLES.orders, (r) => {
    const purchase = r.text('order_purchase_timestamp');
    if (purchase >= from && (to === undefined || purchase < to)) orders.set(r.text('order_id'), orderRow(r));
  });
  const customersNeeded = new Set([...orders.values()].map((o) => o.customer_id));
  const customers = new Map<string, CustomerRow>();
  await rows(datasetDir, DATASET_TABLES.customers, (r) => {
    const id = r.text('customer_id');
    if (customersNeeded.has(id)) {
      customers.set(id, {
        customer_id: id,
        customer_unique_id: r.text('customer_unique_id'),
        customer_zip_code_prefix: r.text('customer_zip_code_prefix'),
        customer_city: r.text('customer_city'),
        customer_state: r.text('customer_state'),
      });
    }
  });
  const items = new Map<string, OrderItemRow[]>();
  await rows(datasetDir, DATASET_TABLES.orderItems, (r) => {
    const orderId = r.text('order_id');
    if (!orders.has(orderId)) return;
    const list = items.get(orderId) ?? [];
    list.push({
      order_id: orderId,
      order_item_id: r.integer('order_item_id'),
      product_id: r.text('product_id'),
      seller_id: r.text('seller_id'),
      shipping_limit_date: r.text('shipping_limit_date'),
      price: r.decimal('price'),
      freight_value: r.decimal('freight_value'),
    });
    items.set(orderId, list);
  });
  const payments = new Map<string, OrderPaymentRow[]>();
  await rows(datasetDir, DATASET_TABLES.orderPayments, (r) => {
    const orderId = r.text('order_id');
    if (!orders.has(orderId)) return;
    const list = payments.get(orderId) ?? [];
    list.push({
      order_id: orderId,
      payment_sequential: r.integer('payment_sequential'),
      payment_type: r.text('payment_type'),
      payment_installments: r.integer('payment_installments'),
      payment_value: r.decimal('payment_value'),
    });
    payments.set(orderId, list);
  });
  const reviews = new Map<string, ReviewDocument[]>();
  await rows(datasetDir, DATASET_TABLES.reviews, (r, row) => {
    const orderId = r.text('order_id');
    if (!orders.has(orderId)) return;
    // The same document the seed writes (seed.ts writeReviewDocuments).
    const document: ReviewDocument = { order_id: orderId, review_score: r.integer('review_score') };
    for (const column of Object.keys(row)) if (!(column in document)) document[column] = row[column];
    const list = reviews.get(orderId) ?? [];
    list.push(document);
    reviews.set(orderId, list);
  });

  const timed: { at: string; rank: number; event: ChangeEvent }[] = [];
  let rank = 0;
  // An order's changes are played in its life's order even where the data dates one earlier than the one
  // before (an approval stamped before the purchase): each sorts at the latest time of its order so far.
  let cursor = '';
  const add = (event: ChangeEvent) => {
    if (event.occurredAt > cursor) cursor = event.occurredAt;
    timed.push({ at: cursor, rank: rank++, event });
  };
  for (const order of orders.values()) {
    const id = order.order_id;
    const purchase = order.order_purchase_timestamp;
    cursor = purchase;
    const customer = customers.get(order.customer_id);
    if (customer) add(changeEvent('customer.account-created', purchase, { customer }, `olist:customer:${customer.customer_id}`));
    add(
      changeEvent(
        'order.created',
        purchase,
        {
          order: {
            ...order,
            order_status: 'created',
            order_approved_at: null,
            order_delivered_carrier_date: null,
            order_delivered_customer_date: null,
          },
        },
        `olist:order:${id}`,
      ),
    );
    for (const item of items.get(id) ?? []) add(changeEvent('order.item-added', purchase, { item }, `olist:item:${id}:${item.order_item_id}`));
    for (const payment of payments.get(id) ?? []) {
      add(changeEvent('order.payment-added', purchase, { payment }, `olist:payment:${id}:${payment.payment_sequential}`));
    }
    let last = purchase;
    if (order.order_approved_at) {
      add(
        changeEvent(
          'order.status-changed',
          order.order_approved_at,
          { orderId: id, status: 'approved', field: 'order_approved_at', at: order.order_approved_at },
          `olist:approved:${id}`,
        ),
      );
      last = order.order_approved_at;
    }
    const carrier = order.order_delivered_carrier_date;
    if (carrier) {
      add(
        changeEvent(
          'order.status-changed',
          carrier,
          { orderId: id, status: 'shipped', field: 'order_delivered_carrier_date', at: carrier },
          `olist:shipped:${id}`,
        ),
      );
      if (carrier > last) last = carrier;
    }
    const delivered = order.order_delivered_customer_date;
    if (delivered) {
      add(changeEvent('order.delivered', delivered, { orderId: id, deliveredAt: delivered }, `olist:delivered:${id}`));
      if (delivered > last) last = delivered;
    }
    const implied = delivered ? 'delivered' : carrier ? 'shipped' : order.order_approved_at ? 'approved' : 'created';
    if (order.order_status !== implied) {
      add(changeEvent('order.status-changed', last, { orderId: id, status: order.order_status, field: null, at: null }, `olist:status:${id}`));
    }
    (reviews.get(id) ?? []).forEach((review, i) => add(changeEvent('review.added', delivered ?? last, { review }, `olist:review:${id}:${i}`)));
  }
  return timed.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.rank - b.rank)).map((t) => t.event);
}
