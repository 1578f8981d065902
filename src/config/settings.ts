import { redactUrl, type SourcesConfig } from './fusion-config';
import { defaultLimits, type LimitsConfig } from './limits-config';
import { observabilityFromEnv, type ObservabilityConfig } from './observability-config';
import { resolveResilience, type ResiliencePolicies } from './resilience-config';
import { defaultSecurityConfig, type SecurityConfig } from './security-config';

/**
 * The settings a server runs with, each section from the configuration or, where it has none, from the one
 * place that knows its defaults. Consumers read these, never `config.<section> ?? <a default of their own>`.
 */
export function securityOf(config: SourcesConfig): SecurityConfig {
  return config.security ?? defaultSecurityConfig(config.dataDir);
}

/** The abuse limits; without a `limits` key, the defaults (rate limits share the entity cache's Redis). */
export function limitsOf(config: SourcesConfig, env: NodeJS.ProcessEnv = process.env): LimitsConfig {
  return config.limits ?? defaultLimits(env, config.cache?.url);
}

/** Metrics, tracing and logs; without an `observability` key, the environment (LOG_LEVEL, OTEL_*) and the defaults. */
export function observabilityOf(config: SourcesConfig, env: NodeJS.ProcessEnv = process.env): ObservabilityConfig {
  return config.observability ?? observabilityFromEnv(env);
}

export function resilienceOf(config: SourcesConfig): ResiliencePolicies {
  return config.resilience ?? resolveResilience();
}

export type ConfigInForce = SourcesConfig & Required<Pick<SourcesConfig, 'resilience' | 'limits' | 'security' | 'observability'>>;

/** Every section filled in: what `config print` shows. */
export function configInForce(config: SourcesConfig, env: NodeJS.ProcessEnv = process.env): ConfigInForce {
  return {
    ...config,
    resilience: resilienceOf(config),
    limits: limitsOf(config, env),
    security: securityOf(config),
    observability: observabilityOf(config, env),
  };
}

const SECRET_KEY = /(secret|token|password)$/i;

/**
 * A copy safe to print: values under secret-named keys (hs256Secret, pseudonymSecret, bearerToken…) become
 * "***", and every URL's password is hidden.
 */
export function redactSecrets(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) return '***';
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? redactUrl(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, redactSecrets(inner, name)]));
  }
  return value;
}
