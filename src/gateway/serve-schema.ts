import type { GraphQLSchema } from 'graphql';
import type { Sources } from '../sources';
import type { SubgraphContext } from '../subgraphs';
import { createApolloServer } from './apollo';
import { createRequestContextFactory } from './context';
import { startGraphQLHttpServer, type RunningServer } from './http/graphql-http-server';
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
}

/** Serves a schema whose resolvers read `sources` (the embedded supergraph, or one subgraph). */
export async function startSchemaServer(options: SchemaServerOptions): Promise<RunningServer> {
  const contextFor = await createRequestContextFactory(options.sources);
  const apollo = createApolloServer<SubgraphContext>({ schema: options.schema });
  await apollo.start();
  const http = await startGraphQLHttpServer({
    apollo,
    context: contextFor,
    port: options.port,
    host: options.host,
    probes: healthProbes(options.details),
  });
  return {
    ...http,
    async close() {
      await http.close();
      await apollo.stop();
      if (options.ownsSources) await options.sources.close();
    },
  };
}
