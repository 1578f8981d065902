import DataLoader from 'dataloader';
import { recordLoaderBatch } from '../observability';
import type { Sources } from './sources';

/**
 * Per-request DataLoaders, one per batch function of each source. Build a fresh set for every
 * request (never share across users); the batch functions already answer in key order.
 */
type Batch = (keys: readonly string[]) => Promise<unknown[]>;
type LoadersOf<B extends Record<string, Batch>> = {
  [Name in keyof B]: B[Name] extends (keys: readonly (infer K)[]) => Promise<(infer V)[]> ? DataLoader<K, V> : never;
};

export function createSourceLoaders(sources: Sources) {
  const batches = {
    accountById: (ids: readonly string[]) => sources.crm.accountsByIds(ids),
    accountsByPersonId: (ids: readonly string[]) => sources.crm.accountsByPersonIds(ids),
    productById: (ids: readonly string[]) => sources.catalog.productsByIds(ids),
    sellerById: (ids: readonly string[]) => sources.catalog.sellersByIds(ids),
    orderById: (ids: readonly string[]) => sources.orders.ordersByIds(ids),
    ordersByCustomerId: (ids: readonly string[]) => sources.orders.ordersByCustomerIds(ids),
    itemsByOrderId: (ids: readonly string[]) => sources.orders.itemsByOrderIds(ids),
    paymentsByOrderId: (ids: readonly string[]) => sources.orders.paymentsByOrderIds(ids),
    itemsByProductId: (ids: readonly string[]) => sources.orders.itemsByProductIds(ids),
    productIdsBySellerId: (ids: readonly string[]) => sources.orders.productIdsBySellerIds(ids),
    reviewsByOrderId: (ids: readonly string[]) => sources.reviews.reviewsByOrderIds(ids),
    locationsByZipPrefix: (prefixes: readonly string[]) => sources.geography.locationsByZipPrefixes(prefixes),
  };
  const loaders = Object.entries(batches).map(([name, batch]: [string, Batch]) => [
    name,
    new DataLoader(
      (keys: readonly string[]) => {
        recordLoaderBatch(name, keys.length);
        return batch(keys);
      },
      { maxBatchSize: 500 },
    ),
  ]);
  return Object.fromEntries(loaders) as LoadersOf<typeof batches>;
}

export type SourceLoaders = ReturnType<typeof createSourceLoaders>;
