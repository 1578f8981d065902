import { openEmbeddedSources, type Sources } from '../sources';
import { buildEmbeddedSupergraphSchema } from './embedded';
import type { RunningServer } from './http/graphql-http-server';
import { startSchemaServer } from './serve-schema';

export interface EmbeddedGatewayOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** Use these sources instead of opening the embedded stores (they are then not closed here). */
  sources?: Sources;
}

/** The default deployment: the whole supergraph served by one process over the embedded stores. */
export async function startEmbeddedGateway(options: EmbeddedGatewayOptions): Promise<RunningServer> {
  return startSchemaServer({
    schema: await buildEmbeddedSupergraphSchema(),
    sources: options.sources ?? (await openEmbeddedSources(options.dataDir)),
    ownsSources: !options.sources,
    port: options.port,
    host: options.host,
    details: { mode: 'embedded' },
  });
}
