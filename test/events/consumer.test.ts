import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { changeEvent, deleteStream, entitySubject, EventConsumer, EventPublisher, type ChangeEvent, type EventsConfig } from '../../src/events';
import { describeWithServices, serviceUrl } from '../helpers/test-services';

function orderCreated(orderId: string, at: string): ChangeEvent {
  return changeEvent('order.created', at, {
    order: {
      order_id: orderId,
      customer_id: `c-${orderId}`,
      order_status: 'created',
      order_purchase_timestamp: at,
      order_approved_at: null,
      order_delivered_carrier_date: null,
      order_delivered_customer_date: null,
      order_estimated_delivery_date: null,
    },
  });
}

function statusChanged(orderId: string, status: string, at: string): ChangeEvent {
  return changeEvent('order.status-changed', at, { orderId, status, field: 'order_approved_at', at });
}

describeWithServices(['nats'], 'change events on NATS JetStream', () => {
  let config: EventsConfig;
  let publisher: EventPublisher;
  beforeEach(async () => {
    config = { url: serviceUrl('nats'), stream: `test-events-${randomUUID().slice(0, 8)}` };
    publisher = await EventPublisher.open(config);
  });
  afterEach(async () => {
    await publisher.close();
    await deleteStream(config);
  });

  it('delivers each entity’s events in publish order, to the subject of the entity', async () => {
    const published: ChangeEvent[] = [];
    for (let i = 0; i < 30; i++) {
      const order = `o${i % 3}`;
      const event = i < 3 ? orderCreated(order, `2018-06-01 10:00:0${i}`) : statusChanged(order, `s${i}`, `2018-06-01 11:00:00`);
      published.push(event);
      await publisher.publish(event);
    }
    const received: ChangeEvent[] = [];
    const consumer = await EventConsumer.start(config, { durable: 'gateway', handle: (event) => void received.push(event) });
    await consumer.caughtUp();
    await consumer.stop();
    for (const order of ['o0', 'o1', 'o2']) {
      expect(received.filter((e) => e.entity.key === order).map((e) => e.id)).toEqual(published.filter((e) => e.entity.key === order).map((e) => e.id));
    }
    expect(received).toHaveLength(published.length);
  });

  it('stores a resent event once (the event id is the message id)', async () => {
    const event = orderCreated('o1', '2018-06-01 10:00:00');
    await publisher.publish(event);
    await publisher.publish(event);
    expect(publisher.stats()).toEqual({ published: 1, duplicates: 1 });
  });

  it('resumes after a restart where it stopped: nothing lost, nothing applied twice', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const event = orderCreated(`order-${i}`, '2018-06-01 10:00:00');
      ids.push(event.id);
      await publisher.publish(event);
    }
    const applied: string[] = [];
    // The first consumer stops after 57 events, mid-stream; a second one, same durable name, takes over.
    let stopAt: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stopAt = resolve));
    const first = await EventConsumer.start(config, {
      durable: 'gateway',
      handle: (event) => {
        if (applied.length === 57) {
          stopAt();
          throw new Error('stopping'); // retried until stop(), never acknowledged: redelivered to whoever resumes
        }
        applied.push(event.id);
      },
      retryDelayMs: 50,
    });
    await stopped;
    await first.stop();
    expect(applied.length).toBe(57);
    const second = await EventConsumer.start(config, { durable: 'gateway', handle: (event) => void applied.push(event.id) });
    await second.caughtUp();
    await second.stop();
    expect(applied).toEqual(ids);
  });

  /** Publishes raw bytes with no message id (what a resend after the duplicate window, or a foreign publisher, looks like). */
  async function publishRaw(subject: string, body: string): Promise<void> {
    const nc = await connect({ servers: config.url });
    await nc.jetstream().publish(subject, new TextEncoder().encode(body));
    await nc.close();
  }

  it('applies an event once when it is stored twice under two sequences', async () => {
    const event = orderCreated('o1', '2018-06-01 10:00:00');
    await publisher.publish(event);
    await publishRaw(entitySubject(config.stream, 'order', 'o1'), JSON.stringify(event));
    const applied: string[] = [];
    const consumer = await EventConsumer.start(config, { durable: 'gateway', handle: (e) => void applied.push(e.id) });
    await consumer.caughtUp();
    await consumer.stop();
    expect(applied).toEqual([event.id]);
    expect(consumer.stats()).toMatchObject({ delivered: 2, applied: 1, duplicates: 1 });
  });

  it('terminates a message that is not a change event, counts it, and goes on', async () => {
    await publishRaw(entitySubject(config.stream, 'order', 'o0'), '{"not":"an event"}');
    await publisher.publish(orderCreated('o1', '2018-06-01 10:00:00'));
    const errors: string[] = [];
    const consumer = await EventConsumer.start(config, { durable: 'gateway', handle: () => undefined, onMalformed: (error) => errors.push(error.message) });
    await consumer.caughtUp();
    await consumer.stop();
    expect(consumer.stats()).toMatchObject({ applied: 1, malformed: 1 });
    expect(errors).toEqual(['no event id']);
  });
});
