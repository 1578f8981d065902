/**
 * Builds the rule index from the feature store the scoring service already holds: its snapshot of
 * the sources and its as-of time (FUSION_SCORING_AS_OF, default just after the latest purchase), so
 * the rules never see a purchase at or after that time and no source is read again.
 */
import type { FeatureStore } from '../features';
import { categoriesFromSnapshot, purchasesFromSnapshot } from './baskets';
import { BoughtTogetherIndex, type BoughtTogetherOptions } from './rule-index';

export interface BuiltIndex {
  index: BoughtTogetherIndex;
  /** Mining time, ms. */
  buildMs: number;
  /** V8 heap growth while mining (a rough figure: garbage not yet collected is included), bytes. */
  heapBytes: number;
  /** Read back with the persisted feature store (not mined in this process). */
  restored: boolean;
}

/**
 * With the default options the index is kept on the store (`store.boughtTogether`): a store read back
 * from the data folder brings the rules it was saved with, and they are not mined again.
 */
export function buildBoughtTogether(store: FeatureStore, options: Partial<BoughtTogetherOptions> = {}): BuiltIndex {
  const defaults = Object.keys(options).length === 0;
  if (defaults && store.boughtTogether) return { index: store.boughtTogether, buildMs: 0, heapBytes: 0, restored: true };
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const snap = store.index.snap;
  const index = BoughtTogetherIndex.mine(purchasesFromSnapshot(snap), categoriesFromSnapshot(snap), { ...options, asOf: store.asOf });
  if (defaults) store.boughtTogether = index;
  return { index, buildMs: performance.now() - started, heapBytes: process.memoryUsage().heapUsed - heapBefore, restored: false };
}
