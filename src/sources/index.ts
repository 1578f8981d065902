/**
 * sources: connectors to the back-end systems (CRM, catalog, order management over Prisma;
 * review documents in JSON Lines; the geography CSV). Each returns raw records, as the system
 * holds them, in key order for DataLoader. Cleaning and fusion happen in src/fusion.
 */
export * from './align';
export * from './query-log';
export * from './sql';
export * from './crm/crm.source';
export * from './catalog/catalog.source';
export * from './orders/orders.source';
export * from './orders/order-stats.sql';
export type * from './orders/order-stats-lookups.sql';
export { ensureOrderStatsFacts } from './orders/order-stats-facts.sql';
export * from './orders/order-page.sql';
export * from './reviews/reviews.source';
export * from './reviews/rest-reviews.source';
export * from './cache/entity-cache';
export * from './geography/geography.source';
export * from './sources';
export * from './embedded';
export * from './open-sources';
export * from './loaders';
export * from './resilience';
