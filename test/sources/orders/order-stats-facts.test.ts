/**
 * The order statistics' fact tables on a copy of the seeded orders.db: every grouped statement reads the
 * same figures from the facts as from the raw tables, after the build and after writes to each raw table
 * (the triggers keep the facts exact: an update, a line moved to another seller, a deleted payment, an
 * order moved out of the period, a new order).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { configFromEnv } from '../../../src/shared';
import { ORDER_FACTS, orderStatsFactsBuild } from '../../../src/sources/orders/order-stats-facts.sql';
import { orderStatsStatement, type OrderStatsSqlQuery } from '../../../src/sources/orders/order-stats.sql';

const AUGUST = { purchasedFrom: '2018-08-01 00:00:00', purchasedTo: '2018-08-31 23:59:59' };
const QUERIES: OrderStatsSqlQuery[] = [
  { groupBy: ['purchaseDay'], filter: AUGUST },
  { groupBy: ['purchaseWeek', 'status'], filter: AUGUST },
  { groupBy: ['paymentType'], filter: AUGUST },
  { groupBy: ['sellerId', 'status'], filter: AUGUST },
  { groupBy: ['productId', 'orderId', 'customerId'], filter: { ...AUGUST, statuses: ['delivered', 'canceled'] } },
  { groupBy: ['purchaseMonth'], filter: {}, measures: { items: false, payments: false } },
];

let directory: string;
let db: Database.Database;

beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'order-facts-'));
  fs.copyFileSync(path.join(configFromEnv().dataDir, 'orders.db'), path.join(directory, 'orders.db'));
  db = new Database(path.join(directory, 'orders.db'));
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(ORDER_FACTS)) db.transaction(() => orderStatsFactsBuild().forEach((sql) => db.exec(sql)))();
}, 120_000);
afterAll(() => {
  db?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

const run = (query: OrderStatsSqlQuery, facts: boolean) => {
  const { sql, values } = orderStatsStatement('sqlite', { ...query, facts });
  const rows = db.prepare(sql).all(...values) as Record<string, unknown>[];
  return rows.map((row) => JSON.stringify(Object.entries(row).map(([key, value]) => [key, typeof value === 'number' ? Math.round(value) : value]))).sort();
};

const expectFactsEqualRaw = () => {
  for (const query of QUERIES) {
    const raw = run(query, false);
    expect(raw.length).toBeGreaterThan(0);
    expect(run(query, true)).toEqual(raw);
  }
};

const augustOrder = () =>
  (db.prepare("SELECT order_id FROM orders WHERE order_purchase_timestamp >= '2018-08-10' ORDER BY order_id LIMIT 1").get() as { order_id: string }).order_id;

it('answers as the raw tables do once built', expectFactsEqualRaw, 60_000);

it('stays exact after writes to orders, order_items and order_payments', () => {
  const order = augustOrder();
  const before = run(QUERIES[3], true);
  db.prepare("UPDATE order_items SET price = price + 10, seller_id = '0015a82c2db000af6aaaf3ae2ecb0532' WHERE order_id = ?").run(order);
  expect(run(QUERIES[3], true)).not.toEqual(before);
  expectFactsEqualRaw();
  db.prepare("UPDATE orders SET order_status = 'canceled' WHERE order_id = ?").run(order);
  db.prepare('DELETE FROM order_payments WHERE order_id = ?').run(order);
  expectFactsEqualRaw();
  db.prepare("UPDATE orders SET order_purchase_timestamp = '2017-01-01 00:00:00' WHERE order_id = ?").run(order);
  expectFactsEqualRaw();
  const copy = db.prepare('SELECT * FROM orders WHERE order_id = ?').get(order) as Record<string, unknown>;
  const fresh = 'f'.repeat(32);
  const columns = Object.keys(copy);
  db.prepare(`INSERT INTO orders (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(
    ...columns.map((column) => (column === 'order_id' ? fresh : column === 'order_purchase_timestamp' ? '2018-08-15 10:00:00' : copy[column])),
  );
  db.prepare(
    "INSERT INTO order_payments (order_id, payment_sequential, payment_type, payment_installments, payment_value) VALUES (?, 1, 'voucher', 1, 12.34)",
  ).run(fresh);
  expectFactsEqualRaw();
}, 120_000);
