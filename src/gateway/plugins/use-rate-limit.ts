import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitsConfig } from '../../config/limits-config';
import { ANONYMOUS, ROLES, type Role } from '../../security';
import { ErrorCode } from '../../shared';
import { errorBody } from '../http/graphql-http-server';
import type { HttpExchange, HttpPlugin } from '../http/http-plugin';

type RateLimitConfig = LimitsConfig['rateLimit'];

/**
 * Per-client request budgets (a token bucket per client, refilled every window), one budget per role:
 * a credential's subject (token subject, API key id) is the client; an anonymous caller is its IP
 * address. Over budget → HTTP 429 RATE_LIMITED with Retry-After. With Redis the budget is shared by
 * every instance; if Redis fails mid-run each instance falls back to its own memory budget.
 */
export async function useRateLimit(config: RateLimitConfig): Promise<HttpPlugin> {
  const redis = config.redisUrl ? await connect(config.redisUrl) : undefined;
  const limiters = new Map<Role, RateLimiterAbstract>();
  for (const role of ROLES) {
    const { points, durationSeconds: duration } = config.budgets[role];
    const keyPrefix = `${config.keyPrefix}${role}`;
    const memory = new RateLimiterMemory({ points, duration, keyPrefix });
    limiters.set(role, redis ? new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix, insuranceLimiter: memory }) : memory);
  }
  const budgets = new WeakMap<HttpExchange, { limit: number; remaining: number }>();

  return {
    name: 'rate-limit',
    async onRequest(exchange) {
      if (exchange.request.method === 'OPTIONS') return;
      const principal = exchange.principal ?? ANONYMOUS;
      const limiter = limiters.get(principal.role)!;
      const key = principal.via === 'anonymous' ? `ip:${clientAddress(exchange, config.trustForwardedFor)}` : `id:${principal.subject}`;
      try {
        const result = await limiter.consume(key, 1);
        budgets.set(exchange, { limit: limiter.points, remaining: result.remainingPoints });
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          console.error('rate limiter failed; request let through', rejection);
          return;
        }
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        return {
          status: 429,
          headers: { 'retry-after': String(retryAfter), 'ratelimit-limit': String(limiter.points), 'ratelimit-remaining': '0' },
          body: errorBody(`Rate limit of ${limiter.points} requests per ${limiter.duration} s exceeded; retry in ${retryAfter} s`, ErrorCode.RateLimited, {
            retryAfterSeconds: retryAfter,
          }),
        };
      }
    },
    replyHeaders(exchange): Record<string, string> {
      const budget = budgets.get(exchange);
      return budget ? { 'ratelimit-limit': String(budget.limit), 'ratelimit-remaining': String(budget.remaining) } : {};
    },
    async close() {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}

function clientAddress(exchange: HttpExchange, trustForwardedFor: boolean): string {
  const forwarded = exchange.request.headers['x-forwarded-for'];
  if (trustForwardedFor && typeof forwarded === 'string' && forwarded.trim() !== '') return forwarded.split(',')[0].trim();
  return exchange.request.socket.remoteAddress ?? 'unknown';
}

async function connect(url: string): Promise<Redis> {
  // No offline queue: while Redis is away a command fails at once and the memory budget answers.
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Rate-limit Redis cannot be reached: ${(error as Error).message}`);
  }
  return redis;
}
