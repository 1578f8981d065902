/**
 * subgraphs/common: what every subgraph shares — the resolver context type, the DateTime scalar,
 * Relay connection types and paging, GeoPoint, and the type-graphql → Federation 2 builder.
 */
export * from './context';
export * from './date-time.scalar';
export * from './page-info.type';
export * from './connection.type';
export * from './connection.args';
export * from './paginate';
export * from './geo-point.type';
export * from './build-subgraph';
export * from './traced';
export * from './state-argument';
export * from './sort-direction.enum';
export * from './cross-filter-args';
export * from './product-filter.input';
export * from './product-list';
