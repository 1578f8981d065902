import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { embeddedSourcesConfig } from '../../src/config/fusion-config';
import { deleteStream, EventConsumer, EventPublisher, type EventsConfig } from '../../src/events';
import { applyChange, FeatureStore } from '../../src/scoring/features';
import { readHistory, replayHistory, seedEmbeddedStores } from '../../src/seed';
import { openSources, type Sources } from '../../src/sources';
import { olistDatasetDir } from '../helpers/olist-oracle';
import { parseDatasetFile, datasetFile } from '../helpers/mini-dataset';
import { describeWithServices, serviceUrl } from '../helpers/test-services';

const FROM = '2018-08-20';
const TO = '2018-08-21';

/** Orders purchased before `to`, straight from the dataset's CSV (the independent recomputation). */
function csvOrdersBefore(to: string): Map<string, Record<string, string>> {
  const rows = parseDatasetFile(datasetFile(olistDatasetDir(), 'olist_orders_dataset.csv'));
  return new Map(rows.filter((r) => r.order_purchase_timestamp < to).map((r) => [r.order_id, r]));
}

describeWithServices(['nats'], 'replaying a day of history as change events', () => {
  let dataDir: string;
  let config: EventsConfig;
  let rows: { live: number[]; rebuilt: number[] } | undefined;
  beforeAll(async () => {
    config = { url: serviceUrl('nats'), stream: `test-replay-${randomUUID().slice(0, 8)}` };
    // Seeded once (the seed skips a folder that holds this dataset and cut), copied for each run: replay writes.
    const seeded = path.resolve('data', `.seeded-until-${FROM}`);
    await seedEmbeddedStores({ datasetDir: olistDatasetDir(), dataDir: seeded, until: FROM });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-replay-'));
    fs.cpSync(seeded, dataDir, { recursive: true });
  }, 1_200_000);
  afterAll(async () => {
    if (config) await deleteStream(config);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('updates the sources and the live feature store, across a consumer restart mid-replay, losing and doubling nothing', async () => {
    const sourcesConfig = embeddedSourcesConfig(dataDir);
    let sources: Sources = await openSources(sourcesConfig);
    const store = await FeatureStore.open(sources);
    const before = store.index.orders.size;
    const outcomes = { applied: 0, 'already-held': 0, 'unknown-order': 0 };
    const handle = (event: Parameters<typeof applyChange>[1]) => void (outcomes[applyChange(store, event)] += 1);

    const history = await readHistory(olistDatasetDir(), FROM, TO);
    const publisher = await EventPublisher.open(config);
    let consumer = await EventConsumer.start(config, { durable: 'gateway', handle });
    const half = Math.floor(history.length / 2);
    await replayHistory(history.slice(0, half), { sources: sourcesConfig, publisher, pace: null });
    // The gateway stops mid-replay (some events delivered, maybe not all acknowledged) and starts again.
    await consumer.stop();
    consumer = await EventConsumer.start(config, { durable: 'gateway', handle });
    await replayHistory(history.slice(half), { sources: sourcesConfig, publisher, pace: null });
    // The replay itself restarted: the first half played again is stored once (same event ids).
    const again = await replayHistory(history.slice(0, 10), { sources: sourcesConfig, publisher, pace: null });
    expect(again.duplicates).toBe(10);
    await consumer.caughtUp();
    await consumer.stop();
    await publisher.close();

    const csv = csvOrdersBefore(TO);
    const replayed = [...csv.values()].filter((o) => o.order_purchase_timestamp >= FROM);
    expect(replayed.length).toBeGreaterThan(100);
    // The order system holds exactly the CSV's orders up to the replayed time, each with its CSV status.
    await sources.close();
    sources = await openSources(sourcesConfig);
    const held = await sources.orders.ordersByIds(replayed.map((o) => o.order_id));
    expect(held.map((o) => o?.status)).toEqual(replayed.map((o) => o.order_status));
    expect(held.map((o) => o?.deliveredCustomerDate ?? null)).toEqual(replayed.map((o) => o.order_delivered_customer_date || null));
    // The live store knows every order, applied each change once (a redelivered one found already held).
    expect(store.index.orders.size).toBe(csv.size);
    expect(store.index.orders.size - before).toBe(replayed.length);
    expect(outcomes['unknown-order']).toBe(0);
    expect(outcomes.applied).toBe(history.length);
    // Its features against those of a store built from the sources after the replay (the full recomputation):
    // compared in the second test below.
    const rebuilt = await FeatureStore.open(sources);
    const ids = [...replayed.map((o) => o.order_id), ...[...csv.keys()].slice(0, 200)];
    rows = { live: Array.from(store.deliveryRiskRows(ids)), rebuilt: Array.from(rebuilt.deliveryRiskRows(ids)) };
    await sources.close();
  }, 1_500_000);

  // Every feature, the geography ones included: an account created live is cleaned as the snapshot's are
  // and its zip prefix is located (the snapshot holds every zip prefix of the geography reference).
  it('gives delivery-risk rows equal to a store rebuilt from the sources', () => {
    expect(rows?.live).toEqual(rows?.rebuilt);
  });
});
