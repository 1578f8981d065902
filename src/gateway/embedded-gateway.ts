import { openEmbeddedSources, type Sources } from '../sources';
import type { SubgraphContext } from '../subgraphs';
import { createApolloServer } from './apollo';
import { createRequestContextFactory } from './context';
import { buildEmbeddedSupergraphSchema } from './embedded';
import { startGraphQLHttpServer, type RunningServer } from './http/graphql-http-server';
import { healthProbes } from './probes';

export interface EmbeddedGatewayOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** Use these sources instead of opening the embedded stores (they are then not closed here). */
  sources?: Sources;
}

/** The default deployment: the whole supergraph served by one process over the embedded stores. */
export async function startEmbeddedGateway(options: EmbeddedGatewayOptions): Promise<RunningServer> {
  const sources = options.sources ?? (await openEmbeddedSources(options.dataDir));
  const schema = await buildEmbeddedSupergraphSchema();
  const contextFor = await createRequestContextFactory(sources);
  const apollo = createApolloServer<SubgraphContext>({ schema });
  await apollo.start();
  const http = await startGraphQLHttpServer({
    apollo,
    context: contextFor,
    port: options.port,
    host: options.host,
    probes: healthProbes({ mode: 'embedded' }),
  });
  return {
    ...http,
    async close() {
      await http.close();
      await apollo.stop();
      if (!options.sources) await sources.close();
    },
  };
}
