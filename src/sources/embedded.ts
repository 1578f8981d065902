import fs from 'node:fs';
import path from 'node:path';
import { CatalogSource, type CatalogModels } from './catalog/catalog.source';
import { CrmSource, type CrmModels } from './crm/crm.source';
import { GeographySource } from './geography/geography.source';
import { OrdersSource, type OrdersModels } from './orders/orders.source';
import { SqliteOrderStats } from './orders/sqlite-order-stats';
import type { SourceQueryLog } from './query-log';
import { ReviewsSource } from './reviews/reviews.source';
import { DEFAULT_KEPT_ROWS, openSqliteClient, SqliteKeyedReads, SqliteResultMemo, type SqlClients, type SqlSystem } from './sql';
import type { ResiliencePolicies } from '../config/resilience-config';
import { guardSources } from './resilience/guard-sources';
import type { Sources } from './sources';

/** Where the embedded default keeps each source system under the data folder. */
export function embeddedStorePaths(dataDir: string) {
  return {
    sqlite: (system: SqlSystem) => path.join(dataDir, `${system}.db`),
    reviews: path.join(dataDir, 'reviews', 'reviews.jsonl'),
    geography: path.join(dataDir, 'geography', 'geolocation.csv'),
    manifest: path.join(dataDir, 'seed-manifest.json'),
  };
}

export function embeddedStoresExist(dataDir: string): boolean {
  return fs.existsSync(embeddedStorePaths(dataDir).manifest);
}

/**
 * Opens the embedded default: one SQLite file per SQL system, a JSONL review store, a CSV geography file,
 * each read guarded by its resilience policy (default policies when none are given). The by-key batches
 * read the SQLite files directly (./sql/keyed-reads.ts), everything else goes through the Prisma clients;
 * the rows of recently read keys (up to `keptRows` per file), counts and statistics are kept until their
 * file changes (./sql/keyed-reads.ts, ./sql/result-memo.ts).
 */
export async function openEmbeddedSources(
  dataDir: string,
  queryLog?: SourceQueryLog,
  policies?: ResiliencePolicies,
  keptRows = DEFAULT_KEPT_ROWS,
): Promise<Sources> {
  const paths = embeddedStorePaths(dataDir);
  if (!embeddedStoresExist(dataDir)) throw new Error(`No seeded stores in ${dataDir}: run the seed command first`);
  const clients: SqlClients = {
    crm: openSqliteClient('crm', paths.sqlite('crm'), queryLog),
    catalog: openSqliteClient('catalog', paths.sqlite('catalog'), queryLog),
    orders: openSqliteClient('orders', paths.sqlite('orders'), queryLog),
  };
  const keyed = {
    crm: new SqliteKeyedReads<CrmModels>(clients.crm, paths.sqlite('crm'), 'crm', queryLog, keptRows),
    catalog: new SqliteKeyedReads<CatalogModels>(clients.catalog, paths.sqlite('catalog'), 'catalog', queryLog, keptRows),
    orders: new SqliteKeyedReads<OrdersModels>(clients.orders, paths.sqlite('orders'), 'orders', queryLog, keptRows),
  };
  const memos = {
    crm: new SqliteResultMemo(paths.sqlite('crm')),
    catalog: new SqliteResultMemo(paths.sqlite('catalog')),
    orders: new SqliteResultMemo(paths.sqlite('orders')),
  };
  const orderStats = new SqliteOrderStats(paths.sqlite('orders'), queryLog, memos.orders);
  const reviews = await ReviewsSource.open(paths.reviews, queryLog);
  return guardSources(
    {
      crm: new CrmSource(clients.crm, keyed.crm, memos.crm),
      catalog: new CatalogSource(clients.catalog, keyed.catalog, memos.catalog),
      orders: new OrdersSource(clients.orders, 'sqlite', keyed.orders, orderStats, memos.orders),
      reviews,
      geography: GeographySource.open(paths.geography, queryLog),
      async close() {
        await Promise.all([clients.crm.$disconnect(), clients.catalog.$disconnect(), clients.orders.$disconnect()]);
        await Promise.all([keyed.crm.close(), keyed.catalog.close(), keyed.orders.close(), orderStats.close()]);
        await Promise.all(Object.values(memos).map((memo) => memo.close()));
      },
    },
    policies,
  );
}
