/**
 * The graph's subscriptions, served beside /graphql on the embedded server: graphql-ws over WebSocket at
 * /graphql/ws and graphql-sse (distinct connections mode) at /graphql/stream. The same authentication as
 * queries (the Bearer token or partner key: the `authorization` or `x-api-key` connection parameter for WebSocket, the
 * request's header for SSE) and the same row scopes: a partner receives only changes of orders with a line
 * of its own seller, a customer only its own orders. Payloads carry no person data, so masking has nothing
 * to hide. Each subscriber reads from a bounded buffer (change-hub.ts).
 */
import type http from 'node:http';
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFieldConfig,
} from 'graphql';
import { CloseCode, makeServer } from 'graphql-ws';
import { createHandler } from 'graphql-sse/lib/use/http';
import { WebSocketServer } from 'ws';
import type { Authenticator, Principal } from '../../security';
import { forbidden } from '../../shared';
import type { RequestContextFactory } from '../context';
import type { AttachedService } from '../http/graphql-http-server';
import type { RiskLevelName } from '../../scoring';
import type { ChangeHub, OrderChange, RecommendationsChange, RiskChange } from './change-hub';
import { orderChangeStreams } from './order-streams';

export const SUBSCRIPTIONS_WS_PATH = '/graphql/ws';
export const SUBSCRIPTIONS_SSE_PATH = '/graphql/stream';

type SubscriptionContext = { principal: Principal };

const OrderChangeType = new GraphQLObjectType<OrderChange>({
  name: 'OrderChange',
  description: 'One change of an order, as its source system published it.',
  fields: {
    eventId: { type: new GraphQLNonNull(GraphQLID) },
    type: { type: new GraphQLNonNull(GraphQLString), description: 'order.created, order.item-added, order.status-changed, order.delivered, …' },
    orderId: { type: new GraphQLNonNull(GraphQLID) },
    status: { type: GraphQLString, description: 'The status after the change, when it sets one.' },
    occurredAt: { type: new GraphQLNonNull(GraphQLString) },
    sellerIds: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLID))) },
  },
});

const RISK_LEVELS: RiskLevelName[] = ['LOW', 'MEDIUM', 'HIGH'];
/** The query schema's RiskLevel, by name and values. */
const RiskLevelType = new GraphQLEnumType({ name: 'RiskLevel', values: Object.fromEntries(RISK_LEVELS.map((level) => [level, { value: level }])) });

const ReasonType = new GraphQLObjectType<{ text: string; effect: number | null }>({
  name: 'Reason',
  description: 'As `Risk.explanation`: a reason in words and how much it moved the score (signed; null for the neutral reason).',
  fields: { text: { type: new GraphQLNonNull(GraphQLString) }, effect: { type: GraphQLFloat } },
});

const RiskChangeType = new GraphQLObjectType<RiskChange>({
  name: 'DeliveryRiskChange',
  description: "An order's delivery risk after a change moved its level or score.",
  fields: {
    orderId: { type: new GraphQLNonNull(GraphQLID) },
    probability: { type: new GraphQLNonNull(GraphQLFloat), description: 'As `Risk.probability`' },
    level: { type: new GraphQLNonNull(RiskLevelType) },
    previousLevel: { type: RiskLevelType, description: 'null for an order that had no score before' },
    previousProbability: { type: GraphQLFloat },
    reasons: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(ReasonType))),
      description: 'As `Risk.explanation`: what raised the score (MEDIUM, HIGH) or, for a LOW risk, what lowered it',
    },
    direction: { type: new GraphQLNonNull(GraphQLString), description: 'raised or lowered: which way the reasons explain' },
    modelVersion: { type: new GraphQLNonNull(GraphQLString) },
    occurredAt: { type: new GraphQLNonNull(GraphQLString), description: 'The shop time of the change that moved it' },
  },
});

