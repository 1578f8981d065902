import { modelUnavailable, type ScoringLoaders } from '../../scoring';
import type { SubgraphContext } from '../common';

/** The request's scoring loaders; MODEL_UNAVAILABLE when this process serves no models. */
export function scoring(ctx: SubgraphContext): ScoringLoaders {
  if (!ctx.scoring) throw modelUnavailable('scoring', 'this process serves no models');
  return ctx.scoring;
}
