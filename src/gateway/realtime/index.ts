/**
 * gateway/realtime: the gateway's consumer of the source systems' change events (src/events): cache
 * invalidation and incremental feature-store updates on each event (live-events.ts).
 */
export * from './live-events';
