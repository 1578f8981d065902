import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { resilienceConfigSchema, resolveResilience, type ResiliencePolicies } from './resilience-config';
import { resolveSecret, secretSchema, type SecretInput } from './secret';
import { limitsConfigSchema, resolveLimitsConfig, type LimitsConfig } from './limits-config';
import { resolveSecurityConfig, securityConfigSchema, type SecurityConfig } from './security-config';
import { observabilityConfigSchema, resolveObservability, type ObservabilityConfig } from './observability-config';
import { dataDirFromEnv } from '../shared/config';

/**
 * Which back-end each source system lives on, read from a JSON file (FUSION_CONFIG=<path>) and validated
 * with zod at start-up; without a file, the embedded default (SQLite files, JSONL, CSV under the data folder).
 * Secrets never sit in the file: a value may be `{ "env": "NAME" }`, read from the environment.
 */

const secret = secretSchema;

/** The entities each system owns in the graph: fixed by the code, declared (and checked) in the config. */
export const OWNED_ENTITIES = {
  crm: ['Account'],
  catalog: ['Product', 'Seller', 'CategoryTranslation'],
  orders: ['Order', 'OrderItem', 'OrderPayment'],
  reviews: ['Review'],
  geography: ['Location'],
} as const;
export type SourceSystem = keyof typeof OWNED_ENTITIES;

const owns = (system: SourceSystem) =>
  z
    .array(z.string())
    .refine((list) => [...list].sort().join(',') === [...OWNED_ENTITIES[system]].sort().join(','), {
      message: `the ${system} system owns exactly ${OWNED_ENTITIES[system].join(', ')}`,
    })
    .optional();

const prismaSource = (system: SourceSystem) =>
  z
    .object({
      kind: z.literal('prisma'),
      provider: z.enum(['sqlite', 'postgresql', 'mysql']),
      /** SQLite: a file path (relative to dataDir); servers: postgresql://… or mysql://… (usually { env }). */
      url: secret,
      /** Connections per system (servers only). */
      poolSize: z.number().int().min(1).max(100).optional(),
      owns: owns(system),
    })
    .strict();

const fileSource = <K extends string>(kind: K, system: SourceSystem) =>
  z.object({ kind: z.literal(kind), file: z.string().min(1), owns: owns(system) }).strict();

const restSource = z
  .object({
    kind: z.literal('rest'),
    /** The review service, e.g. http://127.0.0.1:4010 (see `serve-reviews`). */
    baseUrl: secret,
    timeoutMs: z.number().int().min(1).max(60_000).default(2000),
    /** Retries of an idempotent GET after the first try (exponential backoff with jitter). */
    retries: z.number().int().min(0).max(10).default(3),
    backoffMs: z.number().int().min(1).max(10_000).default(100),
    /** Order ids per GET /reviews?orderIds=… (a DataLoader batch is split into requests of this size). */
    batchSize: z.number().int().min(1).max(400).default(200),
    /** The bearer token of the service's PUT /reviews/… (its REVIEWS_WRITE_TOKEN), usually { env }: replay writes reviews with it. */
    writeToken: secret.optional(),
    owns: owns('reviews'),
  })
  .strict();

const redisCache = z
  .object({
    kind: z.literal('redis'),
    url: secret,
    ttlSeconds: z
      .number()
      .int()
      .min(1)
      .max(86_400 * 30)
      .default(300),
    keyPrefix: z.string().min(1).default('fusion:entity:'),
    /** Milliseconds before a cache command is abandoned (the lookup then goes to the source). */
    commandTimeoutMs: z.number().int().min(1).max(10_000).default(500),
  })
  .strict();

export const fusionConfigSchema = z
  .object({
    /** Folder of the file stores and relative SQLite paths; default FUSION_DATA_DIR or ./data. */
    dataDir: z.string().min(1).optional(),
    sources: z
      .object({
        crm: prismaSource('crm'),
        catalog: prismaSource('catalog'),
        orders: prismaSource('orders'),
        reviews: z.discriminatedUnion('kind', [fileSource('jsonl', 'reviews'), restSource]),
        geography: fileSource('csv', 'geography'),
      })
      .strict(),
    cache: redisCache.optional(),
    /** Rows of the SQLite stores kept in memory between requests until their file changes (default 10,000 per file; 0: none). */
    keptRows: z.number().int().min(0).optional(),
    /** Per-source timeouts, retries, concurrency and circuit breakers (src/config/resilience-config.ts). */
    resilience: resilienceConfigSchema.optional(),
    /** Abuse limits, rate limits, trusted documents, production hardening (src/config/limits-config.ts). */
    limits: limitsConfigSchema.optional(),
    /** Authentication, anonymous access, partner keys, pseudonyms (src/config/security-config.ts). */
    security: securityConfigSchema.optional(),
    /** Metrics, tracing, logs (src/config/observability-config.ts). */
    observability: observabilityConfigSchema.optional(),
  })
  .strict();

