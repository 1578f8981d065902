import { z } from 'zod';

/**
 * How each source system is protected at serve time (see src/sources/resilience): the optional top-level
 * `resilience` key of the FUSION_CONFIG file. `defaults` apply to every source; `sources.<name>` overrides
 * them field by field. Without the key (or without a file), the defaults below.
 */

export const GUARDED_SOURCES = ['crm', 'catalog', 'orders', 'reviews', 'geography'] as const;
export type GuardedSource = (typeof GUARDED_SOURCES)[number];

const policyFields = {
  /** Time one attempt may take before it counts as a timeout (it is then retried, if attempts remain). */
  timeoutMs: z.number().int().min(1).max(600_000),
  /** The same for bulk reads: full scans (`all*`), aggregates (`orderStats`) and calls with more than 1000 keys or rows. */
  bulkTimeoutMs: z.number().int().min(1).max(3_600_000),
  /** Retries after the first attempt (every serve-time call is an idempotent read). */
  retries: z.number().int().min(0).max(10),
  /** Backoff base: retry n waits a random time in [0, backoffMs * 2^(n-1)) ("full jitter"). */
  backoffMs: z.number().int().min(0).max(60_000),
  /** Calls running against the source at once; more wait in a queue. */
  maxConcurrent: z.number().int().min(1).max(1000),
  /** Calls allowed to wait; beyond that a call fails at once (SOURCE_UNAVAILABLE, outcome `rejected`). */
  maxQueue: z.number().int().min(0).max(100_000),
  /** Circuit breaker: the failure percentage over the rolling window that opens it... */
  errorThresholdPercentage: z.number().min(1).max(100),
  /** ...once at least this many calls were seen in the window. */
  volumeThreshold: z.number().int().min(0).max(10_000),
  /** How long an open breaker fails fast before letting one probe call through (half-open). */
  resetTimeoutMs: z.number().int().min(100).max(600_000),
  /** The rolling statistics window. */
  rollingWindowMs: z.number().int().min(1000).max(600_000),
};

const policySchema = z.object(policyFields).strict();
const partialPolicySchema = policySchema.partial();

export type SourcePolicy = z.infer<typeof policySchema>;

export const resilienceConfigSchema = z
  .object({
    defaults: partialPolicySchema.optional(),
    sources: z
      .object(
        Object.fromEntries(GUARDED_SOURCES.map((name) => [name, partialPolicySchema.optional()])) as Record<
          GuardedSource,
          z.ZodOptional<typeof partialPolicySchema>
        >,
      )
      .strict()
      .optional(),
  })
  .strict();

export type ResilienceConfigFile = z.input<typeof resilienceConfigSchema>;
export type ResiliencePolicies = Record<GuardedSource, SourcePolicy>;

/**
 * The defaults keep normal operation untouched (source calls of the canonical operations: p99 13 ms, max
 * 31 ms on SQLite under test load; 5 s per attempt is far above) while a dead source is noticed within a
 * few calls and probed every 2 s, so a recovered source serves again within about 2 s.
 */
export const DEFAULT_SOURCE_POLICY: SourcePolicy = {
  timeoutMs: 5000,
  bulkTimeoutMs: 300_000,
  retries: 2,
  backoffMs: 50,
  maxConcurrent: 16,
  maxQueue: 1000,
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeoutMs: 2000,
  rollingWindowMs: 10_000,
};

/** The policy of every source: defaults, then the file's `defaults`, then its `sources.<name>`. */
export function resolveResilience(raw?: z.infer<typeof resilienceConfigSchema>): ResiliencePolicies {
  const base = { ...DEFAULT_SOURCE_POLICY, ...stripUndefined(raw?.defaults ?? {}) };
  return Object.fromEntries(GUARDED_SOURCES.map((name) => [name, { ...base, ...stripUndefined(raw?.sources?.[name] ?? {}) }])) as ResiliencePolicies;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
