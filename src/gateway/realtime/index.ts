/**
 * gateway/realtime: the gateway's consumer of the source systems' change events (src/events): cache
 * invalidation and incremental feature-store updates on each event (live-events.ts), the fan-out of applied
 * changes to subscribers with bounded buffers (change-hub.ts), the delivery risks and recommendations
 * re-scored after them (live-scores.ts), and the subscriptions over graphql-ws and
 * graphql-sse with the queries' authentication and row scopes (subscriptions.ts; the order streams' scopes,
 * shared with the orders subgraph's Subscription fields: order-streams.ts).
 */
export * from './live-events';
export * from './change-hub';
export * from './live-scores';
export * from './subscriptions';
export * from './order-streams';
