/**
 * The Olist tables in one PostgreSQL schema shaped for PostGraphile: every table with its primary key,
 * every reference a foreign key (with an index, so PostGraphile infers the relation and PostgreSQL
 * joins on an index), and the gateway's derived fields as STABLE SQL functions PostGraphile exposes
 * as computed columns (`orders_items_total(o)` → `Order.itemsTotal`). Loaded from the same dataset
 * CSVs the seed reads, raw (empty cells NULL, nothing cleaned). Idempotent: a marker row records the
 * DDL version and the files' sizes; when it matches, nothing is loaded again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
import { readCsvRows } from '../../src/seed/csv-rows';
import { DATASET_TABLES, locateTableFile, type DatasetTable } from '../../src/seed/dataset-files';

export const PEER_SCHEMA = 'olist';

const DDL = `
CREATE SCHEMA ${PEER_SCHEMA};
SET search_path TO ${PEER_SCHEMA};
CREATE TABLE categories (name text PRIMARY KEY, name_en text);
CREATE TABLE products (
  id text PRIMARY KEY, category_name text REFERENCES categories, name_length int, description_length int,
  photos_count int, weight_grams int, length_cm int, height_cm int, width_cm int);
CREATE INDEX ON products (category_name);
CREATE TABLE sellers (id text PRIMARY KEY, zip_prefix text, city text, state text);
CREATE TABLE geolocations (zip_prefix text PRIMARY KEY, latitude float8, longitude float8, city text, state text);
CREATE TABLE persons (id text PRIMARY KEY);
CREATE TABLE customers (id text PRIMARY KEY, person_id text NOT NULL REFERENCES persons, zip_prefix text, city text, state text);
CREATE INDEX ON customers (person_id);
CREATE TABLE orders (
  id text PRIMARY KEY, customer_id text NOT NULL REFERENCES customers, status text NOT NULL,
  purchased_at timestamp, approved_at timestamp, carrier_at timestamp, delivered_at timestamp, estimated_delivery_at timestamp);
CREATE INDEX ON orders (customer_id, purchased_at, id);
CREATE TABLE order_items (
  order_id text NOT NULL REFERENCES orders, position int NOT NULL, product_id text NOT NULL REFERENCES products,
  seller_id text NOT NULL REFERENCES sellers, shipping_limit_at timestamp, price numeric(12,2), freight numeric(12,2),
  PRIMARY KEY (order_id, position));
CREATE INDEX ON order_items (product_id, order_id);
CREATE INDEX ON order_items (seller_id);
CREATE TABLE payments (
  order_id text NOT NULL REFERENCES orders, sequential int NOT NULL, type text, installments int, value numeric(12,2),
  PRIMARY KEY (order_id, sequential));
CREATE TABLE reviews (line int PRIMARY KEY, order_id text NOT NULL REFERENCES orders, score int);
CREATE INDEX ON reviews (order_id, line);

CREATE FUNCTION orders_items_total(o orders) RETURNS float8 LANGUAGE sql STABLE AS
  $$ SELECT coalesce(sum(price), 0)::float8 FROM ${PEER_SCHEMA}.order_items WHERE order_id = o.id $$;
CREATE FUNCTION orders_freight_total(o orders) RETURNS float8 LANGUAGE sql STABLE AS
  $$ SELECT coalesce(sum(freight), 0)::float8 FROM ${PEER_SCHEMA}.order_items WHERE order_id = o.id $$;
CREATE FUNCTION orders_payment_total(o orders) RETURNS float8 LANGUAGE sql STABLE AS
  $$ SELECT coalesce(sum(value), 0)::float8 FROM ${PEER_SCHEMA}.payments WHERE order_id = o.id $$;
CREATE FUNCTION persons_orders(p persons) RETURNS SETOF orders LANGUAGE sql STABLE AS
  $$ SELECT o.* FROM ${PEER_SCHEMA}.orders o JOIN ${PEER_SCHEMA}.customers c ON c.id = o.customer_id
     WHERE c.person_id = p.id ORDER BY o.purchased_at, o.id $$;
CREATE FUNCTION persons_order_count(p persons) RETURNS int LANGUAGE sql STABLE AS
  $$ SELECT count(*)::int FROM ${PEER_SCHEMA}.orders o JOIN ${PEER_SCHEMA}.customers c ON c.id = o.customer_id WHERE c.person_id = p.id $$;
CREATE FUNCTION persons_total_spent(p persons) RETURNS float8 LANGUAGE sql STABLE AS
  $$ SELECT coalesce(sum(pay.value), 0)::float8 FROM ${PEER_SCHEMA}.payments pay
     JOIN ${PEER_SCHEMA}.orders o ON o.id = pay.order_id JOIN ${PEER_SCHEMA}.customers c ON c.id = o.customer_id WHERE c.person_id = p.id $$;
CREATE FUNCTION customers_location(c customers) RETURNS geolocations LANGUAGE sql STABLE AS
  $$ SELECT * FROM ${PEER_SCHEMA}.geolocations WHERE zip_prefix = c.zip_prefix $$;
CREATE FUNCTION products_sellers(p products) RETURNS SETOF sellers LANGUAGE sql STABLE AS
  $$ SELECT s.* FROM ${PEER_SCHEMA}.sellers s WHERE s.id IN (SELECT seller_id FROM ${PEER_SCHEMA}.order_items WHERE product_id = p.id) ORDER BY s.id $$;
CREATE FUNCTION products_order_count(p products) RETURNS int LANGUAGE sql STABLE AS
  $$ SELECT count(DISTINCT order_id)::int FROM ${PEER_SCHEMA}.order_items WHERE product_id = p.id $$;
CREATE FUNCTION products_reviews(p products) RETURNS SETOF reviews LANGUAGE sql STABLE AS
  $$ SELECT r.* FROM ${PEER_SCHEMA}.reviews r WHERE r.order_id IN (SELECT order_id FROM ${PEER_SCHEMA}.order_items WHERE product_id = p.id) ORDER BY r.line $$;
CREATE FUNCTION products_average_rating(p products) RETURNS float8 LANGUAGE sql STABLE AS
  $$ SELECT avg(r.score)::float8 FROM ${PEER_SCHEMA}.reviews r WHERE r.order_id IN (SELECT order_id FROM ${PEER_SCHEMA}.order_items WHERE product_id = p.id) $$;
CREATE TABLE peer_load (version text PRIMARY KEY);
COMMENT ON TABLE peer_load IS E'@omit';
`;

type Cell = string | number | null;
const text = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);
const int = (value: string | undefined): number | null => (text(value) === null ? null : Number.parseInt(value!, 10));
const float = (value: string | undefined): number | null => (text(value) === null ? null : Number(value));

/** table → its dataset file and how a CSV row becomes the table's columns (in column order). */
interface TableLoad {
  table: string;
  source: DatasetTable;
  /** [column, PostgreSQL type], in the order `row` answers the cells. */
  columns: [string, string][];
  row(csv: Record<string, string>, line: number): Cell[];
  /** The raw geolocation file has many rows per zip prefix: the last one wins, as in the derived file (and the gateway). */
  lastPerKey?: boolean;
}

