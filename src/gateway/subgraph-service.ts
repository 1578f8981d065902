import { openEmbeddedSources, type Sources } from '../sources';
import { buildSubgraph, type SubgraphName } from '../subgraphs';
import type { RunningServer } from './http/graphql-http-server';
import { startSchemaServer } from './serve-schema';

export interface SubgraphServiceOptions {
  name: SubgraphName;
  dataDir: string;
  port: number;
  host?: string;
  sources?: Sources;
}

/** One Federation 2 subgraph as its own HTTP service (`_service`, `_entities`), for a router to compose. */
export async function startSubgraphService(options: SubgraphServiceOptions): Promise<RunningServer> {
  return startSchemaServer({
    schema: (await buildSubgraph(options.name)).schema,
    sources: options.sources ?? (await openEmbeddedSources(options.dataDir)),
    ownsSources: !options.sources,
    port: options.port,
    host: options.host,
    details: { mode: 'subgraph', subgraph: options.name },
  });
}
