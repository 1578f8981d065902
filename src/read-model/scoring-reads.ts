import type { DemandForecastAnswer, ForecastRequest, ModelInfoView, ScoringLoaders, SegmentIndex } from '../scoring';
import type { Principal } from '../security';
import { forbidden } from '../shared';
import { mayScoreFor, sellerLineScope } from './row-scope';

/**
 * What the scoring fields may call: the request's scoring loaders, without the service behind them
 * (its feature store covers every person), Product.score restricted to the persons the caller may
 * score for, demand forecasts counted over the caller's own order lines (a partner's), and the
 * models' descriptions.
 */
export type ScoringReads = Omit<ScoringLoaders, 'service' | 'score' | 'demandForecast'> & {
  score: Pick<ScoringLoaders['score'], 'load'>;
  /** The forecast of one series over the lines the caller may count; `sellerScoped` when that is only its own. */
  demandForecast(key: Omit<ForecastRequest, 'sellerId'>): Promise<DemandForecastAnswer & { sellerScoped: boolean }>;
  /** Every person's segment as of the feature store's date (Query.segments' sizes and profiles). */
  segments(): Promise<SegmentIndex>;
  modelInfos(): ModelInfoView[];
};

export function scopeScoring(loaders: ScoringLoaders, principal: Principal): ScoringReads {
  const { service, score, demandForecast, ...reads } = loaders;
  const sellerId = sellerLineScope(principal);
  return {
    ...reads,
    score: {
      load: (key) => (mayScoreFor(principal, key.personId) ? score.load(key) : Promise.reject(forbidden('Product.score for another person'))),
    },
    demandForecast: async (key) => ({ ...(await demandForecast.load({ ...key, sellerId })), sellerScoped: sellerId !== null }),
    segments: () => service.segments(),
    modelInfos: () => service.modelInfos(),
  };
}
