/**
 * Per-request scoring loaders. Every scoring field of one operation at one nesting level lands in
 * one DataLoader batch, which assembles all its feature rows and submits them to the model's
 * micro-batcher at once: one session.run per model per level (the batcher may merge them further
 * with concurrent operations). Reasons are computed only when selected: a second batch, one level
 * deeper, scores the occluded rows of every explained result in one run per model.
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { createAnomalyLoader } from './anomalies';
import { createBoughtTogetherLoader } from './bought-together';
import { createDemandForecastLoader, FORECAST_MODEL } from './forecast';
import { featureNames, type Task } from './features';
import type { ServingFeatures } from './feature-assembly';
import { hasPhrase, reasonsFromContributions, type Reason, type ReasonContext, type ReasonDirection } from './reasons';
import type { ScoringService } from './scoring-service';
import { createSegmentLoader } from './segments';

/** Enough to explain one scored row later: the row, its score and how to word it. */
export interface ExplainHandle {
  task: Task;
  row: Float32Array;
  value: number;
  /** Explained by what raised the score (the default) or, for a LOW delivery risk, by what lowered it. */
  direction: ReasonDirection;
  context(): ReasonContext;
}

export interface RecommendationResult {
  productId: string;
  score: number;
  modelVersion: string;
  /** Set when known without the model (similar products); else computed through `explain`. */
  reasons?: Reason[];
  explain?: ExplainHandle;
}

export interface ScoreResult {
  value: number;
  modelVersion: string;
  explain: ExplainHandle;
}

export type RiskLevelName = 'LOW' | 'MEDIUM' | 'HIGH';

export interface RiskResult {
  probability: number;
  level: RiskLevelName;
  modelVersion: string;
  explain: ExplainHandle;
}

export interface RecommendationsKey {
  personId: string;
  first: number;
  category: string | null;
}

export interface ScoreKey {
  personId: string;
  productId: string;
}

export interface SimilarKey {
  productId: string;
  first: number;
}

/** Candidates ranked per person when fewer are asked for. */
export const CANDIDATES_PER_PERSON = 100;

