import { randomUUID } from 'node:crypto';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { deleteStream, EventPublisher, type ChangeEvent, type EventsConfig } from '../../src/events';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { LIVE_RECOMMENDATIONS } from '../../src/gateway/realtime';
import { ScoringService } from '../../src/scoring';
import { readHistory } from '../../src/seed';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { openTestSources } from '../helpers/backends';
import { tokenCredential } from '../helpers/credentials';
import { olistDatasetDir } from '../helpers/olist-oracle';
import { describeWithServices, serviceUrl } from '../helpers/test-services';
import { servableModels } from '../scoring/helpers/models-dir';

type Payload = Record<string, unknown>;

/** Collects a subscription's payloads (and errors); `until` resolves once one satisfies the predicate. */
class Collector {
  readonly payloads: Payload[] = [];
  readonly errors: string[] = [];
  private waiters: { test: (p: Payload) => boolean; resolve: () => void }[] = [];
  ended: Promise<void>;
  private end!: () => void;
  constructor() {
    this.ended = new Promise((resolve) => (this.end = resolve));
  }
  next = (value: { data?: Record<string, Payload> | null; errors?: unknown }) => {
    if (value.errors) this.errors.push(JSON.stringify(value.errors));
    const payload = value.data ? Object.values(value.data)[0] : undefined;
    if (!payload) return;
    this.payloads.push(payload);
    this.waiters = this.waiters.filter((w) => (w.test(payload) ? (w.resolve(), false) : true));
  };
  error = (error: unknown) => {
    this.errors.push(Array.isArray(error) ? JSON.stringify(error) : String((error as { message?: string }).message ?? error));
    this.end();
  };
  complete = () => this.end();
  until(test: (p: Payload) => boolean): Promise<void> {
    if (this.payloads.some(test)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

/** A dataset order's purchase-time changes (order, items, payments), under a fresh order id so the store learns it live. */
function freshCopy(life: ChangeEvent[], orderId: string): ChangeEvent[] {
  const id = `ls${randomUUID().replace(/-/g, '')}`;
  return life.map((event) => JSON.parse(JSON.stringify(event).split(orderId).join(id)) as ChangeEvent);
}

const RISK = 'orderId probability level previousLevel previousProbability reasons { text effect } direction modelVersion occurredAt';
const RECOMMENDATIONS = 'userId products { productId score } previousProductIds modelVersion occurredAt';

describeWithServices(['nats'], 'deliveryRiskChanged and recommendationsChanged, scored after change events with the ONNX models', () => {
  let config: EventsConfig;
  let sources: Sources;
  let scoring: ScoringService;
  let models: ReturnType<typeof servableModels>;
  let server: RunningServer;
  let publisher: EventPublisher;
  let purchase: ChangeEvent[];
  let orderId: string;
  let personId: string;
  let sellerId: string;
  let accountCreated: ChangeEvent;
  const clients: { dispose(): void | Promise<void> }[] = [];

  beforeAll(async () => {
    config = { url: serviceUrl('nats'), stream: `test-scores-${randomUUID().slice(0, 8)}` };
    sources = await openTestSources();
    models = servableModels();
    scoring = await ScoringService.start({ sources, dataKey: configFromEnv().dataDir, config: { modelsDir: models.dir }, log: () => undefined });
    await scoring.ensureFeatures();
    server = await startEmbeddedGateway({ dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources, scoring, events: config });
    publisher = await EventPublisher.open(config);
    // The first order of a dataset day with one seller: its creation, lines and payments.
    const history = await readHistory(olistDatasetDir(), '2018-08-20', '2018-08-20 06:00:00');
    const created = history.find((e) => e.type === 'order.created')!;
    orderId = created.entity.key;
    purchase = history.filter((e) => e.entity.key === orderId && ['order.created', 'order.item-added', 'order.payment-added'].includes(e.type));
    const customerId = created.type === 'order.created' ? created.data.order.customer_id : '';
    const account = history.find((e) => e.type === 'customer.account-created' && e.data.customer.customer_id === customerId)!;
    personId = account.type === 'customer.account-created' ? account.data.customer.customer_unique_id : '';
    accountCreated = account;
    const item = purchase.find((e) => e.type === 'order.item-added')!;
    sellerId = item.type === 'order.item-added' ? item.data.item.seller_id : '';
  }, 600_000);
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await publisher?.close();
    await server?.close();
    await scoring?.close();
    await sources?.close();
    models?.remove();
    if (config) await deleteStream(config);
  });

  async function ws(request: Parameters<typeof tokenCredential>[0]): Promise<Client> {
    const credential = await tokenCredential(request);
    const client = createWsClient({
      url: `ws://127.0.0.1:${server.port}/graphql/ws`,
      webSocketImpl: WebSocket,
      connectionParams: credential.headers,
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  }
  function subscribe(client: Client, query: string): Collector {
    const collector = new Collector();
    clients.push({ dispose: client.subscribe({ query }, collector) });
    return collector;
  }
  async function publishAll(events: ChangeEvent[]): Promise<void> {
    for (const event of events) await publisher.publish(event);
  }
  const aboutOrder = (id: string) => (p: Payload) => p.orderId === id;

  it('publishes a new order’s risk to bi, to its seller’s partner and its customer only, at or above minLevel, and re-ranks its person’s list', async () => {
    const bi = subscribe(await ws({ role: 'bi', subject: 'analyst' }), `subscription { deliveryRiskChanged { ${RISK} } }`);
    const highOnly = subscribe(await ws({ role: 'bi', subject: 'analyst-2' }), `subscription { deliveryRiskChanged(minLevel: HIGH) { ${RISK} } }`);
    const ownSeller = subscribe(await ws({ role: 'partner', subject: 'partner-own', sellerId }), `subscription { deliveryRiskChanged { ${RISK} } }`);
    const otherSellerId = randomUUID().replace(/-/g, '');
    const otherSeller = subscribe(
      await ws({ role: 'partner', subject: 'partner-other', sellerId: otherSellerId }),
      `subscription { deliveryRiskChanged { ${RISK} } }`,
    );
    const sse = createSseClient({
      url: `http://127.0.0.1:${server.port}/graphql/stream`,
      headers: (await tokenCredential({ role: 'customer', subject: personId })).headers,
      retryAttempts: 0,
    });
    clients.push(sse);
    const owner = new Collector();
    clients.push({ dispose: sse.subscribe({ query: `subscription { deliveryRiskChanged { ${RISK} } }` }, owner) });
    const ownerLists = subscribe(
      await ws({ role: 'customer', subject: personId }),
      `subscription { recommendationsChanged(userId: "${personId}") { ${RECOMMENDATIONS} } }`,
    );
    const otherCustomer = subscribe(await ws({ role: 'customer', subject: 'f'.repeat(32) }), `subscription { deliveryRiskChanged { ${RISK} } }`);

    // Fresh copies until bi, the partner and the customer each heard one: all subscriptions are live.
    let warm = false;
    const live = Promise.all([bi, ownSeller, owner].map((c) => c.until((p) => String(p.orderId).startsWith('ls')))).then(() => (warm = true));
    while (!warm) {
      await publishAll(freshCopy(purchase, orderId));
      await Promise.race([live, new Promise((resolve) => setTimeout(resolve, 1000))]);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const listBefore = (await scoring.createLoaders().recommendations.load({ personId, first: LIVE_RECOMMENDATIONS, category: null })).map((r) => r.productId);
    const listsHeard = ownerLists.payloads.length;

    const copy = freshCopy(purchase, orderId);
    const id = copy[0].entity.key;
    await publishAll(copy);
    await Promise.all([bi.until(aboutOrder(id)), ownSeller.until(aboutOrder(id)), owner.until(aboutOrder(id))]);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const expected = (await scoring.createLoaders().deliveryRisk.load(id))!;
    const change = bi.payloads.filter(aboutOrder(id));
    // One coalesced score for the burst of the order's changes, from no score to the model's.
    expect(change).toHaveLength(1);
    expect(change[0]).toMatchObject({
      orderId: id,
      level: expected.level,
      previousLevel: null,
      previousProbability: null,
      modelVersion: expected.modelVersion,
    });
    expect(change[0].probability as number).toBeCloseTo(expected.probability, 6);
    expect(change[0].direction).toBe(expected.level === 'LOW' ? 'lowered' : 'raised');
    const reasons = await scoring.createLoaders().explain.load(expected.explain);
    expect(change[0].reasons).toEqual(reasons.map((r) => ({ text: r.text, effect: r.effect })));
    expect(ownSeller.payloads.filter(aboutOrder(id))).toEqual(change);
    expect(owner.payloads.filter(aboutOrder(id))).toEqual(change);
    // The orders of one person and one seller only; above the floor only.
    expect(otherSeller.payloads).toEqual([]);
    expect(otherCustomer.payloads).toEqual([]);
    expect(highOnly.payloads.every((p) => p.level === 'HIGH')).toBe(true);
    expect(highOnly.payloads.some(aboutOrder(id))).toBe(expected.level === 'HIGH');

    // The person's list: told exactly when the new order moved its top 10.
    const listAfter = (await scoring.createLoaders().recommendations.load({ personId, first: LIVE_RECOMMENDATIONS, category: null })).map((r) => r.productId);
    const told = ownerLists.payloads.slice(listsHeard);
    if (listAfter.join() === listBefore.join()) expect(told).toEqual([]);
    else {
      expect(told).toHaveLength(1);
      expect(told[0]).toMatchObject({ userId: personId, previousProductIds: listBefore });
      expect((told[0].products as { productId: string }[]).map((p) => p.productId)).toEqual(listAfter);
    }
    expect([bi, highOnly, ownSeller, otherSeller, owner, ownerLists, otherCustomer].flatMap((c) => c.errors)).toEqual([]);
  }, 180_000);

  it('tells a person whose top 10 a live purchase moved: the new list, the one before, and the bought product among their candidates', async () => {
    // A new shopper (fresh account and person) buys a fresh copy of the dataset order: before it, their list is
    // the cold-start one; after it, they are a returning buyer of its products (own past products, their
    // co-purchase neighbours and category lists enter the candidates).
    const customerId = `lc${randomUUID().replace(/-/g, '')}`;
    const shopper = randomUUID().replace(/-/g, '');
    const original = accountCreated.type === 'customer.account-created' ? accountCreated.data.customer : null;
    const rename = (event: ChangeEvent) =>
      JSON.parse(JSON.stringify(event).split(original!.customer_id).join(customerId).split(original!.customer_unique_id).join(shopper)) as ChangeEvent;
    const lists = subscribe(
      await ws({ role: 'customer', subject: shopper }),
      `subscription { recommendationsChanged(userId: "${shopper}") { ${RECOMMENDATIONS} } }`,
    );
    const admin = subscribe(
      await ws({ role: 'admin', subject: 'ops' }),
      `subscription { recommendationsChanged(userId: "${shopper}") { ${RECOMMENDATIONS} } }`,
    );
    // The account first (its own burst), so the list before the purchase is the shopper's cold-start list.
    await publishAll([rename(accountCreated)]);
    const features = await scoring.ensureFeatures();
    while (!features.store.index.snap.accounts.has(customerId)) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const listBefore = (await scoring.createLoaders().recommendations.load({ personId: shopper, first: LIVE_RECOMMENDATIONS, category: null })).map(
      (r) => r.productId,
    );
    const bought = purchase.flatMap((e) => (e.type === 'order.item-added' ? [e.data.item.product_id] : []));
    expect(features.store.asOfView().user(shopper).orders).toEqual([]);

    await publishAll(freshCopy(purchase, orderId).map(rename));
    await Promise.all([lists.until((p) => p.userId === shopper), admin.until((p) => p.userId === shopper)]);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const listAfter = (await scoring.createLoaders().recommendations.load({ personId: shopper, first: LIVE_RECOMMENDATIONS, category: null })).map(
      (r) => r.productId,
    );
    expect(listAfter).not.toEqual(listBefore);
    // One change for the burst (order, lines, payments), against the list before it.
    expect(lists.payloads).toHaveLength(1);
    expect(lists.payloads[0]).toMatchObject({ userId: shopper, previousProductIds: listBefore });
    expect((lists.payloads[0].products as { productId: string }[]).map((p) => p.productId)).toEqual(listAfter);
    expect(admin.payloads).toEqual(lists.payloads);
    // "Bought before" follows the event: the shopper is a returning buyer whose purchase leads their candidates.
    expect(
      features.store
        .asOfView()
        .user(shopper)
        .orders.map((o) => o.orderId),
    ).toHaveLength(1);
    expect(features.store.candidatesFor(shopper, 100).slice(0, new Set(bought).size).sort()).toEqual([...new Set(bought)].sort());
    expect([lists, admin].flatMap((c) => c.errors)).toEqual([]);
  }, 180_000);

  it('refuses recommendationsChanged for another person, and either subscription to callers without a scope (FORBIDDEN)', async () => {
    const refused = [
      subscribe(await ws({ role: 'customer', subject: personId }), `subscription { recommendationsChanged(userId: "${'e'.repeat(32)}") { userId } }`),
      subscribe(await ws({ role: 'partner', subject: 'partner-own', sellerId }), `subscription { recommendationsChanged(userId: "${personId}") { userId } }`),
      subscribe(await ws({ role: 'frontend-service', subject: 'web' }), `subscription { deliveryRiskChanged { orderId } }`),
    ];
    await Promise.all(refused.map((c) => c.ended));
    for (const collector of refused) {
      expect(collector.errors.join()).toContain('FORBIDDEN');
      expect(collector.payloads).toEqual([]);
    }
    const admin = subscribe(await ws({ role: 'admin', subject: 'ops' }), `subscription { recommendationsChanged(userId: "${personId}") { userId } }`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(admin.errors).toEqual([]);
  });
});
