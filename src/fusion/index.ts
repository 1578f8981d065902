/**
 * fusion: turns raw source records into the graph's clean view (timestamps, money, categories,
 * geography) and owns identity resolution. Plain functions, no GraphQL.
 */
export * from './timestamps';
export * from './money';
export * from './categories';
export * from './geography';
export * from './entities';
export * from './identity';
