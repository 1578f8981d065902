/**
 * Distributed subscriptions: Hive Gateway's runtime over the subgraph services carries the orders subgraph's
 * Subscription fields (to the orders service over SSE), and resolves the changed order's fields across subgraphs.
 * The orders service follows the change events on its own durable consumer (real NATS); a client subscribes at the
 * Hive gateway over SSE; the partners' row scope and the authentication are the subgraph's, as for queries.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-sse';
import { startHiveGateway, type RunningHive } from '../../bench/peers/hive-runtime';
import { changeEvent, deleteStream, EventPublisher, type ChangeEvent, type EventsConfig } from '../../src/events';
import { composeSupergraph, startSubgraphService, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { buildAllSubgraphs, SUBGRAPH_NAMES } from '../../src/subgraphs';
import { openTestSources } from '../helpers/backends';
import { adminCredential, bearer, tokenCredential, type Credential } from '../helpers/credentials';
import { postQuery } from '../helpers/graphql-client';
import { describeWithServices, serviceUrl } from '../helpers/test-services';
import type { OrderChangeMessage } from '../helpers/order-change';

/** The change with the order resolved across subgraphs: orders (status, lines), products (category), users (the person's accounts). */
const CHANGE_FIELDS = 'eventId type orderId status sellerIds order { id status customer { id } items { product { id category { name } } seller { id } } }';
const ORDER_FIELDS = 'id status customer { id } items { product { id category { name } } seller { id } }';

interface Change extends OrderChangeMessage {
  order: Record<string, unknown> | null;
}

/** Collects a subscription's payloads; `until` resolves once one change (or an error) satisfies the predicate. */
class Collector {
  readonly changes: Change[] = [];
  readonly errors: unknown[] = [];
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  readonly sink = {
    next: (value: { data?: Record<string, Change> | null; errors?: unknown }) => {
      if (value.errors) this.errors.push(value.errors);
      const change = value.data ? Object.values(value.data)[0] : undefined;
      if (change) this.changes.push(change);
      this.settle();
    },
    error: (error: unknown) => {
      this.errors.push(error instanceof Error ? error.message : error);
      this.settle();
    },
    complete: () => this.settle(),
  };
  private settle(): void {
    this.waiters = this.waiters.filter((w) => (w.test() ? (w.resolve(), false) : true));
  }
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
  untilEvent(id: string): Promise<void> {
    return this.until(() => this.changes.some((c) => c.eventId === id));
  }
}

/** A status change of an order the stores hold (the event is only published: the order's stored fields stay as they are). */
function statusChange(orderId: string, status: string): ChangeEvent {
  return changeEvent('order.status-changed', '2018-09-01 11:00:00', { orderId, status, field: 'order_approved_at', at: '2018-09-01 11:00:00' });
}

