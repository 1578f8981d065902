/**
 * The row-at-a-time reading of the recommendation feature definitions: one RecommendationContext per
 * (person, product) pair, every feature's `compute` called on it. This is what the vectorised
 * assembly (recommendation-rows.ts) must equal bit for bit; only the correctness test and the
 * scoring benchmark call it, serving and the training export go through FeatureStore.
 */
import type { RecommendationContext } from './context';
import type { FeatureStore } from './feature-store';
import { RECOMMENDATION_FEATURES, writeRow } from './manifest';

/** Row-major [productIds.length × recommendationWidth] for one person at the store's as-of time. */
export function referenceRecommendationRows(store: FeatureStore, personId: string, productIds: readonly string[]): Float32Array {
  const view = store.asOfView();
  const user = view.user(personId);
  const past = [...user.bought.keys()];
  const width = RECOMMENDATION_FEATURES.length;
  const out = new Float32Array(productIds.length * width);
  productIds.forEach((productId, r) => {
    const ctx: RecommendationContext = {
      index: store.index,
      t: store.asOf,
      user,
      product: view.product(productId),
      coSimilarity: past.filter((p) => p !== productId).map((p) => view.cosine(productId, p)),
    };
    writeRow(RECOMMENDATION_FEATURES, ctx, out, r * width);
  });
  return out;
}