const LOADS: TableLoad[] = [
  {
    table: 'categories',
    source: DATASET_TABLES.categoryTranslations,
    columns: [
      ['name', 'text'],
      ['name_en', 'text'],
    ],
    row: (r) => [text(r.product_category_name), text(r.product_category_name_english)],
  },
  {
    table: 'products',
    source: DATASET_TABLES.products,
    columns: [
      ['id', 'text'],
      ['category_name', 'text'],
      ['name_length', 'int'],
      ['description_length', 'int'],
      ['photos_count', 'int'],
      ['weight_grams', 'int'],
      ['length_cm', 'int'],
      ['height_cm', 'int'],
      ['width_cm', 'int'],
    ],
    row: (r) => [
      r.product_id,
      text(r.product_category_name),
      int(r.product_name_lenght),
      int(r.product_description_lenght),
      int(r.product_photos_qty),
      int(r.product_weight_g),
      int(r.product_length_cm),
      int(r.product_height_cm),
      int(r.product_width_cm),
    ],
  },
  {
    table: 'sellers',
    source: DATASET_TABLES.sellers,
    columns: [
      ['id', 'text'],
      ['zip_prefix', 'text'],
      ['city', 'text'],
      ['state', 'text'],
    ],
    row: (r) => [r.seller_id, text(r.seller_zip_code_prefix), text(r.seller_city), text(r.seller_state)],
  },
  {
    table: 'geolocations',
    source: DATASET_TABLES.geolocation,
    columns: [
      ['zip_prefix', 'text'],
      ['latitude', 'float8'],
      ['longitude', 'float8'],
      ['city', 'text'],
      ['state', 'text'],
    ],
    row: (r) => [r.geolocation_zip_code_prefix, float(r.geolocation_lat), float(r.geolocation_lng), text(r.geolocation_city), text(r.geolocation_state)],
    lastPerKey: true,
  },
  {
    table: 'customers',
    source: DATASET_TABLES.customers,
    columns: [
      ['id', 'text'],
      ['person_id', 'text'],
      ['zip_prefix', 'text'],
      ['city', 'text'],
      ['state', 'text'],
    ],
    row: (r) => [r.customer_id, r.customer_unique_id, text(r.customer_zip_code_prefix), text(r.customer_city), text(r.customer_state)],
  },
  {
    table: 'orders',
    source: DATASET_TABLES.orders,
    columns: [
      ['id', 'text'],
      ['customer_id', 'text'],
      ['status', 'text'],
      ['purchased_at', 'timestamp'],
      ['approved_at', 'timestamp'],
      ['carrier_at', 'timestamp'],
      ['delivered_at', 'timestamp'],
      ['estimated_delivery_at', 'timestamp'],
    ],
    row: (r) => [
      r.order_id,
      r.customer_id,
      r.order_status,
      text(r.order_purchase_timestamp),
      text(r.order_approved_at),
      text(r.order_delivered_carrier_date),
      text(r.order_delivered_customer_date),
      text(r.order_estimated_delivery_date),
    ],
  },
  {
    table: 'order_items',
    source: DATASET_TABLES.orderItems,
    columns: [
      ['order_id', 'text'],
      ['position', 'int'],
      ['product_id', 'text'],
      ['seller_id', 'text'],
      ['shipping_limit_at', 'timestamp'],
      ['price', 'numeric'],
      ['freight', 'numeric'],
    ],
    row: (r) => [r.order_id, int(r.order_item_id), r.product_id, r.seller_id, text(r.shipping_limit_date), text(r.price), text(r.freight_value)],
  },
  {
    table: 'payments',
    source: DATASET_TABLES.orderPayments,
    columns: [
      ['order_id', 'text'],
      ['sequential', 'int'],
      ['type', 'text'],
      ['installments', 'int'],
      ['value', 'numeric'],
    ],
    row: (r) => [r.order_id, int(r.payment_sequential), text(r.payment_type), int(r.payment_installments), text(r.payment_value)],
  },
  {
    table: 'reviews',
    source: DATASET_TABLES.reviews,
    columns: [
      ['line', 'int'],
      ['order_id', 'text'],
      ['score', 'int'],
    ],
    row: (r, line) => [line, r.order_id, int(r.review_score)],
  },
];

