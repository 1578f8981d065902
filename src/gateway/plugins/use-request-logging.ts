import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { logger } from '../../observability';
import { exchangeOf, type HttpExchange, type HttpPlugin } from '../http/http-plugin';
import type { ServerRole } from '.';
import { errorCodeOf, operationOf } from './operation-facts';

/**
 * One JSON log line per request, when its reply is finished: request id, server role, method, path,
 * HTTP status, duration, the operation's name and type, the error codes answered, the caller's role.
 * GraphQL requests log at `info`; probes and /metrics at `debug`.
 */
export function useRequestLogging(role: ServerRole): { http: HttpPlugin; apollo: ApolloServerPlugin } {
  return {
    http: {
      name: 'request-logging',
      onResponse(exchange, status) {
        const facts = operations.get(exchange);
        const graphql = facts !== undefined || exchange.url.pathname === '/graphql';
        const log = logger();
        if (!log.isLevelEnabled(graphql ? 'info' : 'debug')) return;
        const line = {
          requestId: exchange.requestId,
          server: role,
          method: exchange.request.method,
          path: exchange.url.pathname,
          status,
          durationMs: Math.round((performance.now() - exchange.startedAt) * 100) / 100,
          ...(facts ? { operation: facts.name, operationType: facts.type } : {}),
          ...(facts && facts.errorCodes.size > 0 ? { errorCodes: [...facts.errorCodes] } : {}),
          ...(exchange.principal ? { principal: exchange.principal.role } : {}),
        };
        if (graphql) log.info(line, 'request');
        else log.debug(line, 'request');
      },
    },
    apollo: {
      async requestDidStart({ contextValue }) {
        const exchange = exchangeOf(contextValue);
        if (!exchange) return;
        const facts: OperationFacts = { name: 'invalid', type: 'invalid', errorCodes: new Set() };
        operations.set(exchange, facts);
        return {
          async didResolveOperation({ operation }) {
            Object.assign(facts, operationOf({ operation }));
          },
          async didEncounterErrors({ errors }) {
            for (const error of errors) facts.errorCodes.add(errorCodeOf(error));
          },
        };
      },
    },
  };
}

interface OperationFacts {
  name: string;
  type: string;
  errorCodes: Set<string>;
}

const operations = new WeakMap<HttpExchange, OperationFacts>();

/**
 * Logs every error answered as INTERNAL_SERVER_ERROR (a bug, a driver exception) with its stack and the
 * request id; the client sees only a generic message (gateway/apollo.ts). Every Apollo server runs it.
 */
export const logUnexpectedErrors: ApolloServerPlugin = {
  async requestDidStart({ contextValue }) {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          if (errorCodeOf(error) !== 'INTERNAL_SERVER_ERROR') continue;
          const requestId = exchangeOf(contextValue)?.requestId;
          logger().error({ requestId, path: error.path?.join('.'), err: unwrapResolverError(error) }, 'unexpected error');
        }
      },
    };
  },
};
