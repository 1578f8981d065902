/**
 * scoring/segments: customer segments — RFM scores and a k-means clustering of behaviour features
 * (model "segments": ONNX, trained by training/segments.py), as of the scoring as-of time. Owns
 *  - behaviour.ts: persons' purchase behaviour at a date and the clustering's features;
 *  - rfm.ts: RFM quintile scores;
 *  - naming.ts: a segment's name from its centroid, in words;
 *  - split.ts: the chronological split of training and evaluation;
 *  - segment-index.ts: every person's segment and every segment's profile at the as-of time;
 *  - loader.ts: the per-request DataLoader behind User.segment.
 * No GraphQL types here; src/subgraphs/scoring exposes it.
 */
export * from './behaviour';
export * from './rfm';
export * from './split';
export * from './naming';
export * from './segment-index';
export * from './build';
export * from './loader';
