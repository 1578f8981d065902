/**
 * The SQLite statement cache (src/sources/sql/statement-cache.ts): statements are prepared once per SQL
 * text and reused with each query's own arguments, the least recently used one goes when the cache is
 * full, a schema change is seen, and a Prisma client over it answers exactly what a client over the plain adapter answers — the
 * seeded orders store, the kinds of reads the connectors make (keys in lists of several lengths, pages,
 * counts, aggregates, raw SQL), each twice with other arguments, and the same error for bad SQL.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { PrismaClient as OrdersPrismaClient } from '../../../generated/prisma/orders/client';
import { configFromEnv } from '../../../src/shared';
import { cacheStatements, embeddedStorePaths, openSqliteClient, type OrdersClient } from '../../../src/sources';

const ordersFile = () => embeddedStorePaths(configFromEnv().dataDir).sqlite('orders');

describe('cacheStatements on a better-sqlite3 connection', () => {
  let db: Database.Database;
  let prepared: string[];

  beforeEach(() => {
    db = new Database(ordersFile(), { readonly: true });
    prepared = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
  });
  afterEach(() => db.close());

  const firstOrders = (limit: number) => db.prepare('SELECT order_id FROM orders ORDER BY order_id LIMIT ?').pluck().all(limit) as string[];

  it('prepares a statement once and binds every execution its own arguments', () => {
    const ids = firstOrders(3);
    prepared = [];
    cacheStatements(db, 4);
    const sql = 'SELECT order_id, order_status FROM orders WHERE order_id = ?';
    const answers = ids.map((id) => (db.prepare(sql) as unknown as { bind(args: unknown[]): { raw(): { all(): unknown[] } } }).bind([id]).raw().all());
    expect(prepared).toEqual([sql]);
    expect(answers.map((rows) => (rows as unknown[][])[0][0])).toEqual(ids);
  });

  it('forgets the least recently used statement when full', () => {
    cacheStatements(db, 2);
    const run = (sql: string) => (db.prepare(sql) as unknown as { bind(args: unknown[]): { raw(): { all(): unknown[] } } }).bind([]).raw().all();
    const [a, b, c] = ['SELECT 1', 'SELECT 2', 'SELECT 3'];
    run(a);
    run(b);
    run(a); // a is now the most recent: b goes when c arrives
    run(c);
    run(a);
    run(b);
    expect(prepared).toEqual([a, b, c, b]);
  });

  it('describes the new columns of a kept statement after a schema change', () => {
    const memory = new Database(':memory:');
    cacheStatements(memory);
    type Bound = { reader: boolean; columns(): { name: string }[]; raw(): { all(): unknown[][] }; run(): unknown };
    const statement = (sql: string, args: unknown[] = []) => (memory.prepare(sql) as unknown as { bind(args: unknown[]): Bound }).bind(args);
    statement('CREATE TABLE t (a INTEGER)').run();
    statement('INSERT INTO t (a) VALUES (?)', [1]).run();
    const read = () => {
      const bound = statement('SELECT * FROM t');
      return { columns: bound.columns().map((column) => column.name), rows: bound.raw().all() };
    };
    expect(read()).toEqual({ columns: ['a'], rows: [[1]] });
    statement('ALTER TABLE t ADD COLUMN b TEXT').run();
    statement('UPDATE t SET b = ?', ['x']).run();
    expect(read()).toEqual({ columns: ['a', 'b'], rows: [[1, 'x']] });
    memory.close();
  });
});

describe('a Prisma client over the caching adapter', () => {
  let cached: OrdersClient;
  let plain: OrdersClient;

  beforeAll(() => {
    cached = openSqliteClient('orders', ordersFile());
    plain = new OrdersPrismaClient({ adapter: new PrismaBetterSqlite3({ url: ordersFile() }) }) as unknown as OrdersClient;
  });
  afterAll(async () => {
    await Promise.all([cached?.$disconnect(), plain?.$disconnect()]);
  });

  it('answers what the plain adapter answers, query after query', async () => {
    const page = await plain.order.findMany({ orderBy: { orderId: 'asc' }, take: 60, select: { orderId: true, customerId: true } });
    const orderIds = page.map((order) => order.orderId);
    const reads: ((client: OrdersClient) => Promise<unknown>)[] = [];
    for (const ids of [orderIds.slice(0, 1), orderIds.slice(1, 4), orderIds.slice(4, 54), orderIds.slice(10, 13)]) {
      reads.push((client) => client.order.findMany({ where: { orderId: { in: ids } }, orderBy: { orderId: 'asc' } }));
      reads.push((client) => client.orderItem.findMany({ where: { orderId: { in: ids } }, orderBy: [{ orderId: 'asc' }, { orderItemId: 'asc' }] }));
      reads.push((client) => client.orderPayment.findMany({ where: { orderId: { in: ids } } }));
    }
    for (const id of [orderIds[0], orderIds[7], 'ffffffffffffffffffffffffffffffff'])
      reads.push((client) => client.order.findUnique({ where: { orderId: id } }));
    for (const customerId of [page[0].customerId, page[1].customerId]) reads.push((client) => client.order.findMany({ where: { customerId } }));
    for (const status of ['delivered', 'canceled', 'shipped']) {
      reads.push((client) => client.order.count({ where: { status } }));
      reads.push((client) =>
        client.order.findMany({
          where: { status, purchaseTimestamp: { gte: '2017-11-24 00:00:00' } },
          orderBy: [{ purchaseTimestamp: 'asc' }, { orderId: 'asc' }],
          take: 5,
        }),
      );
    }
    reads.push((client) =>
      client.orderItem.aggregate({ _sum: { price: true, freightValue: true }, _count: true, where: { orderId: { in: orderIds.slice(0, 20) } } }),
    );
    reads.push((client) =>
      client.orderItem.groupBy({ by: ['sellerId'], _count: { _all: true }, where: { orderId: { in: orderIds } }, orderBy: { sellerId: 'asc' } }),
    );
    for (const limit of [2, 9]) reads.push((client) => client.$queryRawUnsafe('SELECT order_id, order_status FROM orders ORDER BY order_id LIMIT ?', limit));

    let statements = 0;
    for (const read of [...reads, ...reads]) {
      const [expected, actual] = [await read(plain), await read(cached)];
      expect(actual).toEqual(expected);
      statements++;
    }
    expect(statements).toBe(reads.length * 2);
  });

  it('fails bad SQL with the same error', async () => {
    const failure = (client: OrdersClient) =>
      client.$queryRawUnsafe('SELECT no_such_column FROM orders WHERE order_id = ?', 'x').then(
        () => null,
        (error: Error) => error.message,
      );
    const expected = await failure(plain);
    expect(expected).toMatch(/no_such_column/);
    expect(await failure(cached)).toBe(expected);
    expect(await failure(cached)).toBe(expected);
  });
});
