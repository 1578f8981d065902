import type { CategoryDictionary, CrossKeyIndex, OrderStatsEngine } from '../../fusion';
import type { ScoringLoaders } from '../../scoring';
import type { Principal } from '../../security';
import type { SourceLoaders, Sources } from '../../sources';

/** What every resolver receives: per-request loaders over the sources, plus process-wide reference data. */
export interface SubgraphContext {
  loaders: SourceLoaders;
  sources: Sources;
  categories: CategoryDictionary;
  /** Per-request scoring loaders; absent where this process serves no models (scoring fields then answer MODEL_UNAVAILABLE). */
  scoring?: ScoringLoaders;
  /** Who is calling (set by authentication); policy decisions read it. */
  principal: Principal;
  /** The request's id (x-request-id), for logs and traces. */
  requestId: string;
  /** Query.orderStats' process-wide engine and the suppression threshold (absent: the field is unavailable). */
  orderStats?: { engine: OrderStatsEngine; minGroupPersons: number };
  /** Process-wide key sets by predicate for the connections' cross-system filters (fusion/cross-filter). */
  crossKeys: CrossKeyIndex;
}
