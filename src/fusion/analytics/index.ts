/**
 * fusion/analytics: grouped order statistics across systems (Query.orderStats). Plans the grouped SQL
 * the order system runs, maps its keys to the CRM's and the catalog's cleaned values, adds the review
 * store's scores, and re-aggregates exactly. No GraphQL, no security: subgraphs apply the policy.
 */
export * from './dimensions';
export * from './reference-maps';
export * from './order-stats';
