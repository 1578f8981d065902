import { ScoringService } from '../scoring';
import { embeddedSourcesConfig, type SourcesConfig } from '../config/fusion-config';
import { securityOf } from '../config/settings';
import { openSources, type Sources } from '../sources';
import { buildSubgraph, type SubgraphName } from '../subgraphs';
import type { RunningServer } from './http/graphql-http-server';
import { gatewayPlugins } from './plugins';
import { startSchemaServer } from './serve-schema';

export interface SubgraphServiceOptions {
  name: SubgraphName;
  dataDir: string;
  port: number;
  host?: string;
  sources?: Sources;
  /** Open the sources this configuration names (FUSION_CONFIG); default: the embedded stores under dataDir. */
  config?: SourcesConfig;
  /** The scoring subgraph only: the scoring service to use (default: one over the environment's models). */
  scoring?: ScoringService;
  /** The scoring subgraph only: build the feature store right away, in the background. */
  prewarmScoring?: boolean;
}

/** One Federation 2 subgraph as its own HTTP service (`_service`, `_entities`), for a router to compose. */
export async function startSubgraphService(options: SubgraphServiceOptions): Promise<RunningServer> {
  const config = options.config ?? embeddedSourcesConfig(options.dataDir);
  const sources = options.sources ?? (await openSources(config));
  const scoring = options.name === 'scoring' ? (options.scoring ?? (await ScoringService.start({ sources, dataKey: options.dataDir }))) : null;
  if (scoring && options.prewarmScoring) scoring.prewarm();
  return startSchemaServer({
    schema: (await buildSubgraph(options.name)).schema,
    sources,
    ownsSources: !options.sources,
    port: options.port,
    host: options.host,
    details: { mode: 'subgraph', subgraph: options.name },
    scoring,
    ownsScoring: options.scoring === undefined,
    minGroupPersons: securityOf(config).analytics.minGroupPersons,
    plugins: await gatewayPlugins(config, 'subgraph'),
  });
}
