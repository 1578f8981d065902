import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import Database from 'better-sqlite3';
import {
  applyMigrations,
  bulkInsert,
  embeddedStorePaths,
  ensureOrderStatsFacts,
  openSqliteClient,
  SQL_SYSTEMS,
  type TransactionalSqlClient,
  type SqlSystem,
} from '../sources';
import { DATASET_TABLES, DatasetError, locateTableFile, type DatasetTable } from './dataset-files';
import { readCsvRows, type CsvRow } from './csv-rows';
import { RawRecordReader } from './raw-records';
import { SQL_SEED_TABLES } from './seed-tables';
import { historyCut, type HistoryCut } from './history';

export interface SeedOptions {
  datasetDir: string;
  dataDir: string;
  /** Rebuild even when the stores already hold this exact dataset. */
  force?: boolean;
  /** Draw progress bars (only meaningful on a terminal). */
  progress?: boolean;
  log?: (line: string) => void;
  /** Seed only the history before this time (see history.ts); the rest is left for the replay command. */
  until?: string;
}

export interface TableReport {
  table: string;
  file: string;
  read: number;
  written: number;
}

export interface SeedReport {
  skipped: boolean;
  tables: TableReport[];
  elapsedMs: number;
}

interface Manifest {
  version: number;
  /** The seed's cut (`--until`), absent for the whole history. */
  until?: string;
  files: Record<string, { size: number; mtimeMs: number }>;
  tables: TableReport[];
}

const MANIFEST_VERSION = 1;

/**
 * Loads the Olist CSVs into the embedded source systems, raw. Idempotent: when the stores already
 * hold these exact files (same paths, sizes and times) it does nothing. A rebuild writes into a
 * temporary folder and swaps it in at the end, so an interrupted seed never leaves half a store.
 */
