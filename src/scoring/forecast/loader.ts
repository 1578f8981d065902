/**
 * The per-request DataLoader of Product/Category.demandForecast: every series of one nesting level
 * in one batch, answered from the in-memory weekly sales with one model run for all eligible series
 * (no source call: the sales are counted once from the feature store's snapshot).
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { DemandForecastResult, Forecaster, ForecastRequest } from './forecaster';
import { scopeKey } from './weekly';

export interface DemandForecastAnswer extends DemandForecastResult {
  modelVersion: string;
}

export interface ForecastModel {
  forecaster(): Promise<Forecaster>;
  /** Expected orders for `n` rows. */
  score(rows: Float32Array, n: number): Promise<Float32Array>;
  version(): string;
}

export function createDemandForecastLoader(model: ForecastModel) {
  return new DataLoader<ForecastRequest, DemandForecastAnswer, string>(
    async (requests) => {
      try {
        const forecaster = await model.forecaster();
        const { rows, n, planned } = forecaster.plan(requests);
        const expected = n ? await model.score(rows, n) : new Float32Array(0);
        const modelVersion = model.version();
        return planned.map((p) => ({ ...forecaster.answer(p, expected), modelVersion }));
      } catch (error) {
        const coded = error instanceof GraphQLError ? error : new Error(error instanceof Error ? error.message : String(error));
        return requests.map(() => coded);
      }
    },
    { cacheKeyFn: (r) => `${scopeKey(r)}|${r.weeks}` },
  );
}
