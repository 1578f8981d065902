import { badUserInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Query.orderStats' page of groups: `first` 0..500, default 100. */
export const ORDER_STATS_MAX_FIRST = 500;
export const ORDER_STATS_DEFAULT_FIRST = 100;

/** Validates `first` (0..MAX_PAGE_SIZE) and returns the page size to use. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
  return first;
}
