import { createSourceLoaders } from '../sources';
import { catalogView, type CatalogView } from './catalog-view';
import { entityKeysView, type EntityKeysView } from './entity-keys';
import { listView, type ListView } from './list-view';
import { orderStatsView, type OrderStatsView } from './order-stats-view';
import { ordersView, type OrdersView } from './orders-view';
import { peopleView, type PeopleView } from './people-view';
import { placesView, type PlacesView } from './places-view';
import { qualityView, type QualityView } from './quality-view';
import type { ReadModelOptions, RequestReads } from './request-reads';

/** Everything a resolver may read: clean views, already within the caller's scope. */
export type ReadModel = PeopleView & CatalogView & OrdersView & ListView & PlacesView & OrderStatsView & QualityView & EntityKeysView;

/**
 * Builds one request's read model: fresh DataLoaders over the sources (per-request memos, never
 * shared between callers) held in closures, so the object handed out has nothing but its methods.
 */
export function createReadModel(options: ReadModelOptions): ReadModel {
  const reads: RequestReads = { ...options, loaders: createSourceLoaders(options.sources) };
  return Object.freeze({
    ...peopleView(reads),
    ...catalogView(reads),
    ...ordersView(reads),
    ...listView(reads),
    ...placesView(reads),
    ...orderStatsView(reads),
    ...qualityView(reads),
    ...entityKeysView(reads),
  });
}
