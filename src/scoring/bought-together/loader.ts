/**
 * The per-request DataLoader of Product.boughtTogether: every product of one nesting level in one
 * batch, answered from the in-memory rule index (no source call; the index is built once).
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { BoughtTogetherIndex, BoughtTogetherItem } from './rule-index';

export interface BoughtTogetherKey {
  productId: string;
  first: number;
}

export function createBoughtTogetherLoader(index: () => Promise<BoughtTogetherIndex>) {
  return new DataLoader<BoughtTogetherKey, BoughtTogetherItem[], string>(
    async (keys) => {
      try {
        const rules = await index();
        return keys.map((k) => (rules.has(k.productId) ? rules.recommend(k.productId, k.first) : []));
      } catch (error) {
        const coded = error instanceof GraphQLError ? error : new Error(error instanceof Error ? error.message : String(error));
        return keys.map(() => coded);
      }
    },
    { cacheKeyFn: (k) => `${k.productId}|${k.first}` },
  );
}
