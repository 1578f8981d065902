import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ObservabilityConfig } from '../../config/observability-config';
import { metricsExposition, observeSourceCall, operationLabel, recordBreakerState, recordGraphQLErrors, recordOperation } from '../../observability';
import { bearerMatches } from '../../security/bearer';
import { addSourceCallHooks } from '../../sources/resilience';
import { errorBody } from '../http/graphql-http-server';
import type { HttpExchange, HttpPlugin, HttpReply } from '../http/http-plugin';
import { errorCodeOf, operationOf, outcomeOf } from './operation-facts';

/**
 * Prometheus metrics: GET /metrics (text format 0.0.4; behind a bearer token when one is configured)
 * and the operation lifecycle (operations by name, type and outcome, their latency, errors by code).
 */
export function useMetrics(settings: ObservabilityConfig['metrics']): { http: HttpPlugin; apollo: ApolloServerPlugin } {
  return { http: metricsRoute(settings.bearerToken), apollo: operationMetrics() };
}

function metricsRoute(bearerToken: string | undefined): HttpPlugin {
  return {
    name: 'metrics',
    routes: {
      '/metrics': async (exchange: HttpExchange): Promise<HttpReply> => {
        if (bearerToken && !bearerMatches(exchange.request.headers.authorization, bearerToken)) {
          return {
            status: 401,
            headers: { 'www-authenticate': 'Bearer realm="metrics"' },
            body: errorBody('/metrics needs the metrics bearer token', 'UNAUTHENTICATED'),
          };
        }
        const { contentType, text } = await metricsExposition();
        return { status: 200, headers: { 'content-type': contentType }, body: text };
      },
    },
  };
}

function operationMetrics(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          recordGraphQLErrors(errors.map(errorCodeOf));
        },
        async willSendResponse(requestContext) {
          const { name, type } = operationOf(requestContext);
          recordOperation(operationLabel(name), type, outcomeOf(requestContext), (performance.now() - started) / 1000);
        },
      };
    },
  };
}

let observingServers = 0;
let removeSourceCallHooks: (() => void) | null = null;

/**
 * Feeds the source guards' reports (every call attempt, every breaker transition) to metrics and traces while
 * at least one server observes them; the answer stops this server's share.
 */
export function startObservingSourceCalls(): () => void {
  if (observingServers++ === 0) removeSourceCallHooks = addSourceCallHooks({ onCall: observeSourceCall, onBreakerState: recordBreakerState });
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    if (--observingServers === 0) {
      removeSourceCallHooks?.();
      removeSourceCallHooks = null;
    }
  };
}
