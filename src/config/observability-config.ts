import { z } from 'zod';
import { resolveSecret, secretSchema } from './secret';

/**
 * Metrics, tracing and logs (see src/observability): the optional top-level `observability` key of the
 * FUSION_CONFIG file. Without the key (or without a file) the defaults apply: /metrics served to anyone,
 * tracing off, logs at `info`. The environment fills what the file leaves out: LOG_LEVEL,
 * OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, FUSION_METRICS_TOKEN.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Which resolvers get their own span: `none`; `root` (Query/Mutation fields); `composite` (root fields and
 * fields returning objects, the ones that load something: the default); `all` (every field, scalars too).
 */
export const RESOLVER_SPAN_MODES = ['none', 'root', 'composite', 'all'] as const;
export type ResolverSpanMode = (typeof RESOLVER_SPAN_MODES)[number];

export const observabilityConfigSchema = z
  .object({
    metrics: z
      .object({
        /** Serve GET /metrics (Prometheus text format) on every server. */
        enabled: z.boolean().optional(),
        /** When set, /metrics answers only `Authorization: Bearer <token>` (401 otherwise). */
        bearerToken: secretSchema.optional(),
      })
      .strict()
      .optional(),
    tracing: z
      .object({
        /** OTLP/HTTP collector base URL (spans go to `<url>/v1/traces`); tracing is off without one. */
        otlpEndpoint: z.string().url().optional(),
        serviceName: z.string().min(1).optional(),
        resolverSpans: z.enum(RESOLVER_SPAN_MODES).optional(),
      })
      .strict()
      .optional(),
    logging: z
      .object({
        level: z.enum(LOG_LEVELS).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ObservabilityConfigFile = z.input<typeof observabilityConfigSchema>;

export interface ObservabilityConfig {
  metrics: { enabled: boolean; bearerToken?: string };
  tracing: { otlpEndpoint?: string; serviceName: string; resolverSpans: ResolverSpanMode };
  logging: { level: LogLevel };
}

/**
 * The file's settings completed from the environment and the defaults. Returns problems instead of
 * throwing so the caller reports them with the rest of the file's (`observability.logging.level: …`).
 */
export function resolveObservability(
  file: z.infer<typeof observabilityConfigSchema> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { config: ObservabilityConfig; problems: string[] } {
  const problems: string[] = [];
  let bearerToken: string | undefined;
  const token = file?.metrics?.bearerToken;
  if (token) bearerToken = resolveSecret('observability.metrics.bearerToken', token, env, problems) || undefined;
  else if (env.FUSION_METRICS_TOKEN) bearerToken = env.FUSION_METRICS_TOKEN;

  let level: LogLevel = file?.logging?.level ?? 'info';
  if (!file?.logging?.level && env.LOG_LEVEL) {
    const wanted = env.LOG_LEVEL.toLowerCase();
    if ((LOG_LEVELS as readonly string[]).includes(wanted)) level = wanted as LogLevel;
    else problems.push(`  LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }

  const otlpEndpoint = file?.tracing?.otlpEndpoint ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined);
  if (otlpEndpoint && !/^https?:\/\//.test(otlpEndpoint)) problems.push('  observability.tracing.otlpEndpoint: expected an http:// or https:// URL');

  return {
    config: {
      metrics: { enabled: file?.metrics?.enabled ?? true, ...(bearerToken ? { bearerToken } : {}) },
      tracing: {
        ...(otlpEndpoint ? { otlpEndpoint } : {}),
        serviceName: file?.tracing?.serviceName ?? (env.OTEL_SERVICE_NAME || 'fusion-gateway'),
        resolverSpans: file?.tracing?.resolverSpans ?? 'composite',
      },
      logging: { level },
    },
    problems,
  };
}

/** The settings in force without a config file (the environment and the defaults); throws on a bad environment value. */
export function observabilityFromEnv(env: NodeJS.ProcessEnv = process.env): ObservabilityConfig {
  const { config, problems } = resolveObservability(undefined, env);
  if (problems.length > 0) throw new Error(`invalid observability settings\n${problems.join('\n')}`);
  return config;
}
