/**
 * The order statistics' fact tables in the embedded (SQLite) order store: one row per order
 * (its totals and delivery flags precomputed) and one per order and line key (seller, product, with
 * the order's filter columns copied), each with a covering index led by the purchase time, so a
 * grouped statistic over a period is one index range scan instead of a lookup of every order's items
 * and payments (docs/analytics.md, "Fact tables").
 *
 * Kept exact by triggers: any insert, update or delete on orders, order_items or order_payments
 * (seeding, change events, a repair) recomputes the facts of the orders it touches, in the same
 * transaction. The tables are versioned by name: a new FACTS_VERSION builds new tables on first use.
 */
import type { OrdersClient } from '../sql';

export const FACTS_VERSION = 1;
export const ORDER_FACTS = `order_stats_facts_v${FACTS_VERSION}`;
export const LINE_FACTS = `order_stats_lines_v${FACTS_VERSION}`;

const delivered = "o.order_delivered_customer_date IS NOT NULL AND o.order_delivered_customer_date <> ''";
const late = `${delivered} AND o.order_estimated_delivery_date IS NOT NULL AND o.order_estimated_delivery_date <> '' AND SUBSTR(o.order_delivered_customer_date, 1, 10) > SUBSTR(o.order_estimated_delivery_date, 1, 10)`;
const deliveryDays = 'CAST(JULIANDAY(SUBSTR(o.order_delivered_customer_date, 1, 10)) - JULIANDAY(SUBSTR(o.order_purchase_timestamp, 1, 10)) AS INTEGER)';

/** The order's fact row(s), for the orders `where` selects (on `o`). */
function orderFactsSelect(where: string): string {
  return (
    `SELECT o.order_id, o.customer_id, o.order_status, o.order_purchase_timestamp,` +
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

const ORDER_COLUMNS =
  'order_id TEXT NOT NULL PRIMARY KEY, customer_id TEXT NOT NULL, order_status TEXT NOT NULL, order_purchase_timestamp TEXT NOT NULL,' +
  ' items_cents INTEGER NOT NULL, freight_cents INTEGER NOT NULL, payment_cents INTEGER NOT NULL, delivered INTEGER NOT NULL,' +
  ' late INTEGER NOT NULL, delivery_days INTEGER NOT NULL';
const LINE_COLUMNS =
  'order_id TEXT NOT NULL, customer_id TEXT NOT NULL, order_status TEXT NOT NULL, order_purchase_timestamp TEXT NOT NULL,' +
  ' seller_id TEXT NOT NULL, product_id TEXT NOT NULL, items_cents INTEGER NOT NULL, freight_cents INTEGER NOT NULL';

/** The statements of one trigger's body: drop the touched orders' facts and recompute them. */
function refreshBody(ids: string[]): string {
  const list = ids.join(', ');
  return (
    `DELETE FROM ${ORDER_FACTS} WHERE order_id IN (${list}); DELETE FROM ${LINE_FACTS} WHERE order_id IN (${list});` +
    ` INSERT INTO ${ORDER_FACTS} ${orderFactsSelect(`o.order_id IN (${list})`)};` +
    ` INSERT INTO ${LINE_FACTS} ${lineFactsSelect(`o.order_id IN (${list})`)};`
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
    `CREATE TABLE ${ORDER_FACTS} (${ORDER_COLUMNS})`,
    `CREATE TABLE ${LINE_FACTS} (${LINE_COLUMNS})`,
    `INSERT INTO ${ORDER_FACTS} ${orderFactsSelect('1 = 1')}`,
    `INSERT INTO ${LINE_FACTS} ${lineFactsSelect('1 = 1')}`,
    `CREATE INDEX ${ORDER_FACTS}_purchased ON ${ORDER_FACTS} (order_purchase_timestamp, order_status, customer_id, order_id, items_cents, freight_cents, payment_cents, delivered, late, delivery_days)`,
    `CREATE INDEX ${LINE_FACTS}_purchased ON ${LINE_FACTS} (order_purchase_timestamp, order_status, customer_id, order_id, seller_id, product_id, items_cents, freight_cents)`,
    `CREATE INDEX ${LINE_FACTS}_order ON ${LINE_FACTS} (order_id)`,
    ...triggers(),
  ];
}

/** Builds the fact tables when this version's are absent (a seeded store's first statistic); true once they exist. */
export async function ensureOrderStatsFacts(client: OrdersClient): Promise<boolean> {
  const present = async () =>
    (await client.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '${ORDER_FACTS}'`))[0].n;
  if (Number(await present()) > 0) return true;
  await client.$transaction(orderStatsFactsBuild().map((sql) => client.$executeRawUnsafe(sql)));
  return true;
}
