/**
 * observability: the process's Prometheus metrics (metrics.ts: one registry, `fusion_*` names, bounded
 * labels), OpenTelemetry tracing (tracing.ts: off until a provider is started; W3C trace context in and
 * out), the pino JSON logger (logger.ts), and the hooks lower layers call (instrument.ts: model runs,
 * source calls). Sits low: imports only src/shared and src/config, so every layer may report through it.
 * The gateway's use-metrics / use-tracing / use-request-logging plugins expose and feed it per request.
 */
export * from './metrics';
export * from './tracing';
export * from './logger';
export * from './instrument';
export * from './live-figures';