export type FusionConfigFile = z.input<typeof fusionConfigSchema>;

export type PrismaSourceConfig = { kind: 'prisma'; provider: 'sqlite' | 'postgresql' | 'mysql'; url: string; poolSize?: number };
export type ReviewsSourceConfig =
  | { kind: 'jsonl'; file: string }
  | { kind: 'rest'; baseUrl: string; timeoutMs: number; retries: number; backoffMs: number; batchSize: number; writeToken?: string };
export interface RedisCacheConfig {
  kind: 'redis';
  url: string;
  ttlSeconds: number;
  keyPrefix: string;
  commandTimeoutMs: number;
}

/** A validated configuration with secrets resolved and paths absolute. */
export interface SourcesConfig {
  /** `embedded`: no config file (today's default layout); `file`: read from `file`. */
  origin: { kind: 'embedded' } | { kind: 'file'; file: string };
  dataDir: string;
  sources: {
    crm: PrismaSourceConfig;
    catalog: PrismaSourceConfig;
    orders: PrismaSourceConfig;
    reviews: ReviewsSourceConfig;
    geography: { kind: 'csv'; file: string };
  };
  cache?: RedisCacheConfig;
  /** Rows each SQLite store keeps between requests (src/sources/sql/keyed-reads.ts); absent: DEFAULT_KEPT_ROWS. */
  keptRows?: number;
  /** Each source's protection policy; absent: the defaults (src/config/resilience-config.ts). */
  resilience?: ResiliencePolicies;
  /** Abuse limits and hardening; absent: the defaults (`defaultLimits()` in src/config/limits-config.ts). */
  limits?: LimitsConfig;
  /** Authentication and access; absent: `defaultSecurityConfig(dataDir)` (src/config/security-config.ts). */
  security?: SecurityConfig;
  /** Metrics, tracing, logs; absent: `observabilityFromEnv()` (src/config/observability-config.ts). */
  observability?: ObservabilityConfig;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The embedded default: SQLite files, the JSONL review store and the geography CSV under `dataDir`. */
export function embeddedSourcesConfig(dataDir: string): SourcesConfig {
  const sqlite = (system: string): PrismaSourceConfig => ({ kind: 'prisma', provider: 'sqlite', url: path.join(dataDir, `${system}.db`) });
  return {
    origin: { kind: 'embedded' },
    dataDir,
    sources: {
      crm: sqlite('crm'),
      catalog: sqlite('catalog'),
      orders: sqlite('orders'),
      reviews: { kind: 'jsonl', file: path.join(dataDir, 'reviews', 'reviews.jsonl') },
      geography: { kind: 'csv', file: path.join(dataDir, 'geography', 'geolocation.csv') },
    },
  };
}

/**
 * Validates a parsed config object and resolves it: `{ env }` values from `env`, relative paths against dataDir.
 * Every problem is reported at once, each naming its key (`sources.crm.url: …`).
 */
export function resolveConfig(
  raw: unknown,
  options: { file?: string; env?: NodeJS.ProcessEnv; defaultDataDir?: string; dataDirOverride?: string } = {},
): SourcesConfig {
  const env = options.env ?? process.env;
  const where = options.file ? `${options.file}: ` : '';
  const parsed = fusionConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `  ${key}: ${issue.message}`;
    });
    throw new ConfigError(`${where}invalid configuration\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  const problems: string[] = [];
  const value = (key: string, input: SecretInput): string => resolveSecret(key, input, env, problems);
  const dataDir = path.resolve(options.dataDirOverride ?? config.dataDir ?? options.defaultDataDir ?? dataDirFromEnv(env));
  const inData = (file: string) => path.resolve(dataDir, file);
  const prisma = (system: 'crm' | 'catalog' | 'orders'): PrismaSourceConfig => {
    const source = config.sources[system];
    let url = value(`sources.${system}.url`, source.url);
    if (source.provider === 'sqlite') url = url ? inData(url.replace(/^file:/, '')) : url;
    else if (url && !urlMatches(url, source.provider)) {
      problems.push(`  sources.${system}.url: expected a ${source.provider === 'postgresql' ? 'postgresql://' : 'mysql:// or mariadb://'} URL`);
    }
    return { kind: 'prisma', provider: source.provider, url, ...(source.poolSize !== undefined ? { poolSize: source.poolSize } : {}) };
  };
  const reviewsConfig = config.sources.reviews;
  const reviews: ReviewsSourceConfig =
    reviewsConfig.kind === 'jsonl'
      ? { kind: 'jsonl', file: inData(reviewsConfig.file) }
      : {
          kind: 'rest',
          baseUrl: value('sources.reviews.baseUrl', reviewsConfig.baseUrl).replace(/\/+$/, ''),
          timeoutMs: reviewsConfig.timeoutMs,
          retries: reviewsConfig.retries,
          backoffMs: reviewsConfig.backoffMs,
          batchSize: reviewsConfig.batchSize,
          ...(reviewsConfig.writeToken !== undefined ? { writeToken: value('sources.reviews.writeToken', reviewsConfig.writeToken) } : {}),
        };
  if (reviews.kind === 'rest' && reviews.baseUrl && !/^https?:\/\//.test(reviews.baseUrl)) {
    problems.push('  sources.reviews.baseUrl: expected an http:// or https:// URL');
  }
  const resolved: SourcesConfig = {
    origin: options.file ? { kind: 'file', file: options.file } : { kind: 'embedded' },
    dataDir,
    sources: {
      crm: prisma('crm'),
      catalog: prisma('catalog'),
      orders: prisma('orders'),
      reviews,
      geography: { kind: 'csv', file: inData(config.sources.geography.file) },
    },
    resilience: resolveResilience(config.resilience),
    ...(config.keptRows !== undefined ? { keptRows: config.keptRows } : {}),
  };
  if (config.cache) {
    const url = value('cache.url', config.cache.url);
    if (url && !/^rediss?:\/\//.test(url)) problems.push('  cache.url: expected a redis:// or rediss:// URL');
    resolved.cache = { ...config.cache, url };
  }
  if (config.limits) {
    const { limits, problems: limitProblems } = resolveLimitsConfig(config.limits, { env, cacheRedisUrl: resolved.cache?.url });
    resolved.limits = limits;
    problems.push(...limitProblems);
  }
  if (config.security) resolved.security = resolveSecurityConfig(config.security, dataDir, value, problems);
  if (config.observability) {
    const observability = resolveObservability(config.observability, env);
    resolved.observability = observability.config;
    problems.push(...observability.problems);
  }
  if (problems.length > 0) throw new ConfigError(`${where}invalid configuration\n${problems.join('\n')}`);
  return resolved;
}

function urlMatches(url: string, provider: 'postgresql' | 'mysql'): boolean {
  return provider === 'postgresql' ? /^postgres(ql)?:\/\//.test(url) : /^(mysql|mariadb):\/\//.test(url);
}

/** Reads and validates a JSON config file. */
export function loadConfigFile(file: string, options: { env?: NodeJS.ProcessEnv; defaultDataDir?: string; dataDirOverride?: string } = {}): SourcesConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`${absolute}: cannot be read (${(error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${absolute}: not valid JSON (${(error as Error).message})`);
  }
  return resolveConfig(raw, { ...options, file: absolute });
}

/**
 * The configuration in force: the file FUSION_CONFIG names, else the embedded default under `dataDir`
 * (FUSION_DATA_DIR or ./data). `dataDir` (e.g. a CLI --data flag) overrides the file's dataDir too.
 */
export function sourcesConfigFromEnv(env: NodeJS.ProcessEnv = process.env, dataDir?: string): SourcesConfig {
  const defaultDataDir = dataDir ? path.resolve(dataDir) : dataDirFromEnv(env);
  if (!env.FUSION_CONFIG) return embeddedSourcesConfig(defaultDataDir);
  return loadConfigFile(env.FUSION_CONFIG, { env, defaultDataDir, ...(dataDir ? { dataDirOverride: defaultDataDir } : {}) });
}

/** Connection strings with their passwords hidden, for logs and /readyz. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
