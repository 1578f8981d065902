import type { ReadModel, ScoringReads } from '../../read-model';
import type { OrderChangeStreams } from '../../gateway/realtime/order-streams';
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

/**
 * A subscription's context: the request's, plus the caller's order-change streams where this process follows the
 * change events (gateway/realtime). Only the Subscription fields' `subscribe` reads them; field resolvers get the
 * plain context (the streams carry no person data, but what a resolver may reach stays SubgraphContext).
 */
export interface SubscriptionContext extends SubgraphContext {
  changes?: OrderChangeStreams;
}
