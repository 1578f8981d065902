/**
 * read-model: what resolvers read, built per request from the sources and the caller (principal).
 * Owns the request's DataLoaders, the fused views (fusion's cleaning, identity resolution and conflict
 * policies applied) and the row scopes (row-scope.ts: which orders, lines, products, sellers and people
 * each role reaches; aggregate-scope.ts: what the grouped statistics show). Its methods hand out clean
 * views already scoped to the caller and never a source, a loader or a raw record, so a resolver that
 * reads only `ctx.data` cannot reach an unscoped row (test/read-model proves it for every resolver).
 * Sits between fusion/security/sources/scoring and the subgraphs; imports nothing above it.
 */
export * from './read-model';
export type { ReadModelOptions } from './request-reads';
export type { Addressed } from './places-view';
export type { PersonKey } from './people-view';
export type { OrdersQuery } from './orders-view';
export type { ListPage } from './list-view';
export type { EntityName } from './row-scope';
export type { ScopedOrderStats } from './order-stats-view';
export * from './scoring-reads';
