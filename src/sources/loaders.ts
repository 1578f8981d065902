import DataLoader from 'dataloader';
import { recordLoaderBatch } from '../observability';
import type { Sources } from './embedded';

/**
 * Per-request DataLoaders, one per batch function of each source. Build a fresh set for every
 * request (never share across users); the batch functions already answer in key order.
 */
export function createSourceLoaders(sources: Sources) {
  const loader = <K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>) =>
    new DataLoader<K, V>(
      (keys) => {
        recordLoaderBatch(name, keys.length);
        return batch(keys);
      },
      { maxBatchSize: 500 },
    );
  return {
    accountById: loader('accountById', (ids: readonly string[]) => sources.crm.accountsByIds(ids)),
    accountsByPersonId: loader('accountsByPersonId', (ids: readonly string[]) => sources.crm.accountsByPersonIds(ids)),
    productById: loader('productById', (ids: readonly string[]) => sources.catalog.productsByIds(ids)),
    sellerById: loader('sellerById', (ids: readonly string[]) => sources.catalog.sellersByIds(ids)),
    orderById: loader('orderById', (ids: readonly string[]) => sources.orders.ordersByIds(ids)),
    ordersByCustomerId: loader('ordersByCustomerId', (ids: readonly string[]) => sources.orders.ordersByCustomerIds(ids)),
    itemsByOrderId: loader('itemsByOrderId', (ids: readonly string[]) => sources.orders.itemsByOrderIds(ids)),
    paymentsByOrderId: loader('paymentsByOrderId', (ids: readonly string[]) => sources.orders.paymentsByOrderIds(ids)),
    itemsByProductId: loader('itemsByProductId', (ids: readonly string[]) => sources.orders.itemsByProductIds(ids)),
    productIdsBySellerId: loader('productIdsBySellerId', (ids: readonly string[]) => sources.orders.productIdsBySellerIds(ids)),
    reviewsByOrderId: loader('reviewsByOrderId', (ids: readonly string[]) => sources.reviews.reviewsByOrderIds(ids)),
    locationsByZipPrefix: loader('locationsByZipPrefix', (prefixes: readonly string[]) => sources.geography.locationsByZipPrefixes(prefixes)),
  };
}

export type SourceLoaders = ReturnType<typeof createSourceLoaders>;
