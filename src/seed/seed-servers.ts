import { SingleBar, Presets } from 'cli-progress';
import type { SourcesConfig } from '../config/fusion-config';
import {
  applyMigrations,
  bulkInsert,
  openSqlClient,
  placeholderStyle,
  SQL_SYSTEMS,
  type SqlProvider,
  type SqlSystem,
  type TransactionalSqlClient,
} from '../sources';
import { readCsvRows } from './csv-rows';
import { DatasetError, locateTableFile } from './dataset-files';
import { RawRecordReader } from './raw-records';
import { historyCut, type HistoryCut } from './history';
import { beforeCut, seedEmbeddedStores, type TableReport } from './seed';
import { SQL_SEED_TABLES, type SqlSeedTable } from './seed-tables';

export interface ConfiguredSeedOptions {
  datasetDir: string;
  /** Reload tables even when they already hold as many rows as the files. */
  force?: boolean;
  progress?: boolean;
  log?: (line: string) => void;
  /** Only the history before this time, on the servers as in the file stores (seed.ts `until`). */
  until?: string;
}

export interface ConfiguredTableReport extends TableReport {
  system: SqlSystem;
  provider: SqlProvider;
  /** True when the table already held the file's row count and was left alone. */
  skipped: boolean;
  elapsedMs: number;
}

export interface ConfiguredSeedReport {
  /** The file stores (and the embedded SQLite files) under dataDir: the JSONL review store the review service serves, the geography CSV. */
  files: { skipped: boolean; elapsedMs: number };
  tables: ConfiguredTableReport[];
  /** Time spent loading the SQL systems that live on database servers. */
  serverElapsedMs: number;
  elapsedMs: number;
}

const BATCH_ROWS = 5000;

/**
 * Seeds what a configuration points at: the file stores under dataDir (via the embedded seed, which is a
 * no-op when current), then every SQL system on a database server (PostgreSQL, MySQL/MariaDB): pending
 * migrations applied through the ledger, each table loaded in batches in one transaction, with progress.
 * A table that already holds the file's row count (with `until`: the rows before the cut) is skipped; one
 * holding other rows is an error unless `force` (then it is emptied and reloaded).
 */
export async function seedConfiguredStores(config: SourcesConfig, options: ConfiguredSeedOptions): Promise<ConfiguredSeedReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const files = await seedEmbeddedStores({ datasetDir: options.datasetDir, dataDir: config.dataDir, progress: options.progress, log, until: options.until });
  const serverStarted = Date.now();
  const cut = options.until ? await historyCut(options.datasetDir, options.until) : undefined;
  const tables: ConfiguredTableReport[] = [];
  for (const system of SQL_SYSTEMS) {
    const source = config.sources[system];
    if (source.provider === 'sqlite') continue;
    const client = openSqlClient(system, source.provider, source.url) as unknown as TransactionalSqlClient;
    try {
      const ran = await applyMigrations(client, system, source.provider);
      if (ran.length > 0) log(`${system} (${source.provider}): applied ${ran.join(', ')}`);
      for (const table of SQL_SEED_TABLES.filter((t) => t.system === system)) {
        const report = await seedServerTable(client, source.provider, table, options, cut);
        tables.push(report);
        log(
          `${`${system}.${table.table}`.padEnd(24)} ${source.provider.padEnd(10)} ` +
            (report.skipped
              ? `up to date (${report.read.toLocaleString('en-US')} rows)`
              : `written ${report.written.toLocaleString('en-US').padStart(9)} in ${(report.elapsedMs / 1000).toFixed(1)} s`),
        );
      }
    } finally {
      await client.$disconnect();
    }
  }
  return {
    files: { skipped: files.skipped, elapsedMs: files.elapsedMs },
    tables,
    serverElapsedMs: Date.now() - serverStarted,
    elapsedMs: Date.now() - started,
  };
}

/**
 * The planner's statistics, now rather than whenever autovacuum gets there: on a freshly loaded PostgreSQL
 * table it assumes a few hundred rows and picks nested loops (an orderStats quarter took 60 s instead of 0.16 s).
 */
async function refreshStatistics(client: TransactionalSqlClient, provider: SqlProvider, table: string): Promise<void> {
  if (provider === 'postgresql') await client.$executeRawUnsafe(`ANALYZE ${table}`);
  else if (provider === 'mysql') await client.$queryRawUnsafe(`ANALYZE TABLE ${table}`);
}

async function seedServerTable(
  client: TransactionalSqlClient,
  provider: SqlProvider,
  table: SqlSeedTable,
  options: ConfiguredSeedOptions,
  cut: HistoryCut | undefined,
): Promise<ConfiguredTableReport> {
  const started = Date.now();
  const file = locateTableFile(options.datasetDir, table.source);
  const values: unknown[][] = [];
  for await (const { row, line } of readCsvRows(file, table.source)) {
    if (!cut || beforeCut(cut, row)) values.push(table.toValues(new RawRecordReader(file, row, line)));
  }
  const base = { table: table.table, file, read: values.length, system: table.system, provider };
  const [{ n }] = await client.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM ${table.table}`);
  if (!options.force && Number(n) === values.length) {
    await refreshStatistics(client, provider, table.table);
    return { ...base, written: 0, skipped: true, elapsedMs: Date.now() - started };
  }
  if (!options.force && Number(n) > 0) {
    // Never replace what a server holds behind someone's back: another dataset (or a half load) needs --force.
    throw new DatasetError(file, `${provider} ${table.table} already holds ${Number(n)} rows, the file ${values.length}: pass --force to replace them`);
  }

  const bar = options.progress
    ? new SingleBar(
        { format: `${table.table.padEnd(22)} [{bar}] {percentage}% | {value}/{total} rows`, hideCursor: true, clearOnComplete: true },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(values.length, 0);
  const log = options.log ?? (() => undefined);
  let nextQuarter = 0.25;
  try {
    const written = await client.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`DELETE FROM ${table.table}`);
        let total = 0;
        for (let start = 0; start < values.length; start += BATCH_ROWS) {
          total += await bulkInsert(tx, table.table, table.columns, values.slice(start, start + BATCH_ROWS), { placeholders: placeholderStyle(provider) });
          bar?.update(total);
          if (!bar && values.length >= 20_000 && total / values.length >= nextQuarter && total < values.length) {
            log(`  ${table.system}.${table.table}: ${total.toLocaleString('en-US')} / ${values.length.toLocaleString('en-US')} rows`);
            while (total / values.length >= nextQuarter) nextQuarter += 0.25;
          }
        }
        return total;
      },
      { timeout: 600_000 },
    );
    if (written !== values.length) throw new DatasetError(file, `wrote ${written} of ${values.length} rows into ${provider} ${table.table}`);
    await refreshStatistics(client, provider, table.table);
    return { ...base, written, skipped: false, elapsedMs: Date.now() - started };
  } finally {
    bar?.stop();
  }
}
