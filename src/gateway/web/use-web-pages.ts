import path from 'node:path';
import type { SecurityConfig } from '../../config/security-config';
import { liveFigures } from '../../observability';
import { AuthenticationError, createAuthenticator, type Authenticator } from '../../security';
import { ErrorCode } from '../../shared';
import { errorBody } from '../http/graphql-http-server';
import type { HttpExchange, HttpPlugin, HttpReply } from '../http/http-plugin';
import { PUBLIC_DIR, staticFile, vendorFile } from './static-files';

export interface WebPagesOptions {
  /** Production mode (limits.production): no explorer. */
  production: boolean;
  /** Who may read the live figures: the same credentials as the graph. */
  security: SecurityConfig;
}

const READERS_OF_QUALITY = new Set(['admin', 'bi']);

/** The explorer (development mode only) and the /quality page, as HTTP routes. */
export function useWebPages(options: WebPagesOptions): HttpPlugin {
  const authenticator = createAuthenticator(options.security);
  const page = (file: string) => staticFile(path.join(PUBLIC_DIR, file));
  const explorer = page('explorer.html');
  const routes: HttpPlugin['routes'] = {
    '/quality': page('quality.html'),
    '/quality/live': (exchange) => liveFiguresReply(exchange, authenticator),
    '/web/quality.js': page('quality.js'),
    '/web/pages.css': page('pages.css'),
  };
  if (!options.production) {
    Object.assign(routes, {
      // A browser navigating to /graphql gets the explorer; API clients' GETs (JSON, a query string) go on to GraphQL.
      '/graphql': (exchange: HttpExchange) => (wantsExplorer(exchange) ? explorer() : null),
      '/web/explorer.js': page('explorer.js'),
      '/web/vendor/graphiql.min.js': vendorFile('graphiql', 'graphiql.min.js'),
      '/web/vendor/graphiql.min.css': vendorFile('graphiql', 'graphiql.min.css'),
      '/web/vendor/react.production.min.js': vendorFile('react', 'umd/react.production.min.js'),
      '/web/vendor/react-dom.production.min.js': vendorFile('react-dom', 'umd/react-dom.production.min.js'),
    });
  }
  return { name: 'web-pages', routes };
}

function wantsExplorer(exchange: HttpExchange): boolean {
  const accept = exchange.request.headers.accept ?? '';
  return exchange.request.method === 'GET' && accept.includes('text/html') && !exchange.url.searchParams.has('query');
}

async function liveFiguresReply(exchange: HttpExchange, authenticator: Authenticator): Promise<HttpReply> {
  let role: string;
  try {
    role = (await authenticator.authenticate(exchange.request.headers)).role;
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    return { status: 401, headers: { 'www-authenticate': 'Bearer' }, body: errorBody(`Unauthenticated: ${error.message}`, ErrorCode.Unauthenticated) };
  }
  if (!READERS_OF_QUALITY.has(role)) {
    return {
      status: role === 'anonymous' ? 401 : 403,
      body: errorBody('The live figures are for the admin and bi roles', role === 'anonymous' ? ErrorCode.Unauthenticated : ErrorCode.Forbidden),
    };
  }
  return { status: 200, headers: { 'cache-control': 'no-store' }, body: await liveFigures() };
}
