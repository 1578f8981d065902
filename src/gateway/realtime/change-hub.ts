import type { ChangeEvent } from '../../events';
import type { RiskLevelName } from '../../scoring';

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

/** An order's delivery risk after a change moved it (its level or its score). */
export interface RiskChange {
  orderId: string;
  probability: number;
  level: RiskLevelName;
  /** null when the order had no score before (a new order). */
  previousLevel: RiskLevelName | null;
  previousProbability: number | null;
  /** As `Risk.explanation` gives them: what raised the score (MEDIUM, HIGH) or, for a LOW risk, what lowered it. */
  reasons: { text: string; effect: number | null }[];
  direction: 'raised' | 'lowered';
  modelVersion: string;
  /** The shop's time of the last change scored. */
  occurredAt: string;
  /** For the row scopes (not shown): the order's sellers and the person who placed it. */
  sellerIds: string[];
  personId: string;
}

/** A person's top recommendations after a change of their data re-ranked them. */
export interface RecommendationsChange {
  userId: string;
  products: { productId: string; score: number }[];
  /** The product ids of the previous top list (empty when there was none). */
  previousProductIds: string[];
  modelVersion: string;
  occurredAt: string;
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
class Subscriber<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;

  constructor(
    private readonly topic: Topic<T>,
    readonly accepts: (change: T) => boolean,
    private readonly bufferSize: number,
  ) {}

  /** Delivers or buffers; a full buffer drops its oldest change (the newest state matters most) and says so. */
  offer(change: T): boolean {
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

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.done = true;
    this.queue.length = 0;
    this.topic.remove(this);
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** One kind of message fanned out to its subscribers, in publishing order, each through its own bounded buffer. */
export class Topic<T> {
  private readonly subscribers = new Set<Subscriber<T>>();
  private published = 0;
  private dropped = 0;

  constructor(private readonly bufferSize: number) {}

  subscribe(accepts: (change: T) => boolean): AsyncIterableIterator<T> {
    const subscriber = new Subscriber(this, accepts, this.bufferSize);
    this.subscribers.add(subscriber);
    return subscriber;
  }

  remove(subscriber: Subscriber<T>): void {
    this.subscribers.delete(subscriber);
  }

  /** Whether anyone listens (producers skip the work of a message nobody would receive). */
  hasSubscribers(): boolean {
    return this.subscribers.size > 0;
  }

  publish(message: T): void {
    this.published += 1;
    for (const subscriber of this.subscribers) if (subscriber.accepts(message) && !subscriber.offer(message)) this.dropped += 1;
  }

  stats(): HubStats {
    return { subscribers: this.subscribers.size, published: this.published, dropped: this.dropped };
  }
}

/**
 * Fans applied change events out to subscriptions, in the order they were applied (`subscribe`), and the
 * scores that followed them (`risks`, `recommendations`: live-scores.ts). Each subscriber has a bounded
 * buffer: a slow one loses its oldest changes (counted in `dropped`), never grows memory.
 */
export class ChangeHub {
  private readonly orders: Topic<OrderChange>;
  readonly risks: Topic<RiskChange>;
  readonly recommendations: Topic<RecommendationsChange>;
  /** Sellers seen in each order's item events (orders the sources may not show yet). */
  private readonly sellersOfOrder = new Map<string, Set<string>>();

  constructor(options: HubOptions = {}) {
    const size = options.bufferSize ?? 256;
    this.orders = new Topic(size);
    this.risks = new Topic(size);
    this.recommendations = new Topic(size);
  }

  subscribe(accepts: (change: OrderChange) => boolean): AsyncIterableIterator<OrderChange> {
    return this.orders.subscribe(accepts);
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
    this.orders.publish(change);
  }

  /** The order's sellers known from its events. */
  sellersFromEvents(orderId: string): string[] {
    return [...(this.sellersOfOrder.get(orderId) ?? [])];
  }

  /** The order changes' figures (the score topics keep their own: `risks.stats()`, `recommendations.stats()`). */
  stats(): HubStats {
    return this.orders.stats();
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
