import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { createApolloServer } from './apollo';
import { startGraphQLHttpServer, type RunningServer } from './http/graphql-http-server';
import { healthProbes } from './probes';

export interface FederationRouterOptions {
  supergraphSdl: string;
  port: number;
  host?: string;
}

/**
 * @apollo/gateway in front of subgraph services, routed by the supergraph SDL's URLs. For production
 * scale-out a Rust router (Apollo Router, Hive Router) reads the same supergraph file.
 */
export async function startFederationRouter(options: FederationRouterOptions): Promise<RunningServer> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ url }) => new RemoteGraphQLDataSource({ url }),
  });
  const apollo = createApolloServer({ gateway });
  await apollo.start();
  const http = await startGraphQLHttpServer({
    apollo,
    context: () => ({}),
    port: options.port,
    host: options.host,
    probes: healthProbes({ mode: 'router' }),
  });
  return {
    ...http,
    async close() {
      await http.close();
      await apollo.stop();
    },
  };
}
