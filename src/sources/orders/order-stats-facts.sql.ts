/**
 * The order statistics' fact tables in the embedded (SQLite) order store: one row per order
 * (its totals and delivery flags precomputed), one per order and line key (seller, product) and one per
 * order and payment type, the last two with the order's filter columns copied, each with a covering
 * index led by the purchase time, so a grouped statistic over a period is one index range scan instead
 * of a lookup of every order's items and payments (docs/analytics.md, "Fact tables"). The seed builds
 * them; a store seeded before they existed gets them on its first statistic.
 *
 * Kept exact by triggers: any insert, update or delete on orders, order_items or order_payments
 * (seeding, change events, a repair) recomputes the facts of the orders it touches, in the same
 * transaction. The tables are versioned by name: a new FACTS_VERSION builds new tables on first use.
 */
import type Database from 'better-sqlite3';

export const FACTS_VERSION = 2;
export const ORDER_FACTS = `order_stats_facts_v${FACTS_VERSION}`;
export const LINE_FACTS = `order_stats_lines_v${FACTS_VERSION}`;
export const PAYMENT_FACTS = `order_stats_payments_v${FACTS_VERSION}`;
/** The order system's accounts numbered (account_key): grouping by persons joins and counts integers, not 32-character ids. */
export const ACCOUNT_KEYS = `order_stats_accounts_v${FACTS_VERSION}`;

const delivered = "o.order_delivered_customer_date IS NOT NULL AND o.order_delivered_customer_date <> ''";
const late = `${delivered} AND o.order_estimated_delivery_date IS NOT NULL AND o.order_estimated_delivery_date <> '' AND SUBSTR(o.order_delivered_customer_date, 1, 10) > SUBSTR(o.order_estimated_delivery_date, 1, 10)`;
const deliveryDays = 'CAST(JULIANDAY(SUBSTR(o.order_delivered_customer_date, 1, 10)) - JULIANDAY(SUBSTR(o.order_purchase_timestamp, 1, 10)) AS INTEGER)';

/** The order's fact row(s), for the orders `where` selects (on `o`). */
function orderFactsSelect(where: string): string {
  return (
    `SELECT o.order_id, o.customer_id, (SELECT k.account_key FROM ${ACCOUNT_KEYS} k WHERE k.customer_id = o.customer_id), o.order_status, o.order_purchase_timestamp,` +
    ` COALESCE((SELECT SUM(ROUND(i.price * 100)) FROM order_items i WHERE i.order_id = o.order_id), 0),` +
    ` COALESCE((SELECT SUM(ROUND(i.freight_value * 100)) FROM order_items i WHERE i.order_id = o.order_id), 0),` +
    ` COALESCE((SELECT SUM(ROUND(p.payment_value * 100)) FROM order_payments p WHERE p.order_id = o.order_id), 0),` +
    ` CASE WHEN ${delivered} THEN 1 ELSE 0 END, CASE WHEN ${late} THEN 1 ELSE 0 END,` +
    ` CASE WHEN ${delivered} THEN ${deliveryDays} ELSE 0 END FROM orders o WHERE ${where}`
  );
}

/** The order's line rows: sums per (seller, product), with the order's filter columns. */
function lineFactsSelect(where: string): string {
  return (
    `SELECT o.order_id, o.customer_id, o.order_status, o.order_purchase_timestamp, i.seller_id, i.product_id,` +
    ` SUM(ROUND(i.price * 100)), SUM(ROUND(i.freight_value * 100))` +
    ` FROM orders o INNER JOIN order_items i ON i.order_id = o.order_id WHERE ${where} GROUP BY o.order_id, i.seller_id, i.product_id`
  );
}

/** The order's payment rows: sums per payment type, with the order's filter columns. */
function paymentFactsSelect(where: string): string {
  return (
    `SELECT o.order_id, o.customer_id, o.order_status, o.order_purchase_timestamp, p.payment_type, SUM(ROUND(p.payment_value * 100))` +
    ` FROM orders o INNER JOIN order_payments p ON p.order_id = o.order_id WHERE ${where} GROUP BY o.order_id, p.payment_type`
  );
}

const ORDER_COLUMNS =
  'order_id TEXT NOT NULL PRIMARY KEY, customer_id TEXT NOT NULL, account_key INTEGER NOT NULL, order_status TEXT NOT NULL,' +
  ' order_purchase_timestamp TEXT NOT NULL, items_cents INTEGER NOT NULL, freight_cents INTEGER NOT NULL, payment_cents INTEGER NOT NULL,' +
  ' delivered INTEGER NOT NULL, late INTEGER NOT NULL, delivery_days INTEGER NOT NULL';
const LINE_COLUMNS =
  'order_id TEXT NOT NULL, customer_id TEXT NOT NULL, order_status TEXT NOT NULL, order_purchase_timestamp TEXT NOT NULL,' +
  ' seller_id TEXT NOT NULL, product_id TEXT NOT NULL, items_cents INTEGER NOT NULL, freight_cents INTEGER NOT NULL';