describeWithServices(['nats'], 'subscriptions through Hive Gateway over the subgraph services', () => {
  let config: EventsConfig;
  let sources: Sources;
  const services: RunningServer[] = [];
  let ordersUrl: string;
  let hive: RunningHive;
  let publisher: EventPublisher;
  const clients: Client[] = [];
  const disposers: (() => void)[] = [];
  /** Two stored orders of two different sellers. */
  let orderA: { id: string; sellerId: string };
  let orderB: { id: string; sellerId: string };

  beforeAll(async () => {
    config = { url: serviceUrl('nats'), stream: `test-hive-subs-${randomUUID().slice(0, 8)}` };
    sources = await openTestSources();
    const urls: Record<string, string> = {};
    // Sequential: type-graphql's schema builder keeps global state while it runs.
    for (const name of SUBGRAPH_NAMES) {
      const service = await startSubgraphService({
        name,
        dataDir: configFromEnv().dataDir,
        port: 0,
        host: '127.0.0.1',
        sources,
        ...(name === 'orders' ? { events: config, durable: `test-orders-${randomUUID().slice(0, 8)}` } : {}),
      });
      services.push(service);
      urls[name] = `http://127.0.0.1:${service.port}/graphql`;
      if (name === 'orders') ordersUrl = urls[name];
    }
    hive = await startHiveGateway(composeSupergraph(await buildAllSubgraphs(), urls).supergraphSdl);
    publisher = await EventPublisher.open(config);

    const shipped = await sources.orders.ordersPage({ status: 'shipped', limit: 50 });
    const items = await sources.orders.itemsByOrderIds(shipped.map((o) => o.orderId));
    const single = shipped
      .map((o, i) => ({ id: o.orderId, sellers: [...new Set(items[i].map((item) => item.sellerId))] }))
      .filter((o) => o.sellers.length === 1);
    orderA = { id: single[0].id, sellerId: single[0].sellers[0] };
    const other = single.find((o) => o.sellers[0] !== orderA.sellerId)!;
    orderB = { id: other.id, sellerId: other.sellers[0] };
  }, 120_000);

  afterAll(async () => {
    for (const dispose of disposers) dispose();
    for (const client of clients) client.dispose();
    await publisher?.close();
    await hive?.close();
    for (const service of services) await service.close();
    await sources?.close();
    if (config) await deleteStream(config);
  });

  function subscribe(credential: Credential, query: string): Collector {
    const client = createClient({ url: hive.url, headers: credential.headers, retryAttempts: 0 });
    clients.push(client);
    const collector = new Collector();
    disposers.push(client.subscribe({ query }, collector.sink));
    return collector;
  }

  /** Publishes status changes of `orderId` until each collector has received one: they are all subscribed. */
  async function untilSubscribed(orderId: string, collectors: Collector[]): Promise<void> {
    const seen = collectors.map((c) => c.changes.length);
    let done = false;
    const all = Promise.all(collectors.map((c, i) => c.until(() => c.changes.length > seen[i] || c.errors.length > 0))).then(() => (done = true));
    while (!done) {
      await publisher.publish(statusChange(orderId, 'shipped'));
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
    for (const c of collectors) expect(c.errors).toEqual([]);
  }

  it("delivers an order's changes in order, with the order's fields resolved across subgraphs", async () => {
    const admin = await adminCredential();
    const updates = subscribe(admin, `subscription { orderUpdated(id: "${orderA.id}") { ${CHANGE_FIELDS} } }`);
    await untilSubscribed(orderA.id, [updates]);

    const life = [statusChange(orderA.id, 'approved'), statusChange(orderA.id, 'invoiced'), statusChange(orderA.id, 'shipped')];
    for (const event of life) await publisher.publish(event);
    await updates.untilEvent(life[life.length - 1].id);

    const received = updates.changes.filter((c) => life.some((e) => e.id === c.eventId));
    expect(received.map((c) => [c.eventId, c.type, c.orderId, c.status, c.sellerIds])).toEqual(
      life.map((e) => [e.id, 'order.status-changed', orderA.id, (e.data as { status: string }).status, [orderA.sellerId]]),
    );
    // The order as a query through the same Hive gateway answers it (the orders, users and products subgraphs).
    const query = await postQuery(hive.url, `{ order(id: "${orderA.id}") { ${ORDER_FIELDS} } }`, {}, admin);
    expect(query.body.errors).toBeUndefined();
    const order = (query.body.data as { order: Record<string, unknown> }).order;
    expect((order.items as unknown[]).length).toBeGreaterThan(0);
    for (const change of received) expect(change.order).toEqual(order);
  });

  it("gives a partner its own seller's orders only, refuses another seller's and a wrong token", async () => {
    const partnerB = await tokenCredential({ role: 'partner', subject: 'partner-b', sellerId: orderB.sellerId });
    const own = subscribe(partnerB, `subscription { ordersOfSeller { ${CHANGE_FIELDS} } }`);
    await untilSubscribed(orderB.id, [own]);

    // Seller A's change comes first on the stream: had the scope let it through, it would arrive before B's.
    const ofA = statusChange(orderA.id, 'delivered');
    const ofB = statusChange(orderB.id, 'delivered');
    await publisher.publish(ofA);
    await publisher.publish(ofB);
    await own.untilEvent(ofB.id);
    expect(own.changes.every((c) => c.orderId === orderB.id && c.sellerIds.includes(orderB.sellerId))).toBe(true);
    expect(own.changes.some((c) => c.eventId === ofA.id)).toBe(false);
    expect(own.changes.find((c) => c.eventId === ofB.id)!.order).toMatchObject({ id: orderB.id });

    const otherSeller = subscribe(partnerB, `subscription { ordersOfSeller(sellerId: "${orderA.sellerId}") { eventId } }`);
    await otherSeller.until(() => otherSeller.errors.length > 0);
    expect(JSON.stringify(otherSeller.errors)).toContain('FORBIDDEN');
    expect(otherSeller.changes).toEqual([]);

    const wrongToken = subscribe(bearer('not-a-token'), `subscription { orderUpdated(id: "${orderA.id}") { eventId } }`);
    await wrongToken.until(() => wrongToken.errors.length > 0);
    expect(wrongToken.changes).toEqual([]);
    expect(JSON.stringify(wrongToken.errors)).toContain('UNAUTHENTICATED');
  });

  it('refuses a subscription sent as a plain HTTP request with a coded error (it has no stream to read)', async () => {
    const answer = await postQuery(ordersUrl, `subscription { orderUpdated(id: "${orderA.id}") { eventId } }`, {}, await adminCredential());
    expect(answer.status).toBe(200);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBSCRIPTIONS_UNAVAILABLE']);
  });
});
