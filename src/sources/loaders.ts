import DataLoader from 'dataloader';
import type { Sources } from './embedded';

/**
 * Per-request DataLoaders, one per batch function of each source. Build a fresh set for every
 * request (never share across users); the batch functions already answer in key order.
 */
export function createSourceLoaders(sources: Sources) {
  const loader = <K, V>(batch: (keys: readonly K[]) => Promise<V[]>) => new DataLoader<K, V>(batch, { maxBatchSize: 500 });
  return {
    accountById: loader((ids: readonly string[]) => sources.crm.accountsByIds(ids)),
    accountsByPersonId: loader((ids: readonly string[]) => sources.crm.accountsByPersonIds(ids)),
    productById: loader((ids: readonly string[]) => sources.catalog.productsByIds(ids)),
    sellerById: loader((ids: readonly string[]) => sources.catalog.sellersByIds(ids)),
    orderById: loader((ids: readonly string[]) => sources.orders.ordersByIds(ids)),
    ordersByCustomerId: loader((ids: readonly string[]) => sources.orders.ordersByCustomerIds(ids)),
    itemsByOrderId: loader((ids: readonly string[]) => sources.orders.itemsByOrderIds(ids)),
    paymentsByOrderId: loader((ids: readonly string[]) => sources.orders.paymentsByOrderIds(ids)),
    itemsByProductId: loader((ids: readonly string[]) => sources.orders.itemsByProductIds(ids)),
    productIdsBySellerId: loader((ids: readonly string[]) => sources.orders.productIdsBySellerIds(ids)),
    reviewsByOrderId: loader((ids: readonly string[]) => sources.reviews.reviewsByOrderIds(ids)),
    locationsByZipPrefix: loader((prefixes: readonly string[]) => sources.geography.locationsByZipPrefixes(prefixes)),
  };
}

export type SourceLoaders = ReturnType<typeof createSourceLoaders>;
