import type { ReadModel, ScoringReads } from '../../read-model';
import type { Principal } from '../../security';

/**
 * What every resolver receives: the request's read model (clean views, already scoped to the caller:
 * no source, loader or row-scope helper reaches a resolver), the caller and the request id.
 */
export interface SubgraphContext {
  /** The request's read model (src/read-model). */
  data: ReadModel;
  /** The request's scoring loaders; absent where this process serves no models (scoring fields then answer MODEL_UNAVAILABLE). */
  scoring?: ScoringReads;
  /** Who is calling (set by authentication); the field policy reads it. */
  principal: Principal;
  /** The request's id (x-request-id), for logs and traces. */
  requestId: string;
}
