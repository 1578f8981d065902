/** The `observability` configuration key: defaults without a file, the environment's part, validation naming the key. */
import { embeddedSourcesConfig, resolveConfig } from '../../src/config/fusion-config';
import { observabilityFromEnv, resolveObservability } from '../../src/config/observability-config';
import { gatewayPlugins } from '../../src/gateway/plugins';
import { otlpTracesUrl, trace, tracingEnabled } from '../../src/observability';
import { SQLITE_SOURCES as SOURCES } from '../helpers/config-fixtures';

test('without a file or environment: /metrics on, tracing off, logs at info', () => {
  expect(observabilityFromEnv({})).toEqual({
    metrics: { enabled: true },
    tracing: { serviceName: 'fusion-gateway', resolverSpans: 'composite' },
    logging: { level: 'info' },
  });
  expect(embeddedSourcesConfig('/tmp/data').observability).toBeUndefined();
  expect(resolveConfig({ sources: SOURCES }, { env: {} }).observability).toBeUndefined();
});

test('the environment fills what the file leaves out; the file wins', () => {
  const env = { LOG_LEVEL: 'WARN', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'edge', FUSION_METRICS_TOKEN: 't0ken' };
  expect(observabilityFromEnv(env)).toEqual({
    metrics: { enabled: true, bearerToken: 't0ken' },
    tracing: { otlpEndpoint: 'http://collector:4318', serviceName: 'edge', resolverSpans: 'composite' },
    logging: { level: 'warn' },
  });
  const config = resolveConfig(
    {
      sources: SOURCES,
      observability: {
        metrics: { bearerToken: { env: 'METRICS_SECRET' } },
        tracing: { otlpEndpoint: 'https://otel.example:4318/', resolverSpans: 'root' },
        logging: { level: 'debug' },
      },
    },
    { env: { ...env, METRICS_SECRET: 'from-file-env' } },
  );
  expect(config.observability).toEqual({
    metrics: { enabled: true, bearerToken: 'from-file-env' },
    tracing: { otlpEndpoint: 'https://otel.example:4318/', serviceName: 'edge', resolverSpans: 'root' },
    logging: { level: 'debug' },
  });
  expect(otlpTracesUrl('https://otel.example:4318/')).toBe('https://otel.example:4318/v1/traces');
  expect(otlpTracesUrl('http://c:4318/v1/traces')).toBe('http://c:4318/v1/traces');
});

test('mistakes are reported with their key', () => {
  const attempt =
    (observability: unknown, env: NodeJS.ProcessEnv = {}) =>
    () =>
      resolveConfig({ sources: SOURCES, observability }, { env, file: 'fusion.json' });
  expect(attempt({ logging: { level: 'loud' } })).toThrow(/observability\.logging\.level/);
  expect(attempt({ tracing: { resolverSpans: 'some' } })).toThrow(/observability\.tracing\.resolverSpans/);
  expect(attempt({ metrics: { enabled: true, path: '/m' } })).toThrow(/observability\.metrics/);
  expect(attempt({ metrics: { bearerToken: { env: 'MISSING_TOKEN' } } })).toThrow(
    /observability\.metrics\.bearerToken: environment variable MISSING_TOKEN is not set/,
  );
  expect(attempt({ tracing: { otlpEndpoint: 'ftp://collector' } })).toThrow(/observability\.tracing\.otlpEndpoint/);
  expect(() => observabilityFromEnv({ LOG_LEVEL: 'chatty' })).toThrow(/LOG_LEVEL/);
  expect(resolveObservability({}, {}).problems).toEqual([]);
});

test('tracing stays off without an endpoint: no tracing plugin, the OpenTelemetry API a no-op', async () => {
  const plugins = await gatewayPlugins(embeddedSourcesConfig('/tmp/data'), 'subgraph');
  expect(tracingEnabled()).toBe(false);
  expect(plugins.apollo).toHaveLength(3); // the process's log level and source-call observers, metrics, request logging
  expect(plugins.http.map((plugin) => plugin.name)).toEqual(['request-logging', 'metrics', 'authentication']);
  expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
});
