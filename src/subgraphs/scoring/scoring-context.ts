import type { ScoringReads } from '../../read-model';
import { modelUnavailable } from '../../scoring';
import type { SubgraphContext } from '../common';

/** The request's scoring reads; MODEL_UNAVAILABLE when this process serves no models. */
export function scoring(ctx: SubgraphContext): ScoringReads {
  if (!ctx.scoring) throw modelUnavailable('scoring', 'this process serves no models');
  return ctx.scoring;
}
