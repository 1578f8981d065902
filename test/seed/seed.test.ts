/**
 * The seed against real files: small dataset folders cut from the real Olist files (first N lines of
 * each), seeded into temporary data folders, then read back with better-sqlite3 and the source connectors.
 * Expectations come from parsing the same cut files independently (csv-parse), never from the seed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { seedCommand } from '../../src/cli/seed.command';
import { DatasetError, seedEmbeddedStores, type SeedReport } from '../../src/seed';
import { GeographySource, openEmbeddedSources, ReviewsSource } from '../../src/sources';
import { ORDER_FACTS } from '../../src/sources/orders/order-stats-facts.sql';
import { datasetFile, parseDatasetFile, shippedFiles, writeDatasetFile, writeMiniDataset } from '../helpers/mini-dataset';

const N = 300;
const CUSTOMERS = 'olist_customers_dataset.csv';
const PRODUCTS = 'olist_products_dataset.csv';
const SELLERS = 'olist_sellers_dataset.csv';
const TRANSLATIONS = 'product_category_name_translation.csv';
const ORDERS = 'olist_orders_dataset.csv';
const ITEMS = 'olist_order_items_dataset.csv';
const PAYMENTS = 'olist_order_payments_dataset.csv';
const REVIEWS_PROJECTION = 'DERIVED_olist_order_reviews_scores_only.csv';
const GEOLOCATION_DERIVED = 'DERIVED_olist_geolocation_last_row_per_zip_prefix.csv';
const REVIEWS_RAW = 'olist_order_reviews_dataset.csv';
const GEOLOCATION_RAW = 'olist_geolocation_dataset.csv';

/** Seed table name → the dataset file feeding it, as the mini datasets hold them. */
const TABLE_FILES: Record<string, string> = {
  customers: CUSTOMERS,
  products: PRODUCTS,
  sellers: SELLERS,
  category_translations: TRANSLATIONS,
  orders: ORDERS,
  order_items: ITEMS,
  order_payments: PAYMENTS,
  reviews: REVIEWS_PROJECTION,
  geolocation: GEOLOCATION_DERIVED,
};

/** SQL table → [system, key columns]. */
const SQL_TABLES: Record<string, ['crm' | 'catalog' | 'orders', string[]]> = {
  customers: ['crm', ['customer_id']],
  products: ['catalog', ['product_id']],
  sellers: ['catalog', ['seller_id']],
  category_translations: ['catalog', ['product_category_name']],
  orders: ['orders', ['order_id']],
  order_items: ['orders', ['order_id', 'order_item_id']],
  order_payments: ['orders', ['order_id', 'payment_sequential']],
};

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-seed-test-'));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

let folderCount = 0;
const freshDir = (label: string) => path.join(root, `${label}-${(folderCount += 1)}`);

function openDb(dataDir: string, system: string): Database.Database {
  return new Database(path.join(dataDir, `${system}.db`), { readonly: true, fileMustExist: true });
}

