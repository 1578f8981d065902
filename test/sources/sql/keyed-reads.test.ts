/**
 * Keyed reads (src/sources/sql/keyed-reads.ts): on the seeded SQLite stores, the direct reads answer every
 * by-key batch the connectors make exactly as the Prisma client does (same rows, same order, same field
 * names and value types), for batches of one key, many keys, unknown and repeated keys and none; each
 * batch is one statement in the query log; a model or field the schema lacks is a clear error. Then the
 * rows kept between batches: on a copy of the orders store, a batch read again runs no statement and answers
 * the same rows, a commit by another connection (or process) makes the next batch read the file again, a
 * batch mixing kept and new keys reads only the new ones, kept rows cannot be changed, and the bound holds.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { configFromEnv } from '../../../src/shared';
import {
  embeddedStorePaths,
  openSqliteClient,
  prismaKeyedReads,
  SourceQueryLog,
  SqliteKeyedReads,
  type CatalogModels,
  type CrmModels,
  type KeyedReads,
  type OrdersModels,
  type SqlClients,
  type SqlSystem,
} from '../../../src/sources';
import { UNKNOWN_ID } from '../../helpers/seeded-sources';

const file = (system: SqlSystem) => embeddedStorePaths(configFromEnv().dataDir).sqlite(system);

/** Every n-th value of a column, so the sample spans the whole table (nothing hand-picked). */
async function spread(client: SqlClients[SqlSystem], sql: string, take: number): Promise<string[]> {
  const rows = await client.$queryRawUnsafe<{ key: string }[]>(sql);
  const step = Math.max(1, Math.floor(rows.length / take));
  return rows.filter((_, index) => index % step === 0).map((row) => row.key);
}

/** Batches of the shapes DataLoader sends: one key, several, with an unknown and a repeated key, none. */
function batchesOf(keys: string[]): string[][] {
  return [[keys[0]], keys.slice(0, 7), [...keys.slice(0, 3), UNKNOWN_ID, keys[1]], keys, []];
}

