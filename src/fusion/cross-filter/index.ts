/**
 * fusion/cross-filter: filtering and sorting the order and product connections by facts other systems
 * own (a customer's state in the CRM, a product's category in the catalog, review scores in the review
 * store, ratings across reviews and order lines). Resolves each predicate on its owner to a key set
 * (key-index), then pages the owning list restricted to those keys (order-list, product-list).
 * No GraphQL, no policy: resolvers pass the row scope in. The plan per combination: docs/analytics.md.
 */
export * from './key-index';
export * from './order-list';
export * from './product-list';
