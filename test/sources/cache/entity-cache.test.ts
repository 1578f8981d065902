/**
 * The Redis entity cache against the real Redis of this machine, under a throwaway key prefix:
 * read-through with exact round trips, hit ratio, TTL, explicit invalidation, and no failure when Redis goes away.
 */
import crypto from 'node:crypto';
import { configFromEnv } from '../../../src/shared';
import { openEmbeddedSources, RedisEntityCache, SourceQueryLog, withEntityCache, type Sources } from '../../../src/sources';

import { describeWithServices, serviceUrl } from '../../helpers/test-services';

describeWithServices(['redis'], 'the Redis entity cache', () => {
  const prefix = `fusion-test:${crypto.randomBytes(4).toString('hex')}:`;
  const log = new SourceQueryLog();
  let plain: Sources;
  let cache: RedisEntityCache;
  let cached: Sources;

  beforeAll(async () => {
    plain = await openEmbeddedSources(configFromEnv().dataDir, log, undefined, 0);
    cache = await RedisEntityCache.connect({ url: serviceUrl('redis'), ttlSeconds: 60, keyPrefix: prefix });
    cached = withEntityCache(plain, cache);
  });

  afterAll(async () => {
    await cache?.invalidate();
    await cache?.close();
    await plain?.close();
  });

  beforeEach(() => log.reset());

  test('read-through: a miss goes to the source, a hit does not, and both answer the same records exactly', async () => {
    const ids = (await plain.catalog.productsPage({ limit: 20 })).map((p) => p.productId);
    const keys = [...ids.slice(0, 10), 'f'.repeat(32), ...ids.slice(10), ids[0]];
    const expected = await plain.catalog.productsByIds(keys);
    cache.resetStats();
    log.reset();

    expect(await cached.catalog.productsByIds(keys)).toEqual(expected);
    expect(log.snapshot()).toEqual({ catalog: 1 });
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 21 });

    log.reset();
    const again = await cached.catalog.productsByIds(keys);
    expect(JSON.stringify(again)).toBe(JSON.stringify(expected));
    // The unknown id is not cached, so only it goes to the source.
    expect(log.snapshot()).toEqual({ catalog: 1 });
    expect(cache.stats()).toMatchObject({ hits: 20, misses: 22, errors: 0 });
    expect(cache.stats().hitRatio).toBeCloseTo(20 / 42, 10);
  });

  test('every cached entity kind round-trips: accounts, sellers, orders (money as the same doubles)', async () => {
    const orders = await plain.orders.ordersPage({ limit: 30 });
    const orderIds = orders.map((o) => o.orderId);
    const items = (await plain.orders.itemsByOrderIds(orderIds)).flat();
    const accountIds = orders.map((o) => o.customerId);
    const sellerIds = [...new Set(items.map((i) => i.sellerId))];
    for (let round = 0; round < 2; round += 1) {
      expect(await cached.orders.ordersByIds(orderIds)).toEqual(await plain.orders.ordersByIds(orderIds));
      expect(await cached.crm.accountsByIds(accountIds)).toEqual(await plain.crm.accountsByIds(accountIds));
      expect(await cached.catalog.sellersByIds(sellerIds)).toEqual(await plain.catalog.sellersByIds(sellerIds));
    }
    const raw = await cache.redis.get(cache.key('order', orderIds[0]));
    expect(JSON.parse(raw!)).toEqual((await plain.orders.ordersByIds([orderIds[0]]))[0]);
    // Methods that are not by-id lookups are the source's own.
    expect(await cached.orders.itemsByOrderIds(orderIds)).toEqual(await plain.orders.itemsByOrderIds(orderIds));
  });

  test('entries carry the configured TTL and expire', async () => {
    const short = await RedisEntityCache.connect({ url: serviceUrl('redis'), ttlSeconds: 1, keyPrefix: `${prefix}ttl:` });
    try {
      const [seller] = await plain.catalog.allSellers();
      const load = jest.fn((ids: readonly string[]) => plain.catalog.sellersByIds(ids));
      await short.readThrough('seller', [seller.sellerId], load);
      const ttl = await short.redis.pttl(short.key('seller', seller.sellerId));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1000);
      await short.readThrough('seller', [seller.sellerId], load);
      expect(load).toHaveBeenCalledTimes(1);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(await short.redis.exists(short.key('seller', seller.sellerId))).toBe(0);
      await short.readThrough('seller', [seller.sellerId], load);
      expect(load).toHaveBeenCalledTimes(2);
    } finally {
      await short.invalidate();
      await short.close();
    }
  });

  test('explicit invalidation: by id, by entity, everything under the prefix', async () => {
    const products = (await plain.catalog.productsPage({ limit: 3 })).map((p) => p.productId);
    const sellers = (await plain.catalog.allSellers()).slice(0, 2).map((s) => s.sellerId);
    await cached.catalog.productsByIds(products);
    await cached.catalog.sellersByIds(sellers);
    expect(await cache.invalidate('product', [products[0]])).toBe(1);
    log.reset();
    await cached.catalog.productsByIds(products);
    expect(log.snapshot()).toEqual({ catalog: 1 }); // the invalidated one reloaded
    expect(await cache.redis.exists(cache.key('product', products[0]))).toBe(1);

    expect(await cache.invalidate('product')).toBeGreaterThanOrEqual(3);
    expect(await cache.redis.exists(cache.key('seller', sellers[0]))).toBe(1);
    expect(await cache.invalidate()).toBeGreaterThanOrEqual(2);
    expect(await cache.redis.exists(cache.key('seller', sellers[0]))).toBe(0);
  });

  test('when Redis goes away, lookups still answer from the source and the failure is counted', async () => {
    const doomed = await RedisEntityCache.connect({ url: serviceUrl('redis'), ttlSeconds: 60, keyPrefix: `${prefix}gone:`, commandTimeoutMs: 200 });
    const over = withEntityCache(plain, doomed);
    doomed.redis.disconnect();
    const ids = (await plain.catalog.productsPage({ limit: 2 })).map((p) => p.productId);
    expect(await over.catalog.productsByIds(ids)).toEqual(await plain.catalog.productsByIds(ids));
    expect(doomed.stats().errors).toBeGreaterThan(0);
  });

  test('an unreachable Redis fails at start-up with a clear message', async () => {
    await expect(RedisEntityCache.connect({ url: 'redis://127.0.0.1:1/0', ttlSeconds: 60, keyPrefix: prefix })).rejects.toThrow(
      /^Redis entity cache at redis:\/\/127\.0\.0\.1:1\/0 cannot be reached/,
    );
  });
});