export async function seedEmbeddedStores(options: SeedOptions): Promise<SeedReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  if (!fs.existsSync(options.datasetDir)) {
    throw new DatasetError(options.datasetDir, 'dataset folder not found (set OLIST_DATASET_DIR or pass --dataset)');
  }
  const inputs = locateInputs(options.datasetDir);
  const fingerprint = fingerprintFiles(Object.values(inputs));
  const paths = embeddedStorePaths(options.dataDir);
  const previous = readManifest(paths.manifest);
  const storesPresent = [...SQL_SYSTEMS.map((system) => paths.sqlite(system)), paths.reviews, paths.geography].every((file) => fs.existsSync(file));
  if (!options.force && previous && storesPresent && sameFiles(previous.files, fingerprint) && previous.until === options.until) {
    log(`Stores in ${options.dataDir} already hold this dataset; nothing to do (use --force to rebuild).`);
    return { skipped: true, tables: previous.tables, elapsedMs: Date.now() - started };
  }

  const staging = path.join(options.dataDir, `.seed-staging-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  const stagingPaths = embeddedStorePaths(staging);
  fs.mkdirSync(path.dirname(stagingPaths.reviews), { recursive: true });
  fs.mkdirSync(path.dirname(stagingPaths.geography), { recursive: true });
  const tables: TableReport[] = [];
  const cut = options.until ? await historyCut(options.datasetDir, options.until) : undefined;
  const report = (entry: TableReport) => {
    tables.push(entry);
    log(
      `${entry.table.padEnd(22)} read ${entry.read.toLocaleString('en-US').padStart(9)}  ` +
        `written ${entry.written.toLocaleString('en-US').padStart(9)}  ← ${path.basename(entry.file)}`,
    );
  };
  try {
    for (const system of SQL_SYSTEMS) {
      const client = openSqliteClient(system, stagingPaths.sqlite(system));
      try {
        await applyMigrations(client, system, 'sqlite');
        for (const entry of await seedSqlSystem(client as unknown as TransactionalSqlClient, system, inputs, options.progress, cut)) report(entry);
      } finally {
        await client.$disconnect();
      }
    }
    // Built here, not on the first statistic: a store must not change under the files that fingerprint it.
    const orders = new Database(stagingPaths.sqlite('orders'));
    try {
      ensureOrderStatsFacts(orders);
    } finally {
      orders.close();
    }
    report(await writeReviewDocuments(inputs.reviews, stagingPaths.reviews, options.progress, cut));
    report(await copyGeography(inputs.geolocation, stagingPaths.geography, options.progress));
    swapIntoPlace(staging, options.dataDir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  const manifest: Manifest = { version: MANIFEST_VERSION, ...(options.until ? { until: options.until } : {}), files: fingerprint, tables };
  fs.writeFileSync(paths.manifest, JSON.stringify(manifest, null, 2));
  return { skipped: false, tables, elapsedMs: Date.now() - started };
}

function locateInputs(datasetDir: string): Record<keyof typeof DATASET_TABLES, string> {
  const entries = Object.entries(DATASET_TABLES).map(([key, table]) => [key, locateTableFile(datasetDir, table)]);
  return Object.fromEntries(entries) as Record<keyof typeof DATASET_TABLES, string>;
}

async function seedSqlSystem(
  client: TransactionalSqlClient,
  system: SqlSystem,
  inputs: Record<keyof typeof DATASET_TABLES, string>,
  progress?: boolean,
  cut?: HistoryCut,
): Promise<TableReport[]> {
  const reports: TableReport[] = [];
  for (const table of SQL_SEED_TABLES.filter((t) => t.system === system)) {
    const file = inputs[keyOf(table.source)];
    const values: unknown[][] = [];
    const read = await forEachRow(file, table.source, progress, (row, line) => {
      if (!cut || beforeCut(cut, row)) values.push(table.toValues(new RawRecordReader(file, row, line)));
    });
    const written = await client.$transaction((tx) => bulkInsert(tx, table.table, table.columns, values), { timeout: 600_000 });
    reports.push({ table: table.table, file, read, written });
  }
  return reports;
}

/**
 * Whether a row belongs to the history before the cut: rows keyed by an order (orders, items, payments,
 * reviews) when the order was purchased before it, accounts when one of those orders is theirs, reference
 * data (products, sellers, categories, geography) always.
 */
export function beforeCut(cut: HistoryCut, row: CsvRow): boolean {
  if (row.order_id !== undefined) return cut.orders.has(row.order_id);
  if (row.customer_id !== undefined) return cut.customers.has(row.customer_id);
  return true;
}

async function writeReviewDocuments(file: string, target: string, progress?: boolean, cut?: HistoryCut): Promise<TableReport> {
  const out = fs.createWriteStream(target, 'utf8');
  let written = 0;
  const read = await forEachRow(file, DATASET_TABLES.reviews, progress, (row, line) => {
    if (cut && !beforeCut(cut, row)) return;
    const record = new RawRecordReader(file, row, line);
    const document: Record<string, unknown> = { order_id: record.text('order_id'), review_score: record.integer('review_score') };
    for (const column of Object.keys(row)) if (!(column in document)) document[column] = row[column];
    out.write(`${JSON.stringify(document)}\n`);
    written += 1;
  });
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { table: 'reviews', file, read, written };
}

async function copyGeography(file: string, target: string, progress?: boolean): Promise<TableReport> {
  const columns = DATASET_TABLES.geolocation.requiredColumns;
  const lines = [columns.join(',')];
  const read = await forEachRow(file, DATASET_TABLES.geolocation, progress, (row) => {
    lines.push(columns.map((column) => csvField(row[column])).join(','));
  });
  fs.writeFileSync(target, `${lines.join('\n')}\n`);
  return { table: 'geolocation', file, read, written: lines.length - 1 };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function forEachRow(file: string, table: DatasetTable, progress: boolean | undefined, onRow: (row: CsvRow, line: number) => void): Promise<number> {
  const bar = progress
    ? new SingleBar({ format: `${table.name.padEnd(22)} [{bar}] {percentage}% | {rows} rows`, hideCursor: true, clearOnComplete: true }, Presets.shades_classic)
    : undefined;
  bar?.start(fs.statSync(file).size, 0, { rows: 0 });
  let count = 0;
  try {
    for await (const { row, line } of readCsvRows(file, table, { onBytes: (bytes) => bar?.update(bytes, { rows: count }) })) {
      count += 1;
      onRow(row, line);
    }
  } finally {
    bar?.stop();
  }
  return count;
}

function keyOf(table: DatasetTable): keyof typeof DATASET_TABLES {
  const entry = Object.entries(DATASET_TABLES).find(([, candidate]) => candidate === table);
  if (!entry) throw new Error(`Unknown dataset table ${table.name}`);
  return entry[0] as keyof typeof DATASET_TABLES;
}

function fingerprintFiles(files: string[]): Manifest['files'] {
  return Object.fromEntries(
    files.map((file) => {
      const stat = fs.statSync(file);
      return [path.resolve(file), { size: stat.size, mtimeMs: stat.mtimeMs }];
    }),
  );
}

function sameFiles(a: Manifest['files'], b: Manifest['files']): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] && b[key].size === a[key].size && b[key].mtimeMs === a[key].mtimeMs);
}

function readManifest(file: string): Manifest | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
    return manifest.version === MANIFEST_VERSION ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Moves the staged stores over the live ones; the manifest is written only after this succeeds. */
function swapIntoPlace(staging: string, dataDir: string): void {
  const live = embeddedStorePaths(dataDir);
  const staged = embeddedStorePaths(staging);
  fs.rmSync(live.manifest, { force: true });
  const moves: [string, string][] = [
    ...SQL_SYSTEMS.map((system): [string, string] => [staged.sqlite(system), live.sqlite(system)]),
    [path.dirname(staged.reviews), path.dirname(live.reviews)],
    [path.dirname(staged.geography), path.dirname(live.geography)],
  ];
  for (const [from, to] of moves) {
    fs.rmSync(to, { recursive: true, force: true });
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${to}${suffix}`, { force: true });
    fs.renameSync(from, to);
  }
}
