/**
 * Throwaway databases on real PostgreSQL and MariaDB servers (CI starts them): created with a unique name per
 * test file, dropped at the end. Admin URLs from FUSION_TEST_PG_URL and FUSION_TEST_MYSQL_URL (test-services.ts);
 * only call this inside a describeWithServices block.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { SourcesConfig } from '../../src/config/fusion-config';
import { embeddedSourcesConfig } from '../../src/config/fusion-config';
import { openServerSqlClient, SQL_SYSTEMS, type SqlSystem } from '../../src/sources';
import { serviceUrl } from './test-services';

export type ServerProvider = 'postgresql' | 'mysql';

export interface ThrowawayDatabases {
  /** The URL of each system's database on `provider`. */
  url(provider: ServerProvider, system: SqlSystem): string;
  drop(): Promise<void>;
}

function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates one database per SQL system on each provider asked for, named fgt_<tag>_<random>_<system>. */
export async function createThrowawayDatabases(tag: string, providers: readonly ServerProvider[]): Promise<ThrowawayDatabases> {
  const stem = `fgt_${tag}_${crypto.randomBytes(4).toString('hex')}`;
  const name = (system: SqlSystem) => `${stem}_${system}`;
  const admin = {
    postgresql: () => openServerSqlClient('crm', 'postgresql', serviceUrl('postgresql'), undefined, { poolSize: 1 }),
    mysql: () => openServerSqlClient('crm', 'mysql', serviceUrl('mysql'), undefined, { poolSize: 1 }),
  };
  for (const provider of providers) {
    const client = admin[provider]();
    try {
      for (const system of SQL_SYSTEMS) {
        await client.$executeRawUnsafe(
          provider === 'postgresql'
            ? `CREATE DATABASE ${name(system)} TEMPLATE template0 ENCODING 'UTF8'`
            : `CREATE DATABASE ${name(system)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        );
      }
    } finally {
      await client.$disconnect();
    }
  }
  return {
    url: (provider, system) => withDatabase(serviceUrl(provider), name(system)),
    async drop() {
      for (const provider of providers) {
        const client = admin[provider]();
        try {
          for (const system of SQL_SYSTEMS) {
            await client.$executeRawUnsafe(
              provider === 'postgresql' ? `DROP DATABASE IF EXISTS ${name(system)} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name(system)}`,
            );
          }
        } finally {
          await client.$disconnect();
        }
      }
    },
  };
}

/** A config with every SQL system on `provider` (or the layout a real shop runs: CRM and orders on PostgreSQL, catalog on MariaDB). */
export function serverSourcesConfig(
  databases: ThrowawayDatabases,
  dataDir: string,
  layout: ServerProvider | 'shop',
  extra: Partial<Pick<SourcesConfig, 'cache'>> & { reviewsUrl?: string } = {},
): SourcesConfig {
  const base = embeddedSourcesConfig(dataDir);
  const providerOf = (system: SqlSystem): ServerProvider => (layout === 'shop' ? (system === 'catalog' ? 'mysql' : 'postgresql') : layout);
  const sql = (system: SqlSystem) => ({ kind: 'prisma' as const, provider: providerOf(system), url: databases.url(providerOf(system), system), poolSize: 3 });
  return {
    origin: { kind: 'file', file: path.join(dataDir, `(test ${layout})`) },
    dataDir,
    sources: {
      ...base.sources,
      crm: sql('crm'),
      catalog: sql('catalog'),
      orders: sql('orders'),
      ...(extra.reviewsUrl
        ? { reviews: { kind: 'rest' as const, baseUrl: extra.reviewsUrl, timeoutMs: 2000, retries: 3, backoffMs: 50, batchSize: 200 } }
        : {}),
    },
    ...(extra.cache ? { cache: extra.cache } : {}),
  };
}
