/** Builds the SegmentIndex at the feature store's as-of time: behaviours from its snapshot, segments from one model run. */
import type { FeatureStore } from '../features';
import { personBehaviours, segmentRows, SEGMENT_FEATURES } from './behaviour';
import { SegmentIndex, segmentDefinitions, type SegmentsModelConfig } from './segment-index';

export async function buildSegmentIndex(
  store: FeatureStore,
  model: { config: SegmentsModelConfig; version: string },
  score: (rows: Float32Array, n: number) => Promise<Float32Array>,
): Promise<SegmentIndex> {
  const definitions = segmentDefinitions(model.config);
  const behaviours = [...personBehaviours(store.index.snap, store.asOf).values()];
  const rows = segmentRows(behaviours);
  const assigned = behaviours.length ? await score(rows, behaviours.length) : new Float32Array(0);
  if (rows.length !== behaviours.length * SEGMENT_FEATURES.length) throw new Error('segment rows do not match the features');
  return new SegmentIndex(
    store.asOf,
    model.version,
    definitions,
    behaviours,
    Array.from(assigned, (v) => Math.round(v)),
  );
}
