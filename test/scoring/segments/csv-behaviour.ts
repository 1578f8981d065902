/**
 * The independent side of the segment tests: persons' orders, spend and payment habits before a cut,
 * counted straight from the dataset CSVs (not through the sources or the snapshot), and a Snapshot
 * made of the same CSV rows for the code under test.
 */
import { localMs, type Snapshot } from '../../../src/scoring/features';
import { olistTableFile, readCsvFile, type CsvTable } from '../../helpers/olist-oracle';

const col = (table: CsvTable, name: string) => table.header.indexOf(name);

export interface CsvTables {
  customers: CsvTable;
  orders: CsvTable;
  items: CsvTable;
  payments: CsvTable;
  products: CsvTable;
}

export function csvTables(): CsvTables {
  return {
    customers: readCsvFile(olistTableFile('customers')),
    orders: readCsvFile(olistTableFile('orders')),
    items: readCsvFile(olistTableFile('orderItems')),
    payments: readCsvFile(olistTableFile('orderPayments')),
    products: readCsvFile(olistTableFile('products')),
  };
}

/** The orders purchased before `cut` as a Snapshot (only the tables the segment and anomaly code read). */
export function snapshotFromCsv(t: CsvTables, cut: number): Snapshot {
  const personOf = new Map(t.customers.rows.map((r) => [r[col(t.customers, 'customer_id')], r[col(t.customers, 'customer_unique_id')]]));
  const orders = t.orders.rows
    .map((r) => ({
      orderId: r[col(t.orders, 'order_id')],
      customerId: r[col(t.orders, 'customer_id')],
      personId: personOf.get(r[col(t.orders, 'customer_id')]) ?? r[col(t.orders, 'customer_id')],
      status: r[col(t.orders, 'order_status')],
      purchase: localMs(r[col(t.orders, 'order_purchase_timestamp')]),
      approved: localMs(r[col(t.orders, 'order_approved_at')]),
      carrier: localMs(r[col(t.orders, 'order_delivered_carrier_date')]),
      delivered: localMs(r[col(t.orders, 'order_delivered_customer_date')]),
      estimated: localMs(r[col(t.orders, 'order_estimated_delivery_date')]),
    }))
    .filter((o) => o.purchase < cut);
  const kept = new Set(orders.map((o) => o.orderId));
  const items: Snapshot['items'] = new Map();
  for (const r of t.items.rows) {
    const orderId = r[col(t.items, 'order_id')];
    if (!kept.has(orderId)) continue;
    const list = items.get(orderId) ?? [];
    list.push({
      orderId,
      productId: r[col(t.items, 'product_id')],
      sellerId: r[col(t.items, 'seller_id')],
      price: Number(r[col(t.items, 'price')]),
      freight: Number(r[col(t.items, 'freight_value')]),
      shippingLimit: localMs(r[col(t.items, 'shipping_limit_date')]),
    });
    items.set(orderId, list);
  }
  const payments: Snapshot['payments'] = new Map();
  for (const r of t.payments.rows) {
    const orderId = r[col(t.payments, 'order_id')];
    if (!kept.has(orderId)) continue;
    const list = payments.get(orderId) ?? [];
    list.push({
      orderId,
      type: r[col(t.payments, 'payment_type')],
      installments: Number(r[col(t.payments, 'payment_installments')]),
      value: Number(r[col(t.payments, 'payment_value')]),
    });
    payments.set(orderId, list);
  }
  const products: Snapshot['products'] = new Map();
  for (const r of t.products.rows) {
    const category = r[col(t.products, 'product_category_name')];
    products.set(r[col(t.products, 'product_id')], {
      productId: r[col(t.products, 'product_id')],
      category: category ? category : null,
      nameLength: 0,
      descriptionLength: 0,
      photos: 0,
      weightG: 0,
      volumeCm3: 0,
    });
  }
  return { orders, items, payments, reviews: new Map(), accounts: new Map(), products, sellers: new Map(), geo: new Map() };
}
