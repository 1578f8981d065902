import { randomUUID } from 'node:crypto';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { changeEvent, deleteStream, EventPublisher, type ChangeEvent, type EventsConfig } from '../../src/events';
import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import type { Sources } from '../../src/sources';
import { openTestSources } from '../helpers/backends';
import { tokenCredential } from '../helpers/credentials';
import { describeWithServices, serviceUrl } from '../helpers/test-services';
import type { OrderChangeMessage } from '../helpers/order-change';

type Change = OrderChangeMessage;

/** A new order's life: created, one line of `sellerId`, approved, delivered (ids unique to this run). */
function orderLife(sellerId: string): ChangeEvent[] {
  const id = `rt${randomUUID().replace(/-/g, '')}`;
  return [
    changeEvent('order.created', '2018-09-01 10:00:00', {
      order: {
        order_id: id,
        customer_id: `c${id}`,
        order_status: 'created',
        order_purchase_timestamp: '2018-09-01 10:00:00',
        order_approved_at: null,
        order_delivered_carrier_date: null,
        order_delivered_customer_date: null,
        order_estimated_delivery_date: '2018-09-20 00:00:00',
      },
    }),
    changeEvent('order.item-added', '2018-09-01 10:00:00', {
      item: { order_id: id, order_item_id: 1, product_id: 'p1', seller_id: sellerId, shipping_limit_date: '2018-09-05 00:00:00', price: 10, freight_value: 2 },
    }),
    changeEvent('order.status-changed', '2018-09-01 11:00:00', { orderId: id, status: 'approved', field: 'order_approved_at', at: '2018-09-01 11:00:00' }),
    changeEvent('order.delivered', '2018-09-06 09:00:00', { orderId: id, deliveredAt: '2018-09-06 09:00:00' }),
  ];
}

/** An error as text: GraphQL errors as JSON, a close event by its code and reason, anything else by its message. */
function describeError(error: unknown): string {
  if (Array.isArray(error)) return JSON.stringify(error);
  const e = error as { code?: number; reason?: string; message?: string };
  return e.code !== undefined ? `closed ${e.code} ${e.reason ?? ''}` : (e.message ?? String(error));
}

