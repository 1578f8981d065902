import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient as CrmPrismaClient } from '../../../generated/prisma/crm/client';
import { PrismaClient as CatalogPrismaClient } from '../../../generated/prisma/catalog/client';
import { PrismaClient as OrdersPrismaClient } from '../../../generated/prisma/orders/client';
import type { SourceQueryLog } from '../query-log';

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

const CLIENT_CLASSES = { crm: CrmPrismaClient, catalog: CatalogPrismaClient, orders: OrdersPrismaClient };

/**
 * Opens one system's SQLite file through Prisma's better-sqlite3 adapter.
 * Every SQL statement is recorded in `queryLog` under the system's name.
 */
export function openSqliteClient<S extends SqlSystem>(system: S, file: string, queryLog?: SourceQueryLog): SqlClients[S] {
  const adapter = new PrismaBetterSqlite3({ url: file });
  const ClientClass = CLIENT_CLASSES[system] as unknown as new (options: object) => SqlClients[S];
  const client = new ClientClass({ adapter, log: [{ emit: 'event', level: 'query' }] });
  if (queryLog) {
    (client as unknown as { $on(event: 'query', listener: () => void): void }).$on('query', () => queryLog.record(system));
  }
  return client;
}
