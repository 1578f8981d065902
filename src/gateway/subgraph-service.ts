import type { GraphQLSchema } from 'graphql';
import { ScoringService } from '../scoring';
import { embeddedSourcesConfig, type SourcesConfig } from '../config/fusion-config';
import { securityOf } from '../config/settings';
import { openSources, type Sources } from '../sources';
import { buildSubgraph, type SubgraphName, type SubscriptionContext } from '../subgraphs';
import type { AttachedService, RunningServer } from './http/graphql-http-server';
import { gatewayPlugins } from './plugins';
import { startSchemaServer } from './serve-schema';
import type { Server } from 'node:http';
import { eventsConfigFromEnv, type EventsConfig } from '../events';
import { createAuthenticator, type Principal } from '../security';
import { createRequestContextFactory } from './context';
import { ChangeHub, durableForHost, orderChangeStreams, startLiveEvents, subscriptionService, type LiveEvents } from './realtime';

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
  /** The orders subgraph only: follow the change events and serve its subscriptions (default: FUSION_NATS_URL; null: none). */
  events?: EventsConfig | null;
  /** The orders subgraph's durable consumer (one per replica, apart from the gateways'). @default fusion-orders-subgraph-<host> */
  durable?: string;
}

/** One Federation 2 subgraph as its own HTTP service (`_service`, `_entities`), for a router to compose. */
export async function startSubgraphService(options: SubgraphServiceOptions): Promise<RunningServer> {
  const config = options.config ?? embeddedSourcesConfig(options.dataDir);
  const sources = options.sources ?? (await openSources(config));
  const scoring = options.name === 'scoring' ? (options.scoring ?? (await ScoringService.start({ sources, dataKey: options.dataDir }))) : null;
  if (scoring && options.prewarmScoring) scoring.prewarm();
  const schema = (await buildSubgraph(options.name)).schema;
  const events = options.name !== 'orders' ? null : options.events === undefined ? eventsConfigFromEnv() : options.events;
  const live = events ? await orderSubscriptions(schema, sources, events, config, options.durable) : null;
  const server = await startSchemaServer({
    schema,
    sources,
    ownsSources: !options.sources,
    port: options.port,
    host: options.host,
    details: { mode: 'subgraph', subgraph: options.name },
    scoring,
    ownsScoring: options.scoring === undefined,
    minGroupPersons: securityOf(config).analytics.minGroupPersons,
    plugins: await gatewayPlugins(config, 'subgraph'),
    ...(live ? { attach: live.attach } : {}),
  });
  if (!live) return server;
  return {
    ...server,
    async close() {
      await live.events.stop();
      await server.close();
    },
  };
}

/**
 * The orders service's subscriptions: its own durable consumer and change hub (startLiveEvents, as the embedded gateway
 * runs), served over graphql-sse at /graphql/stream (and graphql-ws at /graphql/ws) with the subgraph's own schema, so
 * a router that carries subscriptions resolves the changed order's fields across subgraphs.
 */
async function orderSubscriptions(
  schema: GraphQLSchema,
  sources: Sources,
  events: EventsConfig,
  config: SourcesConfig,
  durable = durableForHost('fusion-orders-subgraph'),
): Promise<{ events: LiveEvents; attach: (http: Server) => AttachedService }> {
  const hub = new ChangeHub();
  const live = await startLiveEvents({ events, sources, scoring: null, hub, durable });
  const authenticator = createAuthenticator(securityOf(config));
  const contextFor = await createRequestContextFactory(sources);
  // Each event gets a fresh context (subscriptions.ts): `OrderChange.order` reads the order as the change left it.
  const contextOf = (principal: Principal): SubscriptionContext => {
    const context = contextFor({ principal, requestId: 'subscription' });
    return { ...context, changes: orderChangeStreams(hub, principal, context.data) };
  };
  return {
    events: live,
    attach: subscriptionService(schema, authenticator, contextOf),
  };
}
