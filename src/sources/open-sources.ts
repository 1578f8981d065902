import fs from 'node:fs';
import { redactUrl, type PrismaSourceConfig, type SourcesConfig } from '../config/fusion-config';
import { RedisEntityCache } from './cache/entity-cache';
import { CatalogSource, type CatalogModels } from './catalog/catalog.source';
import { CrmSource, type CrmModels } from './crm/crm.source';
import { openEmbeddedSources } from './embedded';
import type { Sources } from './sources';
import { GeographySource } from './geography/geography.source';
import { SqliteOrderStats } from './orders/sqlite-order-stats';
import { OrdersSource, type OrdersModels } from './orders/orders.source';
import type { SourceQueryLog } from './query-log';
import { RestReviewsSource } from './reviews/rest-reviews.source';
import { ReviewsSource, type ReviewsReader } from './reviews/reviews.source';
import { openSqlClient, prismaKeyedReads, SqliteKeyedReads, type KeyedReads, type SqlClients, type SqlSystem } from './sql';
import { resilienceOf } from '../config/settings';
import { guardSources, policyForRestReviews } from './resilience/guard-sources';

/**
 * Opens every source as the configuration says (see src/config): the embedded default when there is
 * no config file, otherwise each SQL system on its engine, reviews from JSONL or the review service,
 * geography from its CSV, and the Redis entity cache in front of the by-id lookups when configured.
 */
export async function openSources(config: SourcesConfig, queryLog?: SourceQueryLog): Promise<Sources> {
  if (config.origin.kind === 'embedded' && !config.cache) return openEmbeddedSources(config.dataDir, queryLog, config.resilience, config.keptRows);
  const opened: { close(): Promise<void> }[] = [];
  try {
    const sql = <S extends SqlSystem>(system: S): SqlClients[S] => {
      const source = config.sources[system];
      if (source.provider === 'sqlite' && !fs.existsSync(source.url)) {
        throw new Error(`sources.${system}: no SQLite file at ${source.url}: run the seed command first`);
      }
      const client = openSqlClient(system, source.provider, source.url, queryLog, { poolSize: source.poolSize });
      opened.push({ close: () => client.$disconnect() });
      return client;
    };
    // The by-key batches read a SQLite file directly (./sql/keyed-reads.ts), a server through its Prisma client.
    const keyedReads = <S extends SqlSystem, Models extends object>(system: S, client: SqlClients[S]): KeyedReads<Models> => {
      const source = config.sources[system];
      if (source.provider !== 'sqlite') return prismaKeyedReads<Models>(client);
      const reads = new SqliteKeyedReads<Models>(client, source.url, system, queryLog, config.keptRows);
      opened.push(reads);
      return reads;
    };
    const crmClient = sql('crm');
    const catalogClient = sql('catalog');
    const ordersClient = sql('orders');
    const crm = new CrmSource(crmClient, keyedReads<'crm', CrmModels>('crm', crmClient));
    const catalog = new CatalogSource(catalogClient, keyedReads<'catalog', CatalogModels>('catalog', catalogClient));
    const ordersSource = config.sources.orders;
    const lookupStats = ordersSource.provider === 'sqlite' ? new SqliteOrderStats(ordersSource.url, queryLog) : undefined;
    if (lookupStats) opened.push(lookupStats);
    const orders = new OrdersSource(ordersClient, ordersSource.provider, keyedReads<'orders', OrdersModels>('orders', ordersClient), lookupStats);
    const reviewsConfig = config.sources.reviews;
    const policies = resilienceOf(config);
    const reviews: ReviewsReader =
      reviewsConfig.kind === 'jsonl' ? await ReviewsSource.open(reviewsConfig.file, queryLog) : await RestReviewsSource.open(reviewsConfig, queryLog);
    const geography = GeographySource.open(config.sources.geography.file, queryLog);
    const cache = config.cache ? await RedisEntityCache.connect(config.cache) : undefined;
    if (cache) opened.push(cache);
    const sources: Sources = guardSources(
      {
        crm,
        catalog,
        orders,
        reviews,
        geography,
        cache,
        backends: describeBackends(config),
        async close() {
          await Promise.all(opened.map((resource) => resource.close()));
        },
      },
      reviewsConfig.kind === 'rest' ? { ...policies, reviews: policyForRestReviews(policies.reviews, reviewsConfig) } : policies,
    );
    return cache ? withEntityCache(sources, cache) : sources;
  } catch (error) {
    await Promise.allSettled(opened.map((resource) => resource.close()));
    throw error;
  }
}

/**
 * The same sources with the by-id lookups (accounts, products, sellers, orders) read through the cache.
 * Each wrapped connector inherits from the original, so every other method and field is untouched.
 */
export function withEntityCache(sources: Sources, cache: RedisEntityCache): Sources {
  const crm: CrmSource = Object.create(sources.crm);
  crm.accountsByIds = (ids) => cache.readThrough('account', ids, (missing) => sources.crm.accountsByIds(missing));
  const catalog: CatalogSource = Object.create(sources.catalog);
  catalog.productsByIds = (ids) => cache.readThrough('product', ids, (missing) => sources.catalog.productsByIds(missing));
  catalog.sellersByIds = (ids) => cache.readThrough('seller', ids, (missing) => sources.catalog.sellersByIds(missing));
  const orders: OrdersSource = Object.create(sources.orders);
  orders.ordersByIds = (ids) => cache.readThrough('order', ids, (missing) => sources.orders.ordersByIds(missing));
  return { ...sources, crm, catalog, orders, cache };
}

function describeBackends(config: SourcesConfig): Record<string, string> {
  const sql = (source: PrismaSourceConfig) => (source.provider === 'sqlite' ? `sqlite ${source.url}` : `${source.provider} ${redactUrl(source.url)}`);
  const reviews = config.sources.reviews;
  return {
    crm: sql(config.sources.crm),
    catalog: sql(config.sources.catalog),
    orders: sql(config.sources.orders),
    reviews: reviews.kind === 'jsonl' ? `jsonl ${reviews.file}` : `rest ${reviews.baseUrl}`,
    geography: `csv ${config.sources.geography.file}`,
    ...(config.cache ? { cache: `redis ${redactUrl(config.cache.url)} ttl ${config.cache.ttlSeconds}s` } : {}),
  };
}

/** What /readyz shows about the sources: each guarded source's health, the back-ends and the cache's hit ratio. */
export function sourcesStatus(sources: Sources): Record<string, unknown> {
  return {
    ...(sources.health ? { sources: sources.health() } : {}),
    ...(sources.backends ? { backends: sources.backends } : {}),
    ...(sources.cache ? { entityCache: sources.cache.stats() } : {}),
  };
}
