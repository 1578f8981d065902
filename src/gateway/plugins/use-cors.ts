import { ErrorCode } from '../../shared';
import { errorBody } from '../http/graphql-http-server';
import type { HttpExchange, HttpPlugin, HttpReply } from '../http/http-plugin';

const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'traceparent',
  'tracestate',
].join(', ');

/**
 * CORS for browsers: only `allowedOrigins` (none by default) get Access-Control-Allow-Origin; a
 * preflight (OPTIONS) is answered here, 204 for an allowed origin, 403 ORIGIN_NOT_ALLOWED otherwise.
 */
export function useCors(options: { allowedOrigins: readonly string[]; maxAgeSeconds: number }): HttpPlugin {
  const allowed = new Set(options.allowedOrigins);
  const allowedOrigin = (exchange: HttpExchange): string | undefined => {
    const origin = exchange.request.headers.origin;
    return typeof origin === 'string' && allowed.has(origin) ? origin : undefined;
  };
  return {
    name: 'cors',
    onRequest(exchange): HttpReply | void {
      if (exchange.request.method !== 'OPTIONS') return;
      const origin = exchange.request.headers.origin;
      if (origin === undefined) return { status: 204, headers: { allow: 'GET, POST, OPTIONS' }, body: undefined };
      if (!allowedOrigin(exchange)) {
        return { status: 403, body: errorBody(`Origin ${String(origin)} may not call this API`, ErrorCode.OriginNotAllowed) };
      }
      return {
        status: 204,
        headers: {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': ALLOWED_HEADERS,
          'access-control-max-age': String(options.maxAgeSeconds),
        },
        body: undefined,
      };
    },
    replyHeaders(exchange): Record<string, string> {
      const origin = allowedOrigin(exchange);
      if (!origin) return allowed.size > 0 ? { vary: 'Origin' } : {};
      return { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'x-request-id, retry-after', vary: 'Origin' };
    },
  };
}
