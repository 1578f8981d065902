import { getNamedType, getNullableType, isListType, type DocumentNode, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ORDER_STATS_DEFAULT_FIRST, ORDER_STATS_MAX_FIRST } from '../../shared/pagination';
/** Each groupBy dimension after the first multiplies the cost by this: groups multiply, and so does the work. */
export const ORDER_STATS_DIMENSION_FACTOR = 3;

/**
 * What a connection pays for each predicate or sort another system owns (fusion/cross-filter): the owner
 * resolves it to a key set and the list's statement carries it, once per connection resolved (so a
 * filtered connection nested under a list pays it per parent item).
 */
export const CROSS_SYSTEM_PREDICATE_COST = 200;

/** The connection arguments that name another system's facts; a group of names counts once (a score range is one predicate). */
const CROSS_SYSTEM_ARGUMENTS: Record<string, string[][]> = {
  filter: [['customerState'], ['category'], ['minReviewScore', 'maxReviewScore'], ['minAverageRating', 'maxAverageRating']],
  orderBy: [['averageRating']],
};

/** The surcharge of a field's cross-system arguments (0 without any). */
export function crossSystemCost(args: Record<string, unknown>): number {
  let predicates = 0;
  for (const [argument, groups] of Object.entries(CROSS_SYSTEM_ARGUMENTS)) {
    const input = args[argument];
    if (typeof input !== 'object' || input === null) continue;
    const given = input as Record<string, unknown>;
    for (const names of groups) if (names.some((name) => given[name] !== null && given[name] !== undefined)) predicates += 1;
  }
  return predicates * CROSS_SYSTEM_PREDICATE_COST;
}

export interface CostModel {
  /** Items assumed in a list field without a `first` argument. */
  assumedListSize: number;
  /** "Type.field" → weight; other fields weigh 1. */
  fieldWeights: Readonly<Record<string, number>>;
}

const isConnection = (type: GraphQLNamedType) => type.name.endsWith('Connection');

/**
 * A field costs its weight plus its selection, times the items it may return: a connection its
 * `first` (default page size; a `first` out of range costs the field's weight alone, since it never runs), another list its `first` or the assumed list size; a connection adds
 * CROSS_SYSTEM_PREDICATE_COST per predicate or sort another system owns. A connection's
 * `edges` list is already counted by the connection's `first`, so it is not multiplied again.
 */
export function costEstimator(model: CostModel): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    // Introspection is bounded by the schema's size (and refused to non-admins in production).
    if (field.name.startsWith('__') || type.name.startsWith('__')) return 0;
    const weight = model.fieldWeights[`${type.name}.${field.name}`] ?? 1;
    if (type.name === 'Query' && field.name === 'orderStats') return orderStatsCost(weight, childComplexity, args);
    // Its groups are counted by orderStats' `first`.
    if (type.name === 'OrderStats' && field.name === 'groups') return weight + childComplexity;
    // A `first` outside 0..max never runs: the resolver answers BAD_USER_INPUT before its selection is fetched.
    if (typeof args.first === 'number' && (args.first < 0 || args.first > MAX_PAGE_SIZE)) return weight;
    const first = typeof args.first === 'number' ? args.first : undefined;
    const returned = getNamedType(field.type);
    // `first: 0` still runs the connection's count, so it costs as one item.
    if (isConnection(returned)) return (weight + childComplexity) * Math.max(first ?? DEFAULT_PAGE_SIZE, 1) + crossSystemCost(args);
    if (isListType(getNullableType(field.type)) && !isConnection(type)) {
      return (weight + childComplexity) * (first ?? model.assumedListSize);
    }
    return weight + childComplexity;
  };
}

/**
 * Query.orderStats: (weight + selection) per group of the page, times 3 for each groupBy dimension
 * after the first; a `first` outside 0..500 costs the weight alone (the resolver refuses it).
 */
function orderStatsCost(weight: number, childComplexity: number, args: Record<string, unknown>): number {
  const first = typeof args.first === 'number' ? args.first : ORDER_STATS_DEFAULT_FIRST;
  if (first < 0 || first > ORDER_STATS_MAX_FIRST) return weight;
  const dimensions = Array.isArray(args.groupBy) ? args.groupBy.length : 1;
  return (weight + childComplexity) * Math.max(first, 1) * ORDER_STATS_DIMENSION_FACTOR ** Math.max(dimensions - 1, 0);
}

/** The cost of the operation `operationName` of `document` with these variables (variables count: `first: $n`). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  model: CostModel,
): number {
  return getComplexity({ schema, query: document, variables, operationName, estimators: [costEstimator(model)] });
}
