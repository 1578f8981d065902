/**
 * The per-request DataLoader of Order.anomaly: every order of one nesting level in one batch — one
 * model run for the scores and one for the reasons (each row copied once per feature that differs
 * from the training median, that feature set to the median: effect = score − occluded score).
 * Levels: HIGH from the 99.9th percentile of the training orders' scores, MEDIUM from the 99th.
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { FeatureStore } from '../features';
import { ANOMALY_FEATURES, anomalyRows, type OrderFactsRow } from './order-features';
import { anomalyPhrase, NOTHING_UNUSUAL } from './reasons';

export type AnomalyLevel = 'LOW' | 'MEDIUM' | 'HIGH';

export interface AnomalyReason {
  text: string;
  effect: number | null;
}

export interface AnomalyResult {
  score: number;
  level: AnomalyLevel;
  reasons: AnomalyReason[];
  modelVersion: string;
}

export interface AnomalyModelConfig {
  feature_median?: Record<string, number>;
  thresholds?: { medium?: number; high?: number };
}

export interface AnomalyModel {
  config: AnomalyModelConfig;
  modelVersion: string;
  score(rows: Float32Array, n: number): Promise<Float32Array>;
}

/** Reasons shown at most, and the smallest effect worth a reason. */
export const MAX_REASONS = 3;
export const MIN_EFFECT = 0.005;

export function anomalyLevel(score: number, thresholds: { medium: number; high: number }): AnomalyLevel {
  if (score >= thresholds.high) return 'HIGH';
  if (score >= thresholds.medium) return 'MEDIUM';
  return 'LOW';
}

/** The order's facts at the store's as-of time; null for unknown orders and orders purchased after it. */
export function orderFactsOf(store: FeatureStore, orderId: string): OrderFactsRow | null {
  const order = store.index.orders.get(orderId);
  if (!order || !(order.purchase < store.asOf + 1)) return null;
  return { order, items: store.index.snap.items.get(orderId) ?? [], payments: store.index.snap.payments.get(orderId) ?? [] };
}

/** Scores and explains `rows` in two model runs. */
export async function scoreAnomalies(rows: readonly OrderFactsRow[], model: AnomalyModel): Promise<AnomalyResult[]> {
  const median = model.config.feature_median ?? {};
  const thresholds = { medium: model.config.thresholds?.medium ?? 0.6, high: model.config.thresholds?.high ?? 0.65 };
  const width = ANOMALY_FEATURES.length;
  const reference = Float32Array.from(ANOMALY_FEATURES, (f) => median[f.name] ?? 0);
  const x = anomalyRows(rows);
  const n = rows.length;
  if (n === 0) return [];
  const scores = await model.score(x, n);
  const plan = rows.map((_, r) => ANOMALY_FEATURES.map((_, j) => j).filter((j) => x[r * width + j] !== reference[j]));
  const total = plan.reduce((s, p) => s + p.length, 0);
  const occludedRows = new Float32Array(total * width);
  let k = 0;
  plan.forEach((features, r) => {
    for (const j of features) {
      occludedRows.set(x.subarray(r * width, (r + 1) * width), k * width);
      occludedRows[k * width + j] = reference[j];
      k++;
    }
  });
  const occluded = total ? await model.score(occludedRows, total) : new Float32Array(0);
  k = 0;
  return rows.map((_, r) => {
    const effects = plan[r].map((j) => ({ j, effect: scores[r] - occluded[k++] }));
    const reasons = effects
      .filter((e) => e.effect >= MIN_EFFECT)
      .sort((a, b) => b.effect - a.effect || a.j - b.j)
      .slice(0, MAX_REASONS)
      .map(({ j, effect }) => ({ text: anomalyPhrase(ANOMALY_FEATURES[j].name, x[r * width + j], reference[j], rows[r]), effect }));
    return {
      score: scores[r],
      level: anomalyLevel(scores[r], thresholds),
      reasons: reasons.length ? reasons : [{ text: NOTHING_UNUSUAL, effect: null }],
      modelVersion: model.modelVersion,
    };
  });
}

export function createAnomalyLoader(resolve: () => Promise<{ store: FeatureStore; model: AnomalyModel }>) {
  return new DataLoader<string, AnomalyResult | null>(async (orderIds) => {
    try {
      const { store, model } = await resolve();
      const facts = orderIds.map((id) => orderFactsOf(store, id));
      const known = facts.filter((f): f is OrderFactsRow => f !== null);
      const results = await scoreAnomalies(known, model);
      let i = 0;
      return facts.map((f) => (f ? results[i++] : null));
    } catch (error) {
      const coded = error instanceof GraphQLError ? error : new Error(error instanceof Error ? error.message : String(error));
      return orderIds.map(() => coded);
    }
  });
}
