/**
 * The Redis entity cache goes away mid-run (a TCP proxy in front of the real Redis is cut): every answer
 * stays correct and error-free, read from the sources instead; when Redis is reachable again, lookups
 * hit the cache again without a restart.
 */
import crypto from 'node:crypto';
import { embeddedSourcesConfig, type SourcesConfig } from '../../src/config/fusion-config';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import { openSources, type Sources } from '../../src/sources';
import { postQuery } from '../helpers/graphql-client';

import { recordRecovery, startTcpProxy, waitUntil, type TcpProxy } from './fault-helpers';
import { describeWithServices, serviceUrl } from '../helpers/test-services';

describeWithServices(['redis'], 'the Redis entity cache going away', () => {
  const dataDir = configFromEnv().dataDir;
  let proxy: TcpProxy;
  let sources: Sources;
  let server: RunningServer;
  let orderIds: string[];

  const QUERY = `query ($id: ID!) { order(id: $id) { id status customer { id } items { position product { id category { name } } seller { id state } } } }`;

  beforeAll(async () => {
    const redis = new URL(serviceUrl('redis'));
    proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    redis.host = `127.0.0.1:${proxy.port}`;
    const base = embeddedSourcesConfig(dataDir);
    const config: SourcesConfig = {
      ...base,
      origin: { kind: 'file', file: '(reliability test: Redis cache)' },
      cache: {
        kind: 'redis',
        url: redis.toString(),
        ttlSeconds: 120,
        keyPrefix: `fusion-test:${crypto.randomBytes(4).toString('hex')}:`,
        commandTimeoutMs: 300,
      },
    };
    sources = await openSources(config);
    server = await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources, scoring: false });
    const page = await postQuery<{ orders: { edges: { node: { id: string } }[] } }>(server.url, '{ orders(first: 5) { edges { node { id } } } }');
    orderIds = page.body.data!.orders.edges.map((edge) => edge.node.id);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await proxy?.restore().catch(() => undefined);
    await sources?.cache?.invalidate();
    await sources?.close();
    await proxy?.close();
  });

  const answers = async () => Promise.all(orderIds.map(async (id) => (await postQuery(server.url, QUERY, { id })).text));
  const cacheStats = async () =>
    ((await (await fetch(server.url.replace('/graphql', '/readyz'))).json()) as { entityCache: { hits: number; errors: number } }).entityCache;

  test('Redis unreachable mid-run: the same answers, from the sources; cache hits resume once it is back', async () => {
    const cold = await answers();
    const warm = await answers();
    expect(warm).toEqual(cold);
    for (const text of cold) expect(JSON.parse(text)).not.toHaveProperty('errors');
    const before = await cacheStats();
    expect(before.hits).toBeGreaterThan(0);

    await proxy.cut();
    const withoutCache = await answers();
    expect(withoutCache).toEqual(cold);
    expect((await cacheStats()).errors).toBeGreaterThan(before.errors);

    const restored = Date.now();
    await proxy.restore();
    const hitsAtRestore = (await cacheStats()).hits;
    const recoveredIn = await waitUntil(
      async () => {
        expect(await answers()).toEqual(cold);
        return (await cacheStats()).hits > hitsAtRestore;
      },
      { timeoutMs: 5000, intervalMs: 50, what: 'cache hits after Redis came back' },
    );
    recordRecovery('redis-cache-network-cut', { cacheHitsAgainAfterRestoreMs: recoveredIn, restoredAt: new Date(restored).toISOString() });
  }, 60_000);
});
