import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { olistDatasetDir } from './olist-oracle';

type Row = { record: Record<string, string> };

const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * A dataset folder with the first `orders` orders and exactly what they reference (their customers, items,
 * payments, reviews, and the products and sellers of those items); reference tables kept whole. Unlike
 * cutDataset, nothing dangles, so every canonical operation answers without errors. Cell text is kept as is.
 */
export function consistentCut(orders: number): string {
  const source = olistDatasetDir();
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-dataset-consistent-'));
  const read = (name: string): { header: string; rows: Row[] } => {
    const text = zlib.gunzipSync(fs.readFileSync(path.join(source, name))).toString('utf8');
    let columns: string[] = [];
    const records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      columns: (header: string[]) => (columns = header),
    }) as Record<string, string>[];
    return { header: columns.join(','), rows: records.map((record) => ({ record })) };
  };
  const write = (name: string, header: string, rows: Row[]) => {
    const columns = header.split(',');
    const lines = rows.map((row) => columns.map((column) => field(row.record[column] ?? '')).join(','));
    fs.writeFileSync(path.join(target, name), zlib.gzipSync(`${header}\n${lines.join('\n')}\n`));
  };
  const files = fs.readdirSync(source).filter((name) => name.endsWith('.csv.gz'));
  const find = (stem: string) => files.find((name) => name.startsWith(stem));

  const ordersFile = find('olist_orders_dataset')!;
  const orderTable = read(ordersFile);
  const kept = orderTable.rows.slice(0, orders);
  write(ordersFile, orderTable.header, kept);
  const orderIds = new Set(kept.map((row) => row.record.order_id));
  const customerIds = new Set(kept.map((row) => row.record.customer_id));
  const productIds = new Set<string>();
  const sellerIds = new Set<string>();
  const handled = new Set([ordersFile]);
  const filter = (stem: string, keep: (record: Record<string, string>) => boolean) => {
    const name = find(stem);
    if (!name) return;
    const table = read(name);
    write(
      name,
      table.header,
      table.rows.filter((row) => keep(row.record)),
    );
    handled.add(name);
  };
  filter('olist_order_items_dataset', (r) => {
    if (!orderIds.has(r.order_id)) return false;
    productIds.add(r.product_id);
    sellerIds.add(r.seller_id);
    return true;
  });
  filter('olist_customers_dataset', (r) => customerIds.has(r.customer_id));
  filter('olist_order_payments_dataset', (r) => orderIds.has(r.order_id));
  filter('olist_order_reviews_dataset', (r) => orderIds.has(r.order_id));
  filter('DERIVED_olist_order_reviews_scores_only', (r) => orderIds.has(r.order_id));
  filter('olist_products_dataset', (r) => productIds.has(r.product_id));
  filter('olist_sellers_dataset', (r) => sellerIds.has(r.seller_id));
  for (const name of files.filter((file) => !handled.has(file))) fs.copyFileSync(path.join(source, name), path.join(target, name));
  return target;
}
