import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

export interface GraphQLHttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: () => Promise<TContext> | TContext;
  port: number;
  host?: string;
  /** Largest request body accepted, in bytes. @default 1_000_000 */
  maxBodyBytes?: number;
  /** Extra GET endpoints (health, readiness), path → JSON body factory. */
  probes?: Record<string, () => Promise<{ status: number; body: unknown }>>;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

/**
 * A small Node http adapter for Apollo Server's framework-free core: /graphql plus JSON probes.
 * Transport mistakes (oversized or unparsable bodies, unknown paths) get 4xx with a coded error body.
 */
export async function startGraphQLHttpServer<TContext extends BaseContext>(
  options: GraphQLHttpServerOptions<TContext>,
): Promise<RunningServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('request failed', error);
      if (!response.headersSent) sendJson(response, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
      else response.end();
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const probe = options.probes?.[url.pathname];
    if (probe && request.method === 'GET') {
      const { status, body } = await probe();
      return sendJson(response, status, body);
    }
    if (url.pathname !== GRAPHQL_PATH) return sendJson(response, 404, errorBody(`No route for ${url.pathname}`, 'NOT_FOUND'));

    const read = await readBody(request, maxBodyBytes);
    if (read.tooLarge) {
      return sendJson(response, 413, errorBody(`Request body exceeds ${maxBodyBytes} bytes`, 'PAYLOAD_TOO_LARGE'));
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
          return sendJson(response, 400, errorBody('Request body is not valid JSON', 'BAD_REQUEST'));
        }
      } else {
        body = read.text;
      }
    }
    const result = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
      context: async () => options.context(),
    });
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  }

  // Outlive clients' idle keep-alive sockets, so the server never closes one a client is about to reuse.
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function readBody(request: http.IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
    request.on('error', reject);
  });
}

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}
