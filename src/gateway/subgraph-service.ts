import { openEmbeddedSources, type Sources } from '../sources';
import { buildSubgraph, type SubgraphContext, type SubgraphName } from '../subgraphs';
import { createApolloServer } from './apollo';
import { createRequestContextFactory } from './context';
import { startGraphQLHttpServer, type RunningServer } from './http/graphql-http-server';
import { healthProbes } from './probes';

export interface SubgraphServiceOptions {
  name: SubgraphName;
  dataDir: string;
  port: number;
  host?: string;
  sources?: Sources;
}

/** One Federation 2 subgraph as its own HTTP service (`_service`, `_entities`), for a router to compose. */
export async function startSubgraphService(options: SubgraphServiceOptions): Promise<RunningServer> {
  const sources = options.sources ?? (await openEmbeddedSources(options.dataDir));
  const subgraph = await buildSubgraph(options.name);
  const contextFor = await createRequestContextFactory(sources);
  const apollo = createApolloServer<SubgraphContext>({ schema: subgraph.schema });
  await apollo.start();
  const http = await startGraphQLHttpServer({
    apollo,
    context: contextFor,
    port: options.port,
    host: options.host,
    probes: healthProbes({ mode: 'subgraph', subgraph: options.name }),
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
