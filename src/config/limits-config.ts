import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../shared/project-root';
import { ROLES, type Role } from '../shared/roles';
import { resolveSecret, secretSchema } from './secret';

/**
 * Abuse limits and hardening (the `limits` key of FUSION_CONFIG): query shape (depth, aliases, tokens,
 * directives), cost, request body size, per-client rate limits, trusted documents, production mode
 * (introspection and field suggestions for admins only) and CORS. Every key has a default, so the key
 * (or the whole file) may be absent.
 */

const role = z.enum(ROLES);

const budget = z
  .object({
    /** Requests allowed per window. */
    points: z.number().int().min(1).max(1_000_000),
    /** The window, in seconds (the bucket refills entirely at its end). */
    durationSeconds: z.number().int().min(1).max(86_400),
  })
  .strict();

const DEFAULT_BUDGETS = {
  anonymous: { points: 300, durationSeconds: 60 },
  customer: { points: 600, durationSeconds: 60 },
  'frontend-service': { points: 20_000, durationSeconds: 60 },
  bi: { points: 1_200, durationSeconds: 60 },
  partner: { points: 600, durationSeconds: 60 },
  admin: { points: 6_000, durationSeconds: 60 },
} as const;

/** The default field weights: the scoring fields run models, so they cost more than a lookup. */
export const DEFAULT_FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  'User.recommendations': 50,
  'Product.similar': 50,
  // An in-memory index look-up per product (no model run), times `first`.
  'Product.boughtTogether': 5,
  // A share of one model run per nesting level over in-memory weekly sales.
  'Product.demandForecast': 20,
  'Category.demandForecast': 20,
  'Product.score': 20,
  'Order.deliveryRisk': 10,
  // Two model runs per nesting level (score, then its occluded copies for the reasons).
  'Order.anomaly': 10,
  // A look-up in the segment index built once at the as-of time.
  'User.segment': 2,
  // Every segment's profile, precomputed.
  'Query.segments': 5,
  // Per group of a page; times 3 for every groupBy dimension after the first (security/limits/cost.ts).
  'Query.orderStats': 10,
};

export const limitsConfigSchema = z
  .object({
    /** Introspection and "Did you mean" suggestions for admins only. Default: NODE_ENV=production. */
    production: z.boolean().optional(),
    maxBodyBytes: z.number().int().min(1_000).max(100_000_000).default(1_000_000),
    maxDepth: z.number().int().min(1).max(1_000).default(12),
    maxAliases: z.number().int().min(0).max(10_000).default(30),
    maxTokens: z.number().int().min(10).max(1_000_000).default(3_000),
    maxDirectives: z.number().int().min(0).max(10_000).default(20),
    /** Nesting of the request's variables (objects and lists). */
    maxVariablesDepth: z.number().int().min(1).max(1_000).default(32),
    cost: z
      .object({
        max: z.number().int().min(1).default(50_000),
        /** Items assumed in a list field without a `first` argument (a connection uses `first`, default 20). */
        assumedListSize: z.number().int().min(1).max(1_000).default(10),
        /** Cost of a field, "Type.field" → weight; fields not named weigh 1. Merged over the defaults. */
        fieldWeights: z.record(z.string().regex(/^\w+\.\w+$/, 'Type.field'), z.number().min(0)).default({}),
      })
      .strict()
      .default({ max: 50_000, assumedListSize: 10, fieldWeights: {} }),
    rateLimit: z
      .object({
        /** Default: on in production mode. */
        enabled: z.boolean().optional(),
        /** Redis shared by every instance; default: the `cache` Redis when configured, else in-process memory. */
        redis: secretSchema.optional(),
        keyPrefix: z.string().min(1).default('fusion:rate:'),
        /** Per role; roles not named keep their default budget. */
        budgets: z.partialRecord(role, budget).default({}),
        /** Take the client address from the first X-Forwarded-For entry (only behind a trusted proxy). */
        trustForwardedFor: z.boolean().default(false),
      })
      .strict()
      .default({ keyPrefix: 'fusion:rate:', budgets: {}, trustForwardedFor: false }),
    trustedDocuments: z
      .object({
        /** Roles that may run only the operations of the manifest. */
        requiredFor: z.array(role).default(['partner']),
        /** The manifest (sha256 → document) written by `npm run codegen`; relative to the project root. */
        manifest: z.string().min(1).default('partner-operations/manifest.json'),
      })
      .strict()
      .default({ requiredFor: ['partner'], manifest: 'partner-operations/manifest.json' }),
    cors: z
      .object({
        /** Origins allowed to call the graph from a browser ("https://shop.example"); none by default. */
        allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin: scheme://host[:port]')).default([]),
        maxAgeSeconds: z.number().int().min(0).max(86_400).default(600),
      })
      .strict()
      .default({ allowedOrigins: [], maxAgeSeconds: 600 }),
  })
  .strict();

