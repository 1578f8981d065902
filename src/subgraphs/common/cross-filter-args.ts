import { badUserInput } from '../../shared';
import { SortDirection } from './sort-direction.enum';

/** Argument checks shared by the connections' cross-system filters (orders, products): bad values are BAD_USER_INPUT, never an empty page (category names: ctx.data.categoryNamesOf). */

/** An inclusive score range (1..5) → its bounds; out of range or min > max → BAD_USER_INPUT. */
export function scoreRangeArgument(
  min: number | null | undefined,
  max: number | null | undefined,
  names: { min: string; max: string },
): { min?: number; max?: number } {
  for (const [value, name] of [
    [min, names.min],
    [max, names.max],
  ] as const) {
    if (value !== null && value !== undefined && !(Number.isFinite(value) && value >= 1 && value <= 5)) {
      throw badUserInput(`"${name}" must be between 1 and 5, got ${value}`, name);
    }
  }
  if (min !== null && min !== undefined && max !== null && max !== undefined && min > max) {
    throw badUserInput(`"${names.min}" must not be greater than "${names.max}"`, names.min);
  }
  return { ...(min !== null && min !== undefined ? { min } : {}), ...(max !== null && max !== undefined ? { max } : {}) };
}

export const directionOf = (direction: SortDirection | null | undefined): 'asc' | 'desc' => (direction === SortDirection.DESC ? 'desc' : 'asc');
