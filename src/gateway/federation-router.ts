import type { ApolloGateway } from '@apollo/gateway';
import {
  getDirectiveValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { subscriptionsUnavailable } from '../shared';
import { createApolloServer } from './apollo';
import { startGraphQLHttpServer, type RunningServer } from './http/graphql-http-server';
import { exchangeOf } from './http/http-plugin';
import type { GatewayPlugins } from './plugins';
import { traceHeadersFor } from './plugins/use-tracing';
import { healthProbes } from './probes';

export interface FederationRouterOptions {
  supergraphSdl: string;
  port: number;
  host?: string;
  /** HTTP and Apollo plugins (see gateway/plugins); none when absent. */
  plugins?: GatewayPlugins;
}

/** What a subgraph needs from the client's request: its credentials (the subgraph enforces the same policy) and its ids. */
export const FORWARDED_HEADERS = ['authorization', 'x-api-key', 'x-request-id', 'traceparent', 'tracestate'] as const;

/**
 * @apollo/gateway in front of subgraph services, routed by the supergraph SDL's URLs. For production
 * scale-out a Rust router (Apollo Router, Hive Router) reads the same supergraph file.
 */
export async function startFederationRouter(options: FederationRouterOptions): Promise<RunningServer> {
  // @apollo/gateway reports usage to Apollo's servers unless told not to; a self-hosted gateway sends nothing out
  // by default (set APOLLO_TELEMETRY_DISABLED=false to opt in).
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  // Loaded here, not with this module: the embedded gateway and the subgraph services never use it (~0.7 s of start-up).
  const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request, context }) {
          const exchange = exchangeOf(context);
          if (!exchange || !request.http) return;
          for (const name of FORWARDED_HEADERS) {
            const value = name === 'x-request-id' ? exchange.requestId : exchange.request.headers[name];
            if (typeof value === 'string') request.http.headers.set(name, value);
          }
          // While tracing, the subgraph's operation becomes a child of this router operation's span.
          for (const [name, value] of Object.entries(traceHeadersFor(context))) request.http.headers.set(name, value);
        },
      }),
  });
  const apollo = createApolloServer({
    gateway: withClientFacingErrors(gateway),
    plugins: options.plugins?.apollo,
    validationRules: options.plugins?.validationRules,
  });
  await apollo.start();
  const http = await startGraphQLHttpServer({
    apollo,
    context: () => ({}),
    plugins: options.plugins?.http,
    maxBodyBytes: options.plugins?.maxBodyBytes,
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

const ROUTER_SUBSCRIPTIONS =
  '@apollo/gateway does not execute subscriptions: subscribe at the embedded gateway or at Hive Gateway over the subgraph services (docs/realtime.md)';

type Gateway = Pick<ApolloGateway, 'load' | 'onSchemaLoadOrUpdate' | 'stop'>;
type GatewayExecutor = NonNullable<Awaited<ReturnType<ApolloGateway['load']>>['executor']>;
type GatewayRequestContext = Parameters<GatewayExecutor>[0];

/**
 * @apollo/gateway re-raises a subgraph's error with the client path but without `locations` (those of
 * the subgraph query mean nothing to the client) and with `extensions.serviceName` added. The embedded
 * deployment answers the same error as graphql-js does: `locations` of the field in the client's
 * operation, no `serviceName`. So that both deployments answer byte for byte the same (and subgraph
 * names stay internal), every downstream error is rebuilt here from the client operation: the field
 * nodes at its path give its locations, and `serviceName` is dropped.
 */
function withClientFacingErrors(gateway: ApolloGateway): Gateway {
  return {
    async load(options) {
      const loaded = await gateway.load(options);
      const executor = loaded.executor;
      if (!executor) return loaded;
      return {
        ...loaded,
        executor: async (requestContext) => {
          // @apollo/gateway plans a subscription but throws on executing it (an INTERNAL_SERVER_ERROR): say so, coded.
          if (requestContext.operation.operation === 'subscription') return { errors: [subscriptionsUnavailable(ROUTER_SUBSCRIPTIONS)] };
          const result = await executor(requestContext);
          if (!result.errors?.some((error) => error.extensions?.serviceName !== undefined)) return result;
          return { ...result, errors: result.errors.map((error) => clientFacingError(error, requestContext)) };
        },
      };
    },
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
  };
}

function clientFacingError(error: GraphQLError, requestContext: GatewayRequestContext): GraphQLError {
  if (error.extensions?.serviceName === undefined) return error;
  const { serviceName: _serviceName, ...extensions } = error.extensions;
  const nodes = error.nodes ?? (error.path ? fieldNodesAt(requestContext, error.path) : undefined);
  return new GraphQLError(error.message, {
    nodes,
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions,
  });
}

/** The client operation's field nodes answering `path` (as graphql-js would report them), or undefined. */
function fieldNodesAt(requestContext: GatewayRequestContext, path: ReadonlyArray<string | number>): FieldNode[] | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of requestContext.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variables = requestContext.request.variables ?? {};
  const included = (node: FieldNode | SelectionSetNode['selections'][number]) =>
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;

  const collect = (selectionSet: SelectionSetNode, responseKey: string, into: FieldNode[], visited: Set<string>): void => {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        if ((selection.alias ?? selection.name).value === responseKey) into.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet, responseKey, into, visited);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet, responseKey, into, visited);
      }
    }
  };

  let selectionSets: SelectionSetNode[] = [requestContext.operation.selectionSet];
  let nodes: FieldNode[] = [];
  for (const key of path) {
    if (typeof key === 'number') continue;
    nodes = [];
    const visited = new Set<string>();
    for (const selectionSet of selectionSets) collect(selectionSet, key, nodes, visited);
    if (nodes.length === 0) return undefined;
    selectionSets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  }
  return nodes.length > 0 ? nodes : undefined;
}
