import type { Principal } from '../security';

/**
 * What the grouped order statistics (Query.orderStats) may show each role. `bi` and `admin`: every
 * order; `partner`: only its own order lines and the orders that have one, never payments (as for
 * Order.paymentTotal). Groups small enough to single out a person are suppressed for everyone but
 * admins: a group with fewer than `minGroupPersons` distinct persons is left out and only counted.
 */
export interface AggregateScope {
  /** Only this seller's lines (and the orders with one). */
  sellerId?: string;
  /** Whether payment figures (payment type, payment totals) may be read. */
  payments: boolean;
  /** Smallest number of distinct persons a shown group must have (1: no suppression). */
  minGroupPersons: number;
}

export function aggregateScope(principal: Principal, minGroupPersons: number): AggregateScope {
  if (principal.role === 'admin') return { payments: true, minGroupPersons: 1 };
  if (principal.role === 'partner') return { sellerId: principal.sellerId!, payments: false, minGroupPersons };
  return { payments: true, minGroupPersons };
}

/** Splits groups into those shown and the number suppressed (fewer distinct persons than the scope allows). */
export function suppressSmallGroups<T extends { persons: number }>(scope: AggregateScope, groups: readonly T[]): { shown: T[]; suppressed: number } {
  const shown = groups.filter((group) => group.persons >= scope.minGroupPersons);
  return { shown, suppressed: groups.length - shown.length };
}
