import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { logger } from '../../observability';
import { readBody } from '../../shared';
import { linkExchange, type GraphQLRequestBody, type HttpExchange, type HttpPlugin, type HttpReply } from './http-plugin';

export interface GraphQLHttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the resolver context of one request (the exchange carries the principal, the request id). */
  context: (exchange: HttpExchange) => Promise<TContext> | TContext;
  port: number;
  host?: string;
  /** Largest request body accepted, in bytes. @default 1_000_000 */
  maxBodyBytes?: number;
  /** Extra GET endpoints (health, readiness), path → JSON body factory (told whether the server is draining). */
  probes?: Record<string, (state: { draining: boolean }) => Promise<{ status: number; body: unknown }>>;
  /** On close, how long in-flight requests may take to finish before their connections are cut. @default 10_000 */
  drainTimeoutMs?: number;
  /** HTTP-level plugins, run in this order (see http-plugin.ts). */
  plugins?: readonly HttpPlugin[];
  /**
   * Services that share the server (the subscriptions: WebSocket upgrades, SSE streams): called once with the
   * server; their raw routes answer requests to their paths themselves (any method); closed before the server.
   */
  attach?: (server: http.Server) => AttachedService;
}

/** A service riding on the GraphQL server's port (see GraphQLHttpServerOptions.attach). */
export interface AttachedService {
  rawRoutes: Record<string, (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>>;
  close(): Promise<void>;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A small Node http adapter for Apollo Server's framework-free core: /graphql, JSON probes and the
 * plugins' routes. Transport mistakes (oversized or unparsable bodies, unknown paths) get 4xx with a
 * coded error body; a plugin may answer a request itself (a coded rejection) before GraphQL runs.
 */
export async function startGraphQLHttpServer<TContext extends BaseContext>(options: GraphQLHttpServerOptions<TContext>): Promise<RunningServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  const plugins = options.plugins ?? [];
  const routes = new Map<string, (exchange: HttpExchange) => Promise<HttpReply | null> | HttpReply | null>();
  for (const [path, probe] of Object.entries(options.probes ?? {})) routes.set(path, () => probe({ draining }));
  // Graceful shutdown: requests being answered, and whether close() has begun.
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  let drained: (() => void) | null = null;
  for (const plugin of plugins) for (const [path, route] of Object.entries(plugin.routes ?? {})) routes.set(path, route);

  const server = http.createServer((request, response) => {
    const exchange = newExchange(request, response);
    inFlight.add(response);
    if (draining) response.setHeader('connection', 'close');
    response.once('close', () => {
      inFlight.delete(response);
      if (inFlight.size === 0) drained?.();
      for (const plugin of plugins) plugin.onResponse?.(exchange, response.statusCode);
    });
    handle(exchange).catch((error: unknown) => {
      logger().error({ requestId: exchange.requestId, err: error }, 'request failed');
      if (!response.headersSent) send(exchange, { status: 500, body: errorBody('Internal server error', 'INTERNAL_SERVER_ERROR') });
      else response.end();
    });
  });

  function newExchange(request: http.IncomingMessage, response: http.ServerResponse): HttpExchange {
    const offered = request.headers['x-request-id'];
    const requestId = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    return { request, response, url: new URL(request.url ?? '/', 'http://localhost'), requestId, startedAt: performance.now() };
  }

  async function handle(exchange: HttpExchange): Promise<void> {
    const { request, url } = exchange;
    const raw = attached?.rawRoutes[url.pathname];
    if (raw) {
      streams.add(exchange.response);
      exchange.response.once('close', () => streams.delete(exchange.response));
      return raw(request, exchange.response);
    }
    const route = routes.get(url.pathname);
    if (route && (request.method === 'GET' || request.method === 'HEAD')) {
      const reply = await route(exchange);
      if (reply) return send(exchange, reply);
    }
    if (url.pathname !== GRAPHQL_PATH) return send(exchange, { status: 404, body: errorBody(`No route for ${url.pathname}`, 'NOT_FOUND') });

    for (const plugin of plugins) {
      const reply = await plugin.onRequest?.(exchange);
      if (reply) return send(exchange, reply);
    }
    const read = await readBody(request, maxBodyBytes);
    if (read.tooLarge) {
      return send(exchange, { status: 413, body: errorBody(`Request body exceeds ${maxBodyBytes} bytes`, 'PAYLOAD_TOO_LARGE') });
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = undefined;
    if (request.method === 'POST' && read.text.length > 0) {
      const contentType = headers.get('content-type') ?? '';
      if (contentType.includes('application/json')) {
        try {
          body = JSON.parse(read.text);
        } catch {
          return send(exchange, { status: 400, body: errorBody('Request body is not valid JSON', 'BAD_REQUEST') });
        }
      } else {
        body = read.text;
      }
    }
    exchange.graphql = graphqlRequestOf(request.method, url, body);
    for (const plugin of plugins) {
      const reply = await plugin.onGraphQLRequest?.(exchange);
      if (reply) return send(exchange, reply);
    }
    const result = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
      context: async () => linkExchange(await options.context(exchange), exchange),
    });
    const { response } = exchange;
    for (const [name, value] of result.headers) response.setHeader(name, value);
    setPluginHeaders(exchange);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  }

  function setPluginHeaders(exchange: HttpExchange): void {
    exchange.response.setHeader('x-request-id', exchange.requestId);
    for (const plugin of plugins) {
      for (const [name, value] of Object.entries(plugin.replyHeaders?.(exchange) ?? {})) exchange.response.setHeader(name, value);
    }
  }

  function send(exchange: HttpExchange, reply: HttpReply): void {
    const { response } = exchange;
    setPluginHeaders(exchange);
    for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
    response.statusCode = reply.status;
    if (typeof reply.body === 'string') {
      response.end(exchange.request.method === 'HEAD' ? undefined : reply.body);
      return;
    }
    if (reply.body === undefined || reply.body === null) {
      response.end();
      return;
    }
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(exchange.request.method === 'HEAD' ? undefined : JSON.stringify(reply.body));
  }

  // Outlive clients' idle keep-alive sockets, so the server never closes one a client is about to reuse.
  const attached = options.attach?.(server);
  /** Streams answered by an attached service's raw route (SSE): ended at close, not drained. */
  const streams = new Set<http.ServerResponse>();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}${GRAPHQL_PATH}`,
    port,
    /**
     * Stops accepting connections, lets the requests in flight finish (their connections then close,
     * idle keep-alive ones at once), and cuts whatever is still open after the drain timeout.
     */
    async close() {
      draining = true;
      await attached?.close();
      for (const stream of streams) stream.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
      server.closeIdleConnections();
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, options.drainTimeoutMs ?? 10_000);
          }),
        ]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
      for (const plugin of plugins) await plugin.close?.();
    },
  };
}

/** The GraphQL parameters of a request, whichever transport form it used (POST JSON body or GET query string). */
function graphqlRequestOf(method: string | undefined, url: URL, body: unknown): GraphQLRequestBody | undefined {
  if (method === 'POST') return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as GraphQLRequestBody) : undefined;
  if (method !== 'GET') return undefined;
  const parameter = (name: string) => url.searchParams.get(name) ?? undefined;
  const json = (name: string) => {
    const text = parameter(name);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  return { query: parameter('query'), operationName: parameter('operationName'), variables: json('variables'), extensions: json('extensions') };
}

export function errorBody(message: string, code: string, extensions: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}
