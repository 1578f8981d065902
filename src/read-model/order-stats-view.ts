import type { OrderStatsGroupTotals, OrderStatsRequest } from '../fusion';
import { forbidden } from '../shared';
import { aggregateScope, suppressSmallGroups } from './aggregate-scope';
import type { RequestReads } from './request-reads';

/** The grouped statistics' answer as the caller may see it: groups too small to show are left out and counted. */
export interface ScopedOrderStats {
  groups: OrderStatsGroupTotals[];
  suppressed: number;
  /** The threshold applied to this caller (1: none). */
  minGroupPersons: number;
}

/** Query.orderStats over fusion's engine, with the caller's aggregate scope (partner lines, payments, suppression) applied here. */
export function orderStatsView({ orderStats, principal }: RequestReads) {
  const configured = () => {
    if (!orderStats) throw new Error('orderStats: no engine in the context');
    return orderStats;
  };
  return {
    /** The category names the statistics know (English and Portuguese), to validate filters. */
    orderStatsCategoryNames() {
      return configured().engine.categoryNames();
    },

    /**
     * Runs the request within the caller's scope: a partner's own lines only, and FORBIDDEN for payment
     * figures the caller may not read (grouping or filtering by payment type, sorting by payments).
     */
    async orderStats(request: Omit<OrderStatsRequest, 'sellerScope'>, sorting: { byPayments: boolean }): Promise<ScopedOrderStats> {
      const { engine, minGroupPersons } = configured();
      const scope = aggregateScope(principal, minGroupPersons);
      if (!scope.payments) {
        if (request.groupBy.includes('PAYMENT_TYPE') || request.filter.PAYMENT_TYPE) throw forbidden('OrderStats by PAYMENT_TYPE');
        if (sorting.byPayments) throw forbidden('OrderStats sorted by payments');
      }
      const result = await engine.run({ ...request, sellerScope: scope.sellerId });
      const { shown, suppressed } = suppressSmallGroups(scope, result.groups);
      return { groups: shown, suppressed, minGroupPersons: scope.minGroupPersons };
    },
  };
}

export type OrderStatsView = ReturnType<typeof orderStatsView>;
