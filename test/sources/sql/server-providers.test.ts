/**
 * The per-provider Prisma clients and SQL migrations on the real servers: the same cut of the dataset is
 * loaded into SQLite, PostgreSQL and MariaDB (throwaway databases), and every connector method must answer
 * the same records in the same order on all three, paging included (binary text ordering everywhere).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SourcesConfig } from '../../../src/config/fusion-config';
import { seedConfiguredStores, seedEmbeddedStores } from '../../../src/seed';
import {
  applyMigrations,
  bulkInsert,
  migrationFiles,
  openEmbeddedSources,
  openServerSqlClient,
  openSources,
  openSqlClient,
  placeholderStyle,
  placeholders,
  SQL_SYSTEMS,
  type Sources,
} from '../../../src/sources';
import { writeMiniDataset } from '../../helpers/mini-dataset';
import { createThrowawayDatabases, serverSourcesConfig, type ServerProvider, type ThrowawayDatabases } from '../../helpers/throwaway-databases';
import { describeWithServices } from '../../helpers/test-services';

describeWithServices(['postgresql', 'mysql'], 'the SQL connectors on PostgreSQL and MariaDB', () => {
  const PROVIDERS: ServerProvider[] = ['postgresql', 'mysql'];
  let datasetDir: string;
  let dataDir: string;
  let databases: ThrowawayDatabases;
  const configs = {} as Record<ServerProvider, SourcesConfig>;
  let sqlite: Sources;
  const servers = {} as Record<ServerProvider, Sources>;

  beforeAll(async () => {
    datasetDir = writeMiniDataset(fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-dataset-cut-')), { rows: 1500 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-providers-'));
    await seedEmbeddedStores({ datasetDir, dataDir });
    databases = await createThrowawayDatabases('prov', PROVIDERS);
    for (const provider of PROVIDERS) {
      configs[provider] = serverSourcesConfig(databases, dataDir, provider);
      const report = await seedConfiguredStores(configs[provider], { datasetDir });
      expect(report.tables.every((table) => !table.skipped && table.written === table.read)).toBe(true);
      servers[provider] = await openSources(configs[provider]);
    }
    sqlite = await openEmbeddedSources(dataDir);
  }, 180_000);

  afterAll(async () => {
    await sqlite?.close();
    for (const provider of PROVIDERS) await servers[provider]?.close();
    await databases?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(datasetDir, { recursive: true, force: true });
  });

  /** Runs `call` on the SQLite sources and on each server's, and requires equal answers. */
  async function sameOnEveryEngine<T>(label: string, call: (sources: Sources) => Promise<T>): Promise<T> {
    const expected = await call(sqlite);
    for (const provider of PROVIDERS) expect({ label, provider, answer: await call(servers[provider]) }).toEqual({ label, provider, answer: expected });
    return expected;
  }

  const byJson = <T>(rows: T[]) => rows.map((row) => JSON.stringify(row)).sort();

  describe('migrations on PostgreSQL and MariaDB', () => {
    test('every provider has the same migration names as sqlite', () => {
      for (const system of SQL_SYSTEMS) {
        const names = (provider: 'sqlite' | ServerProvider) => migrationFiles(system, provider).map((file) => path.basename(file));
        for (const provider of PROVIDERS) expect(names(provider)).toEqual(names('sqlite'));
      }
    });

    test('the ledger records what ran; a second run applies nothing; an edited migration is refused', async () => {
      for (const provider of PROVIDERS) {
        const client = openServerSqlClient('catalog', provider, configs[provider].sources.catalog.url);
        try {
          const ledger = await client.$queryRawUnsafe<{ name: string; checksum: string }[]>('SELECT name, checksum FROM _fusion_migrations');
          expect(ledger.map((row) => row.name)).toEqual(['0001_init.sql']);
          expect(ledger[0].checksum).toMatch(/^[0-9a-f]{64}$/);
          expect(await applyMigrations(client, 'catalog', provider)).toEqual([]);
          await client.$executeRawUnsafe("UPDATE _fusion_migrations SET checksum = 'edited' WHERE name = '0001_init.sql'");
          await expect(applyMigrations(client, 'catalog', provider)).rejects.toThrow(
            `Migration catalog/${provider}/0001_init.sql was edited after it was applied`,
          );
          await client.$executeRawUnsafe(`UPDATE _fusion_migrations SET checksum = '${ledger[0].checksum}' WHERE name = '0001_init.sql'`);
        } finally {
          await client.$disconnect();
        }
      }
    });

    test('the seed leaves planner statistics behind: a freshly loaded PostgreSQL table is analysed, not guessed', async () => {
      for (const system of ['crm', 'orders'] as const) {
        const client = openServerSqlClient(system, 'postgresql', configs.postgresql.sources[system].url);
        try {
          const tables = await client.$queryRawUnsafe<{ relname: string; last_analyze: Date | null }[]>(
            `SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname <> '_fusion_migrations' ORDER BY relname`,
          );
          expect(tables.length).toBeGreaterThan(0);
          for (const table of tables) expect({ table: table.relname, analysed: table.last_analyze !== null }).toEqual({ table: table.relname, analysed: true });
        } finally {
          await client.$disconnect();
        }
      }
    });

    test('a re-seed leaves tables that already hold the files alone', async () => {
      const report = await seedConfiguredStores(configs.postgresql, { datasetDir });
      expect(report.tables.map((table) => table.skipped)).toEqual(report.tables.map(() => true));
    });

    test('placeholders: ? for SQLite and MySQL, $n for PostgreSQL', () => {
      expect(placeholders('question', 3)).toEqual(['?', '?', '?']);
      expect(placeholders('dollar', 3, 4)).toEqual(['$4', '$5', '$6']);
    });
  });

  describe('the connectors answer identically on SQLite, PostgreSQL and MariaDB', () => {
    test('CRM: accounts by id and person, person pages by state, counts', async () => {
      const all = await sameOnEveryEngine('allAccounts', async (s) => byJson(await s.crm.allAccounts()));
      expect(all.length).toBe(1500);
      const accounts = (await sqlite.crm.allAccounts()).slice(0, 40);
      const ids = [...accounts.map((a) => a.customerId), 'f'.repeat(32), accounts[0].customerId];
      await sameOnEveryEngine('accountsByIds', (s) => s.crm.accountsByIds(ids));
      await sameOnEveryEngine('accountsByPersonIds', (s) => s.crm.accountsByPersonIds(accounts.map((a) => a.customerUniqueId)));
      for (const state of [undefined, 'SP', 'RJ', 'ZZ']) {
        await sameOnEveryEngine(`countPersons ${state}`, (s) => s.crm.countPersons(state));
        await sameOnEveryEngine(`personIdsPage ${state}`, async (s) => {
          const pages: string[][] = [];
          let afterPersonId: string | undefined;
          for (;;) {
            const page = await s.crm.personIdsPage({ state, afterPersonId, limit: 97 });
            if (page.length === 0) return pages;
            pages.push(page);
            afterPersonId = page[page.length - 1];
          }
        });
      }
    });

    test('catalog: products and sellers by id, pages by category, counts, translations', async () => {
      await sameOnEveryEngine('allProducts', async (s) => byJson(await s.catalog.allProducts()));
      await sameOnEveryEngine('allSellers', async (s) => byJson(await s.catalog.allSellers()));
      await sameOnEveryEngine('categoryTranslations', (s) => s.catalog.categoryTranslations());
      const products = (await sqlite.catalog.allProducts()).slice(0, 30);
      await sameOnEveryEngine('productsByIds', (s) => s.catalog.productsByIds([...products.map((p) => p.productId), 'f'.repeat(32)]));
      const sellers = (await sqlite.catalog.allSellers()).slice(0, 30);
      await sameOnEveryEngine('sellersByIds', (s) => s.catalog.sellersByIds(sellers.map((p) => p.sellerId)));
      for (const categoryNames of [undefined, ['beleza_saude', 'esporte_lazer'], ['no_such_category']]) {
        await sameOnEveryEngine(`countProducts ${categoryNames}`, (s) => s.catalog.countProducts(categoryNames));
        await sameOnEveryEngine(`productsPage ${categoryNames}`, async (s) => {
          const pages: string[][] = [];
          let afterProductId: string | undefined;
          for (;;) {
            const page = await s.catalog.productsPage({ categoryNames, afterProductId, limit: 113 });
            if (page.length === 0) return pages;
            pages.push(page.map((p) => p.productId));
            afterProductId = page[page.length - 1].productId;
          }
        });
      }
    });

    test('orders: keyset pages by purchase time, filters, counts, items, payments, seller products', async () => {
      await sameOnEveryEngine('allOrders', async (s) => byJson(await s.orders.allOrders()));
      await sameOnEveryEngine('allItems', async (s) => byJson(await s.orders.allItems()));
      await sameOnEveryEngine('allPayments', async (s) => byJson(await s.orders.allPayments()));
      for (const filter of [
        {},
        { status: 'delivered' },
        { purchasedFrom: '2017-06-01 00:00:00', purchasedTo: '2018-01-31 23:59:59' },
        { status: 'canceled' },
      ]) {
        await sameOnEveryEngine(`countOrders ${JSON.stringify(filter)}`, (s) => s.orders.countOrders(filter));
        await sameOnEveryEngine(`ordersPage ${JSON.stringify(filter)}`, async (s) => {
          const pages: string[][] = [];
          let after: { purchaseTimestamp: string; orderId: string } | undefined;
          for (;;) {
            const page = await s.orders.ordersPage({ ...filter, after, limit: 89 });
            if (page.length === 0) return pages;
            pages.push(page.map((o) => o.orderId));
            const last = page[page.length - 1];
            after = { purchaseTimestamp: last.purchaseTimestamp, orderId: last.orderId };
          }
        });
      }
      const orders = (await sqlite.orders.allOrders()).slice(0, 60);
      const orderIds = [...orders.map((o) => o.orderId), 'f'.repeat(32)];
      await sameOnEveryEngine('ordersByIds', (s) => s.orders.ordersByIds(orderIds));
      await sameOnEveryEngine('ordersByCustomerIds', (s) => s.orders.ordersByCustomerIds(orders.map((o) => o.customerId)));
      await sameOnEveryEngine('itemsByOrderIds', (s) => s.orders.itemsByOrderIds(orderIds));
      await sameOnEveryEngine('paymentsByOrderIds', (s) => s.orders.paymentsByOrderIds(orderIds));
      const items = (await sqlite.orders.allItems()).slice(0, 60);
      await sameOnEveryEngine('itemsByProductIds', (s) => s.orders.itemsByProductIds(items.map((i) => i.productId)));
      await sameOnEveryEngine('productIdsBySellerIds', (s) => s.orders.productIdsBySellerIds(items.map((i) => i.sellerId)));
    });

    test('text orders byte-wise everywhere (upper case before lower, as SQLite), money keeps every digit', async () => {
      const rows = [
        ['Zeta_test', 'Zeta'],
        ['alpha_test', 'alpha'],
        ['_under_test', 'under'],
        ['ação_test', 'accent'],
      ];
      for (const provider of ['sqlite', ...PROVIDERS] as const) {
        const client = openSqlClient('catalog', provider, provider === 'sqlite' ? path.join(dataDir, 'catalog.db') : configs[provider].sources.catalog.url);
        try {
          await bulkInsert(client, 'category_translations', ['product_category_name', 'product_category_name_english'], rows, {
            placeholders: placeholderStyle(provider),
          });
        } finally {
          await client.$disconnect();
        }
      }
      const names = await sameOnEveryEngine('categoryTranslations with mixed case', async (s) =>
        (await s.catalog.categoryTranslations()).map((row) => row.categoryName),
      );
      expect(names.indexOf('Zeta_test')).toBeLessThan(names.indexOf('_under_test'));
      expect(names.indexOf('_under_test')).toBeLessThan(names.indexOf('alpha_test'));
      // Byte-wise: 'ç' (UTF-8 0xC3…) after every ASCII letter, so 'ação' after 'alpha' and after 'aqu…'.
      expect(names.indexOf('alpha_test')).toBeLessThan(names.indexOf('ação_test'));
      expect(names.filter((name) => name.startsWith('a') && name > 'ação_test')).toEqual([]);
      // Prices round-trip as the same doubles (DOUBLE PRECISION / DOUBLE, like SQLite's REAL).
      await sameOnEveryEngine('item prices', async (s) => (await s.orders.allItems()).map((i) => [i.orderId, i.orderItemId, i.price, i.freightValue]).sort());
    });
  });
});