/** Collects a subscription's changes; `until` resolves once one satisfies the predicate. */
class Collector {
  readonly changes: Change[] = [];
  readonly errors: unknown[] = [];
  private waiters: { test: (c: Change) => boolean; resolve: () => void }[] = [];
  next = (value: { data?: Record<string, Change> | null; errors?: unknown }) => {
    if (value.errors) this.errors.push(value.errors);
    const change = value.data ? Object.values(value.data)[0] : undefined;
    if (!change) return;
    this.changes.push(change);
    this.waiters = this.waiters.filter((w) => (w.test(change) ? (w.resolve(), false) : true));
  };
  error = (error: unknown) => this.errors.push(describeError(error));
  complete = () => undefined;
  until(test: (c: Change) => boolean): Promise<void> {
    if (this.changes.some(test)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

/** Seller ids as the CRM writes them (a partner token's seller_id must be 32 hexadecimal digits). */
const SELLER_A = randomUUID().replace(/-/g, '');
const SELLER_B = randomUUID().replace(/-/g, '');
const FIELDS = 'eventId type orderId status sellerIds';

describeWithServices(['nats'], 'subscriptions over graphql-ws and graphql-sse, fed by change events', () => {
  let config: EventsConfig;
  let sources: Sources;
  let server: RunningServer;
  let publisher: EventPublisher;
  const clients: { dispose(): void | Promise<void> }[] = [];

  beforeAll(async () => {
    config = { url: serviceUrl('nats'), stream: `test-subs-${randomUUID().slice(0, 8)}` };
    sources = await openTestSources();
    server = await startEmbeddedGateway({ dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources, scoring: false, events: config });
    publisher = await EventPublisher.open(config);
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await publisher.close();
    await server.close();
    await sources.close();
    await deleteStream(config);
  });

  async function wsClient(headers: Record<string, string>): Promise<Client> {
    const client = createWsClient({ url: `ws://127.0.0.1:${server.port}/graphql/ws`, webSocketImpl: WebSocket, connectionParams: headers, retryAttempts: 0 });
    clients.push(client);
    return client;
  }

  /** Publishes fresh orders of both sellers until every collector has seen one of its seller's: all are subscribed. */
  async function untilSubscribed(collectors: [Collector, string][]): Promise<void> {
    let done = false;
    const all = Promise.all(collectors.map(([c, seller]) => c.until((change) => change.sellerIds.includes(seller)))).then(() => (done = true));
    while (!done) {
      for (const seller of [SELLER_A, SELLER_B]) for (const event of orderLife(seller).slice(0, 2)) await publisher.publish(event);
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
  }

  it('gives a partner its own seller’s order changes, in order, and never another seller’s; bi any seller over SSE', async () => {
    const partnerA = await tokenCredential({ role: 'partner', subject: 'partner-a', sellerId: SELLER_A });
    const bi = await tokenCredential({ role: 'bi', subject: 'analyst' });
    const ws = await wsClient(partnerA.headers);
    const own = new Collector();
    clients.push({ dispose: ws.subscribe({ query: `subscription { ordersOfSeller { ${FIELDS} } }` }, own) });
    const sse = createSseClient({ url: `http://127.0.0.1:${server.port}/graphql/stream`, headers: bi.headers, retryAttempts: 0 });
    clients.push(sse);
    const ofB = new Collector();
    clients.push({ dispose: sse.subscribe({ query: `subscription { ordersOfSeller(sellerId: "${SELLER_B}") { ${FIELDS} } }` }, ofB) });
    await untilSubscribed([
      [own, SELLER_A],
      [ofB, SELLER_B],
    ]);

    const lifeA = orderLife(SELLER_A);
    const lifeB = orderLife(SELLER_B);
    for (let i = 0; i < lifeA.length; i++) {
      await publisher.publish(lifeA[i]);
      await publisher.publish(lifeB[i]);
    }
    const last = (life: ChangeEvent[]) => (c: Change) => c.eventId === life[life.length - 1].id;
    await Promise.all([own.until(last(lifeA)), ofB.until(last(lifeB))]);

    // The creation comes before any line names a seller: the seller's changes start with its line.
    expect(own.changes.filter((c) => c.orderId === lifeA[0].entity.key).map((c) => c.eventId)).toEqual(lifeA.slice(1).map((e) => e.id));
    expect(ofB.changes.filter((c) => c.orderId === lifeB[0].entity.key).map((c) => [c.type, c.status])).toEqual([
      ['order.item-added', null],
      ['order.status-changed', 'approved'],
      ['order.delivered', 'delivered'],
    ]);
    expect(own.changes.every((c) => c.sellerIds.includes(SELLER_A))).toBe(true);
    expect(own.changes.some((c) => c.orderId === lifeB[0].entity.key)).toBe(false);
    expect(ofB.changes.every((c) => c.sellerIds.includes(SELLER_B))).toBe(true);
    expect([...own.errors, ...ofB.errors]).toEqual([]);
  });

  it('refuses a partner another seller’s stream (FORBIDDEN), and a connection with a bad credential', async () => {
    const partnerA = await tokenCredential({ role: 'partner', subject: 'partner-a', sellerId: SELLER_A });
    const ws = await wsClient(partnerA.headers);
    const other = new Collector();
    const ended = new Promise<void>((resolve) => {
      clients.push({
        dispose: ws.subscribe(
          { query: `subscription { ordersOfSeller(sellerId: "${SELLER_B}") { ${FIELDS} } }` },
          { next: other.next, error: (e) => (other.errors.push(describeError(e)), resolve()), complete: resolve },
        ),
      });
    });
    await ended;
    expect(JSON.stringify(other.errors)).toContain('FORBIDDEN');
    expect(other.changes).toEqual([]);

    const bad = await wsClient({ authorization: 'Bearer not-a-token' });
    const closed = await new Promise<number>((resolve) => {
      bad.on('closed', (event) => resolve((event as { code: number }).code));
      bad.subscribe({ query: `subscription { ordersOfSeller { ${FIELDS} } }` }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });
    expect(closed).toBe(4403);
  });
});