describe('SqliteKeyedReads against the Prisma client', () => {
  const log = new SourceQueryLog();
  const clients = {} as SqlClients;
  const direct = {} as { crm: KeyedReads<CrmModels>; catalog: KeyedReads<CatalogModels>; orders: KeyedReads<OrdersModels> };
  const prisma = {} as typeof direct;

  beforeAll(() => {
    clients.crm = openSqliteClient('crm', file('crm'));
    clients.catalog = openSqliteClient('catalog', file('catalog'));
    clients.orders = openSqliteClient('orders', file('orders'));
    // Nothing kept here: every batch must be read from the file to be compared with Prisma's answer.
    direct.crm = new SqliteKeyedReads<CrmModels>(clients.crm, file('crm'), 'crm', log, 0);
    direct.catalog = new SqliteKeyedReads<CatalogModels>(clients.catalog, file('catalog'), 'catalog', log, 0);
    direct.orders = new SqliteKeyedReads<OrdersModels>(clients.orders, file('orders'), 'orders', log, 0);
    prisma.crm = prismaKeyedReads<CrmModels>(clients.crm);
    prisma.catalog = prismaKeyedReads<CatalogModels>(clients.catalog);
    prisma.orders = prismaKeyedReads<OrdersModels>(clients.orders);
  });

  afterAll(async () => {
    await Promise.all([direct.crm.close(), direct.catalog.close(), direct.orders.close()]);
    await Promise.all([clients.crm.$disconnect(), clients.catalog.$disconnect(), clients.orders.$disconnect()]);
  });

  async function expectSameBatches<Models extends object, M extends keyof Models & string>(
    system: 'crm' | 'catalog' | 'orders',
    model: M,
    key: keyof Models[M] & string,
    keys: string[],
    orderBy?: (keyof Models[M] & string)[],
  ): Promise<number> {
    const mine = direct[system] as unknown as KeyedReads<Models>;
    const theirs = prisma[system] as unknown as KeyedReads<Models>;
    let rows = 0;
    for (const batch of batchesOf(keys)) {
      const expected = await theirs.rowsWhereIn(model, key, batch, orderBy);
      log.reset();
      const actual = await mine.rowsWhereIn(model, key, batch, orderBy);
      expect(log.snapshot()).toEqual({ [system]: 1 });
      // Without an order the connectors align rows by key, so only the set of rows must match.
      const canonical = (list: unknown[]) => (orderBy ? list : [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
      expect(canonical(actual)).toEqual(canonical(expected));
      for (const [index, row] of actual.entries()) expect(Object.keys(row as object)).toEqual(Object.keys(expected[index] as object));
      rows += actual.length;
    }
    return rows;
  }

  it('reads accounts by id and by person, as the CRM connector asks', async () => {
    const ids = await spread(clients.crm, 'SELECT customer_id AS key FROM customers ORDER BY customer_id', 60);
    const persons = await spread(
      clients.crm,
      'SELECT customer_unique_id AS key FROM customers GROUP BY customer_unique_id ORDER BY COUNT(*) DESC, customer_unique_id',
      60,
    );
    expect(await expectSameBatches<CrmModels, 'Customer'>('crm', 'Customer', 'customerId', ids)).toBeGreaterThan(60);
    expect(await expectSameBatches<CrmModels, 'Customer'>('crm', 'Customer', 'customerUniqueId', persons, ['customerId'])).toBeGreaterThan(60);
  });

  it('reads products (nullable text and numbers) and sellers by id', async () => {
    const products = await spread(clients.catalog, 'SELECT product_id AS key FROM products ORDER BY product_category_name IS NULL DESC, product_id', 80);
    const sellers = await spread(clients.catalog, 'SELECT seller_id AS key FROM sellers ORDER BY seller_id', 40);
    expect(await expectSameBatches<CatalogModels, 'Product'>('catalog', 'Product', 'productId', products)).toBeGreaterThan(80);
    expect(await expectSameBatches<CatalogModels, 'Seller'>('catalog', 'Seller', 'sellerId', sellers)).toBeGreaterThan(40);
  });

  it('reads orders, their items and payments in the orders the connector asks for', async () => {
    const orders = await spread(clients.orders, 'SELECT order_id AS key FROM orders ORDER BY order_status, order_id', 80);
    const customers = await spread(clients.orders, 'SELECT customer_id AS key FROM orders ORDER BY customer_id', 60);
    const products = await spread(clients.orders, 'SELECT product_id AS key FROM order_items GROUP BY product_id ORDER BY COUNT(*) DESC', 30);
    expect(await expectSameBatches<OrdersModels, 'Order'>('orders', 'Order', 'orderId', orders)).toBeGreaterThan(80);
    expect(await expectSameBatches<OrdersModels, 'Order'>('orders', 'Order', 'customerId', customers, ['purchaseTimestamp', 'orderId'])).toBeGreaterThan(60);
    expect(await expectSameBatches<OrdersModels, 'OrderItem'>('orders', 'OrderItem', 'orderId', orders, ['orderId', 'orderItemId'])).toBeGreaterThan(80);
    expect(await expectSameBatches<OrdersModels, 'OrderItem'>('orders', 'OrderItem', 'productId', products, ['orderId', 'orderItemId'])).toBeGreaterThan(300);
    expect(
      await expectSameBatches<OrdersModels, 'OrderPayment'>('orders', 'OrderPayment', 'orderId', orders, ['orderId', 'paymentSequential']),
    ).toBeGreaterThan(80);
  });

  it('names the model or field the schema lacks', async () => {
    const reads = direct.orders as unknown as KeyedReads<Record<string, Record<string, unknown>>>;
    await expect(reads.rowsWhereIn('Shipment', 'id', ['x'])).rejects.toThrow('The orders schema has no model Shipment');
    await expect(reads.rowsWhereIn('Order', 'trackingCode', ['x'])).rejects.toThrow('Order has no scalar field trackingCode');
  });

  it('refuses a model whose column types it would not return as Prisma does, and a client without a data model', () => {
    const dated = {
      _runtimeDataModel: {
        models: { Event: { dbName: 'orders', fields: [{ name: 'at', kind: 'scalar', type: 'DateTime', dbName: 'order_purchase_timestamp' }] } },
      },
    };
    const reads = new SqliteKeyedReads<{ Event: { at: Date } }>(dated, file('orders'), 'orders');
    return Promise.all([
      expect(reads.rowsWhereIn('Event', 'at', ['x'])).rejects.toThrow(
        'Event: keyed reads return String, Int and Float columns as Prisma does; at (DateTime) would differ',
      ),
      expect(() => new SqliteKeyedReads({}, file('orders'), 'orders')).toThrow('no runtime data model'),
    ]).finally(() => reads.close());
  });
});

describe('SqliteKeyedReads keeping rows until the file changes', () => {
  let directory: string;
  let copy: string;
  let client: SqlClients['orders'];
  let plain: KeyedReads<OrdersModels>;
  let orderIds: string[];

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-kept-rows-'));
    copy = path.join(directory, 'orders.db');
    const source = new Database(file('orders'), { readonly: true });
    await source.backup(copy);
    source.close();
    client = openSqliteClient('orders', copy);
    plain = new SqliteKeyedReads<OrdersModels>(client, copy, 'orders', undefined, 0);
    orderIds = await spread(client, 'SELECT order_id AS key FROM orders ORDER BY order_id', 20);
  });

  afterAll(async () => {
    await plain.close();
    await client.$disconnect();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  /** Kept reads over the copy, closed after `run`; `statements()` counts what reached the file. */
  async function withKept(maxRows: number, run: (kept: KeyedReads<OrdersModels>, statements: () => number) => Promise<void>): Promise<void> {
    const log = new SourceQueryLog();
    const kept = new SqliteKeyedReads<OrdersModels>(client, copy, 'orders', log, maxRows);
    try {
      await run(kept, () => log.count('orders'));
    } finally {
      await kept.close();
    }
  }

  /** Rows grouped by their key, each group in its own order: what the connectors align to their keys. */
  const byKey = (rows: { orderId: string }[]) => {
    const groups = new Map<string, unknown[]>();
    for (const row of rows) groups.set(row.orderId, [...(groups.get(row.orderId) ?? []), row]);
    return Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)));
  };

  it('answers a batch read again without a statement, with the rows the file holds', async () => {
    await withKept(1000, async (kept, statements) => {
      const batch = [...orderIds.slice(0, 8), UNKNOWN_ID];
      const order = ['orderId', 'orderItemId'] as const;
      const first = await kept.rowsWhereIn('OrderItem', 'orderId', batch, order);
      const again = await kept.rowsWhereIn('OrderItem', 'orderId', [...batch].reverse(), order);
      expect(statements()).toBe(1);
      const expected = byKey(await plain.rowsWhereIn('OrderItem', 'orderId', batch, order));
      expect(byKey(first)).toEqual(expected);
      expect(byKey(again)).toEqual(expected);
      expect(Object.keys(expected).length).toBe(8);
    });
  });

  it('reads the file again after a commit by another connection, and after one by another process', async () => {
    await withKept(1000, async (kept, statements) => {
      const [id] = orderIds;
      const status = (await kept.rowsWhereIn('Order', 'orderId', [id]))[0].status;
      expect(status).toBeTruthy();
      const writer = new Database(copy);
      writer.prepare("UPDATE orders SET order_status = 'written-by-a-test' WHERE order_id = ?").run(id);
      writer.close();
      expect((await kept.rowsWhereIn('Order', 'orderId', [id]))[0].status).toBe('written-by-a-test');
      expect(statements()).toBe(2);

      const script = `new (require('better-sqlite3'))(process.argv[1]).prepare("UPDATE orders SET order_status = 'written-by-a-process' WHERE order_id = ?").run(process.argv[2])`;
      execFileSync(process.execPath, ['-e', script, copy, id], { cwd: path.resolve(__dirname, '../../..') });
      expect((await kept.rowsWhereIn('Order', 'orderId', [id]))[0].status).toBe('written-by-a-process');
      expect((await kept.rowsWhereIn('Order', 'orderId', [id]))[0].status).toBe('written-by-a-process');
      expect(statements()).toBe(3);
    });
  });

  it('reads only the keys it does not keep, and keeps rows that cannot be changed', async () => {
    await withKept(1000, async (kept, statements) => {
      await kept.rowsWhereIn('Order', 'orderId', orderIds.slice(0, 4));
      const log = new SourceQueryLog();
      const counting = new SqliteKeyedReads<OrdersModels>(client, copy, 'orders', log, 0);
      const mixed = await kept.rowsWhereIn('Order', 'orderId', orderIds.slice(2, 10));
      expect(statements()).toBe(2);
      expect(byKey(mixed)).toEqual(byKey(await counting.rowsWhereIn('Order', 'orderId', orderIds.slice(2, 10))));
      await counting.close();
      expect(() => {
        (mixed[0] as { status: string }).status = 'changed';
      }).toThrow(TypeError);
    });
  });

  it('keeps at most its bound of rows, dropping the least recently used keys first', async () => {
    await withKept(20, async (kept, statements) => {
      for (const id of orderIds.slice(0, 20)) await kept.rowsWhereIn('Order', 'orderId', [id]);
      expect(statements()).toBe(20);
      await kept.rowsWhereIn('Order', 'orderId', [orderIds[19]]);
      expect(statements()).toBe(20);
      await kept.rowsWhereIn('Order', 'orderId', [UNKNOWN_ID]); // the 21st key: the oldest goes
      await kept.rowsWhereIn('Order', 'orderId', [orderIds[0]]);
      expect(statements()).toBe(22);
    });
  });
});
