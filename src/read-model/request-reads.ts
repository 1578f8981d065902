import type { CategoryDictionary, CrossKeyIndex, OrderStatsEngine } from '../fusion';
import type { Principal } from '../security';
import type { SourceLoaders, Sources } from '../sources';

/** What the read model is built from: process-wide parts (shared by every request) and the caller. */
export interface ReadModelOptions {
  sources: Sources;
  categories: CategoryDictionary;
  /** Process-wide key sets by predicate for the listings' cross-system filters (fusion/cross-filter). */
  crossKeys: CrossKeyIndex;
  /** Query.orderStats' process-wide engine and the suppression threshold (absent: the field is unavailable). */
  orderStats?: { engine: OrderStatsEngine; minGroupPersons: number };
  /** Who is calling: every row the read model hands out is within this caller's scope. */
  principal: Principal;
}

/** The read model's own view of one request: the options plus this request's DataLoaders. Never leaves src/read-model. */
export interface RequestReads extends ReadModelOptions {
  loaders: SourceLoaders;
}
