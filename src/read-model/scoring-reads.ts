import type { ModelInfoView, ScoringLoaders } from '../scoring';
import type { Principal } from '../security';
import { forbidden } from '../shared';
import { mayScoreFor } from './row-scope';

/**
 * What the scoring fields may call: the request's scoring loaders, without the service behind them
 * (its feature store covers every person), Product.score restricted to the persons the caller may
 * score for, and the models' descriptions.
 */
export type ScoringReads = Omit<ScoringLoaders, 'service' | 'score'> & {
  score: Pick<ScoringLoaders['score'], 'load'>;
  modelInfos(): ModelInfoView[];
};

export function scopeScoring(loaders: ScoringLoaders, principal: Principal): ScoringReads {
  const { service, score, ...reads } = loaders;
  return {
    ...reads,
    score: {
      load: (key) => (mayScoreFor(principal, key.personId) ? score.load(key) : Promise.reject(forbidden('Product.score for another person'))),
    },
    modelInfos: () => service.modelInfos(),
  };
}
