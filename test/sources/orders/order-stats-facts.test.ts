/**
 * The order statistics' fact tables on a copy of the seeded orders.db: the statement over the facts and
 * lookup tables (SqliteOrderStats, as the embedded store runs it) answers the same figures as the raw-table
 * statement the database servers run, after the build and after writes to each raw table (the triggers
 * keep the facts exact: an update, a line moved to another seller, a deleted payment, an order moved out
 * of the period, a new order). Every account is its own person here, so persons equal distinct accounts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { configFromEnv } from '../../../src/shared';
import { ensureOrderStatsFacts, ORDER_FACTS } from '../../../src/sources/orders/order-stats-facts.sql';
import type { LookupStatsQuery, LookupStatsRow, OrderStatsLookups } from '../../../src/sources/orders/order-stats-lookups.sql';
import { orderStatsRow, orderStatsStatement, type OrderStatsSqlQuery } from '../../../src/sources/orders/order-stats.sql';
import { SqliteOrderStats } from '../../../src/sources/orders/sqlite-order-stats';

const AUGUST = { purchasedFrom: '2018-08-01 00:00:00', purchasedTo: '2018-08-31 23:59:59' };
const ALL = { items: true, payments: true, delivery: true, persons: true, reviews: false };
const QUERIES: { raw: OrderStatsSqlQuery; facts: LookupStatsQuery }[] = [
  { raw: { groupBy: ['purchaseDay'], filter: AUGUST }, facts: { groupBy: ['purchaseDay'], filter: AUGUST, measures: ALL } },
  { raw: { groupBy: ['purchaseWeek', 'status'], filter: AUGUST }, facts: { groupBy: ['purchaseWeek', 'status'], filter: AUGUST, measures: ALL } },
  { raw: { groupBy: ['paymentType'], filter: AUGUST }, facts: { groupBy: ['paymentType'], filter: AUGUST, measures: ALL } },
  { raw: { groupBy: ['sellerId', 'status'], filter: AUGUST }, facts: { groupBy: ['sellerId', 'status'], filter: AUGUST, measures: ALL } },
  {
    raw: {
      groupBy: ['purchaseMonth', 'paymentType', 'sellerId'],
      filter: { ...AUGUST, statuses: ['delivered', 'canceled'], paymentTypes: ['boleto', 'voucher'] },
    },
    facts: {
      groupBy: ['purchaseMonth', 'paymentType', 'sellerId'],
      filter: { ...AUGUST, statuses: ['delivered', 'canceled'], paymentTypes: ['boleto', 'voucher'] },
      measures: ALL,
    },
  },
  {
    raw: { groupBy: ['purchaseMonth'], filter: {}, measures: { items: false, payments: false } },
    facts: { groupBy: ['purchaseMonth'], filter: {}, measures: { ...ALL, items: false, payments: false } },
  },
];

let directory: string;
let db: Database.Database;
let stats: SqliteOrderStats;

beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'order-facts-'));
  fs.copyFileSync(path.join(configFromEnv().dataDir, 'orders.db'), path.join(directory, 'orders.db'));
  db = new Database(path.join(directory, 'orders.db'));
  ensureOrderStatsFacts(db);
  stats = new SqliteOrderStats(path.join(directory, 'orders.db'));
}, 120_000);
afterAll(async () => {
  await stats?.close();
  db?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

/** Every account its own person: a new map each call, so the lookup table is reloaded with new accounts. */
const lookups = (): OrderStatsLookups => ({
  accounts: new Map(
    (db.prepare('SELECT DISTINCT customer_id FROM orders').all() as { customer_id: string }[]).map((row) => [
      row.customer_id,
      { personId: row.customer_id, state: null },
    ]),
  ),
});

/** The figures both statements carry, in one shape. */
const common = (row: Omit<LookupStatsRow, 'reviews' | 'reviewScoreSum'>) =>
  JSON.stringify([row.keys, row.orders, row.persons, row.itemsCents, row.freightCents, row.paymentCents, row.delivered, row.late, row.deliveryDays]);

const rawRows = (query: OrderStatsSqlQuery) => {
  const { sql, values } = orderStatsStatement('sqlite', query);
  return (db.prepare(sql).all(...values) as Record<string, unknown>[])
    .map((row) => orderStatsRow(row, query.groupBy.length))
    .map((row) => common({ ...row, persons: row.accounts }))
    .sort();
};
const factRows = async (query: LookupStatsQuery) => (await stats.run(query, lookups())).map(common).sort();

const expectFactsEqualRaw = async () => {
  for (const query of QUERIES) {
    const raw = rawRows(query.raw);
    expect(raw.length).toBeGreaterThan(0);
    expect(await factRows(query.facts)).toEqual(raw);
  }
};

const augustOrder = () =>
  (db.prepare("SELECT order_id FROM orders WHERE order_purchase_timestamp >= '2018-08-10' ORDER BY order_id LIMIT 1").get() as { order_id: string }).order_id;

it('answers as the raw tables do once built', expectFactsEqualRaw, 60_000);

it('replaces an older layout: its tables and the triggers writing into them go first', () => {
  const file = path.join(directory, 'older.db');
  fs.copyFileSync(path.join(configFromEnv().dataDir, 'orders.db'), file);
  const older = new Database(file);
  try {
    older.exec('CREATE TABLE order_stats_facts_v0 (order_id TEXT)');
    older.exec(
      'CREATE TRIGGER order_stats_facts_v0_orders_update AFTER UPDATE ON orders FOR EACH ROW BEGIN INSERT INTO order_stats_facts_v0 VALUES (NEW.order_id); END',
    );
    ensureOrderStatsFacts(older);
    expect(older.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'order_stats_%v0%'").all()).toEqual([]);
    expect(older.prepare('SELECT COUNT(*) AS n FROM sqlite_master WHERE name = ?').get(ORDER_FACTS)).toEqual({ n: 1 });
    expect(() => older.prepare('UPDATE orders SET order_status = order_status WHERE order_id IN (SELECT order_id FROM orders LIMIT 1)').run()).not.toThrow();
  } finally {
    older.close();
  }
}, 120_000);

it('stays exact after writes to orders, order_items and order_payments', async () => {
  const order = augustOrder();
  const before = await factRows(QUERIES[3].facts);
  db.prepare("UPDATE order_items SET price = price + 10, seller_id = '0015a82c2db000af6aaaf3ae2ecb0532' WHERE order_id = ?").run(order);
  expect(await factRows(QUERIES[3].facts)).not.toEqual(before);
  await expectFactsEqualRaw();
  db.prepare("UPDATE orders SET order_status = 'canceled' WHERE order_id = ?").run(order);
  db.prepare('DELETE FROM order_payments WHERE order_id = ?').run(order);
  await expectFactsEqualRaw();
  db.prepare("UPDATE orders SET order_purchase_timestamp = '2017-01-01 00:00:00' WHERE order_id = ?").run(order);
  await expectFactsEqualRaw();
  const copy = db.prepare('SELECT * FROM orders WHERE order_id = ?').get(order) as Record<string, unknown>;
  const fresh = 'f'.repeat(32);
  const columns = Object.keys(copy);
  db.prepare(`INSERT INTO orders (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(
    ...columns.map((column) => (column === 'order_id' ? fresh : column === 'order_purchase_timestamp' ? '2018-08-15 10:00:00' : copy[column])),
  );
  db.prepare(
    "INSERT INTO order_payments (order_id, payment_sequential, payment_type, payment_installments, payment_value) VALUES (?, 1, 'voucher', 1, 12.34)",
  ).run(fresh);
  await expectFactsEqualRaw();
}, 120_000);
