/**
 * gateway: assembles servers. The embedded gateway (default: the whole supergraph in one process),
 * one subgraph per process, and a federation router over subgraph services; the per-request
 * context factory, error policy, HTTP adapter, probes and supergraph composition.
 */
export * from './compose';
export * from './context';
export * from './embedded';
export * from './embedded-gateway';
export * from './subgraph-service';
export * from './federation-router';
export * from './plugins';
export type { RunningServer } from './http/graphql-http-server';
export type { HttpExchange, HttpPlugin, HttpReply } from './http/http-plugin';
export * from './realtime';