/** Risk levels relative to the late-delivery base rate the model was tested on. */
export function riskLevel(probability: number, baseRate: number): RiskLevelName {
  if (probability >= 3 * baseRate) return 'HIGH';
  if (probability >= 1.5 * baseRate) return 'MEDIUM';
  return 'LOW';
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Runs a batch function; if it throws (model or store unavailable), every key gets that error. */
async function allOrError<K, V>(keys: readonly K[], batch: () => Promise<(V | Error)[]>): Promise<(V | Error)[]> {
  try {
    return await batch();
  } catch (error) {
    const coded = error instanceof GraphQLError ? error : new Error(error instanceof Error ? error.message : String(error));
    return keys.map(() => coded);
  }
}

export function createScoringLoaders(service: ScoringService) {
  const features = (task: Task): Promise<ServingFeatures> => {
    service.ready(task);
    return service.ensureFeatures(task);
  };
  const handle = (task: Task, row: Float32Array, value: number, context: () => ReasonContext, direction: ReasonDirection = 'raised'): ExplainHandle => ({
    task,
    row,
    value,
    direction,
    context,
  });

  const recommendations = new DataLoader<RecommendationsKey, RecommendationResult[], string>(
    (keys) =>
      allOrError(keys, async () => {
        const store = await features('recommendation');
        const width = store.width('recommendation');
        const candidates = keys.map((k) => store.candidates(k.personId, Math.max(CANDIDATES_PER_PERSON, k.first), k.category));
        const rows = concat(keys.map((k, i) => store.recommendationRows(k.personId, candidates[i])));
        const total = candidates.reduce((n, c) => n + c.length, 0);
        const scores = await service.score('recommendation', rows, total);
        const modelVersion = service.modelVersion('recommendation');
        let offset = 0;
        return keys.map((key, i) => {
          const ranked = candidates[i]
            .map((productId, j) => ({ productId, score: scores[offset + j], row: offset + j }))
            .sort((a, b) => b.score - a.score || (a.productId < b.productId ? -1 : 1))
            .slice(0, key.first);
          offset += candidates[i].length;
          return ranked.map(({ productId, score, row }) => ({
            productId,
            score,
            modelVersion,
            explain: handle('recommendation', rows.slice(row * width, (row + 1) * width), score, () => store.recommendationContext(key.personId, productId)),
          }));
        });
      }),
    { cacheKeyFn: (k) => `${k.personId}|${k.first}|${k.category ?? ''}` },
  );

  const score = new DataLoader<ScoreKey, ScoreResult | null, string>(
    (keys) =>
      allOrError(keys, async () => {
        const store = await features('recommendation');
        const width = store.width('recommendation');
        const known = keys.filter((k) => store.hasPerson(k.personId) && store.hasProduct(k.productId));
        const byPerson = new Map<string, string[]>();
        for (const k of known) byPerson.set(k.personId, [...(byPerson.get(k.personId) ?? []), k.productId]);
        const rowOf = new Map<string, number>();
        const parts: Float32Array[] = [];
        let n = 0;
        for (const [personId, productIds] of byPerson) {
          parts.push(store.recommendationRows(personId, productIds));
          for (const productId of productIds) rowOf.set(`${personId}|${productId}`, n++);
        }
        const rows = concat(parts);
        const scores = n ? await service.score('recommendation', rows, n) : new Float32Array(0);
        const modelVersion = service.modelVersion('recommendation');
        return keys.map((k) => {
          const r = rowOf.get(`${k.personId}|${k.productId}`);
          if (r === undefined) return null;
          return {
            value: scores[r],
            modelVersion,
            explain: handle('recommendation', rows.slice(r * width, (r + 1) * width), scores[r], () => store.recommendationContext(k.personId, k.productId)),
          };
        });
      }),
    { cacheKeyFn: (k) => `${k.personId}|${k.productId}` },
  );

  const deliveryRisk = new DataLoader<string, RiskResult | null>((orderIds) =>
    allOrError(orderIds, async () => {
      const store = await features('delivery_risk');
      const width = store.width('delivery_risk');
      const { rows, rowOf } = store.deliveryRows(orderIds);
      const n = rows.length / width;
      const probabilities = n ? await service.score('delivery_risk', rows, n) : new Float32Array(0);
      const { model } = service.ready('delivery_risk');
      const baseRate = typeof model.config?.metrics?.test_base_rate === 'number' ? model.config.metrics.test_base_rate : 0.05;
      const modelVersion = service.modelVersion('delivery_risk');
      return orderIds.map((orderId, i) => {
        const r = rowOf[i];
        if (r < 0) return null;
        const probability = probabilities[r];
        const level = riskLevel(probability, baseRate);
        return {
          probability,
          level,
          modelVersion,
          // A LOW risk is explained by what lowered it, never by risk factors.
          explain: handle(
            'delivery_risk',
            rows.slice(r * width, (r + 1) * width),
            probability,
            () => store.deliveryContext(orderId),
            level === 'LOW' ? 'lowered' : 'raised',
          ),
        };
      });
    }),
  );

  const similar = new DataLoader<SimilarKey, RecommendationResult[], string>(
    (keys) =>
      allOrError(keys, async () => {
        const store = await features('recommendation');
        const { model } = service.ready('recommendation');
        const modelVersion = service.modelVersion('recommendation');
        return keys.map((k) =>
          store.hasProduct(k.productId)
            ? store
                .similar(k.productId, k.first, model.dir)
                .map((s) => ({ productId: s.productId, score: s.score, modelVersion, reasons: s.reasons.map((text) => ({ text, effect: null })) }))
            : [],
        );
      }),
    { cacheKeyFn: (k) => `${k.productId}|${k.first}` },
  );

  /** Occlusion: for every explained row, one copy per phrased feature set to its reference value; one run per model. */
  const explain = new DataLoader<ExplainHandle, Reason[]>(async (handles) => {
    const out: (Reason[] | Error)[] = handles.map(() => []);
    const tasks = [...new Set(handles.map((h) => h.task))];
    await Promise.all(
      tasks.map(async (task) => {
        const indices = handles.map((h, i) => (h.task === task ? i : -1)).filter((i) => i >= 0);
        try {
          const store = await features(task);
          const names = featureNames(task);
          const width = names.length;
          const reference = store.reference(task);
          const plan = indices.map((i) => {
            const row = handles[i].row;
            return names.map((name, j) => j).filter((j) => hasPhrase(task, names[j]) && row[j] !== reference[j]);
          });
          const total = plan.reduce((n, p) => n + p.length, 0);
          const rows = new Float32Array(total * width);
          let r = 0;
          indices.forEach((i, k) => {
            for (const j of plan[k]) {
              rows.set(handles[i].row, r * width);
              rows[r * width + j] = reference[j];
              r++;
            }
          });
          const occluded = total ? await service.score(task, rows, total) : new Float32Array(0);
          r = 0;
          indices.forEach((i, k) => {
            const contributions = new Float32Array(width);
            for (const j of plan[k]) contributions[j] = handles[i].value - occluded[r++];
            out[i] = reasonsFromContributions(task, names, handles[i].row, reference, contributions, handles[i].context(), handles[i].direction);
          });
        } catch (error) {
          const coded = error instanceof GraphQLError ? error : new Error(error instanceof Error ? error.message : String(error));
          for (const i of indices) out[i] = coded;
        }
      }),
    );
    return out;
  });

  const boughtTogether = createBoughtTogetherLoader(() => service.boughtTogether());

  const demandForecast = createDemandForecastLoader({
    forecaster: () => service.demandForecaster(),
    score: (rows, n) => service.score(FORECAST_MODEL, rows, n),
    version: () => service.modelVersion(FORECAST_MODEL),
  });
  const segment = createSegmentLoader(() => service.segments());
  const anomaly = createAnomalyLoader(() => service.anomalyModel());

  return { service, recommendations, score, deliveryRisk, similar, explain, boughtTogether, demandForecast, segment, anomaly };
}

export type ScoringLoaders = ReturnType<typeof createScoringLoaders>;
