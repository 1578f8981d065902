import { resolveResilience, type ResiliencePolicies, type SourcePolicy } from '../../config/resilience-config';
import type { CatalogSource } from '../catalog/catalog.source';
import type { CrmSource } from '../crm/crm.source';
import type { Sources } from '../sources';
import type { GeographySource } from '../geography/geography.source';
import type { OrdersSource } from '../orders/orders.source';
import type { ReviewsReader } from '../reviews/reviews.source';
import { guardSource, type SourceGuard, type SourceHealth } from './guard-source';

/** The serve-time reads of each connector (all idempotent); everything else on a connector is left as it is. */
const READS = {
  crm: ['allAccounts', 'accountStates', 'sharedPersonAccounts', 'accountsByIds', 'accountsByPersonIds', 'personIdsPage', 'countPersons'],
  catalog: [
    'allProducts',
    'allSellers',
    'productCategoryNames',
    'sellerStates',
    'productsByIds',
    'sellersByIds',
    'categoryTranslations',
    'productsPage',
    'countProducts',
  ],
  orders: [
    'allOrders',
    'allItems',
    'allPayments',
    'ordersByIds',
    'ordersByCustomerIds',
    'itemsByOrderIds',
    'paymentsByOrderIds',
    'itemsByProductIds',
    'productIdsBySellerIds',
    'ordersPage',
    'countOrders',
    'orderStats',
    'orderStatsWithLookups',
  ],
  reviews: ['all', 'reviewsByOrderIds'],
  // allByPrefix is a synchronous view of the file already in memory.
  geography: ['locationsByZipPrefixes'],
} as const satisfies {
  crm: readonly (keyof CrmSource)[];
  catalog: readonly (keyof CatalogSource)[];
  orders: readonly (keyof OrdersSource)[];
  reviews: readonly (keyof ReviewsReader)[];
  geography: readonly (keyof GeographySource)[];
};

/**
 * The same sources with every serve-time read guarded by its source's policy (timeouts, retries,
 * bounded concurrency, circuit breaker), `health()` for /readyz, and `close()` also stopping the breakers.
 */
export function guardSources(sources: Sources, policies: ResiliencePolicies = resolveResilience()): Sources {
  const guards: SourceGuard[] = [];
  const guard = <T extends object>(name: keyof typeof READS, target: T, reads: readonly (keyof T & string)[]): T => {
    const { guarded, guard: sourceGuard } = guardSource(name, target, reads, policies[name], sources.backends?.[name]);
    guards.push(sourceGuard);
    return guarded;
  };
  const guarded: Sources = {
    ...sources,
    crm: guard('crm', sources.crm, READS.crm),
    catalog: guard('catalog', sources.catalog, READS.catalog),
    orders: guard('orders', sources.orders, READS.orders),
    reviews: guard('reviews', sources.reviews, READS.reviews),
    geography: guard('geography', sources.geography, READS.geography),
    health: () => guards.map((sourceGuard) => sourceGuard.health()),
    async close() {
      for (const sourceGuard of guards) sourceGuard.close();
      await sources.close();
    },
  };
  return guarded;
}

/**
 * The review service client retries each HTTP request itself (the same retry loop), so its guard does not
 * retry again, and gives an attempt at least the time the client's own retries may take.
 */
export function policyForRestReviews(policy: SourcePolicy, client: { timeoutMs: number; retries: number; backoffMs: number }): SourcePolicy {
  const clientBudgetMs = client.timeoutMs * (client.retries + 1) + client.backoffMs * 2 ** client.retries;
  return { ...policy, retries: 0, timeoutMs: Math.max(policy.timeoutMs, clientBudgetMs) };
}

export type { SourceHealth };
