import type { ChangeEvent } from '../../events';
import { logger } from '../../observability';
import type { RecommendationResult, RiskResult, ScoringService } from '../../scoring';
import type { FeatureStore } from '../../scoring/features';
import type { ChangeHub, RiskChange } from './change-hub';

export interface LiveScoresOptions {
  scoring: ScoringService;
  hub: ChangeHub;
  /** Changes arriving within this window are scored together (a burst of one order's events: one score). @default 50 */
  coalesceMs?: number;
  /** Orders and persons remembered with their last score (the oldest are forgotten first). @default 100000 */
  memory?: number;
}

/** How many recommendations a person's list holds for `recommendationsChanged` (the query's default page). */
export const LIVE_RECOMMENDATIONS = 10;

interface Pending {
  occurredAt: string;
}

/** A Map that forgets its oldest entries beyond `limit`. */
class BoundedMemory<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/**
 * The scores that follow the change events: after an order's event is applied to the feature store, its
 * delivery risk is scored again (the `Order.deliveryRisk` loaders) and published to `hub.risks` when its level
 * or score moved; the person who placed it has their recommendations re-ranked and published to
 * `hub.recommendations` when the top list changed. Bounded: only the affected orders and persons are scored,
 * only while someone subscribes, and a burst within `coalesceMs` is scored once (one loader batch).
 * The score before a change is taken (`before`) when an order or person is first touched, so "changed" is
 * against what the store said, not against nothing.
 */
export class LiveScores {
  /** The last score told (or the baseline); null: the order had none (created live). */
  private readonly risks: BoundedMemory<{ probability: number; level: RiskResult['level'] } | null>;
  private readonly lists: BoundedMemory<string[]>;
  private readonly orders = new Map<string, Pending>();
  private readonly persons = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: LiveScoresOptions) {
    this.risks = new BoundedMemory(options.memory ?? 100_000);
    this.lists = new BoundedMemory(options.memory ?? 100_000);
  }

  /** Before an event is applied: remembers the scores it may move, for orders and persons not remembered yet. */
  async before(event: ChangeEvent, store: FeatureStore): Promise<void> {
    if (event.entity.kind !== 'order') return;
    const orderId = event.entity.key;
    const loaders = this.options.scoring.createLoaders();
    const order = store.index.orders.get(orderId);
    const jobs: Promise<void>[] = [];
    // A new order had no score; one remembered or already waiting in this burst keeps its baseline.
    if (!order && event.type === 'order.created') this.risks.set(orderId, null);
    if (this.options.hub.risks.hasSubscribers() && order && !this.risks.has(orderId) && !this.orders.has(orderId))
      jobs.push(
        loaders.deliveryRisk.load(orderId).then((risk) => {
          if (risk) this.risks.set(orderId, { probability: risk.probability, level: risk.level });
        }),
      );
    // A new order's person is known by its account (an account created live comes in an earlier event).
    const personId = order?.personId ?? (event.type === 'order.created' ? store.index.snap.accounts.get(event.data.order.customer_id)?.personId : undefined);
    if (this.options.hub.recommendations.hasSubscribers() && personId && !this.lists.has(personId) && !this.persons.has(personId))
      jobs.push(
        loaders.recommendations.load({ personId, first: LIVE_RECOMMENDATIONS, category: null }).then((list) => {
          this.lists.set(
            personId,
            list.map((r) => r.productId),
          );
        }),
      );
    await Promise.all(jobs);
  }

  /** After an event was applied: its order and person are scored in the next coalesced batch. */
  after(event: ChangeEvent, store: FeatureStore): void {
    if (event.entity.kind !== 'order') return;
    const orderId = event.entity.key;
    if (this.options.hub.risks.hasSubscribers()) this.orders.set(orderId, { occurredAt: event.occurredAt });
    const personId = store.index.orders.get(orderId)?.personId;
    if (personId && this.options.hub.recommendations.hasSubscribers()) this.persons.set(personId, { occurredAt: event.occurredAt });
    if (!this.timer && (this.orders.size > 0 || this.persons.size > 0)) {
      this.timer = setTimeout(() => this.flush(), this.options.coalesceMs ?? 50);
      this.timer.unref();
    }
  }

  /** Resolves when every batch scheduled so far has been scored and published. */
  async settled(): Promise<void> {
    while (this.timer) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.flushing;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    const orders = new Map(this.orders);
    const persons = new Map(this.persons);
    this.orders.clear();
    this.persons.clear();
    this.flushing = this.flushing
      .then(() => this.score(orders, persons))
      .catch((error: unknown) => logger().warn({ err: error }, 'live scores: re-scoring after change events failed'));
  }

  private async score(orders: Map<string, Pending>, persons: Map<string, Pending>): Promise<void> {
    const { scoring, hub } = this.options;
    const store = (await scoring.ensureFeatures()).store;
    const loaders = scoring.createLoaders();
    const orderIds = [...orders.keys()];
    const personIds = [...persons.keys()];
    const [risks, lists] = await Promise.all([
      loaders.deliveryRisk.loadMany(orderIds),
      loaders.recommendations.loadMany(personIds.map((personId) => ({ personId, first: LIVE_RECOMMENDATIONS, category: null }))),
    ]);
    const moved: { orderId: string; risk: RiskResult; previous: { probability: number; level: RiskResult['level'] } | null | undefined }[] = [];
    orderIds.forEach((orderId, i) => {
      const risk = risks[i];
      if (!risk || risk instanceof Error) return;
      const previous = this.risks.get(orderId);
      this.risks.set(orderId, { probability: risk.probability, level: risk.level });
      if (!previous || previous.level !== risk.level || previous.probability !== risk.probability) moved.push({ orderId, risk, previous });
    });
    const reasons = await loaders.explain.loadMany(moved.map((m) => m.risk.explain));
    moved.forEach(({ orderId, risk, previous }, i) => {
      const explained = reasons[i];
      const change: RiskChange = {
        orderId,
        probability: risk.probability,
        level: risk.level,
        previousLevel: previous?.level ?? null,
        previousProbability: previous?.probability ?? null,
        reasons: explained instanceof Error ? [] : explained.map((r) => ({ text: r.text, effect: r.effect })),
        direction: risk.explain.direction,
        modelVersion: risk.modelVersion,
        occurredAt: orders.get(orderId)!.occurredAt,
        sellerIds: hub.sellersFromEvents(orderId),
        personId: store.index.orders.get(orderId)?.personId ?? '',
      };
      hub.risks.publish(change);
    });
    personIds.forEach((personId, i) => {
      const list = lists[i];
      if (list instanceof Error) return;
      const productIds = list.map((r: RecommendationResult) => r.productId);
      const previous = this.lists.get(personId) ?? [];
      this.lists.set(personId, productIds);
      if (previous.length === productIds.length && previous.every((id, j) => id === productIds[j])) return;
      hub.recommendations.publish({
        userId: personId,
        products: list.map((r) => ({ productId: r.productId, score: r.score })),
        previousProductIds: previous,
        modelVersion: list[0]?.modelVersion ?? scoring.modelVersion('recommendation'),
        occurredAt: persons.get(personId)!.occurredAt,
      });
    });
  }
}
