/**
 * `seed --until` + `replay --from` on the production-like set: CRM and orders on PostgreSQL, catalog on
 * MariaDB (throwaway databases), reviews in the review service (written through PUT /reviews/{order}/{n}
 * with its write token), change events on NATS JetStream. A consistent cut of the dataset (its first 3,000
 * orders: 2016-09 to 2017-03) is seeded before FROM, the day [FROM, TO) is replayed (twice: the second run
 * stores nothing new), and the graph's answers for the replayed orders and reviews are compared with the CSVs.
 * Then the embedded set: a gateway over the JSONL store that follows the events shows the appended reviews.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { embeddedSourcesConfig, type SourcesConfig } from '../../src/config/fusion-config';
import { deleteStream, EventPublisher, type EventsConfig } from '../../src/events';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { startLiveEvents } from '../../src/gateway/realtime/live-events';
import { readHistory, replayHistory, seedConfiguredStores } from '../../src/seed';
import { embeddedStorePaths, openServerSqlClient, openSources, type Sources } from '../../src/sources';
import { startReviewsService, type RunningReviewsService } from '../../src/upstreams/reviews-service';
import { consistentCut } from '../helpers/consistent-cut';
import { testSecurityConfig } from '../helpers/credentials';
import { postQuery } from '../helpers/graphql-client';
import { datasetFile, parseDatasetFile } from '../helpers/mini-dataset';
import { saoPauloIso } from '../helpers/olist-oracle';
import { createThrowawayDatabases, serverSourcesConfig, type ThrowawayDatabases } from '../helpers/throwaway-databases';
import { describeWithServices, serviceUrl } from '../helpers/test-services';

const FROM = '2017-02-20';
const TO = '2017-02-21';
const WRITE_TOKEN = `replay-test-${randomUUID()}`;
const ORDER_FIELDS = 'id status purchasedAt deliveredAt items { position product { id } } reviews { score }';

interface CsvOrder {
  id: string;
  status: string;
  purchasedAt: string | null;
  deliveredAt: string | null;
  items: { position: number; product: { id: string } }[];
  reviews: { score: number }[];
}

describeWithServices(['postgresql', 'mysql', 'nats'], 'seed --until and replay into PostgreSQL, MariaDB, the review service and NATS', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  let datasetDir: string;
  let dataDir: string;
  let jsonlDataDir: string;
  let databases: ThrowawayDatabases;
  let events: EventsConfig;
  let config: SourcesConfig;
  let reviewsService: RunningReviewsService;
  let csv: Map<string, CsvOrder>;
  let purchasedAt: Map<string, string>;

  /** What the CSVs say about an order, in the graph's shape (the independent recomputation). */
  function readCsv(dir: string): void {
    const rows = (name: string) => parseDatasetFile(datasetFile(dir, name));
    const items = new Map<string, CsvOrder['items']>();
    for (const item of rows('olist_order_items_dataset.csv')) {
      const list = items.get(item.order_id) ?? [];
      list.push({ position: Number(item.order_item_id), product: { id: item.product_id } });
      items.set(item.order_id, list);
    }
    const reviews = new Map<string, CsvOrder['reviews']>();
    const reviewsFile = fs.readdirSync(dir).find((name) => name.includes('order_reviews'))!;
    for (const review of parseDatasetFile(path.join(dir, reviewsFile))) {
      const list = reviews.get(review.order_id) ?? [];
      list.push({ score: Number(review.review_score) });
      reviews.set(review.order_id, list);
    }
    csv = new Map();
    purchasedAt = new Map();
    for (const order of rows('olist_orders_dataset.csv')) {
      purchasedAt.set(order.order_id, order.order_purchase_timestamp);
      csv.set(order.order_id, {
        id: order.order_id,
        status: order.order_status.toUpperCase(),
        purchasedAt: saoPauloIso(order.order_purchase_timestamp),
        deliveredAt: saoPauloIso(order.order_delivered_customer_date || null),
        items: (items.get(order.order_id) ?? []).sort((a, b) => a.position - b.position),
        reviews: reviews.get(order.order_id) ?? [],
      });
    }
  }

  const idsPurchased = (from: string, to: string) => [...purchasedAt].filter(([, at]) => at >= from && at < to).map(([id]) => id);

  async function gatewayOver(sources: Sources, dir: string): Promise<RunningServer> {
    const server = await startEmbeddedGateway({
      dataDir: dir,
      port: 0,
      host: '127.0.0.1',
      scoring: false,
      events: null,
      sources,
      config: { ...embeddedSourcesConfig(dir), security: testSecurityConfig() },
    });
    cleanup.unshift(() => server.close());
    return server;
  }

  /** The graph's answer for each order, in aliased queries of 25 (the gateway allows 30 aliases). */
  async function ordersInGraph(server: RunningServer, ids: readonly string[]): Promise<(CsvOrder | null)[]> {
    const answers: (CsvOrder | null)[] = [];
    for (let start = 0; start < ids.length; start += 25) {
      const chunk = ids.slice(start, start + 25);
      const query = `query { ${chunk.map((id, i) => `o${i}: order(id: "${id}") { ${ORDER_FIELDS} }`).join(' ')} }`;
      const { body } = await postQuery<Record<string, CsvOrder | null>>(`http://127.0.0.1:${server.port}/graphql`, query);
      expect(body.errors).toBeUndefined();
      answers.push(...chunk.map((_, i) => body.data![`o${i}`]));
    }
    return answers;
  }

  beforeAll(async () => {
    datasetDir = consistentCut(3000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-replay-servers-'));
    jsonlDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-replay-jsonl-'));
    cleanup.push(() => {
      for (const dir of [datasetDir, dataDir, jsonlDataDir]) fs.rmSync(dir, { recursive: true, force: true });
    });
    readCsv(datasetDir);
    databases = await createThrowawayDatabases('replay', ['postgresql', 'mysql']);
    cleanup.push(() => databases.drop());
    events = { url: serviceUrl('nats'), stream: `test-replay-servers-${randomUUID().slice(0, 8)}` };
    cleanup.push(() => deleteStream(events));
  }, 300_000);

  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  it('seed --until cuts the server tables and the file stores at the same time', async () => {
    const seedConfig = serverSourcesConfig(databases, dataDir, 'shop');
    await seedConfiguredStores(seedConfig, { datasetDir, until: FROM });
    const before = idsPurchased('0000', FROM);
    expect(before.length).toBeGreaterThan(1000);
    expect(before.length).toBeLessThan(csv.size);
    const orders = openServerSqlClient('orders', 'postgresql', seedConfig.sources.orders.url, undefined, { poolSize: 1 });
    const catalog = openServerSqlClient('catalog', 'mysql', seedConfig.sources.catalog.url, undefined, { poolSize: 1 });
    try {
      const held = await orders.$queryRawUnsafe<{ order_id: string }[]>('SELECT order_id FROM orders ORDER BY order_id');
      expect(held.map((row) => row.order_id)).toEqual([...before].sort());
      const items = await orders.$queryRawUnsafe<{ n: bigint }[]>('SELECT COUNT(*) AS n FROM order_items');
      expect(Number(items[0].n)).toBe(before.reduce((sum, id) => sum + csv.get(id)!.items.length, 0));
      // Reference data is seeded whole.
      const products = await catalog.$queryRawUnsafe<{ n: bigint }[]>('SELECT COUNT(*) AS n FROM products');
      expect(Number(products[0].n)).toBe(parseDatasetFile(datasetFile(datasetDir, 'olist_products_dataset.csv')).length);
    } finally {
      await orders.$disconnect();
      await catalog.$disconnect();
    }
    const stored = fs
      .readFileSync(embeddedStorePaths(dataDir).reviews, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    expect(stored.length).toBe(before.reduce((sum, id) => sum + csv.get(id)!.reviews.length, 0));
    // The embedded set of the same cut, for the JSONL test below (replay writes into dataDir's stores).
    fs.cpSync(dataDir, jsonlDataDir, { recursive: true });
  }, 600_000);

  it('replay writes the window into the servers and the review service; the graph answers what the CSVs say', async () => {
    reviewsService = await startReviewsService({ file: embeddedStorePaths(dataDir).reviews, port: 0, writeToken: WRITE_TOKEN });
    cleanup.unshift(() => reviewsService.close());
    const base = serverSourcesConfig(databases, dataDir, 'shop', { reviewsUrl: reviewsService.url });
    const reviews = base.sources.reviews;
    if (reviews.kind !== 'rest') throw new Error('expected the review service');
    config = { ...base, sources: { ...base.sources, reviews: { ...reviews, writeToken: WRITE_TOKEN } } };
    const sources = await openSources(config);
    cleanup.unshift(() => sources.close());
    const server = await gatewayOver(sources, dataDir);

    const replayed = idsPurchased(FROM, TO);
    const later = idsPurchased(TO, '9999').slice(0, 5);
    const earlier = idsPurchased('0000', FROM).slice(0, 20);
    expect(replayed.length).toBeGreaterThan(30);
    expect(replayed.filter((id) => csv.get(id)!.reviews.length > 0).length).toBeGreaterThan(30);
    expect(await ordersInGraph(server, replayed)).toEqual(replayed.map(() => null));

    const history = await readHistory(datasetDir, FROM, TO);
    expect(history.filter((event) => event.type === 'review.added').length).toBe(replayed.reduce((sum, id) => sum + csv.get(id)!.reviews.length, 0));
    const publisher = await EventPublisher.open(events);
    try {
      // Without the write token replay refuses to start (rather than play the history without its reviews).
      await expect(replayHistory(history, { sources: base, publisher, pace: null })).rejects.toThrow(/sources\.reviews\.writeToken is not set/);
      const first = await replayHistory(history, { sources: config, publisher, pace: null });
      expect([first.played, first.duplicates]).toEqual([history.length, 0]);
      // Played again (a restarted replay): NATS stores no event twice, the stores and the service no row or review twice.
      const again = await replayHistory(history, { sources: config, publisher, pace: null });
      expect([again.played, again.duplicates]).toEqual([history.length, history.length]);
    } finally {
      await publisher.close();
    }

    expect(await ordersInGraph(server, [...replayed, ...earlier])).toEqual([...replayed, ...earlier].map((id) => csv.get(id)));
    expect(await ordersInGraph(server, later)).toEqual(later.map(() => null));
    const stored = fs
      .readFileSync(embeddedStorePaths(dataDir).reviews, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    expect(stored.length).toBe(idsPurchased('0000', TO).reduce((sum, id) => sum + csv.get(id)!.reviews.length, 0));
  }, 600_000);

  it('a gateway over the JSONL store shows the replayed reviews once their events are applied (no restart)', async () => {
    const embedded = embeddedSourcesConfig(jsonlDataDir);
    const sources = await openSources(embedded);
    cleanup.unshift(() => sources.close());
    const server = await gatewayOver(sources, jsonlDataDir);
    const stream = { url: events.url, stream: `${events.stream}-jsonl` };
    cleanup.push(() => deleteStream(stream));
    const live = await startLiveEvents({ events: stream, sources, scoring: null, durable: 'replay-jsonl-test' });
    cleanup.unshift(() => live.stop());

    const replayed = idsPurchased(FROM, TO);
    const history = await readHistory(datasetDir, FROM, TO);
    const publisher = await EventPublisher.open(stream);
    try {
      await replayHistory(history, { sources: embedded, publisher, pace: null });
    } finally {
      await publisher.close();
    }
    await live.caughtUp();
    expect(await ordersInGraph(server, replayed)).toEqual(replayed.map((id) => csv.get(id)));
  }, 600_000);
});
