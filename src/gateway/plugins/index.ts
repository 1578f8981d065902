/**
 * gateway/plugins: the cross-cutting behaviour every server (embedded gateway, subgraph service,
 * router) runs, as small `use<Thing>` plugins at two levels: HTTP (before GraphQL: authentication,
 * limits, trusted documents, /metrics) and Apollo Server (operation lifecycle: metrics, tracing, cost).
 * `gatewayPlugins` is the one place that decides which run, and in which order.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { SourcesConfig } from '../../config/fusion-config';
import type { HttpPlugin } from '../http/http-plugin';

export interface GatewayPlugins {
  http: HttpPlugin[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  apollo: ApolloServerPlugin<any>[];
  validationRules: ValidationRule[];
}

export type ServerRole = 'embedded' | 'subgraph' | 'router';

/** The plugins a server of this role runs under this configuration. */
export async function gatewayPlugins(_config: SourcesConfig, _role: ServerRole): Promise<GatewayPlugins> {
  return { http: [], apollo: [], validationRules: [] };
}
