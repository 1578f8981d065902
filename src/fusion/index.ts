/**
 * fusion: turns raw source records into the graph's clean, consistent view. Owns the cleaning rules
 * (rules/), identity resolution (identity/), conflict policies, provenance traces and the
 * reconciliation report, and the one bulk path (bulk.ts: every row cleaned by the graph's own view
 * functions) that the report and the scoring snapshot both read. Plain functions, no GraphQL.
 */
export * from './timestamps';
export * from './money';
export * from './categories';
export * from './geography';
export * from './rules';
export * from './trace';
export * from './entities';
export * from './conflicts';
export * from './provenance';
export * from './identity';
export * from './bulk';
export * from './reconciliation';
export * from './analytics';
export * from './cross-filter';
export * from './key-data';
