import type { ApolloServerPlugin } from '@apollo/server';
import type { SourcesConfig } from '../../config/fusion-config';
import { observabilityOf } from '../../config/settings';
import { configureLogger } from '../../observability';
import type { HttpPlugin } from '../http/http-plugin';
import type { ServerRole } from '.';
import { observeSourceCalls, useMetrics } from './use-metrics';
import { useRequestLogging } from './use-request-logging';
import { useTracing } from './use-tracing';

/** Metrics, tracing and request logs for one server, as the config's `observability` key (or the environment) says. */
export function observabilityPlugins(config: SourcesConfig, role: ServerRole): { http: HttpPlugin[]; apollo: ApolloServerPlugin[] } {
  const settings = observabilityOf(config);
  configureLogger({ level: settings.logging.level });
  observeSourceCalls();
  const logging = useRequestLogging(role);
  const metrics = settings.metrics.enabled ? useMetrics(settings.metrics) : null;
  const tracing = useTracing(settings.tracing, role);
  return {
    http: [logging.http, ...(metrics ? [metrics.http] : [])],
    apollo: [...(tracing ? [tracing] : []), ...(metrics ? [metrics.apollo] : []), logging.apollo],
  };
}
