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
import { limitsOf, securityOf } from '../../config/settings';
import { useWebPages } from '../web';
import { hardeningPlugins } from './hardening';
import { observabilityPlugins } from './observability';
import { useAuthentication } from './use-authentication';

export interface GatewayPlugins {
  http: HttpPlugin[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  apollo: ApolloServerPlugin<any>[];
  validationRules: ValidationRule[];
  /** Largest request body accepted, in bytes (limits.maxBodyBytes). */
  maxBodyBytes?: number;
}

export type ServerRole = 'embedded' | 'subgraph' | 'router';

/** The plugins a server of this role runs under this configuration. */
export async function gatewayPlugins(config: SourcesConfig, role: ServerRole): Promise<GatewayPlugins> {
  const hardening = await hardeningPlugins(config, role);
  const observability = observabilityPlugins(config, role);
  const security = securityOf(config);
  // People open pages on the servers clients reach; a subgraph service answers only the router.
  const web = role === 'subgraph' ? [] : [useWebPages({ production: limitsOf(config).production, security })];
  return {
    // Authentication belongs between the CORS preflight and the limits (which key on the principal).
    http: [...observability.http, ...web, ...hardening.preflight, useAuthentication(security), ...hardening.http],
    apollo: [...observability.apollo, ...hardening.apollo],
    validationRules: [],
    maxBodyBytes: hardening.maxBodyBytes,
  };
}