const PAYMENT_COLUMNS =
  'order_id TEXT NOT NULL, customer_id TEXT NOT NULL, order_status TEXT NOT NULL, order_purchase_timestamp TEXT NOT NULL,' +
  ' payment_type TEXT NOT NULL, payment_cents INTEGER NOT NULL';

/** The statements of one trigger's body: drop the touched orders' facts and recompute them. */
function refreshBody(ids: string[]): string {
  const list = ids.join(', ');
  return (
    `INSERT OR IGNORE INTO ${ACCOUNT_KEYS} (customer_id) SELECT o.customer_id FROM orders o WHERE o.order_id IN (${list});` +
    ` DELETE FROM ${ORDER_FACTS} WHERE order_id IN (${list}); DELETE FROM ${LINE_FACTS} WHERE order_id IN (${list});` +
    ` DELETE FROM ${PAYMENT_FACTS} WHERE order_id IN (${list});` +
    ` INSERT INTO ${ORDER_FACTS} ${orderFactsSelect(`o.order_id IN (${list})`)};` +
    ` INSERT INTO ${LINE_FACTS} ${lineFactsSelect(`o.order_id IN (${list})`)};` +
    ` INSERT INTO ${PAYMENT_FACTS} ${paymentFactsSelect(`o.order_id IN (${list})`)};`
  );
}

function triggers(): string[] {
  const statements: string[] = [];
  for (const table of ['orders', 'order_items', 'order_payments']) {
    const ids = { INSERT: ['NEW.order_id'], UPDATE: ['OLD.order_id', 'NEW.order_id'], DELETE: ['OLD.order_id'] };
    for (const [event, keys] of Object.entries(ids)) {
      statements.push(
        `CREATE TRIGGER IF NOT EXISTS ${ORDER_FACTS}_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} FOR EACH ROW BEGIN ${refreshBody(keys)} END`,
      );
    }
  }
  return statements;
}

/** The statements that build the fact tables, their indexes and triggers (run in one transaction). */
export function orderStatsFactsBuild(): string[] {
  return [
    `CREATE TABLE ${ACCOUNT_KEYS} (account_key INTEGER PRIMARY KEY, customer_id TEXT NOT NULL UNIQUE)`,
    `CREATE TABLE ${ORDER_FACTS} (${ORDER_COLUMNS}) WITHOUT ROWID`,
    `CREATE TABLE ${LINE_FACTS} (${LINE_COLUMNS})`,
    `CREATE TABLE ${PAYMENT_FACTS} (${PAYMENT_COLUMNS})`,
    `INSERT INTO ${ACCOUNT_KEYS} (customer_id) SELECT DISTINCT customer_id FROM orders ORDER BY customer_id`,
    `INSERT INTO ${ORDER_FACTS} ${orderFactsSelect('1 = 1')}`,
    `INSERT INTO ${LINE_FACTS} ${lineFactsSelect('1 = 1')}`,
    `INSERT INTO ${PAYMENT_FACTS} ${paymentFactsSelect('1 = 1')}`,
    `CREATE INDEX ${ORDER_FACTS}_purchased ON ${ORDER_FACTS} (order_purchase_timestamp, order_status, account_key, customer_id, items_cents, freight_cents, payment_cents, delivered, late, delivery_days)`,
    `CREATE INDEX ${LINE_FACTS}_purchased ON ${LINE_FACTS} (order_purchase_timestamp, order_status, customer_id, order_id, seller_id, product_id, items_cents, freight_cents)`,
    `CREATE INDEX ${LINE_FACTS}_order ON ${LINE_FACTS} (order_id)`,
    `CREATE INDEX ${PAYMENT_FACTS}_purchased ON ${PAYMENT_FACTS} (order_purchase_timestamp, order_status, customer_id, order_id, payment_type, payment_cents)`,
    `CREATE INDEX ${PAYMENT_FACTS}_order ON ${PAYMENT_FACTS} (order_id)`,
    ...triggers(),
  ];
}

/** Builds the fact tables when this version's are absent, dropping an older version's tables and triggers first. */
export function ensureOrderStatsFacts(db: Database.Database): void {
  const objects = db.prepare("SELECT type, name FROM sqlite_master WHERE name LIKE 'order_stats_%'").all() as { type: string; name: string }[];
  const current = (name: string) => name.includes(`_v${FACTS_VERSION}`);
  const stale = objects.filter((object) => !current(object.name));
  const built = objects.some((object) => object.type === 'table' && object.name === ORDER_FACTS);
  if (built && stale.length === 0) return;
  db.transaction(() => {
    // An older layout's triggers would write into tables that are about to go: drop them first.
    for (const object of stale) if (object.type === 'trigger') db.exec(`DROP TRIGGER IF EXISTS "${object.name}"`);
    for (const object of stale) if (object.type === 'table') db.exec(`DROP TABLE IF EXISTS "${object.name}"`);
    if (!built) for (const sql of orderStatsFactsBuild()) db.exec(sql);
  })();
}
