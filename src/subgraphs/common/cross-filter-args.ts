import type { CategoryDictionary, CrossKeyIndex } from '../../fusion';
import { badUserInput } from '../../shared';
import { SortDirection } from './sort-direction.enum';

/** Argument checks shared by the connections' cross-system filters (orders, products): unknown values are BAD_USER_INPUT, never an empty page. */

const namesOf = new WeakMap<Map<string, string | null>, Set<string>>();

/** A category argument (catalog or English name) → the catalog's raw names; unknown → BAD_USER_INPUT. */
export async function categoryNamesArgument(
  category: string | null | undefined,
  categories: CategoryDictionary,
  index: CrossKeyIndex,
  argumentName: string,
): Promise<string[] | undefined> {
  if (category === null || category === undefined) return undefined;
  const name = category.trim();
  if (name === '') throw badUserInput(`"${argumentName}" must not be empty`, argumentName);
  const products = await index.productCategory();
  let known = namesOf.get(products);
  if (!known) {
    known = new Set([...products.values()].flatMap((value) => (value !== null ? [value] : [])));
    namesOf.set(products, known);
  }
  const names = categories.rawNamesFor(name);
  if (!names.some((raw) => known.has(raw)) && names.length === 1 && categories.english(name) === undefined) {
    throw badUserInput(`"${argumentName}": unknown category "${category}" (a catalog name or its English name)`, argumentName);
  }
  return names;
}

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