const BATCH_ROWS = 2000;

async function insertBatch(client: Client, load: TableLoad, rows: Cell[][]): Promise<void> {
  if (rows.length === 0) return;
  // One parameter per batch: the rows as a JSON array of arrays, spread into columns by position.
  const names = load.columns.map(([name]) => name).join(', ');
  const casts = load.columns.map(([, type], index) => `(r->>${index})::${type}`).join(', ');
  await client.query(`INSERT INTO ${PEER_SCHEMA}.${load.table} (${names}) SELECT ${casts} FROM json_array_elements($1::json) AS r`, [JSON.stringify(rows)]);
}

function loadVersion(datasetDir: string): string {
  const hash = crypto.createHash('sha256').update(DDL);
  for (const load of LOADS) hash.update(`${load.table}:${fs.statSync(locateTableFile(datasetDir, load.source)).size}`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Makes sure `database` (created when missing, on the server of `adminUrl`) holds the Olist tables of
 * `datasetDir` in schema `olist`; answers the database's URL and whether it loaded anything.
 */
export async function ensureOlistPostgres(
  adminUrl: string,
  database: string,
  datasetDir: string,
  log: (line: string) => void,
): Promise<{ url: string; loaded: boolean }> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const version = loadVersion(datasetDir);
    const marker = await client.query(`SELECT version FROM ${PEER_SCHEMA}.peer_load`).catch(() => ({ rows: [] as { version: string }[] }));
    if (marker.rows[0]?.version === version) return { url: url.toString(), loaded: false };
    const started = Date.now();
    await client.query('BEGIN');
    await client.query(`DROP SCHEMA IF EXISTS ${PEER_SCHEMA} CASCADE`);
    await client.query(DDL);
    for (const load of LOADS) await loadTable(client, load, datasetDir, log);
    await client.query(`INSERT INTO ${PEER_SCHEMA}.peer_load (version) VALUES ($1)`, [version]);
    await client.query('COMMIT');
    // Planner statistics, as the project's seed does for its PostgreSQL stores.
    await client.query(`ANALYZE`);
    log(`PostgreSQL ${database}.${PEER_SCHEMA} loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { url: url.toString(), loaded: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function loadTable(client: Client, load: TableLoad, datasetDir: string, log: (line: string) => void): Promise<void> {
  const file = locateTableFile(datasetDir, load.source);
  let batch: Cell[][] = [];
  let rows = 0;
  const persons = new Set<string>();
  const lastPerKey = new Map<Cell, Cell[]>();
  for await (const { row, line } of readCsvRows(file, load.source)) {
    const cells = load.row(row, line);
    rows++;
    if (load.lastPerKey) {
      lastPerKey.set(cells[0], cells);
      continue;
    }
    // Persons are the customers' unique ids: written before the customers that reference them.
    if (load.table === 'customers' && !persons.has(row.customer_unique_id)) persons.add(row.customer_unique_id);
    batch.push(cells);
    if (batch.length === BATCH_ROWS) {
      await flush();
      batch = [];
    }
  }
  if (load.lastPerKey) batch = [...lastPerKey.values()];
  await flush();
  log(`  ${load.table.padEnd(13)} ${rows.toLocaleString('en-US').padStart(8)} rows`);

  async function flush(): Promise<void> {
    if (load.table === 'customers' && persons.size > 0) {
      await client.query(`INSERT INTO ${PEER_SCHEMA}.persons (id) SELECT value FROM json_array_elements_text($1::json) ON CONFLICT DO NOTHING`, [
        JSON.stringify([...persons]),
      ]);
      persons.clear();
    }
    if (load.table === 'products') await ensureCategories(client, batch);
    await insertBatch(client, load, batch);
  }
}

/** Some products name a category the translation file lacks: it becomes a category without an English name. */
async function ensureCategories(client: Client, products: Cell[][]): Promise<void> {
  const names = [...new Set(products.map((cells) => cells[1]).filter((name): name is string => typeof name === 'string'))];
  await client.query(`INSERT INTO ${PEER_SCHEMA}.categories (name) SELECT value FROM json_array_elements_text($1::json) ON CONFLICT DO NOTHING`, [
    JSON.stringify(names),
  ]);
}
