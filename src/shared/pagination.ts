import { badUserInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Query.orderStats' page of groups: `first` 0..500, default 100. */
export const ORDER_STATS_MAX_FIRST = 500;
export const ORDER_STATS_DEFAULT_FIRST = 100;

/** Validates `first` (min..max: a connection's 0..MAX_PAGE_SIZE unless told) and returns the page size to use. */
export function pageSize(
  first: number | null | undefined,
  { defaultSize = DEFAULT_PAGE_SIZE, min = 0, max = MAX_PAGE_SIZE }: { defaultSize?: number; min?: number; max?: number } = {},
): number {
  if (first === null || first === undefined) return defaultSize;
  if (!Number.isInteger(first) || first < min || first > max) {
    throw badUserInput(`"first" must be between ${min} and ${max}, got ${first}`, 'first');
  }
  return first;
}
