import type { ChangeEvent } from '../../events';

/** What a subscriber receives: one applied change, reduced to what a subscription may show (no person data). */
export interface OrderChange {
  eventId: string;
  type: string;
  orderId: string;
  /** The order's status after the change, when the change sets one. */
  status: string | null;
  occurredAt: string;
  /** The sellers with a line in the order, as far as known when the change was applied. */
  sellerIds: string[];
}

export interface HubOptions {
  /** Changes buffered per subscriber before the oldest are dropped. @default 256 */
  bufferSize?: number;
}

export interface HubStats {
  subscribers: number;
  published: number;
  /** Changes dropped because a subscriber read too slowly (its buffer was full). */
  dropped: number;
}

/** One subscriber's bounded queue, read as an async iterator. */
class Subscriber implements AsyncIterableIterator<OrderChange> {
  private readonly queue: OrderChange[] = [];
  private waiting: ((result: IteratorResult<OrderChange>) => void) | null = null;
  private done = false;

  constructor(
    private readonly hub: ChangeHub,
    readonly accepts: (change: OrderChange) => boolean,
    private readonly bufferSize: number,
  ) {}

  /** Delivers or buffers; a full buffer drops its oldest change (the newest state matters most) and says so. */
  offer(change: OrderChange): boolean {
    if (this.done) return true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: change, done: false });
      return true;
    }
    this.queue.push(change);
    if (this.queue.length <= this.bufferSize) return true;
    this.queue.shift();
    return false;
  }

  next(): Promise<IteratorResult<OrderChange>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<OrderChange>> {
    this.done = true;
    this.queue.length = 0;
    this.hub.remove(this);
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Fans applied change events out to subscriptions, in the order they were applied. Each subscriber has a
 * bounded buffer: a slow one loses its oldest changes (counted in `dropped`), never grows memory.
 */
export class ChangeHub {
  private readonly subscribers = new Set<Subscriber>();
  /** Sellers seen in each order's item events (orders the sources may not show yet). */
  private readonly sellersOfOrder = new Map<string, Set<string>>();
  private published = 0;
  private dropped = 0;

  constructor(private readonly options: HubOptions = {}) {}

  subscribe(accepts: (change: OrderChange) => boolean): AsyncIterableIterator<OrderChange> {
    const subscriber = new Subscriber(this, accepts, this.options.bufferSize ?? 256);
    this.subscribers.add(subscriber);
    return subscriber;
  }

  remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
  }

  /** Publishes one applied event; `knownSellers` are the order's sellers the sources hold. */
  publish(event: ChangeEvent, knownSellers: readonly string[] = []): void {
    if (event.entity.kind !== 'order') return;
    const orderId = event.entity.key;
    let sellers = this.sellersOfOrder.get(orderId);
    if (!sellers) this.sellersOfOrder.set(orderId, (sellers = new Set()));
    for (const id of knownSellers) sellers.add(id);
    if (event.type === 'order.item-added') sellers.add(event.data.item.seller_id);
    const change: OrderChange = {
      eventId: event.id,
      type: event.type,
      orderId,
      status: statusOf(event),
      occurredAt: event.occurredAt,
      sellerIds: [...sellers].sort(),
    };
    this.published += 1;
    for (const subscriber of this.subscribers) if (subscriber.accepts(change) && !subscriber.offer(change)) this.dropped += 1;
  }

  /** The order's sellers known from its events. */
  sellersFromEvents(orderId: string): string[] {
    return [...(this.sellersOfOrder.get(orderId) ?? [])];
  }

  stats(): HubStats {
    return { subscribers: this.subscribers.size, published: this.published, dropped: this.dropped };
  }
}

function statusOf(event: ChangeEvent): string | null {
  switch (event.type) {
    case 'order.created':
      return event.data.order.order_status;
    case 'order.status-changed':
      return event.data.status;
    case 'order.delivered':
      return 'delivered';
    default:
      return null;
  }
}