const RecommendedProductType = new GraphQLObjectType<{ productId: string; score: number }>({
  name: 'RecommendedProduct',
  fields: { productId: { type: new GraphQLNonNull(GraphQLID) }, score: { type: new GraphQLNonNull(GraphQLFloat) } },
});

const RecommendationsChangeType = new GraphQLObjectType<RecommendationsChange>({
  name: 'RecommendationsChange',
  description: "A person's top recommendations (as `User.recommendations` with its default first: 10) after a change of their data re-ranked them.",
  fields: {
    userId: { type: new GraphQLNonNull(GraphQLID) },
    products: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(RecommendedProductType))) },
    previousProductIds: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLID))) },
    modelVersion: { type: new GraphQLNonNull(GraphQLString) },
    occurredAt: { type: new GraphQLNonNull(GraphQLString) },
  },
});

function subscriptionField<T>(
  args: GraphQLFieldConfig<unknown, SubscriptionContext>['args'],
  subscribe: (args: Record<string, unknown>, principal: Principal) => Promise<AsyncIterableIterator<T>>,
  type: GraphQLObjectType = OrderChangeType,
): GraphQLFieldConfig<unknown, SubscriptionContext> {
  return {
    type: new GraphQLNonNull(type),
    args,
    subscribe: (_root, fieldArgs: Record<string, unknown>, context) => subscribe(fieldArgs, context.principal),
    resolve: (change) => change as T,
  };
}

/** The order row scope on risk changes: a partner the orders with its seller's lines, a customer its own, bi and admin all. */
function riskScope(principal: Principal): (change: RiskChange) => boolean {
  switch (principal.role) {
    case 'admin':
    case 'bi':
      return () => true;
    case 'partner':
      return (change) => change.sellerIds.includes(principal.sellerId!);
    case 'customer':
      return (change) => change.personId === principal.subject;
    default:
      throw forbidden('deliveryRiskChanged');
  }
}

/** `contextFor`: the queries' context factory, so a subscription sees an order exactly when a query of the caller's would (its read model). */
export function subscriptionSchema(hub: ChangeHub, contextFor: RequestContextFactory): GraphQLSchema {
  const streamsOf = (principal: Principal) => orderChangeStreams(hub, principal, contextFor({ principal, requestId: 'subscription' }).data);
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { subscriptionsAvailable: { type: GraphQLBoolean, resolve: () => true } } }),
    subscription: new GraphQLObjectType<unknown, SubscriptionContext>({
      name: 'Subscription',
      fields: {
        orderUpdated: subscriptionField({ id: { type: new GraphQLNonNull(GraphQLID) } }, (args, principal) =>
          streamsOf(principal).orderUpdated(String(args.id)),
        ),
        ordersOfSeller: subscriptionField({ sellerId: { type: GraphQLID } }, (args, principal) =>
          streamsOf(principal).ordersOfSeller(args.sellerId === undefined || args.sellerId === null ? null : String(args.sellerId)),
        ),
        deliveryRiskChanged: subscriptionField(
          { minLevel: { type: RiskLevelType, description: 'Only changes to this level or above (default LOW: all)' } },
          async (args, principal) => {
            const floor = RISK_LEVELS.indexOf((args.minLevel as RiskLevelName | null | undefined) ?? 'LOW');
            const inScope = riskScope(principal);
            return hub.risks.subscribe((change) => RISK_LEVELS.indexOf(change.level) >= floor && inScope(change));
          },
          RiskChangeType,
        ),
        recommendationsChanged: subscriptionField(
          { userId: { type: new GraphQLNonNull(GraphQLID) } },
          async (args, principal) => {
            const userId = String(args.userId);
            // A customer for themself, an admin for anyone (the people-facing list; bi reads it in queries, not live).
            if (!(principal.role === 'admin' || (principal.role === 'customer' && principal.subject === userId)))
              throw forbidden(`recommendationsChanged(userId: "${userId}")`);
            return hub.recommendations.subscribe((change) => change.userId === userId);
          },
          RecommendationsChangeType,
        ),
      },
    }),
  });
}

