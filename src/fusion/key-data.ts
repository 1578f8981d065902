import type { ChangeEvent } from '../events';
import type { Sources } from '../sources';
import { createReferenceMaps, type KeyChange, type ReferenceMaps } from './analytics/reference-maps';
import { CategoryDictionary } from './categories';
import { createCrossKeyIndex, type CrossKeyIndex } from './cross-filter/key-index';

/**
 * The process-wide key data over one set of sources: the category dictionary, the analytics reference maps
 * (Query.orderStats) and the cross-filter key index (filters and sorts by other systems' values). Shared by
 * every request context over those sources, so a change event clears it in one place.
 */
export interface KeyData {
  categories: CategoryDictionary;
  maps: ReferenceMaps;
  crossKeys: CrossKeyIndex;
}

const bySources = new WeakMap<Sources, Promise<KeyData>>();

export function keyDataOf(sources: Sources): Promise<KeyData> {
  let data = bySources.get(sources);
  if (!data) {
    data = (async () => {
      const categories = new CategoryDictionary(await sources.catalog.categoryTranslations());
      const maps = createReferenceMaps(sources, categories);
      return { categories, maps, crossKeys: createCrossKeyIndex(sources, maps) };
    })();
    bySources.set(sources, data);
    data.catch(() => bySources.delete(sources));
  }
  return data;
}

/** Which key data an applied change makes stale (null: none; status, payment and delivery changes reach the statistics through the order store's own facts). */
export function keyChangeOf(event: ChangeEvent): KeyChange | null {
  switch (event.type) {
    case 'customer.account-created':
      return 'accounts';
    case 'order.created':
    case 'order.item-added':
      return 'orders';
    case 'review.added':
      return 'reviews';
    default:
      return null;
  }
}

/** Drops what `change` makes stale in the key data over `sources`, if any was read. */
export async function invalidateKeyData(sources: Sources, change: KeyChange): Promise<void> {
  const data = bySources.get(sources);
  if (!data) return;
  const { maps, crossKeys } = await data.catch(() => ({ maps: null, crossKeys: null }));
  maps?.invalidate(change);
  crossKeys?.invalidate(change);
}
