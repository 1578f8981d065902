import { ScoringService } from '../scoring';
import { embeddedSourcesConfig, type SourcesConfig } from '../config/fusion-config';
import { securityOf } from '../config/settings';
import { openSources, type Sources } from '../sources';
import { buildEmbeddedSupergraphSchema } from './embedded';
import type { RunningServer } from './http/graphql-http-server';
import { gatewayPlugins } from './plugins';
import { startSchemaServer } from './serve-schema';
import { createRequestContextFactory } from './context';
import { eventsConfigFromEnv, type EventsConfig } from '../events';
import { createAuthenticator } from '../security';
import { ChangeHub } from './realtime/change-hub';
import { startLiveEvents } from './realtime/live-events';
import { subscriptionSchema, subscriptionService } from './realtime/subscriptions';

export interface EmbeddedGatewayOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** Use these sources instead of opening the embedded stores (they are then not closed here). */
  sources?: Sources;
  /** Open the sources this configuration names (FUSION_CONFIG); default: the embedded stores under dataDir. */
  config?: SourcesConfig;
  /** The scoring service to use (default: one over the environment's models; false: serve no models). */
  scoring?: ScoringService | false;
  /** Build the scoring feature store right away, in the background (default: on first scoring use). */
  prewarmScoring?: boolean;
  /** Follow the source systems' change events (default: FUSION_NATS_URL; null: none). */
  events?: EventsConfig | null;
}

/** The default deployment: the whole supergraph served by one process over the embedded stores. */
export async function startEmbeddedGateway(options: EmbeddedGatewayOptions): Promise<RunningServer> {
  const config = options.config ?? embeddedSourcesConfig(options.dataDir);
  const sources = options.sources ?? (await openSources(config));
  const scoring = options.scoring === false ? null : (options.scoring ?? (await ScoringService.start({ sources, dataKey: options.dataDir })));
  if (scoring && options.prewarmScoring) scoring.prewarm();
  const events = options.events === undefined ? eventsConfigFromEnv() : options.events;
  const hub = events ? new ChangeHub() : null;
  const live = events && hub ? await startLiveEvents({ events, sources, scoring, hub }) : null;
  const authenticator = hub ? createAuthenticator(securityOf(config)) : null;
  // Subscriptions check visibility with the queries' read model (no scoring: their payloads carry no scores).
  const subscriptionContext = hub ? await createRequestContextFactory(sources) : null;
  const server = await startSchemaServer({
    schema: await buildEmbeddedSupergraphSchema({ cacheDir: options.dataDir }),
    sources,
    ownsSources: !options.sources,
    port: options.port,
    host: options.host,
    details: { mode: 'embedded' },
    scoring,
    ownsScoring: options.scoring === undefined,
    minGroupPersons: securityOf(config).analytics.minGroupPersons,
    plugins: await gatewayPlugins(config, 'embedded'),
    ...(hub && authenticator ? { attach: subscriptionService(subscriptionSchema(hub, subscriptionContext!), authenticator) } : {}),
  });
  if (!live) return server;
  return {
    ...server,
    async close() {
      await live.stop();
      await server.close();
    },
  };
}
