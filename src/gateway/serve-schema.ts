import type { GraphQLSchema } from 'graphql';
import type { ScoringService } from '../scoring';
import { sourcesStatus, type Sources } from '../sources';
import type { SubgraphContext } from '../subgraphs';
import { createApolloServer } from './apollo';
import { createRequestContextFactory } from './context';
import { startGraphQLHttpServer, type GraphQLHttpServerOptions, type RunningServer } from './http/graphql-http-server';
import type { GatewayPlugins } from './plugins';
import { healthProbes } from './probes';

export interface SchemaServerOptions {
  schema: GraphQLSchema;
  sources: Sources;
  /** Close the sources when the server closes (false when the caller lent them). */
  ownsSources: boolean;
  port: number;
  host?: string;
  /** What /readyz says about this server. */
  details: Record<string, unknown>;
  /** The models the scoring fields call (absent: they answer MODEL_UNAVAILABLE); /readyz reports them. */
  scoring?: ScoringService | null;
  /** Release the scoring sessions when the server closes (false when the caller lent the service). */
  ownsScoring?: boolean;
  /** HTTP and Apollo plugins (see gateway/plugins); none when absent. */
  plugins?: GatewayPlugins;
  /** Query.orderStats' suppression threshold (security.analytics.minGroupPersons; default 5). */
  minGroupPersons?: number;
  /** Services sharing the port (the subscriptions), see GraphQLHttpServerOptions.attach. */
  attach?: GraphQLHttpServerOptions<SubgraphContext>['attach'];
}

/** Serves a schema whose resolvers read `sources` (the embedded supergraph, or one subgraph). */
export async function startSchemaServer(options: SchemaServerOptions): Promise<RunningServer> {
  const scoring = options.scoring ?? null;
  const contextFor = await createRequestContextFactory(options.sources, scoring, { minGroupPersons: options.minGroupPersons });
  const apollo = createApolloServer<SubgraphContext>({
    schema: options.schema,
    plugins: options.plugins?.apollo,
    validationRules: options.plugins?.validationRules,
  });
  await apollo.start();
  const http = await startGraphQLHttpServer({
    apollo,
    context: contextFor,
    port: options.port,
    host: options.host,
    plugins: options.plugins?.http,
    maxBodyBytes: options.plugins?.maxBodyBytes,
    attach: options.attach,
    probes: healthProbes(options.details, () => ({ ...sourcesStatus(options.sources), ...(scoring ? { scoring: scoring.readiness() } : {}) })),
  });
  return {
    ...http,
    /** Graceful: drains in-flight requests (see the HTTP server), then stops Apollo, the sources' pools and cache, the models. */
    async close() {
      await http.close();
      await apollo.stop();
      if (options.ownsSources) await options.sources.close();
      if (scoring && options.ownsScoring) await scoring.close();
    },
  };
}
