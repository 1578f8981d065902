/**
 * An independent reference for the Olist figures the graph must answer, computed straight from the
 * dataset files (gzip or plain CSV) with node:zlib and csv-parse. It deliberately imports nothing from
 * src/: a test compares what the gateway (or a source) answers with what this file computes.
 *
 * Tables are parsed lazily, each once per module instance (Jest gives every test file its own), and
 * the derived indexes (users, orders, products, sellers) are built on first use.
 *
 * The graph's contract, as computed here:
 * - a person (User) id is customer_unique_id; User.accounts are the person's customer rows, by customer_id;
 *   orderCount counts the orders (any status) of all those accounts; totalSpent sums every payment of them.
 * - Order totals sum price / freight_value / payment_value; items by order_item_id, payments by
 *   payment_sequential, reviews in review-file order.
 * - Product: raw Portuguese category, English name or null; orderCount = distinct orders with an item of it;
 *   sellers = distinct seller ids, ascending; reviews = reviews of those orders (once per order);
 *   averageRating = mean score of those reviews, null when there are none.
 * - Seller: products = distinct product ids it sold, ascending.
 * - Amounts are summed in integer cents, so totals are exact to 2 decimals.
 * - Timestamps: local America/Sao_Paulo wall-clock text → ISO-8601 with the offset in force (saoPauloIso).
 */
import fs from 'node:fs';
import path from 'node:path';
import workerThreads, { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/** The dataset folder, resolved the way the project's configuration documents it (OLIST_DATASET_DIR). */
export function olistDatasetDir(): string {
  return path.resolve(process.env.OLIST_DATASET_DIR ?? path.join('..', 'shared', 'datasets', 'olist'));
}

/** Published row counts (README of the dataset folder). */
export const PUBLISHED_ROW_COUNTS = {
  orders: 99_441,
  orderItems: 112_650,
  customers: 99_441,
  orderPayments: 103_886,
  products: 32_951,
  sellers: 3_095,
  categoryTranslations: 71,
  reviews: 99_224,
  geolocationDerived: 19_015,
} as const;

/** File names a table may come from, first present wins (raw Kaggle file before a derived projection). */
const TABLE_FILES = {
  customers: ['olist_customers_dataset.csv'],
  orders: ['olist_orders_dataset.csv'],
  orderItems: ['olist_order_items_dataset.csv'],
  orderPayments: ['olist_order_payments_dataset.csv'],
  products: ['olist_products_dataset.csv'],
  sellers: ['olist_sellers_dataset.csv'],
  categoryTranslations: ['product_category_name_translation.csv'],
  reviews: ['olist_order_reviews_dataset.csv', 'DERIVED_olist_order_reviews_scores_only.csv'],
  geolocation: ['olist_geolocation_dataset.csv', 'DERIVED_olist_geolocation_last_row_per_zip_prefix.csv'],
} as const;

export type OlistTableName = keyof typeof TABLE_FILES;

export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
}

/** Finds a table's file in `dir`: each candidate as .csv, then .csv.gz. */
export function olistTableFile(table: OlistTableName, dir = olistDatasetDir()): string {
  for (const name of TABLE_FILES[table]) {
    for (const candidate of [name, `${name}.gz`]) {
      const file = path.join(dir, candidate);
      if (fs.existsSync(file)) return file;
    }
  }
  throw new Error(`olist oracle: no file for table ${table} in ${dir}`);
}

/**
 * csv-parse runs about 7x slower inside Jest's sandbox (every global lookup of its inner loop goes through
 * the vm context) than in plain Node. So each file is parsed by csv-parse/sync in a worker thread (a plain
 * Node realm), and the caller blocks on Atomics.wait until the rows arrive: a synchronous API, ~1 s per
 * large file instead of ~7 s. Several files given at once are parsed in parallel.
 */