export interface SubscriptionServer {
  /** The SSE handler (for the HTTP server's raw routes). */
  sse: (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>;
  close(): Promise<void>;
}

/** What each operation and each of its events is executed with: the caller's context (default: just the caller). */
export type SubscriptionContextOf = (principal: Principal) => { principal: Principal };

/**
 * Runs a subscription as graphql-js's `subscribe` does, except that each event is executed with a context of its own
 * (`contextOf`): a schema whose payloads read data (the orders subgraph's `OrderChange.order`) reads it fresh for
 * every event, never from the memo of an earlier one (the read model's DataLoaders live one context).
 */
function subscribeWithContextPerEvent(contextOf: SubscriptionContextOf) {
  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const { principal } = args.contextValue as SubscriptionContext;
    const stream = await createSourceEventStream({ ...args, contextValue: contextOf(principal) });
    if (!(Symbol.asyncIterator in stream)) return stream;
    const events = stream[Symbol.asyncIterator]();
    const results: AsyncIterableIterator<ExecutionResult> = {
      next: async () => {
        const event = await events.next();
        if (event.done) return { value: undefined, done: true };
        return { value: await execute({ ...args, rootValue: event.value, contextValue: contextOf(principal) }), done: false };
      },
      return: async () => {
        await events.return?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => results,
    };
    return results;
  };
}

/** graphql-ws on the server's upgrade requests to /graphql/ws, and the graphql-sse handler for /graphql/stream. */
export function attachSubscriptions(
  server: http.Server,
  schema: GraphQLSchema,
  authenticator: Authenticator,
  contextOf: SubscriptionContextOf = (principal) => ({ principal }),
): SubscriptionServer {
  const subscribe = subscribeWithContextPerEvent(contextOf);
  const wsServer = new WebSocketServer({ server, path: SUBSCRIPTIONS_WS_PATH });
  const protocol = makeServer<Record<string, unknown> | undefined, { principal?: Principal }>({
    schema,
    subscribe,
    onConnect: async (ctx) => {
      // The same credentials as an HTTP request's headers: `authorization` (Bearer JWT) or `x-api-key` (partner key).
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'x-api-key']) {
        const value = ctx.connectionParams?.[name];
        if (typeof value === 'string') headers[name] = value;
      }
      try {
        ctx.extra.principal = await authenticator.authenticate(headers);
        return true;
      } catch {
        return false; // closed with 4403 Forbidden
      }
    },
    context: (ctx) => ({ principal: ctx.extra.principal! }) satisfies SubscriptionContext,
  });
  wsServer.on('connection', (socket, request) => {
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) => new Promise<void>((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve()))),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) => socket.on('message', (data) => cb(String(data)).catch(() => socket.close(CloseCode.InternalServerError, 'Internal error'))),
      },
      { principal: undefined, request } as { principal?: Principal },
    );
    socket.once('close', (code, reason) => closed(code, String(reason)));
  });
  const sse = createHandler<SubscriptionContext>({
    schema,
    subscribe,
    context: async (request) => ({ principal: await authenticator.authenticate((request.raw as http.IncomingMessage).headers) }),
  });
  return {
    sse: async (request, response) => {
      try {
        await sse(request, response);
      } catch {
        if (!response.headersSent) {
          response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
          response.end(JSON.stringify({ errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] }));
        } else response.end();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wsServer.clients) client.terminate();
        wsServer.close(() => resolve());
      }),
  };
}

/** attachSubscriptions as a service riding on the GraphQL server's port (its SSE route a raw route of that server). */
export function subscriptionService(
  schema: GraphQLSchema,
  authenticator: Authenticator,
  contextOf?: SubscriptionContextOf,
): (server: http.Server) => AttachedService {
  return (server) => {
    const subscriptions = attachSubscriptions(server, schema, authenticator, contextOf);
    return { rawRoutes: { [SUBSCRIPTIONS_SSE_PATH]: subscriptions.sse }, close: () => subscriptions.close() };
  };
}