export type LimitsConfigFile = z.input<typeof limitsConfigSchema>;

/** The limits in force: defaults applied, the Redis URL resolved, the manifest path absolute. */
export interface LimitsConfig {
  production: boolean;
  maxBodyBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxVariablesDepth: number;
  cost: { max: number; assumedListSize: number; fieldWeights: Record<string, number> };
  rateLimit: {
    enabled: boolean;
    /** Absent: in-process memory (one budget per process). */
    redisUrl?: string;
    keyPrefix: string;
    budgets: Record<Role, { points: number; durationSeconds: number }>;
    trustForwardedFor: boolean;
  };
  trustedDocuments: { requiredFor: Role[]; manifest: string };
  cors: { allowedOrigins: string[]; maxAgeSeconds: number };
}

/**
 * Resolves the `limits` key (absent: every default). `cacheRedisUrl` is the entity cache's Redis, which
 * rate limits share unless they name their own. Problems are returned as `limits.<key>: message` lines.
 */
export function resolveLimitsConfig(
  raw: unknown,
  options: { env?: NodeJS.ProcessEnv; cacheRedisUrl?: string } = {},
): { limits: LimitsConfig; problems: string[] } {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const parsed = limitsConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return {
      limits: defaultLimits(env),
      problems: parsed.error.issues.map((issue) => `  ${['limits', ...issue.path].join('.')}: ${issue.message}`),
    };
  }
  const input = parsed.data;
  const production = input.production ?? env.NODE_ENV === 'production';
  let redisUrl: string | undefined = options.cacheRedisUrl;
  if (input.rateLimit.redis !== undefined) {
    redisUrl = resolveSecret('limits.rateLimit.redis', input.rateLimit.redis, env, problems) || undefined;
    if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push('  limits.rateLimit.redis: expected a redis:// or rediss:// URL');
  }
  return {
    problems,
    limits: {
      production,
      maxBodyBytes: input.maxBodyBytes,
      maxDepth: input.maxDepth,
      maxAliases: input.maxAliases,
      maxTokens: input.maxTokens,
      maxDirectives: input.maxDirectives,
      maxVariablesDepth: input.maxVariablesDepth,
      cost: { ...input.cost, fieldWeights: { ...DEFAULT_FIELD_WEIGHTS, ...input.cost.fieldWeights } },
      rateLimit: {
        enabled: input.rateLimit.enabled ?? production,
        ...(redisUrl ? { redisUrl } : {}),
        keyPrefix: input.rateLimit.keyPrefix,
        budgets: { ...DEFAULT_BUDGETS, ...input.rateLimit.budgets },
        trustForwardedFor: input.rateLimit.trustForwardedFor,
      },
      trustedDocuments: {
        requiredFor: input.trustedDocuments.requiredFor,
        manifest: path.resolve(PROJECT_ROOT, input.trustedDocuments.manifest),
      },
      cors: input.cors,
    },
  };
}

/** Every default (the embedded configuration, or a file without `limits`). */
export function defaultLimits(env: NodeJS.ProcessEnv = process.env, cacheRedisUrl?: string): LimitsConfig {
  return resolveLimitsConfig(undefined, { env, cacheRedisUrl }).limits;
}