const PARSE_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
let message;
try {
  const { parse } = require(workerData.csvParse);
  const raw = fs.readFileSync(workerData.file);
  const text = workerData.file.endsWith('.gz') ? zlib.gunzipSync(raw) : raw;
  message = { rows: parse(text, { bom: true, skip_empty_lines: true }) };
} catch (error) {
  message = { error: String(error && error.stack || error) };
}
workerData.port.postMessage(message);
const done = new Int32Array(workerData.signal);
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);
`;

const PARSE_TIMEOUT_MS = 180_000;

/**
 * Parsed files, kept for the whole process: Jest gives every test file fresh modules, but test files run
 * one after another in the same process, so the cache hangs off a Node core module object (shared by all
 * of them). The rows come from the worker by structured clone, so they belong to Node's own realm, not to
 * any test file's sandbox. Keyed by path, size and modification time.
 */
const PROCESS_CACHE = Symbol.for('fusion-gateway/test/olist-oracle/parsed-csv');

function processCache(): Map<string, string[][]> {
  const holder = workerThreads as unknown as { [PROCESS_CACHE]?: Map<string, string[][]> };
  if (!holder[PROCESS_CACHE]) {
    Object.defineProperty(holder, PROCESS_CACHE, { value: new Map<string, string[][]>(), enumerable: false });
  }
  return holder[PROCESS_CACHE]!;
}

function cacheKey(file: string): string {
  const stat = fs.statSync(file);
  return `${path.resolve(file)}|${stat.size}|${stat.mtimeMs}`;
}

function toTable(file: string, records: string[][]): CsvTable {
  const header = records[0];
  if (!header) throw new Error(`olist oracle: ${file} is empty`);
  return { file, header, rows: records.slice(1) };
}

/** Parses CSV files (gzip when they end in .gz; BOM and CRLF tolerated) into a header and string rows each. */
export function readCsvFiles(files: readonly string[]): CsvTable[] {
  const cache = processCache();
  const keys = files.map(cacheKey);
  const jobs = files
    .map((file, index) => ({ file, key: keys[index] }))
    .filter(({ key }) => !cache.has(key))
    .map(({ file, key }) => {
      const { port1, port2 } = new MessageChannel();
      const signal = new SharedArrayBuffer(4);
      const worker = new Worker(PARSE_WORKER_SOURCE, {
        eval: true,
        workerData: { file, csvParse: require.resolve('csv-parse/sync'), port: port2, signal },
        transferList: [port2],
      });
      return { file, key, port: port1, signal: new Int32Array(signal), worker };
    });
  try {
    for (const { file, key, port, signal } of jobs) {
      if (Atomics.wait(signal, 0, 0, PARSE_TIMEOUT_MS) === 'timed-out') throw new Error(`olist oracle: parsing ${file} timed out`);
      const reply = receiveMessageOnPort(port)?.message as { rows?: string[][]; error?: string } | undefined;
      if (!reply || reply.error !== undefined || !reply.rows) throw new Error(`olist oracle: cannot parse ${file}: ${reply?.error}`);
      cache.set(key, reply.rows);
    }
  } finally {
    for (const { port, worker } of jobs) {
      port.close();
      void worker.terminate();
    }
  }
  return files.map((file, index) => toTable(file, cache.get(keys[index])!));
}

export function readCsvFile(file: string): CsvTable {
  return readCsvFiles([file])[0];
}

/** Column accessor by header name, so the oracle does not depend on column positions. */
function columns(table: CsvTable, names: readonly string[]): number[] {
  return names.map((name) => {
    const index = table.header.indexOf(name);
    if (index < 0) throw new Error(`olist oracle: ${table.file} has no column ${name}`);
    return index;
  });
}

function optionalColumn(table: CsvTable, name: string): number {
  return table.header.indexOf(name);
}

const orNull = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);
/*
 * Inside Jest's sandbox every lookup of a global (Number, Math, ...) is slow (~0.5 µs); the per-row helpers
 * below take them from module constants instead.
 */
const toNumber = Number;
const round = Math.round;

const intOrNull = (value: string): number | null => (value === '' ? null : toNumber(value));

const AMOUNT = /^-?\d+(?:\.\d{1,2})?$/;

/** "58.90" → 5890, exactly (every Olist amount has at most two decimals). */
export function toCents(text: string): number {
  if (!AMOUNT.test(text)) throw new Error(`olist oracle: not an amount with at most 2 decimals: "${text}"`);
  // value * 100 is within 1e-6 of an integer for any amount below 10^9 with two decimals.
  return round(toNumber(text) * 100);
}

const centsToAmount = (cents: number): number => cents / 100;

// ---------------------------------------------------------------------------------------------
// Raw rows
// ---------------------------------------------------------------------------------------------

export interface CustomerRow {
  customerId: string;
  personId: string;
  zipPrefix: string;
  city: string;
  state: string;
}

export interface OrderRow {
  orderId: string;
  customerId: string;
  status: string;
  purchaseTimestamp: string;
  approvedAt: string | null;
  deliveredCarrierDate: string | null;
  deliveredCustomerDate: string | null;
  estimatedDeliveryDate: string | null;
}

export interface ItemRow {
  orderId: string;
  orderItemId: number;
  productId: string;
  sellerId: string;
  shippingLimitDate: string;
  price: number;
  freightValue: number;
  priceCents: number;
  freightCents: number;
}

export interface PaymentRow {
  orderId: string;
  sequential: number;
  type: string;
  installments: number;
  value: number;
  valueCents: number;
}

export interface ProductRow {
  productId: string;
  categoryName: string | null;
  nameLength: number | null;
  descriptionLength: number | null;
  photosQty: number | null;
  weightG: number | null;
  lengthCm: number | null;
  heightCm: number | null;
  widthCm: number | null;
}

export interface SellerRow {
  sellerId: string;
  zipPrefix: string;
  city: string;
  state: string;
}

export interface TranslationRow {
  categoryName: string;
  english: string;
}

export interface ReviewRow {
  /** Position in the review file, from 0 (data rows only). */
  index: number;
  orderId: string;
  score: number;
  /** Only in the full Kaggle file; null with the scores-only projection. */
  reviewId: string | null;
  commentTitle: string | null;
  commentMessage: string | null;
  creationDate: string | null;
  answerTimestamp: string | null;
}

export interface GeolocationRow {
  zipPrefix: string;
  lat: string;
  lng: string;
  city: string;
  state: string;
}

// ---------------------------------------------------------------------------------------------
// Derived records (the graph's contract)
// ---------------------------------------------------------------------------------------------

export interface OracleUser {
  id: string;
  /** The person's customer rows, sorted by customer_id. */
  accounts: CustomerRow[];
  /** Orders of all accounts, sorted by (purchase timestamp, order id). */
  orderIds: string[];
  orderCount: number;
  totalSpent: number;
}

export interface OracleOrder extends OrderRow {
  personId: string | null;
  items: ItemRow[];
  payments: PaymentRow[];
  reviews: ReviewRow[];
  itemsTotal: number;
  freightTotal: number;
  paymentTotal: number;
}

export interface OracleProduct extends ProductRow {
  nameEn: string | null;
  /** Distinct orders with an item of this product, ascending. */
  orderIds: string[];
  orderCount: number;
  /** Distinct seller ids of its items, ascending. */
  sellers: string[];
  /** Reviews of the orders containing it, each once, in review-file order. */
  reviews: ReviewRow[];
  averageRating: number | null;
}

export interface OracleSeller extends SellerRow {
  /** Distinct product ids it sold, ascending. */
  products: string[];
}

/** How a local Sao Paulo wall-clock time maps to instants: once, twice (DST end) or never (DST start). */
export type LocalTimeKind = 'unique' | 'ambiguous' | 'skipped';

// ---------------------------------------------------------------------------------------------
// Time zone (independent implementation: Intl longOffset round trip)
// ---------------------------------------------------------------------------------------------

const SAO_PAULO = 'America/Sao_Paulo';
const LOCAL_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: SAO_PAULO, timeZoneName: 'longOffset' });
const wallFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: SAO_PAULO,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The zone's offset at an instant, as "+HH:MM"/"-HH:MM", read from Intl's "GMT-03:00" (or "GMT"). */
export function saoPauloOffsetAt(epochMs: number): string {
  const name = offsetFormat.formatToParts(new Date(epochMs)).find((part) => part.type === 'timeZoneName')?.value;
  if (name === 'GMT') return '+00:00';
  const match = name ? /^GMT([+-]\d{2}:\d{2})$/.exec(name) : null;
  if (!match) throw new Error(`olist oracle: unexpected offset name "${name}"`);
  return match[1];
}

function offsetToMs(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
}

/** Local wall-clock text of an instant in Sao Paulo ("YYYY-MM-DD HH:MM:SS"). */
export function saoPauloWallText(epochMs: number): string {
  const parts = Object.fromEntries(wallFormat.formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

interface LocalResolution {
  kind: LocalTimeKind;
  /** Offsets whose instant shows this wall-clock text, earlier instant first. */
  offsets: string[];
}

const resolutions = new Map<string, LocalResolution>();

/**
 * America/Sao_Paulo has changed offset only on whole hours since 1914, so a wall-clock hour resolves the
 * same way for each of its seconds: resolutions are cached per "YYYY-MM-DD HH" (checked at HH:30:00).
 */
function resolveLocal(text: string): LocalResolution {
  if (!LOCAL_TEXT.test(text)) throw new Error(`olist oracle: not a local timestamp: "${text}"`);
  const hour = text.slice(0, 13);
  let resolution = resolutions.get(hour);
  if (!resolution) {
    resolution = resolveWallClock(`${hour}:30:00`);
    resolutions.set(hour, resolution);
  }
  return resolution;
}

function resolveWallClock(text: string): LocalResolution {
  const [, y, mo, d, h, mi, s] = LOCAL_TEXT.exec(text)!.map(Number);
  const wallAsUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Any offset the zone could have for this wall time is in force within a day of it.
  const candidates = [...new Set([-1, 0, 1].map((days) => saoPauloOffsetAt(wallAsUtc + days * 86_400_000)))];
  const offsets = candidates
    .filter((offset) => saoPauloWallText(wallAsUtc - offsetToMs(offset)) === text)
    .sort((a, b) => wallAsUtc - offsetToMs(a) - (wallAsUtc - offsetToMs(b)));
  if (offsets.length === 0) return { kind: 'skipped', offsets: [saoPauloOffsetAt(wallAsUtc - 86_400_000)] };
  return { kind: offsets.length === 1 ? 'unique' : 'ambiguous', offsets };
}

/** Whether a local Sao Paulo wall-clock text denotes one instant, two (DST end) or none (DST start). */
export function saoPauloLocalKind(text: string): LocalTimeKind {
  return resolveLocal(text).kind;
}

/**
 * "2017-10-02 10:56:33" → "2017-10-02T10:56:33-03:00": the wall-clock text with the offset in force.
 * A time that occurs twice (the hour repeated when DST ended) takes the first, daylight occurrence;
 * a time skipped when DST started takes the offset in force before the jump. Null/empty → null.
 */
export function saoPauloIso(text: string): string;
export function saoPauloIso(text: string | null | undefined): string | null;
export function saoPauloIso(text: string | null | undefined): string | null {
  if (text === null || text === undefined || text === '') return null;
  const { offsets } = resolveLocal(text);
  return `${text.slice(0, 10)}T${text.slice(11)}${offsets[0]}`;
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

const ascending = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every k-th element of a sorted list, starting at an offset derived from `seed`: deterministic and spread out. */
export function spreadSample<T>(sorted: readonly T[], count: number, seed = 1): T[] {
  if (sorted.length <= count) return [...sorted];
  const step = Math.floor(sorted.length / count);
  const start = (seed * 7919) % step;
  const picked: T[] = [];
  for (let i = 0; i < count; i += 1) picked.push(sorted[start + i * step]);
  return picked;
}

function uniqueIds(...groups: string[][]): string[] {
  return [...new Set(groups.flat())];
}

export class OlistOracle {
  constructor(readonly datasetDir = olistDatasetDir()) {}

  private readonly parsed = new Map<OlistTableName, CsvTable>();

  private csv(table: OlistTableName): CsvTable {
    let parsed = this.parsed.get(table);
    if (!parsed) {
      parsed = readCsvFile(olistTableFile(table, this.datasetDir));
      this.parsed.set(table, parsed);
    }
    return parsed;
  }

  /** Parses the given tables now, in parallel worker threads (otherwise each is parsed on first use). */
  preload(...tables: OlistTableName[]): this {
    const pending = [...new Set(tables)].filter((table) => !this.parsed.has(table));
    const parsed = readCsvFiles(pending.map((table) => olistTableFile(table, this.datasetDir)));
    pending.forEach((table, index) => this.parsed.set(table, parsed[index]));
    return this;
  }

  /** The file each table was read from (the raw Kaggle file when present, else the derived one). */
  fileOf(table: OlistTableName): string {
    return olistTableFile(table, this.datasetDir);
  }

  // ----- raw tables ---------------------------------------------------------------------------

  readonly customers = lazy((): CustomerRow[] => {
    const t = this.csv('customers');
    const [id, person, zip, city, state] = columns(t, ['customer_id', 'customer_unique_id', 'customer_zip_code_prefix', 'customer_city', 'customer_state']);
    return t.rows.map((r) => ({ customerId: r[id], personId: r[person], zipPrefix: r[zip], city: r[city], state: r[state] }));
  });

  readonly orders = lazy((): OrderRow[] => {
    const t = this.csv('orders');
    const [id, customer, status, purchase, approved, carrier, delivered, estimated] = columns(t, [
      'order_id',
      'customer_id',
      'order_status',
      'order_purchase_timestamp',
      'order_approved_at',
      'order_delivered_carrier_date',
      'order_delivered_customer_date',
      'order_estimated_delivery_date',
    ]);
    return t.rows.map((r) => ({
      orderId: r[id],
      customerId: r[customer],
      status: r[status],
      purchaseTimestamp: r[purchase],
      approvedAt: orNull(r[approved]),
      deliveredCarrierDate: orNull(r[carrier]),
      deliveredCustomerDate: orNull(r[delivered]),
      estimatedDeliveryDate: orNull(r[estimated]),
    }));
  });

  readonly orderItems = lazy((): ItemRow[] => {
    const t = this.csv('orderItems');
    const [order, item, product, seller, limit, price, freight] = columns(t, [
      'order_id',
      'order_item_id',
      'product_id',
      'seller_id',
      'shipping_limit_date',
      'price',
      'freight_value',
    ]);
    return t.rows.map((r) => {
      const priceCents = toCents(r[price]);
      const freightCents = toCents(r[freight]);
      return {
        orderId: r[order],
        orderItemId: toNumber(r[item]),
        productId: r[product],
        sellerId: r[seller],
        shippingLimitDate: r[limit],
        price: centsToAmount(priceCents),
        freightValue: centsToAmount(freightCents),
        priceCents,
        freightCents,
      };
    });
  });

  readonly orderPayments = lazy((): PaymentRow[] => {
    const t = this.csv('orderPayments');
    const [order, seq, type, installments, value] = columns(t, ['order_id', 'payment_sequential', 'payment_type', 'payment_installments', 'payment_value']);
    return t.rows.map((r) => {
      const valueCents = toCents(r[value]);
      return {
        orderId: r[order],
        sequential: toNumber(r[seq]),
        type: r[type],
        installments: toNumber(r[installments]),
        value: centsToAmount(valueCents),
        valueCents,
      };
    });
  });

  readonly products = lazy((): ProductRow[] => {
    const t = this.csv('products');
    const [id, category, nameLength, descriptionLength, photos, weight, length, height, width] = columns(t, [
      'product_id',
      'product_category_name',
      'product_name_lenght',
      'product_description_lenght',
      'product_photos_qty',
      'product_weight_g',
      'product_length_cm',
      'product_height_cm',
      'product_width_cm',
    ]);
    return t.rows.map((r) => ({
      productId: r[id],
      categoryName: orNull(r[category]),
      nameLength: intOrNull(r[nameLength]),
      descriptionLength: intOrNull(r[descriptionLength]),
      photosQty: intOrNull(r[photos]),
      weightG: intOrNull(r[weight]),
      lengthCm: intOrNull(r[length]),
      heightCm: intOrNull(r[height]),
      widthCm: intOrNull(r[width]),
    }));
  });

  readonly sellers = lazy((): SellerRow[] => {
    const t = this.csv('sellers');
    const [id, zip, city, state] = columns(t, ['seller_id', 'seller_zip_code_prefix', 'seller_city', 'seller_state']);
    return t.rows.map((r) => ({ sellerId: r[id], zipPrefix: r[zip], city: r[city], state: r[state] }));
  });

  readonly categoryTranslations = lazy((): TranslationRow[] => {
    const t = this.csv('categoryTranslations');
    const [name, english] = columns(t, ['product_category_name', 'product_category_name_english']);
    return t.rows.map((r) => ({ categoryName: r[name], english: r[english] }));
  });

  readonly reviews = lazy((): ReviewRow[] => {
    const t = this.csv('reviews');
    const [order, score] = columns(t, ['order_id', 'review_score']);
    const optional = ['review_id', 'review_comment_title', 'review_comment_message', 'review_creation_date', 'review_answer_timestamp'].map((name) =>
      optionalColumn(t, name),
    );
    const cell = (r: string[], index: number) => (index < 0 ? null : orNull(r[index]));
    return t.rows.map((r, index) => ({
      index,
      orderId: r[order],
      score: toNumber(r[score]),
      reviewId: cell(r, optional[0]),
      commentTitle: cell(r, optional[1]),
      commentMessage: cell(r, optional[2]),
      creationDate: cell(r, optional[3]),
      answerTimestamp: cell(r, optional[4]),
    }));
  });

  readonly geolocation = lazy((): GeolocationRow[] => {
    const t = this.csv('geolocation');
    const [zip, lat, lng, city, state] = columns(t, [
      'geolocation_zip_code_prefix',
      'geolocation_lat',
      'geolocation_lng',
      'geolocation_city',
      'geolocation_state',
    ]);
    return t.rows.map((r) => ({ zipPrefix: r[zip], lat: r[lat], lng: r[lng], city: r[city], state: r[state] }));
  });

  // ----- indexes ------------------------------------------------------------------------------

  readonly accountById = lazy(() => new Map(this.customers().map((row) => [row.customerId, row])));
  readonly ordersByCustomerId = lazy(() => groupBy(this.orders(), (row) => row.customerId));
  readonly itemsByOrderId = lazy(() => groupBy(this.orderItems(), (row) => row.orderId));
  readonly itemsByProductId = lazy(() => groupBy(this.orderItems(), (row) => row.productId));
  readonly itemsBySellerId = lazy(() => groupBy(this.orderItems(), (row) => row.sellerId));
  readonly paymentsByOrderId = lazy(() => groupBy(this.orderPayments(), (row) => row.orderId));
  readonly reviewsByOrderId = lazy(() => groupBy(this.reviews(), (row) => row.orderId));
  readonly geolocationByPrefix = lazy(() => groupBy(this.geolocation(), (row) => row.zipPrefix));
  /** review_id → number of distinct orders filed under it (the full Kaggle file reuses some ids). */
  readonly orderCountByReviewId = lazy(() => {
    const orders = new Map<string, Set<string>>();
    for (const row of this.reviews()) {
      if (row.reviewId === null) continue;
      const set = orders.get(row.reviewId) ?? new Set<string>();
      set.add(row.orderId);
      orders.set(row.reviewId, set);
    }
    return new Map([...orders].map(([reviewId, set]) => [reviewId, set.size]));
  });

  /** How many distinct orders share a review row's review_id (1 when the row has none). */
  ordersSharingReviewId(row: ReviewRow): number {
    return row.reviewId === null ? 1 : (this.orderCountByReviewId().get(row.reviewId) ?? 1);
  }

  readonly englishByCategory = lazy(() => new Map(this.categoryTranslations().map((row) => [row.categoryName, row.english])));

  // ----- entities -----------------------------------------------------------------------------

  /** Every person (customer_unique_id) with accounts, orders and spend. */
  readonly users = lazy((): Map<string, OracleUser> => {
    const orderById = new Map(this.orders().map((row) => [row.orderId, row]));
    const ordersByCustomer = this.ordersByCustomerId();
    const payments = this.paymentsByOrderId();
    const users = new Map<string, OracleUser>();
    for (const [personId, accounts] of groupBy(this.customers(), (row) => row.personId)) {
      const sortedAccounts = [...accounts].sort((a, b) => ascending(a.customerId, b.customerId));
      const orderIds = sortedAccounts.flatMap((account) => (ordersByCustomer.get(account.customerId) ?? []).map((o) => o.orderId));
      orderIds.sort((a, b) => {
        const ta = orderById.get(a)!.purchaseTimestamp;
        const tb = orderById.get(b)!.purchaseTimestamp;
        return ascending(ta, tb) || ascending(a, b);
      });
      let cents = 0;
      for (const orderId of orderIds) for (const payment of payments.get(orderId) ?? []) cents += payment.valueCents;
      users.set(personId, {
        id: personId,
        accounts: sortedAccounts,
        orderIds,
        orderCount: orderIds.length,
        totalSpent: centsToAmount(cents),
      });
    }
    return users;
  });

  readonly ordersById = lazy((): Map<string, OracleOrder> => {
    const accounts = this.accountById();
    const items = this.itemsByOrderId();
    const payments = this.paymentsByOrderId();
    const reviews = this.reviewsByOrderId();
    const result = new Map<string, OracleOrder>();
    for (const row of this.orders()) {
      const orderItems = [...(items.get(row.orderId) ?? [])].sort((a, b) => a.orderItemId - b.orderItemId);
      const orderPayments = [...(payments.get(row.orderId) ?? [])].sort((a, b) => a.sequential - b.sequential);
      const sum = <T>(list: T[], cents: (x: T) => number) => centsToAmount(list.reduce((acc, x) => acc + cents(x), 0));
      // Spelled out rather than spread: objects built by spreading end up slow to read (dictionary mode).
      result.set(row.orderId, {
        orderId: row.orderId,
        customerId: row.customerId,
        status: row.status,
        purchaseTimestamp: row.purchaseTimestamp,
        approvedAt: row.approvedAt,
        deliveredCarrierDate: row.deliveredCarrierDate,
        deliveredCustomerDate: row.deliveredCustomerDate,
        estimatedDeliveryDate: row.estimatedDeliveryDate,
        personId: accounts.get(row.customerId)?.personId ?? null,
        items: orderItems,
        payments: orderPayments,
        reviews: reviews.get(row.orderId) ?? [],
        itemsTotal: sum(orderItems, (item) => item.priceCents),
        freightTotal: sum(orderItems, (item) => item.freightCents),
        paymentTotal: sum(orderPayments, (payment) => payment.valueCents),
      });
    }
    return result;
  });

  readonly productsById = lazy((): Map<string, OracleProduct> => {
    const english = this.englishByCategory();
    const items = this.itemsByProductId();
    const reviews = this.reviewsByOrderId();
    const result = new Map<string, OracleProduct>();
    for (const row of this.products()) {
      const productItems = items.get(row.productId) ?? [];
      const orderIds = [...new Set(productItems.map((item) => item.orderId))].sort(ascending);
      const productReviews = orderIds.flatMap((orderId) => reviews.get(orderId) ?? []).sort((a, b) => a.index - b.index);
      result.set(row.productId, {
        productId: row.productId,
        categoryName: row.categoryName,
        nameLength: row.nameLength,
        descriptionLength: row.descriptionLength,
        photosQty: row.photosQty,
        weightG: row.weightG,
        lengthCm: row.lengthCm,
        heightCm: row.heightCm,
        widthCm: row.widthCm,
        nameEn: row.categoryName === null ? null : (english.get(row.categoryName) ?? null),
        orderIds,
        orderCount: orderIds.length,
        sellers: [...new Set(productItems.map((item) => item.sellerId))].sort(ascending),
        reviews: productReviews,
        averageRating: productReviews.length === 0 ? null : productReviews.reduce((acc, review) => acc + review.score, 0) / productReviews.length,
      });
    }
    return result;
  });

  readonly sellersById = lazy((): Map<string, OracleSeller> => {
    const items = this.itemsBySellerId();
    return new Map(
      this.sellers().map((row) => [
        row.sellerId,
        {
          sellerId: row.sellerId,
          zipPrefix: row.zipPrefix,
          city: row.city,
          state: row.state,
          products: [...new Set((items.get(row.sellerId) ?? []).map((item) => item.productId))].sort(ascending),
        },
      ]),
    );
  });

  user(id: string): OracleUser | undefined {
    return this.users().get(id);
  }

  order(id: string): OracleOrder | undefined {
    return this.ordersById().get(id);
  }

  product(id: string): OracleProduct | undefined {
    return this.productsById().get(id);
  }

  seller(id: string): OracleSeller | undefined {
    return this.sellersById().get(id);
  }

  account(customerId: string): CustomerRow | undefined {
    return this.accountById().get(customerId);
  }

  categoryNameEn(categoryName: string): string | null {
    return this.englishByCategory().get(categoryName) ?? null;
  }

  // ----- sorted id lists (for pagination) -----------------------------------------------------

  private readonly personIdCache = new Map<string, string[]>();

  /** Person ids ascending, optionally only persons with at least one account in `state`. */
  personIds(state?: string): string[] {
    const key = state ?? '';
    let ids = this.personIdCache.get(key);
    if (!ids) {
      const set = new Set<string>();
      for (const row of this.customers()) if (state === undefined || row.state === state) set.add(row.personId);
      ids = [...set].sort(ascending);
      this.personIdCache.set(key, ids);
    }
    return [...ids];
  }

  /** Order ids sorted by (purchase timestamp, order id), optionally with one status. */
  orderIdsByPurchase(status?: string): string[] {
    return this.orders()
      .filter((row) => status === undefined || row.status === status)
      .sort((a, b) => ascending(a.purchaseTimestamp, b.purchaseTimestamp) || ascending(a.orderId, b.orderId))
      .map((row) => row.orderId);
  }

  /** Product ids ascending, optionally only those with one raw category (null: without a category). */
  productIds(categoryName?: string | null): string[] {
    return this.products()
      .filter((row) => categoryName === undefined || row.categoryName === categoryName)
      .map((row) => row.productId)
      .sort(ascending);
  }

  sellerIds(): string[] {
    return this.sellers()
      .map((row) => row.sellerId)
      .sort(ascending);
  }

  // ----- counts -------------------------------------------------------------------------------

  /** users(state).totalCount: distinct persons with at least one account in the state. */
  usersInStateCount(state: string): number {
    return this.personIds(state).length;
  }

  /** orders(status).totalCount. */
  ordersWithStatusCount(status: string): number {
    return this.orders().filter((row) => row.status === status).length;
  }

  /** products(category).totalCount for a raw category name. */
  productsInCategoryCount(categoryName: string): number {
    return this.products().filter((row) => row.categoryName === categoryName).length;
  }

  /** Raw category names used by products, ascending. */
  productCategories(): string[] {
    return [...new Set(this.products().flatMap((row) => (row.categoryName === null ? [] : [row.categoryName])))].sort(ascending);
  }

  /** Raw categories used by products that the translation table does not translate. */
  untranslatedCategories(): string[] {
    const english = this.englishByCategory();
    return this.productCategories().filter((name) => !english.has(name));
  }

  // ----- deterministic samples ----------------------------------------------------------------

  private readonly sampleCache = new Map<string, string[]>();

  private memoSample(kind: string, seed: number, draw: () => string[]): string[] {
    const key = `${kind}:${seed}`;
    let ids = this.sampleCache.get(key);
    if (!ids) {
      ids = draw();
      this.sampleCache.set(key, ids);
    }
    return [...ids];
  }

  /** ≥30 persons: a spread over all ids plus persons with several accounts (the most accounts included). */
  sampleUserIds(seed = 1): string[] {
    return this.memoSample('users', seed, () => this.drawUserIds(seed));
  }

  private drawUserIds(seed: number): string[] {
    const users = [...this.users().values()].sort((a, b) => ascending(a.id, b.id));
    const spread = spreadSample(
      users.map((u) => u.id),
      24,
      seed,
    );
    const multi = users.filter((u) => u.accounts.length > 1);
    const most = [...multi].sort((a, b) => b.accounts.length - a.accounts.length || ascending(a.id, b.id))[0];
    return uniqueIds(
      spread,
      [most.id],
      spreadSample(
        multi.map((u) => u.id),
        8,
        seed,
      ),
    );
  }

  /**
   * ≥30 orders: a spread, plus orders with several payments, several items, several reviews, no review,
   * no payment, and one of each non-delivered status.
   */
  sampleOrderIds(seed = 1): string[] {
    return this.memoSample('orders', seed, () => this.drawOrderIds(seed));
  }

  private drawOrderIds(seed: number): string[] {
    const orders = [...this.ordersById().values()].sort((a, b) => ascending(a.orderId, b.orderId));
    const ids = (filter: (o: OracleOrder) => boolean, count: number) =>
      spreadSample(
        orders.filter(filter).map((o) => o.orderId),
        count,
        seed,
      );
    const statuses = [...new Set(orders.map((o) => o.status))].filter((s) => s !== 'delivered').sort(ascending);
    return uniqueIds(
      ids(() => true, 20),
      ids((o) => o.payments.length > 1, 3),
      ids((o) => o.items.length > 1, 3),
      ids((o) => new Set(o.items.map((i) => i.productId)).size > 1, 2),
      ids((o) => o.reviews.length > 1, 3),
      ids((o) => o.reviews.length === 0, 3),
      ids((o) => o.payments.length === 0, 1),
      ...statuses.map((status) => ids((o) => o.status === status, 1)),
    );
  }

  /** Orders with a purchase or approval time in the hour repeated when DST ended (ambiguous local text). */
  ambiguousTimestampOrderIds(): string[] {
    return this.orders()
      .filter((o) => [o.purchaseTimestamp, o.approvedAt].some((t) => t !== null && saoPauloLocalKind(t) === 'ambiguous'))
      .map((o) => o.orderId)
      .sort(ascending);
  }

  /**
   * ≥30 products: a spread, plus products without a category, with an untranslated category, the most
   * ordered ones, one with several sellers and one without any review.
   */
  sampleProductIds(seed = 1): string[] {
    return this.memoSample('products', seed, () => this.drawProductIds(seed));
  }

  private drawProductIds(seed: number): string[] {
    const products = [...this.productsById().values()].sort((a, b) => ascending(a.productId, b.productId));
    const ids = (filter: (p: OracleProduct) => boolean, count: number) =>
      spreadSample(
        products.filter(filter).map((p) => p.productId),
        count,
        seed,
      );
    const popular = [...products]
      .sort((a, b) => b.orderCount - a.orderCount || ascending(a.productId, b.productId))
      .slice(0, 3)
      .map((p) => p.productId);
    return uniqueIds(
      ids(() => true, 20),
      ids((p) => p.categoryName === null, 2),
      ...this.untranslatedCategories().map((name) => ids((p) => p.categoryName === name, 1)),
      popular,
      ids((p) => p.sellers.length > 1, 2),
      ids((p) => p.reviews.length === 0, 1),
      ids((p) => p.reviews.length > 5 && p.averageRating !== null && !Number.isInteger(p.averageRating), 2),
    );
  }

  /** ≥30 sellers: a spread, plus the sellers with the most products and one whose zip prefix has no geolocation. */
  sampleSellerIds(seed = 1): string[] {
    return this.memoSample('sellers', seed, () => this.drawSellerIds(seed));
  }

  private drawSellerIds(seed: number): string[] {
    const sellers = [...this.sellersById().values()].sort((a, b) => ascending(a.sellerId, b.sellerId));
    const geo = this.geolocationByPrefix();
    const busiest = [...sellers]
      .sort((a, b) => b.products.length - a.products.length || ascending(a.sellerId, b.sellerId))
      .slice(0, 3)
      .map((s) => s.sellerId);
    return uniqueIds(
      spreadSample(
        sellers.map((s) => s.sellerId),
        26,
        seed,
      ),
      busiest,
      spreadSample(
        sellers.filter((s) => !geo.has(s.zipPrefix)).map((s) => s.sellerId),
        1,
        seed,
      ),
    );
  }
}

let shared: OlistOracle | undefined;

/** The process-wide (per test file) oracle over the configured dataset folder. */
export function olistOracle(): OlistOracle {
  if (!shared || shared.datasetDir !== olistDatasetDir()) shared = new OlistOracle();
  return shared;
}
