/**
 * Keyed reads (src/sources/sql/keyed-reads.ts): on the seeded SQLite stores, the direct reads answer every
 * by-key batch the connectors make exactly as the Prisma client does (same rows, same order, same field
 * names and value types), for batches of one key, many keys, unknown and repeated keys and none; each
 * batch is one statement in the query log; a model or field the schema lacks is a clear error.
 */
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
    direct.crm = new SqliteKeyedReads<CrmModels>(clients.crm, file('crm'), 'crm', log);
    direct.catalog = new SqliteKeyedReads<CatalogModels>(clients.catalog, file('catalog'), 'catalog', log);
    direct.orders = new SqliteKeyedReads<OrdersModels>(clients.orders, file('orders'), 'orders', log);
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
