import { hostname } from 'node:os';
import { EventConsumer, type ChangeEvent, type ConsumerStats, type EventsConfig } from '../../events';
import { invalidateKeyData, keyChangeOf } from '../../fusion';
import { logger } from '../../observability';
import { applyChange, type LiveOutcome } from '../../scoring/features';
import type { ScoringService } from '../../scoring';
import type { Sources } from '../../sources';
import type { ChangeHub } from './change-hub';
import { LiveScores } from './live-scores';

export interface LiveEventsOptions {
  events: EventsConfig;
  sources: Sources;
  scoring: ScoringService | null;
  /** The durable consumer's name: one per gateway replica (each keeps its own caches and feature store). @default fusion-gateway-<host> */
  durable?: string;
  /** Where applied changes go to subscriptions (none: no subscriptions). */
  hub?: ChangeHub;
  /** Told of every applied event (for the benchmark). */
  onApplied?: (event: ChangeEvent, outcome: LiveOutcome) => void;
}

export interface LiveEvents {
  stats(): ConsumerStats;
  caughtUp(): Promise<void>;
  /** Resolves when the scores that followed the events applied so far are published (no scoring: at once). */
  scoresSettled(): Promise<void>;
  stop(): Promise<void>;
}

/** Entity-cache entries a change makes stale: the order it changes, the account it creates. */
function staleEntries(event: ChangeEvent): { entity: 'order' | 'account'; id: string } | null {
  if (event.entity.kind === 'customer') return { entity: 'account', id: event.entity.key };
  return event.type === 'review.added' ? null : { entity: 'order', id: event.entity.key };
}

/**
 * The gateway's side of the change events: a durable consumer that, on each event, drops the stale entries
 * of the Redis entity cache (the per-request DataLoaders, the L1, live one request only) and the key data the
 * change makes stale (cross-system filter key sets, analytics reference maps: fusion/key-data.ts), and applies the
 * change to the scoring feature store incrementally, so the next query (deliveryRisk, recommendations,
 * aggregates) reflects it. The sources themselves already hold the change (it is written before it is published).
 */
/** A durable consumer's name for this host: one per replica, so replicas never take each other's messages. */
export function durableForHost(prefix: string): string {
  return `${prefix}-${hostname().replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** Later than the store's deferred first write and GC (scoring/feature-assembly.ts), so that the three do not pile up. */
const LIVE_VIEW_AFTER_READY_MS = 2_000;

export async function startLiveEvents(options: LiveEventsOptions): Promise<LiveEvents> {
  const log = logger();
  const scores = options.scoring && options.hub ? new LiveScores({ scoring: options.scoring, hub: options.hub }) : null;
  // The as-of view's live tallies (one walk of the index for a store read back from disk) are made once the
  // store is ready, after its deferred write, not on the first event's path. A failed build is the handler's to report.
  options.scoring?.ensureFeatures().then(
    ({ store }) => setTimeout(() => store.liveView(), LIVE_VIEW_AFTER_READY_MS).unref(),
    () => undefined,
  );
  const consumer = await EventConsumer.start(options.events, {
    durable: options.durable ?? durableForHost('fusion-gateway'),
    handle: async (event) => {
      const stale = staleEntries(event);
      if (stale && options.sources.cache) await options.sources.cache.invalidate(stale.entity, [stale.id]);
      // The review is in the store already (written before published); an in-memory index reads it now.
      if (event.type === 'review.added') {
        const appended = await options.sources.reviews.readAppended?.();
        for (const bad of appended?.malformed ?? [])
          log.error({ eventId: event.id, line: bad.line }, `change events: a review line was left out: ${bad.message}`);
      }
      const keyChange = keyChangeOf(event);
      if (keyChange) await invalidateKeyData(options.sources, keyChange);
      let outcome: LiveOutcome = 'applied';
      const store = options.scoring ? (await options.scoring.ensureFeatures()).store : null;
      if (store) {
        await scores?.before(event, store);
        outcome = applyChange(store, event);
      }
      if (options.hub && event.entity.kind === 'order') {
        const orderId = event.entity.key;
        // The order's sellers for the partners' row scope: from its item events, else from the order system.
        // (A new order, or a line that names its seller, needs no look-up.)
        const told = event.type === 'order.created' || event.type === 'order.item-added' || options.hub.sellersFromEvents(orderId).length > 0;
        const known = told ? [] : (await options.sources.orders.itemsByOrderIds([orderId]))[0].map((i) => i.sellerId);
        options.hub.publish(event, known);
        if (store) scores?.after(event, store);
      }
      options.onApplied?.(event, outcome);
    },
    onMalformed: (error, sequence) => log.warn({ sequence, err: error }, 'change events: a message that is not a change event was dropped'),
    onError: (error, event) => log.error({ eventId: event.id, type: event.type, err: error }, 'change events: applying an event failed; retrying'),
  });
  return {
    stats: () => consumer.stats(),
    caughtUp: () => consumer.caughtUp(),
    scoresSettled: async () => scores?.settled(),
    stop: async () => {
      await consumer.stop();
      scores?.stop();
    },
  };
}
