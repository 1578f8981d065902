/**
 * A SQL back-end becomes unreachable mid-run: the order-management database on a throwaway PostgreSQL
 * database, reached through a TCP proxy the test cuts (listening socket closed, connections destroyed)
 * and restores on the same port — a real network fault between the gateway and a real server. Only the
 * fields the orders system feeds are null (SOURCE_UNAVAILABLE naming "orders" and the path); products
 * and accounts from the CRM and catalog (still reachable) answer; recovery without restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SourcesConfig } from '../../src/config/fusion-config';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { seedConfiguredStores } from '../../src/seed';
import { configFromEnv } from '../../src/shared';
import { openSources, type Sources } from '../../src/sources';
import { consistentCut } from '../helpers/consistent-cut';
import { postQuery } from '../helpers/graphql-client';
import { createThrowawayDatabases, serverSourcesConfig, type ThrowawayDatabases } from '../helpers/throwaway-databases';
import { codedErrors, recordRecovery, startTcpProxy, waitUntil, type TcpProxy } from './fault-helpers';
import { describeWithServices } from '../helpers/test-services';

describeWithServices(['postgresql'], 'an unreachable SQL back-end (PostgreSQL)', () => {
  const CUT_ROWS = 300;
  const cleanup: (() => Promise<void>)[] = [];
  let proxy: TcpProxy;
  let sources: Sources;
  let server: RunningServer;
  let productId: string;
  let category: string | null;
  let orderCount: number;

  type ProductAnswer = { product: { id: string; category: { name: string } | null; orderCount: number | null } | null };
  const QUERY = 'query ($id: ID!) { product(id: $id) { id category { name } orderCount } }';

  beforeAll(async () => {
    const datasetDir = consistentCut(CUT_ROWS);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-reliability-sql-'));
    cleanup.push(async () => {
      fs.rmSync(datasetDir, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const databases: ThrowawayDatabases = await createThrowawayDatabases('rel', ['postgresql']);
    cleanup.push(() => databases.drop());
    const direct = serverSourcesConfig(databases, dataDir, 'postgresql');
    await seedConfiguredStores(direct, { datasetDir });

    const ordersUrl = new URL(direct.sources.orders.url);
    proxy = await startTcpProxy({ host: ordersUrl.hostname, port: Number(ordersUrl.port || 5432) });
    cleanup.unshift(() => proxy.close());
    ordersUrl.host = `127.0.0.1:${proxy.port}`;
    const config: SourcesConfig = { ...direct, sources: { ...direct.sources, orders: { ...direct.sources.orders, url: ordersUrl.toString() } } };
    sources = await openSources(config);
    cleanup.unshift(() => sources.close());
    // The sources are lent; the main data folder only supplies the server's security settings (the test token's secret).
    server = await startEmbeddedGateway({ dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources, scoring: false });
    cleanup.unshift(() => server.close());

    const page = await postQuery<{ products: { edges: { node: { id: string; category: { name: string } | null; orderCount: number } }[] } }>(
      server.url,
      '{ products(first: 5) { edges { node { id category { name } orderCount } } } }',
    );
    if (!page.body.data) throw new Error(page.text);
    const first = page.body.data.products.edges[0].node;
    ({ id: productId, orderCount } = first);
    category = first.category?.name ?? null;
  }, 240_000);

  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  const ask = () => postQuery<ProductAnswer>(server.url, QUERY, { id: productId });
  const ordersHealth = async () => {
    const ready = (await (await fetch(server.url.replace('/graphql', '/readyz'))).json()) as {
      sources: { source: string; breaker: string; lastError?: unknown }[];
    };
    return ready.sources.find((entry) => entry.source === 'orders')!;
  };

  test('with the database reachable, the product answers without errors', async () => {
    const answer = await ask();
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.product).toEqual({ id: productId, category: category === null ? null : { name: category }, orderCount });
    expect(orderCount).toBeGreaterThan(0);
  });

  test('network to the orders database cut: orderCount null with SOURCE_UNAVAILABLE, catalog fields answer; recovery after restore', async () => {
    await proxy.cut();
    const down = await ask();
    expect(down.status).toBe(200);
    expect(down.body.data!.product).toEqual({ id: productId, category: category === null ? null : { name: category }, orderCount: null });
    expect(codedErrors(down.body)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'orders', path: 'product.orderCount' }]);

    // A root field of the cut system is null on its own; its sibling from the catalog still answers.
    const mixed = await postQuery<{ order: unknown; product: { id: string } | null }>(
      server.url,
      'query ($id: ID!) { order(id: "00000000000000000000000000000000") { id } product(id: $id) { id } }',
      { id: productId },
    );
    expect(mixed.status).toBe(200);
    expect(mixed.body.data).toEqual({ order: null, product: { id: productId } });
    expect(codedErrors(mixed.body)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'orders', path: 'order' }]);

    // Keep asking until the orders breaker opens (calls then fail fast); /readyz names the source.
    const openedIn = await waitUntil(
      async () => {
        expect(codedErrors((await ask()).body)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'orders', path: 'product.orderCount' }]);
        return (await ordersHealth()).breaker === 'open';
      },
      { timeoutMs: 15_000, what: 'the orders breaker opening' },
    );
    expect((await ordersHealth()).lastError).toBeDefined();

    const restored = Date.now();
    await proxy.restore();
    const recoveredIn = await waitUntil(
      async () => {
        const answer = await ask();
        return answer.body.errors === undefined && answer.body.data!.product!.orderCount === orderCount;
      },
      { timeoutMs: 5000, intervalMs: 50, what: 'recovery after the network to PostgreSQL was restored' },
    );
    expect(recoveredIn).toBeLessThanOrEqual(5000);
    expect((await ordersHealth()).breaker).toBe('closed');
    recordRecovery('postgresql-network-cut', {
      breakerOpenedAfterMs: openedIn,
      recoveredAfterRestoreMs: recoveredIn,
      restoredAt: new Date(restored).toISOString(),
    });
  }, 60_000);
});
