/**
 * scoring/bought-together: "frequently bought together" — association rules over orders (same
 * order) and persons' baskets (same identity-resolved person, different orders), with category-level
 * rules as the fallback, mined from the purchases before the scoring as-of time. Owns
 *  - baskets.ts: purchases from the feature store's snapshot (bought statuses only, as-of cut);
 *  - rule-index.ts: the miner (support, share, confidence, lift, minimum support) and the top-K index;
 *  - build.ts: the index from a FeatureStore, with its build time and heap growth;
 *  - loader.ts: the per-request DataLoader behind Product.boughtTogether.
 * No GraphQL types here; src/subgraphs/scoring exposes it.
 */
export * from './baskets';
export * from './rule-index';
export * from './build';
export * from './loader';
