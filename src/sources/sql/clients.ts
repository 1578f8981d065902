import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as CrmPrismaClient } from '../../../generated/prisma/crm/client';
import { PrismaClient as CatalogPrismaClient } from '../../../generated/prisma/catalog/client';
import { PrismaClient as OrdersPrismaClient } from '../../../generated/prisma/orders/client';
import { PrismaClient as CrmPostgresClient } from '../../../generated/prisma/crm-postgresql/client';
import { PrismaClient as CatalogPostgresClient } from '../../../generated/prisma/catalog-postgresql/client';
import { PrismaClient as OrdersPostgresClient } from '../../../generated/prisma/orders-postgresql/client';
import { PrismaClient as CrmMysqlClient } from '../../../generated/prisma/crm-mysql/client';
import { PrismaClient as CatalogMysqlClient } from '../../../generated/prisma/catalog-mysql/client';
import { PrismaClient as OrdersMysqlClient } from '../../../generated/prisma/orders-mysql/client';
import type { SourceQueryLog } from '../query-log';
import { StatementCachingSqliteAdapter } from './statement-cache';

export type SqlSystem = 'crm' | 'catalog' | 'orders';
export const SQL_SYSTEMS: readonly SqlSystem[] = ['crm', 'catalog', 'orders'];

export type CrmClient = CrmPrismaClient<'query'>;
export type CatalogClient = CatalogPrismaClient<'query'>;
export type OrdersClient = OrdersPrismaClient<'query'>;

export interface SqlClients {
  crm: CrmClient;
  catalog: CatalogClient;
  orders: OrdersClient;
}

/** The subset of a Prisma client the migration runner and the seed need, whatever the system. */
export interface RawSqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $disconnect(): Promise<void>;
}

/** Prisma's $transaction is overloaded per client; this is the callback form the seed uses. */
export interface TransactionalSqlClient extends RawSqlClient {
  $transaction<R>(fn: (tx: RawSqlClient) => Promise<R>, options?: { timeout?: number }): Promise<R>;
}

/** The engines a SQL system can live on; each has its own generated client (scripts/prisma-generate.js). */
export type SqlProvider = 'sqlite' | 'postgresql' | 'mysql';
export const SQL_PROVIDERS: readonly SqlProvider[] = ['sqlite', 'postgresql', 'mysql'];

const CLIENT_CLASSES = { crm: CrmPrismaClient, catalog: CatalogPrismaClient, orders: OrdersPrismaClient };
const CLIENT_CLASSES_BY_PROVIDER = {
  sqlite: CLIENT_CLASSES,
  postgresql: { crm: CrmPostgresClient, catalog: CatalogPostgresClient, orders: OrdersPostgresClient },
  mysql: { crm: CrmMysqlClient, catalog: CatalogMysqlClient, orders: OrdersMysqlClient },
};

/**
 * Opens one system's SQLite file through Prisma's better-sqlite3 adapter, its prepared statements kept
 * between queries (./statement-cache.ts). Every SQL statement is recorded in `queryLog` under the system's name.
 */
export function openSqliteClient<S extends SqlSystem>(system: S, file: string, queryLog?: SourceQueryLog): SqlClients[S] {
  const adapter = new StatementCachingSqliteAdapter({ url: file });
  const ClientClass = CLIENT_CLASSES[system] as unknown as new (options: object) => SqlClients[S];
  const client = new ClientClass({ adapter, log: [{ emit: 'event', level: 'query' }] });
  if (queryLog) {
    (client as unknown as { $on(event: 'query', listener: () => void): void }).$on('query', () => queryLog.record(system));
  }
  return client;
}

export interface ServerSqlClientOptions {
  /** Pool size per system (default 5). */
  poolSize?: number;
}

/**
 * Opens one system on a database server: `postgresql://…` through @prisma/adapter-pg, `mysql://…` or
 * `mariadb://…` through @prisma/adapter-mariadb, each with the client generated for that provider.
 * The models are the same as the sqlite client's, so the result is typed as the sqlite client
 * (the sources never see which engine they talk to).
 */
export function openServerSqlClient<S extends SqlSystem>(
  system: S,
  provider: Exclude<SqlProvider, 'sqlite'>,
  url: string,
  queryLog?: SourceQueryLog,
  options: ServerSqlClientOptions = {},
): SqlClients[S] {
  const poolSize = options.poolSize ?? 5;
  const adapter = provider === 'postgresql' ? new PrismaPg({ connectionString: url, max: poolSize }) : new PrismaMariaDb(mariadbPoolConfig(url, poolSize));
  const ClientClass = CLIENT_CLASSES_BY_PROVIDER[provider][system] as unknown as new (options: object) => SqlClients[S];
  const client = new ClientClass({ adapter, log: [{ emit: 'event', level: 'query' }] });
  if (queryLog) {
    (client as unknown as { $on(event: 'query', listener: () => void): void }).$on('query', () => queryLog.record(system));
  }
  return client;
}

/** Opens one system on any provider: `location` is the SQLite file, or the server's connection URL. */
export function openSqlClient<S extends SqlSystem>(
  system: S,
  provider: SqlProvider,
  location: string,
  queryLog?: SourceQueryLog,
  options: ServerSqlClientOptions = {},
): SqlClients[S] {
  return provider === 'sqlite' ? openSqliteClient(system, location, queryLog) : openServerSqlClient(system, provider, location, queryLog, options);
}

/** mysql://user:password@host:port/database → the mariadb driver's pool config (the password URL-decoded). */
export function mariadbPoolConfig(url: string, connectionLimit: number) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error(`Expected a mysql:// or mariadb:// URL, got ${parsed.protocol}//…`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new Error('The MySQL/MariaDB URL names no database');
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
    database,
    connectionLimit,
  };
}
