/**
 * gateway/plugins: the cross-cutting behaviour every server (embedded gateway, subgraph service,
 * router) runs, as small `use<Thing>` plugins at two levels: HTTP (before GraphQL: authentication,
 * limits, trusted documents, /metrics, pages) and Apollo Server (operation lifecycle: metrics, tracing,
 * cost). `gatewayPlugins` is the one place that decides which run for each server role, and in which
 * order. Factories only build plugins; what touches the process (the log level, the source-call
 * observers, the span exporter) starts and stops with the server (Apollo's serverWillStart/serverWillStop).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { SourcesConfig } from '../../config/fusion-config';
import { limitsOf, observabilityOf, securityOf } from '../../config/settings';
import { loadTrustedDocuments } from '../../security/limits';
import type { HttpPlugin } from '../http/http-plugin';
import { useWebPages } from '../web';
import { useAuthentication } from './use-authentication';
import { useCors } from './use-cors';
import { useCost } from './use-cost';
import { useIntrospectionPolicy } from './use-introspection';
import { useMetrics } from './use-metrics';
import { useProcessObservability } from './use-process-observability';
import { useQueryShape } from './use-query-shape';
import { useRateLimit } from './use-rate-limit';
import { useRequestLogging } from './use-request-logging';
import { useTokenLimit } from './use-token-limit';
import { useTracing } from './use-tracing';
import { useTrustedDocuments } from './use-trusted-documents';
import { useVariablesDepth } from './use-variables-depth';

export interface GatewayPlugins {
  http: HttpPlugin[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  apollo: ApolloServerPlugin<any>[];
  validationRules: ValidationRule[];
  /** Largest request body accepted, in bytes (limits.maxBodyBytes). */
  maxBodyBytes?: number;
}

export type ServerRole = 'embedded' | 'subgraph' | 'router';

/**
 * The plugins a server of this role runs under this configuration, in order. Clients meet the abuse limits
 * and the pages at the edge (embedded gateway, router); a subgraph service answers only the router, whose
 * query plans are neither the client's documents nor its traffic, so it keeps authentication (its
 * `_entities` enforce the same rules), the body limit and the introspection policy.
 */
export async function gatewayPlugins(config: SourcesConfig, role: ServerRole): Promise<GatewayPlugins> {
  const limits = limitsOf(config);
  const security = securityOf(config);
  const observability = observabilityOf(config);
  const edge = role !== 'subgraph';
  const logging = useRequestLogging(role);
  const metrics = observability.metrics.enabled ? useMetrics(observability.metrics) : null;
  const tracing = useTracing(observability.tracing, role);
  const trusted = limits.trustedDocuments;

  const http: (HttpPlugin | false | null)[] = [
    logging.http,
    metrics?.http ?? null,
    edge && useWebPages({ production: limits.production, security }),
    // CORS preflights carry no credentials; the limits after authentication key on the principal.
    edge && useCors(limits.cors),
    useAuthentication(security),
    edge && limits.rateLimit.enabled && (await useRateLimit(limits.rateLimit)),
    edge && useTokenLimit(limits.maxTokens),
    edge && useVariablesDepth(limits.maxVariablesDepth),
    edge && trusted.requiredFor.length > 0 && useTrustedDocuments({ requiredFor: trusted.requiredFor, manifest: loadTrustedDocuments(trusted.manifest) }),
  ];
  const apollo: (ApolloServerPlugin | false | null)[] = [
    useProcessObservability({ logLevel: observability.logging.level }),
    tracing,
    metrics?.apollo ?? null,
    logging.apollo,
    limits.production && useIntrospectionPolicy(),
    edge && useQueryShape({ maxDepth: limits.maxDepth, maxAliases: limits.maxAliases, maxDirectives: limits.maxDirectives }),
    edge && useCost({ max: limits.cost.max, assumedListSize: limits.cost.assumedListSize, fieldWeights: limits.cost.fieldWeights }),
  ];
  return {
    http: http.filter((plugin): plugin is HttpPlugin => Boolean(plugin)),
    apollo: apollo.filter((plugin): plugin is ApolloServerPlugin => Boolean(plugin)),
    validationRules: [],
    maxBodyBytes: limits.maxBodyBytes,
  };
}
