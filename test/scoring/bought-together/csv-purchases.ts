/**
 * The dataset's orders as bought-together purchases, read straight from the CSV files (not through
 * the sources): the independent side of the bought-together tests.
 */
import type { Purchase } from '../../../src/scoring/bought-together';
import { localMs } from '../../../src/scoring/features';
import { olistTableFile, readCsvFile, type CsvTable } from '../../helpers/olist-oracle';

/** The real orders purchased before `cut`, read from the CSVs (not through the sources). */
export function purchasesFromCsv(cut = Infinity): Purchase[] {
  const column = (table: CsvTable, name: string) => table.header.indexOf(name);
  const customers = readCsvFile(olistTableFile('customers'));
  const personOf = new Map(customers.rows.map((r) => [r[column(customers, 'customer_id')], r[column(customers, 'customer_unique_id')]]));
  const items = readCsvFile(olistTableFile('orderItems'));
  const productsOf = new Map<string, Set<string>>();
  for (const r of items.rows) {
    const id = r[column(items, 'order_id')];
    productsOf.set(id, (productsOf.get(id) ?? new Set()).add(r[column(items, 'product_id')]));
  }
  const orders = readCsvFile(olistTableFile('orders'));
  const out: Purchase[] = [];
  for (const r of orders.rows) {
    const orderId = r[column(orders, 'order_id')];
    const t = localMs(r[column(orders, 'order_purchase_timestamp')]);
    const status = r[column(orders, 'order_status')];
    if (!(t < cut) || status === 'canceled' || status === 'unavailable' || !productsOf.has(orderId)) continue;
    out.push({ orderId, personId: personOf.get(r[column(orders, 'customer_id')])!, t, productIds: [...productsOf.get(orderId)!] });
  }
  return out;
}