function query<T>(dataDir: string, system: string, sql: string, ...params: unknown[]): T[] {
  const db = openDb(dataDir, system);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

function count(dataDir: string, system: string, table: string, where = ''): number {
  return query<{ n: number }>(dataDir, system, `SELECT COUNT(*) AS n FROM ${table} ${where}`)[0].n;
}

/** Replaces one line (1 = header) of a CSV text. */
function editLine(text: string, line: number, edit: (content: string) => string): string {
  const lines = text.split('\n');
  lines[line - 1] = edit(lines[line - 1]);
  return lines.join('\n');
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function storeFiles(dataDir: string): string[] {
  return ['crm.db', 'catalog.db', 'orders.db', 'reviews/reviews.jsonl', 'geography/geolocation.csv', 'seed-manifest.json'].map((f) => path.join(dataDir, f));
}

/** Runs the CLI command with console output captured. */
async function runSeedCommand(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  try {
    const code = await seedCommand(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

async function seedError(datasetDir: string, dataDir = freshDir('data')): Promise<DatasetError> {
  const error = await seedEmbeddedStores({ datasetDir, dataDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('seed: a cut of the real dataset', () => {
  let datasetDir: string;
  let dataDir: string;
  let report: SeedReport;

  beforeAll(async () => {
    datasetDir = writeMiniDataset(freshDir('dataset'), { rows: N });
    dataDir = freshDir('data');
    report = await seedEmbeddedStores({ datasetDir, dataDir });
  });

  it('reads and writes every row of every table, each from its file', () => {
    expect(report.skipped).toBe(false);
    expect(report.tables.map((t) => t.table).sort()).toEqual(Object.keys(TABLE_FILES).sort());
    for (const entry of report.tables) {
      const file = datasetFile(datasetDir, TABLE_FILES[entry.table]);
      const rows = parseDatasetFile(file).length;
      expect({ table: entry.table, file: entry.file, read: entry.read, written: entry.written }).toEqual({
        table: entry.table,
        file,
        read: rows,
        written: rows,
      });
    }
    // Every cut file has N data rows except the 71-row translation table.
    expect(report.tables.find((t) => t.table === 'customers')!.read).toBe(N);
    expect(report.tables.find((t) => t.table === 'category_translations')!.read).toBe(71);
  });

  it('each SQL table holds exactly the rows of its file, keyed by the unchanged ids', () => {
    for (const [table, [system, key]] of Object.entries(SQL_TABLES)) {
      const rows = parseDatasetFile(datasetFile(datasetDir, TABLE_FILES[table]));
      const expectedKeys = rows.map((row) => key.map((column) => row[column]).join('/'));
      const stored = query<Record<string, unknown>>(dataDir, system, `SELECT ${key.join(', ')} FROM ${table}`).map((row) =>
        key.map((column) => String(row[column])).join('/'),
      );
      expect(new Set(expectedKeys).size).toBe(rows.length);
      expect(stored.sort()).toEqual(expectedKeys.sort());
    }
  });

  it('stores customers and sellers as raw text: zip prefixes keep their leading zeros', () => {
    const customers = parseDatasetFile(datasetFile(datasetDir, CUSTOMERS));
    expect(customers.some((row) => row.customer_zip_code_prefix.startsWith('0'))).toBe(true); // the cut has some
    const stored = query<Record<string, unknown>>(dataDir, 'crm', 'SELECT * FROM customers');
    const byId = new Map(stored.map((row) => [row.customer_id, row]));
    for (const row of customers) expect(byId.get(row.customer_id)).toEqual(row);
    for (const row of stored) expect(typeof row.customer_zip_code_prefix).toBe('string');

    const sellers = parseDatasetFile(datasetFile(datasetDir, SELLERS));
    expect(sellers.some((row) => row.seller_zip_code_prefix.startsWith('0'))).toBe(true);
    const storedSellers = new Map(query<Record<string, unknown>>(dataDir, 'catalog', 'SELECT * FROM sellers').map((r) => [r.seller_id, r]));
    for (const row of sellers) expect(storedSellers.get(row.seller_id)).toEqual(row);
  });

  it('stores empty optional product cells as NULL and the rest as integers', () => {
    const products = parseDatasetFile(datasetFile(datasetDir, PRODUCTS));
    const uncategorised = products.filter((row) => row.product_category_name === '').length;
    expect(uncategorised).toBeGreaterThan(0); // the cut has some
    expect(count(dataDir, 'catalog', 'products', 'WHERE product_category_name IS NULL')).toBe(uncategorised);
    expect(count(dataDir, 'catalog', 'products', "WHERE product_category_name = ''")).toBe(0);
    const stored = new Map(query<Record<string, unknown>>(dataDir, 'catalog', 'SELECT * FROM products').map((r) => [r.product_id, r]));
    for (const row of products) {
      const expected = Object.fromEntries(
        Object.entries(row).map(([column, value]) => [
          column,
          value === '' ? null : column === 'product_id' || column === 'product_category_name' ? value : Number(value),
        ]),
      );
      expect(stored.get(row.product_id)).toEqual(expected);
    }
  });

  it('stores orders with raw timestamp text and NULL for missing dates', () => {
    const orders = parseDatasetFile(datasetFile(datasetDir, ORDERS));
    const undelivered = orders.filter((row) => row.order_delivered_customer_date === '').length;
    expect(undelivered).toBeGreaterThan(0);
    expect(count(dataDir, 'orders', 'orders', 'WHERE order_delivered_customer_date IS NULL')).toBe(undelivered);
    const stored = new Map(query<Record<string, unknown>>(dataDir, 'orders', 'SELECT * FROM orders').map((r) => [r.order_id, r]));
    for (const row of orders) {
      expect(stored.get(row.order_id)).toEqual(Object.fromEntries(Object.entries(row).map(([c, v]) => [c, v === '' ? null : v])));
    }
  });

  it('stores items and payments with numeric amounts equal to the CSV text', () => {
    const items = parseDatasetFile(datasetFile(datasetDir, ITEMS));
    const storedItems = new Map(
      query<Record<string, unknown>>(dataDir, 'orders', 'SELECT * FROM order_items').map((r) => [`${r.order_id}/${r.order_item_id}`, r]),
    );
    for (const row of items) {
      expect(storedItems.get(`${row.order_id}/${row.order_item_id}`)).toEqual({
        ...row,
        order_item_id: Number(row.order_item_id),
        price: Number(row.price),
        freight_value: Number(row.freight_value),
      });
    }
    const payments = parseDatasetFile(datasetFile(datasetDir, PAYMENTS));
    const storedPayments = new Map(
      query<Record<string, unknown>>(dataDir, 'orders', 'SELECT * FROM order_payments').map((r) => [`${r.order_id}/${r.payment_sequential}`, r]),
    );
    for (const row of payments) {
      expect(storedPayments.get(`${row.order_id}/${row.payment_sequential}`)).toEqual({
        ...row,
        payment_sequential: Number(row.payment_sequential),
        payment_installments: Number(row.payment_installments),
        payment_value: Number(row.payment_value),
      });
    }
  });

  it('reads the translation table despite its BOM and CRLF line endings', () => {
    const rows = parseDatasetFile(datasetFile(datasetDir, TRANSLATIONS));
    const stored = query<Record<string, string>>(dataDir, 'catalog', 'SELECT * FROM category_translations');
    expect(stored.sort((a, b) => a.product_category_name.localeCompare(b.product_category_name))).toEqual(
      rows.sort((a, b) => a.product_category_name.localeCompare(b.product_category_name)),
    );
    for (const row of stored) expect(row.product_category_name_english).not.toMatch(/\r/);
  });

  it('records the applied migrations in each system', () => {
    for (const system of ['crm', 'catalog', 'orders']) {
      expect(count(dataDir, system, '_fusion_migrations')).toBeGreaterThanOrEqual(1);
    }
  });

  it('writes one review document per projection row, in file order', () => {
    const rows = parseDatasetFile(datasetFile(datasetDir, REVIEWS_PROJECTION));
    const lines = fs
      .readFileSync(path.join(dataDir, 'reviews', 'reviews.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(lines.map((line) => JSON.parse(line))).toEqual(rows.map((row) => ({ order_id: row.order_id, review_score: Number(row.review_score) })));
  });

  it('copies the geolocation rows with their prefixes as text', async () => {
    const rows = parseDatasetFile(datasetFile(datasetDir, GEOLOCATION_DERIVED));
    const copied = parse(fs.readFileSync(path.join(dataDir, 'geography', 'geolocation.csv')), { columns: true }) as Record<string, string>[];
    expect(copied).toEqual(rows);
    const source = GeographySource.open(path.join(dataDir, 'geography', 'geolocation.csv'));
    const [first] = await source.locationsByZipPrefixes([rows[0].geolocation_zip_code_prefix]);
    expect(first).toEqual([rows[0]]);
    expect(rows[0].geolocation_zip_code_prefix).toMatch(/^0/);
  });

  it('builds the order statistics facts, so a first statistic does not change the seeded files', async () => {
    const facts = new Database(path.join(dataDir, 'orders.db'), { readonly: true });
    try {
      expect(facts.prepare(`SELECT COUNT(*) AS n FROM ${ORDER_FACTS}`).get()).toEqual({ n: count(dataDir, 'orders', 'orders') });
    } finally {
      facts.close();
    }
    const before = fs.statSync(path.join(dataDir, 'orders.db'));
    const sources = await openEmbeddedSources(dataDir);
    try {
      const rows = await sources.orders.orderStatsWithLookups(
        { groupBy: ['status'], filter: {}, measures: { items: true, payments: true, delivery: true, persons: false, reviews: false } },
        {},
      );
      expect(rows.reduce((sum, row) => sum + row.orders, 0)).toBe(count(dataDir, 'orders', 'orders'));
    } finally {
      await sources.close();
    }
    const after = fs.statSync(path.join(dataDir, 'orders.db'));
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
  });

  it('is readable through the Prisma connectors', async () => {
    const customers = parseDatasetFile(datasetFile(datasetDir, CUSTOMERS));
    const zeroZip = customers.find((row) => row.customer_zip_code_prefix.startsWith('0'))!;
    const sources = await openEmbeddedSources(dataDir);
    try {
      const [account, missing] = await sources.crm.accountsByIds([zeroZip.customer_id, 'ffffffffffffffffffffffffffffffff']);
      expect(account).toMatchObject({
        customerId: zeroZip.customer_id,
        customerUniqueId: zeroZip.customer_unique_id,
        zipCodePrefix: zeroZip.customer_zip_code_prefix,
        city: zeroZip.customer_city,
        state: zeroZip.customer_state,
      });
      expect(missing).toBeNull();
      const products = parseDatasetFile(datasetFile(datasetDir, PRODUCTS));
      const uncategorised = products.find((row) => row.product_category_name === '')!;
      const [product] = await sources.catalog.productsByIds([uncategorised.product_id]);
      expect(product?.categoryName).toBeNull();
    } finally {
      await sources.close();
    }
  });
});

describe('seed: idempotence', () => {
  let datasetDir: string;
  let dataDir: string;
  let first: SeedReport;

  beforeAll(async () => {
    datasetDir = writeMiniDataset(freshDir('dataset'), { rows: 120 });
    dataDir = freshDir('data');
    first = await seedEmbeddedStores({ datasetDir, dataDir });
  });

  it('a second run skips and changes nothing', async () => {
    const before = storeFiles(dataDir).map((file) => [sha256(file), fs.statSync(file).mtimeMs]);
    const again = await seedEmbeddedStores({ datasetDir, dataDir });
    expect(again.skipped).toBe(true);
    expect(again.tables).toEqual(first.tables);
    expect(storeFiles(dataDir).map((file) => [sha256(file), fs.statSync(file).mtimeMs])).toEqual(before);
    const cli = await runSeedCommand(['--dataset', datasetDir, '--data', dataDir]);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/already hold this dataset/);
    expect(cli.out).toMatch(/Up to date/);
    expect(storeFiles(dataDir).map((file) => [sha256(file), fs.statSync(file).mtimeMs])).toEqual(before);
  });

  it('--force rebuilds the stores with the same content', async () => {
    const manifestBefore = fs.statSync(path.join(dataDir, 'seed-manifest.json')).mtimeMs;
    const ordersBefore = query(dataDir, 'orders', 'SELECT * FROM orders ORDER BY order_id');
    const cli = await runSeedCommand(['--dataset', datasetDir, '--data', dataDir, '--force']);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/Seeded in/);
    expect(cli.out).toMatch(/customers\s+read\s+120\s+written\s+120/);
    expect(fs.statSync(path.join(dataDir, 'seed-manifest.json')).mtimeMs).toBeGreaterThan(manifestBefore);
    expect(query(dataDir, 'orders', 'SELECT * FROM orders ORDER BY order_id')).toEqual(ordersBefore);
    expect(fs.readdirSync(dataDir).filter((name) => name.startsWith('.seed-staging'))).toEqual([]);
  });

  it('a store deleted since the last run triggers a rebuild without --force', async () => {
    const crm = path.join(dataDir, 'crm.db');
    fs.rmSync(crm);
    const report = await seedEmbeddedStores({ datasetDir, dataDir });
    expect(report.skipped).toBe(false);
    expect(count(dataDir, 'crm', 'customers')).toBe(120);
    fs.rmSync(path.join(dataDir, 'reviews'), { recursive: true });
    expect((await seedEmbeddedStores({ datasetDir, dataDir })).skipped).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'reviews', 'reviews.jsonl'))).toBe(true);
  });

  it('a changed input file triggers a rebuild without --force', async () => {
    const file = datasetFile(datasetDir, CUSTOMERS);
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
    writeDatasetFile(
      datasetDir,
      CUSTOMERS,
      text
        .split('\n')
        .slice(0, 1 + 100)
        .join('\n') + '\n',
      true,
    );
    const report = await seedEmbeddedStores({ datasetDir, dataDir });
    expect(report.skipped).toBe(false);
    expect(report.tables.find((t) => t.table === 'customers')).toMatchObject({ read: 100, written: 100 });
    expect(count(dataDir, 'crm', 'customers')).toBe(100);
    expect((await seedEmbeddedStores({ datasetDir, dataDir })).skipped).toBe(true);
  });
});

describe('seed: broken datasets', () => {
  const ROWS = 40;

  it('a missing file is a DatasetError naming it, and the command exits 1', async () => {
    const datasetDir = writeMiniDataset(freshDir('dataset'), { rows: ROWS, omit: [PAYMENTS] });
    const error = await seedError(datasetDir);
    expect(error.message).toContain(PAYMENTS);
    expect(error.file).toContain(PAYMENTS);
    expect(error.message).toMatch(/missing/);
    const cli = await runSeedCommand(['--dataset', datasetDir, '--data', freshDir('data')]);
    expect(cli.code).toBe(1);
    expect(cli.err).toMatch(new RegExp(`^seed failed: .*${PAYMENTS.replace(/\./g, '\\.')}.*: missing`));
  });

  it('a missing dataset folder is a DatasetError naming it', async () => {
    const missing = path.join(root, 'no-such-dataset');
    const error = await seedError(missing);
    expect(error.message).toContain(missing);
    expect((await runSeedCommand(['--dataset', missing, '--data', freshDir('data')])).code).toBe(1);
  });

  it('a ragged row names the file and line', async () => {
    const line = 10;
    const datasetDir = writeMiniDataset(freshDir('dataset'), { rows: ROWS, edit: { [ORDERS]: (t) => editLine(t, line, (l) => `${l},extra`) } });
    const error = await seedError(datasetDir);
    expect(error.message).toContain(ORDERS);
    expect(error.message).toMatch(new RegExp(`line ${line}\\b`));
    const cli = await runSeedCommand(['--dataset', datasetDir, '--data', freshDir('data')]);
    expect(cli.code).toBe(1);
    expect(cli.err).toContain(ORDERS);
  });

  it('a header without a required column names the file and the column', async () => {
    const datasetDir = writeMiniDataset(freshDir('dataset'), {
      rows: ROWS,
      edit: { [ITEMS]: (t) => editLine(t, 1, (l) => l.replace('"price"', '"prize"')) },
    });
    const error = await seedError(datasetDir);
    expect(error.message).toContain(ITEMS);
    expect(error.message).toMatch(/lacks column\(s\) price/);
  });

  it('text in a decimal column names the file, line and column', async () => {
    const line = 7;
    const datasetDir = writeMiniDataset(freshDir('dataset'), {
      rows: ROWS,
      edit: { [ITEMS]: (t) => editLine(t, line, (l) => l.replace(/,(\d+\.\d+),(\d+\.\d+)$/, ',abc,$2')) },
    });
    const error = await seedError(datasetDir);
    expect(error.message).toContain(ITEMS);
    expect(error.message).toMatch(new RegExp(`line ${line}: column price is not a decimal number: "abc"`));
  });

  it('text in an integer column names the file, line and column', async () => {
    const line = 12;
    const datasetDir = writeMiniDataset(freshDir('dataset'), {
      rows: ROWS,
      edit: { [PAYMENTS]: (t) => editLine(t, line, (l) => l.replace(/,(\d+),([\d.]+)$/, ',two,$2')) },
    });
    const error = await seedError(datasetDir);
    expect(error.message).toContain(PAYMENTS);
    expect(error.message).toMatch(new RegExp(`line ${line}: column payment_installments is not an integer`));
  });

  it('an empty required cell names the file, line and column', async () => {
    const line = 5;
    const datasetDir = writeMiniDataset(freshDir('dataset'), {
      rows: ROWS,
      edit: { [CUSTOMERS]: (t) => editLine(t, line, (l) => l.replace(/^"?[0-9a-f]{32}"?,/, ',')) },
    });
    const error = await seedError(datasetDir);
    expect(error.message).toContain(CUSTOMERS);
    expect(error.message).toMatch(new RegExp(`line ${line}: column customer_id is empty`));
  });

  // The full Kaggle reviews file has multi-line quoted comments: errors must name the physical line.
  it('a bad cell after a multi-line record names its physical line', async () => {
    const datasetDir = writeMiniDataset(freshDir('dataset'), { rows: ROWS });
    // FORMAT FIXTURE: a hand-made full reviews file (see 'seed: optional raw files').
    writeDatasetFile(
      datasetDir,
      REVIEWS_RAW,
      [
        '"review_id","order_id","review_score","review_comment_title","review_comment_message","review_creation_date","review_answer_timestamp"',
        '0b0000000000000000000000000000b1,0c0000000000000000000000000000c1,5,,,2018-01-18 00:00:00,2018-01-18 21:46:59',
        '0b0000000000000000000000000000b2,0c0000000000000000000000000000c2,1,,"primeira linha',
        'segunda linha",2018-01-19 00:00:00,2018-01-20 10:00:00',
        '0b0000000000000000000000000000b3,0c0000000000000000000000000000c3,x,,,2018-01-21 00:00:00,2018-01-22 10:00:00',
      ].join('\n') + '\n',
      false,
    );
    const error = await seedError(datasetDir);
    expect(error.message).toContain(REVIEWS_RAW);
    expect(error.message).toMatch(/line 5: column review_score is not an integer/);
  });

  it('a truncated gzip file names the file', async () => {
    const datasetDir = writeMiniDataset(freshDir('dataset'), { rows: 2000 });
    const file = datasetFile(datasetDir, ITEMS);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await seedError(datasetDir);
    expect(error.message).toContain(ITEMS);
    expect(error.message).toMatch(/cannot be read/);
  });

  it('a corrupt gzip file names the file', async () => {
    const datasetDir = writeMiniDataset(freshDir('dataset'), { rows: 2000 });
    const file = datasetFile(datasetDir, PRODUCTS);
    const bytes = Buffer.from(fs.readFileSync(file));
    for (let i = 200; i < 260; i += 1) bytes[i] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const error = await seedError(datasetDir);
    expect(error.message).toContain(PRODUCTS);
  });

  it('a failed rebuild leaves the previous stores in place', async () => {
    const good = writeMiniDataset(freshDir('dataset'), { rows: ROWS });
    const dataDir = freshDir('data');
    await seedEmbeddedStores({ datasetDir: good, dataDir });
    const before = storeFiles(dataDir).map(sha256);
    const broken = writeMiniDataset(freshDir('dataset'), { rows: ROWS, edit: { [PAYMENTS]: (t) => editLine(t, 3, (l) => `${l},x`) } });
    await expect(seedEmbeddedStores({ datasetDir: broken, dataDir, force: true })).rejects.toBeInstanceOf(DatasetError);
    expect(storeFiles(dataDir).map(sha256)).toEqual(before);
    expect(fs.readdirSync(dataDir).filter((name) => name.startsWith('.seed-staging'))).toEqual([]);
    expect(count(dataDir, 'crm', 'customers')).toBe(ROWS);
    expect((await seedEmbeddedStores({ datasetDir: good, dataDir })).skipped).toBe(true);
  });
});

describe('seed: optional raw files', () => {
  let datasetDir: string;
  let dataDir: string;
  let report: SeedReport;
  let orderIds: string[];

  /*
   * FORMAT FIXTURES. The full Kaggle reviews table and the raw geolocation table are not in the shared
   * dataset, so these few rows are made up by hand, in the Kaggle files' layout (column order, quoting,
   * a multi-line quoted comment, an empty title), only to test that the seed accepts those files.
   * The order ids are real ones from the cut; review ids, texts, dates and coordinates are invented.
   */
  const reviewsFixture = (ids: string[]) =>
    [
      '"review_id","order_id","review_score","review_comment_title","review_comment_message","review_creation_date","review_answer_timestamp"',
      `0a0000000000000000000000000000a1,${ids[0]},4,,,2018-01-18 00:00:00,2018-01-18 21:46:59`,
      `0a0000000000000000000000000000a2,${ids[1]},5,"Ótimo","Recebi bem antes do prazo, recomendo",2018-03-10 00:00:00,2018-03-11 03:05:13`,
      `0a0000000000000000000000000000a3,${ids[2]},1,"Não chegou","Comprei dois itens.\nSó chegou um, e ""embalagem"" rasgada",2017-04-21 00:00:00,2017-04-21 22:02:06`,
      `0a0000000000000000000000000000a4,${ids[2]},2,,"Segunda avaliação do mesmo pedido",2017-05-02 00:00:00,2017-05-03 10:00:00`,
      `0a0000000000000000000000000000a5,${ids[3]},3,,,2018-08-01 00:00:00,2018-08-02 12:00:00`,
      // The Kaggle file files some review ids under several orders; this row reuses a2's id.
      `0a0000000000000000000000000000a2,${ids[4]},5,"Ótimo","Recebi bem antes do prazo, recomendo",2018-03-10 00:00:00,2018-03-11 03:05:13`,
    ].join('\n') + '\n';
  const geolocationFixture =
    [
      '"geolocation_zip_code_prefix","geolocation_lat","geolocation_lng","geolocation_city","geolocation_state"',
      '"01037",-23.545621,-46.639292,sao paulo,SP',
      '"01037",-23.546081,-46.644820,são paulo,SP',
      '"01046",-23.546129,-46.642951,sao paulo,SP',
      '"01037",-23.544392,-46.639499,sao paulo,SP',
      '"69900",-9.974460,-67.810710,rio branco,AC',
      '"01046",-23.546081,-46.644820,são paulo,SP',
    ].join('\n') + '\n';

  beforeAll(async () => {
    datasetDir = writeMiniDataset(freshDir('dataset'), { rows: 60, gzip: false });
    orderIds = parseDatasetFile(datasetFile(datasetDir, ORDERS)).map((row) => row.order_id);
    writeDatasetFile(datasetDir, REVIEWS_RAW, reviewsFixture(orderIds), false);
    writeDatasetFile(datasetDir, GEOLOCATION_RAW, geolocationFixture, true);
    dataDir = freshDir('data');
    report = await seedEmbeddedStores({ datasetDir, dataDir });
  });

  it('seeds plain .csv files as well as .csv.gz', () => {
    expect(shippedFiles().every((name) => fs.existsSync(path.join(datasetDir, name)))).toBe(true);
    expect(report.tables.find((t) => t.table === 'orders')).toMatchObject({ file: path.join(datasetDir, ORDERS), read: 60, written: 60 });
  });

  it('prefers the full reviews file to the projection and keeps its fields in the documents', async () => {
    const expected = parse(reviewsFixture(orderIds), { columns: true }) as Record<string, string>[];
    expect(report.tables.find((t) => t.table === 'reviews')).toEqual({
      table: 'reviews',
      file: path.join(datasetDir, REVIEWS_RAW),
      read: expected.length,
      written: expected.length,
    });
    const documents = fs
      .readFileSync(path.join(dataDir, 'reviews', 'reviews.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents).toHaveLength(expected.length);
    documents.forEach((document, i) => {
      const row = expected[i];
      expect(document).toMatchObject({
        review_id: row.review_id,
        order_id: row.order_id,
        review_score: Number(row.review_score),
        review_creation_date: row.review_creation_date,
        review_answer_timestamp: row.review_answer_timestamp,
      });
      // An empty comment may be stored as "" or null, but never as anything else.
      expect(document.review_comment_title ?? '').toBe(row.review_comment_title);
      expect(document.review_comment_message ?? '').toBe(row.review_comment_message);
    });
    expect(documents[2].review_comment_message).toBe('Comprei dois itens.\nSó chegou um, e "embalagem" rasgada');

    const reviews = await ReviewsSource.open(path.join(dataDir, 'reviews', 'reviews.jsonl'));
    const [one, two, none] = await reviews.reviewsByOrderIds([orderIds[1], orderIds[2], 'ffffffffffffffffffffffffffffffff']);
    expect(one.map((r) => r.document.review_id)).toEqual(['0a0000000000000000000000000000a2']);
    expect(two.map((r) => r.document.review_id)).toEqual(['0a0000000000000000000000000000a3', '0a0000000000000000000000000000a4']);
    expect(two.map((r) => r.line)).toEqual([3, 4]);
    expect(none).toEqual([]);
    // a2 is filed under two orders, every other id under one.
    expect(one.map((r) => r.ordersSharingReviewId)).toEqual([2]);
    expect(two.map((r) => r.ordersSharingReviewId)).toEqual([1, 1]);
  });

  it('prefers the raw geolocation table and keeps every row of a prefix, in file order', async () => {
    const expected = parse(geolocationFixture, { columns: true }) as Record<string, string>[];
    expect(report.tables.find((t) => t.table === 'geolocation')).toEqual({
      table: 'geolocation',
      file: path.join(datasetDir, `${GEOLOCATION_RAW}.gz`),
      read: expected.length,
      written: expected.length,
    });
    const source = GeographySource.open(path.join(dataDir, 'geography', 'geolocation.csv'));
    const [a, missing, b, again] = await source.locationsByZipPrefixes(['01037', '1037', '01046', '01037']);
    expect(a).toEqual(expected.filter((row) => row.geolocation_zip_code_prefix === '01037'));
    expect(a.map((row) => row.geolocation_city)).toEqual(['sao paulo', 'são paulo', 'sao paulo']);
    expect(b).toEqual(expected.filter((row) => row.geolocation_zip_code_prefix === '01046'));
    expect(again).toEqual(a);
    expect(missing).toEqual([]);
  });
});
