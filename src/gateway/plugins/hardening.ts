import type { ApolloServerPlugin } from '@apollo/server';
import type { SourcesConfig } from '../../config/fusion-config';
import { limitsOf } from '../../config/settings';
import { loadTrustedDocuments } from '../../security/limits';
import type { HttpPlugin } from '../http/http-plugin';
import { useCors } from './use-cors';
import { useCost } from './use-cost';
import { useIntrospectionPolicy } from './use-introspection';
import { useQueryShape } from './use-query-shape';
import { useRateLimit } from './use-rate-limit';
import { useTokenLimit } from './use-token-limit';
import { useTrustedDocuments } from './use-trusted-documents';
import { useVariablesDepth } from './use-variables-depth';

export interface HardeningPlugins {
  /** Before authentication: CORS preflights carry no credentials. */
  preflight: HttpPlugin[];
  /** After authentication (they need the principal): rate limit, token limit, trusted documents. */
  http: HttpPlugin[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  apollo: ApolloServerPlugin<any>[];
  maxBodyBytes: number;
}

/**
 * The abuse limits and production hardening of a server (src/config/limits-config.ts). Clients meet
 * them at the edge (embedded gateway, router); a subgraph service only answers the router, whose
 * query plans are neither the client's documents nor its traffic, so it keeps just the body limit
 * and the introspection policy.
 */
export async function hardeningPlugins(config: SourcesConfig, role: 'embedded' | 'subgraph' | 'router'): Promise<HardeningPlugins> {
  const limits = limitsOf(config);
  const introspection = limits.production ? [useIntrospectionPolicy()] : [];
  if (role === 'subgraph') return { preflight: [], http: [], apollo: introspection, maxBodyBytes: limits.maxBodyBytes };
  const http: HttpPlugin[] = [];
  if (limits.rateLimit.enabled) http.push(await useRateLimit(limits.rateLimit));
  http.push(useTokenLimit(limits.maxTokens), useVariablesDepth(limits.maxVariablesDepth));
  if (limits.trustedDocuments.requiredFor.length > 0) {
    http.push(useTrustedDocuments({ requiredFor: limits.trustedDocuments.requiredFor, manifest: loadTrustedDocuments(limits.trustedDocuments.manifest) }));
  }
  return {
    preflight: [useCors(limits.cors)],
    http,
    apollo: [
      ...introspection,
      useQueryShape({ maxDepth: limits.maxDepth, maxAliases: limits.maxAliases, maxDirectives: limits.maxDirectives }),
      useCost({ max: limits.cost.max, assumedListSize: limits.cost.assumedListSize, fieldWeights: limits.cost.fieldWeights }),
    ],
    maxBodyBytes: limits.maxBodyBytes,
  };
}
