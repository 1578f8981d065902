import type http from 'node:http';
import type { Principal } from '../../security';

/** What a plugin answers instead of the GraphQL server (a rejection, a metrics page). */
export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is (set a content-type header). */
  body: unknown;
}

/** One HTTP request as the plugins see it, from arrival to the last byte of the reply. */
export interface HttpExchange {
  readonly request: http.IncomingMessage;
  readonly response: http.ServerResponse;
  readonly url: URL;
  /** The client's x-request-id when it is well formed, else a new UUID; echoed in the reply and forwarded to subgraphs. */
  readonly requestId: string;
  /** When the request arrived (performance.now()). */
  readonly startedAt: number;
  /** The parsed GraphQL request: the JSON body of a POST, or `{ query, variables, … }` of a GET. */
  graphql?: GraphQLRequestBody;
  /** Who is calling, once an authentication plugin has said so. */
  principal?: Principal;
}

// A symbol property rather than a WeakMap: Apollo Server hands plugins and resolvers a shallow copy of the context value.
const EXCHANGE = Symbol('fusion.exchange');

/** Records which exchange a GraphQL context value was built for (the HTTP server does, once per request). */
export function linkExchange<TContext extends object>(contextValue: TContext, exchange: HttpExchange): TContext {
  Object.defineProperty(contextValue, EXCHANGE, { value: exchange, enumerable: true });
  return contextValue;
}

/** The exchange of a GraphQL context value: how Apollo plugins reach the request's HTTP-level state. */
export function exchangeOf(contextValue: unknown): HttpExchange | undefined {
  return typeof contextValue === 'object' && contextValue !== null ? (contextValue as { [EXCHANGE]?: HttpExchange })[EXCHANGE] : undefined;
}

export interface GraphQLRequestBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/**
 * A small HTTP-level plugin (the `use<Thing>` pattern): extra GET routes, a hook before the GraphQL
 * request runs (return a reply to reject it), and a hook when the reply is finished.
 * Plugins run in the order given; the first reply wins.
 */
export interface HttpPlugin {
  name: string;
  /** GET (and HEAD) routes served outside GraphQL, path → reply; null hands the request on (to /graphql, or 404). */
  routes?: Record<string, (exchange: HttpExchange) => Promise<HttpReply | null> | HttpReply | null>;
  /** Before the body is read: headers only (authentication, CORS preflight, rate limits). */
  onRequest?(exchange: HttpExchange): Promise<HttpReply | void> | HttpReply | void;
  /** After the body is parsed, before GraphQL execution (trusted documents). */
  onGraphQLRequest?(exchange: HttpExchange): Promise<HttpReply | void> | HttpReply | void;
  /** Headers to add to every reply (CORS, request id). */
  replyHeaders?(exchange: HttpExchange): Record<string, string>;
  /** The reply has been sent (or the client went away). */
  onResponse?(exchange: HttpExchange, status: number): void;
  /** The server is closing: release timers, connections. */
  close?(): Promise<void> | void;
}
