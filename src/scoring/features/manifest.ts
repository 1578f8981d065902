/**
 * The feature manifest: for each task, the features in model-input order with dtype, kind,
 * transform and fill value, plus a SHA-256 hash of that definition. The hash goes into every
 * exported training set and every model's config.json; a model whose hash differs from the code's
 * was trained on other features and must not be served. Normalisation constants (mean/std over the
 * training window) are data, not definition: the export writes them beside the hash.
 */
import crypto from 'node:crypto';
import type { DeliveryContext, FeatureSpec, RecommendationContext } from './context';
import { CATALOG_DELIVERY_FEATURES, CATALOG_RECOMMENDATION_FEATURES } from './catalog.features';
import { CRM_DELIVERY_FEATURES, CRM_RECOMMENDATION_FEATURES } from './crm.features';
import { GEOGRAPHY_DELIVERY_FEATURES, GEOGRAPHY_RECOMMENDATION_FEATURES } from './geography.features';
import { ORDERS_DELIVERY_FEATURES, ORDERS_RECOMMENDATION_FEATURES } from './orders.features';
import { PAYMENTS_DELIVERY_FEATURES, PAYMENTS_RECOMMENDATION_FEATURES } from './payments.features';
import { REVIEWS_DELIVERY_FEATURES, REVIEWS_RECOMMENDATION_FEATURES } from './reviews.features';

/**
 * Part of the hash. 3: every feature reads fusion's cleaned data (src/fusion/bulk.ts: zip prefixes with
 * leading zeros, validated states, catalog measures the rules accept, rejected orders left out) instead
 * of the raw rows, so a model trained on version 2 saw other inputs. 4: delivery risk gains features relative
 * to recent rates (route late share and mean days over 90 d, promised days minus those, platform days 30 d).
 */
export const MANIFEST_VERSION = 4;

export type Task = 'delivery_risk' | 'recommendation';

export const DELIVERY_FEATURES: readonly FeatureSpec<DeliveryContext>[] = [
  ...ORDERS_DELIVERY_FEATURES,
  ...PAYMENTS_DELIVERY_FEATURES,
  ...CATALOG_DELIVERY_FEATURES,
  ...CRM_DELIVERY_FEATURES,
  ...GEOGRAPHY_DELIVERY_FEATURES,
  ...REVIEWS_DELIVERY_FEATURES,
];

export const RECOMMENDATION_FEATURES: readonly FeatureSpec<RecommendationContext>[] = [
  ...ORDERS_RECOMMENDATION_FEATURES,
  ...PAYMENTS_RECOMMENDATION_FEATURES,
  ...CATALOG_RECOMMENDATION_FEATURES,
  ...CRM_RECOMMENDATION_FEATURES,
  ...GEOGRAPHY_RECOMMENDATION_FEATURES,
  ...REVIEWS_RECOMMENDATION_FEATURES,
];

export interface ManifestEntry {
  index: number;
  name: string;
  source: string;
  dtype: 'float32';
  kind: 'numeric' | 'categorical';
  cardinality: number | null;
  transform: string;
  fill: number;
  description: string;
}

export interface TaskManifest {
  task: Task;
  version: number;
  hash: string;
  features: ManifestEntry[];
}

function entries(specs: readonly FeatureSpec<unknown>[]): ManifestEntry[] {
  return specs.map((spec, index) => ({
    index,
    name: spec.name,
    source: spec.source,
    dtype: 'float32',
    kind: spec.kind,
    cardinality: spec.cardinality ?? null,
    transform: spec.transform,
    fill: spec.fill,
    description: spec.description,
  }));
}

export function taskSpecs(task: Task): readonly FeatureSpec<never>[] {
  return task === 'delivery_risk' ? DELIVERY_FEATURES : RECOMMENDATION_FEATURES;
}

/** The manifest of a task; `hash` covers version, task and every entry field, in order. */
export function taskManifest(task: Task): TaskManifest {
  const features = entries(taskSpecs(task) as readonly FeatureSpec<unknown>[]);
  return { task, version: MANIFEST_VERSION, hash: manifestHash(task, features), features };
}

/** SHA-256 over version, task and the entries (every field, in order). */
export function manifestHash(task: Task, features: readonly ManifestEntry[]): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify({ version: MANIFEST_VERSION, task, features }))
    .digest('hex');
}

export function featureNames(task: Task): string[] {
  return taskSpecs(task).map((spec) => spec.name);
}

/** Fills a row in manifest order: NaN (unknown) becomes the feature's fill value, then float32. */
export function writeRow<C>(specs: readonly FeatureSpec<C>[], ctx: C, out: Float32Array, offset: number): void {
  for (let i = 0; i < specs.length; i++) {
    const value = specs[i].compute(ctx);
    out[offset + i] = Number.isFinite(value) ? value : specs[i].fill;
  }
}
