/** openEmbeddedSources and SourceQueryLog. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { configFromEnv } from '../../src/shared';
import { embeddedStorePaths, embeddedStoresExist, openEmbeddedSources, SourceQueryLog } from '../../src/sources';
import { olistOracle } from '../helpers/olist-oracle';

describe('openEmbeddedSources', () => {
  it('refuses a data folder that was never seeded', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-empty-'));
    try {
      expect(embeddedStoresExist(empty)).toBe(false);
      await expect(openEmbeddedSources(empty)).rejects.toThrow(/run the seed command/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('opens the seeded stores: one SQLite file per system, the review and geography files', async () => {
    const dataDir = configFromEnv().dataDir;
    const paths = embeddedStorePaths(dataDir);
    for (const file of [paths.sqlite('crm'), paths.sqlite('catalog'), paths.sqlite('orders'), paths.reviews, paths.geography, paths.manifest]) {
      expect(fs.existsSync(file)).toBe(true);
    }
    const log = new SourceQueryLog();
    const sources = await openEmbeddedSources(dataDir, log);
    try {
      const oracle = olistOracle();
      const customer = oracle.customers()[0];
      const [account] = await sources.crm.accountsByIds([customer.customerId]);
      expect(account?.customerUniqueId).toBe(customer.personId);
      expect(log.snapshot()).toEqual({ crm: 1 });
    } finally {
      await sources.close();
    }
  });
});

describe('counts, statistics and rows kept until their store changes', () => {
  let copy: string;
  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-kept-'));
    fs.cpSync(configFromEnv().dataDir, copy, { recursive: true, filter: (source) => !source.endsWith('.bin') });
  }, 60_000);
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('answers a repeated count, statistic or by-key read without reading the store, and reads it again after a write', async () => {
    const log = new SourceQueryLog();
    const sources = await openEmbeddedSources(copy, log);
    const paths = embeddedStorePaths(copy);
    const orders = new Database(paths.sqlite('orders'));
    const crm = new Database(paths.sqlite('crm'));
    const catalog = new Database(paths.sqlite('catalog'));
    try {
      const accounts = new Map((await sources.crm.allAccounts()).map((a) => [a.customerId, { personId: a.customerUniqueId, state: a.state }]));
      const byStatus = {
        groupBy: ['status' as const],
        filter: {},
        measures: { items: false, payments: false, delivery: false, persons: true, reviews: false },
      };
      const read = async () => ({
        delivered: await sources.orders.countOrders({ status: 'delivered' }),
        listed: await sources.orders.countOrderList({ status: 'delivered' }),
        persons: await sources.crm.countPersons('SP'),
        products: await sources.catalog.countProducts(['beleza_saude']),
        stats: (await sources.orders.orderStatsWithLookups(byStatus, { accounts })).map((row) => [row.keys[0], row.orders]),
        // Ids that do not exist yet: the kept rows must forget that they were absent once they are written.
        newOrder: (await sources.orders.ordersByIds(['f'.repeat(32)]))[0]?.orderId ?? null,
        newAccount: (await sources.crm.accountsByIds(['e'.repeat(32)]))[0]?.customerId ?? null,
        newProduct: (await sources.catalog.productsByIds(['d'.repeat(32)]))[0]?.productId ?? null,
      });
      const before = await read();
      expect(before.listed).toBe(before.delivered);
      expect([before.newOrder, before.newAccount, before.newProduct]).toEqual([null, null, null]);
      log.reset();
      expect(await read()).toEqual(before);
      expect(log.count()).toBe(0);

      const order = orders.prepare("SELECT * FROM orders WHERE order_status = 'delivered' LIMIT 1").get() as Record<string, unknown>;
      const columns = Object.keys(order);
      orders
        .prepare(`INSERT INTO orders (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
        .run(...columns.map((column) => (column === 'order_id' ? 'f'.repeat(32) : order[column])));
      const customer = crm.prepare("SELECT * FROM customers WHERE customer_state = 'SP' LIMIT 1").get() as Record<string, unknown>;
      const customerColumns = Object.keys(customer);
      crm
        .prepare(`INSERT INTO customers (${customerColumns.join(', ')}) VALUES (${customerColumns.map(() => '?').join(', ')})`)
        .run(...customerColumns.map((column) => (column === 'customer_id' || column === 'customer_unique_id' ? 'e'.repeat(32) : customer[column])));
      const product = catalog.prepare("SELECT * FROM products WHERE product_category_name = 'beleza_saude' LIMIT 1").get() as Record<string, unknown>;
      const productColumns = Object.keys(product);
      catalog
        .prepare(`INSERT INTO products (${productColumns.join(', ')}) VALUES (${productColumns.map(() => '?').join(', ')})`)
        .run(...productColumns.map((column) => (column === 'product_id' ? 'd'.repeat(32) : product[column])));

      const after = await read();
      expect(after).toEqual({
        delivered: before.delivered + 1,
        listed: before.listed + 1,
        persons: before.persons + 1,
        products: before.products + 1,
        stats: before.stats.map(([status, n]) => [status, status === 'delivered' ? (n as number) + 1 : n]),
        newOrder: 'f'.repeat(32),
        newAccount: 'e'.repeat(32),
        newProduct: 'd'.repeat(32),
      });
      expect(log.count()).toBeGreaterThan(0);
    } finally {
      orders.close();
      crm.close();
      catalog.close();
      await sources.close();
    }
  }, 120_000);
});

describe('SourceQueryLog', () => {
  it('counts per source and in total, and resets', () => {
    const log = new SourceQueryLog();
    expect(log.count()).toBe(0);
    log.record('crm');
    log.record('crm');
    log.record('orders');
    expect(log.count('crm')).toBe(2);
    expect(log.count('catalog')).toBe(0);
    expect(log.count()).toBe(3);
    expect(log.snapshot()).toEqual({ crm: 2, orders: 1 });
    log.reset();
    expect(log.snapshot()).toEqual({});
  });
});
