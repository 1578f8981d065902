import path from 'node:path';
import { ConfigError, resolveConfig } from '../../../src/config/fusion-config';
import { defaultLimits, DEFAULT_FIELD_WEIGHTS } from '../../../src/config/limits-config';
import { PROJECT_ROOT } from '../../../src/shared/project-root';
import { SQLITE_SOURCES as sources } from '../../helpers/config-fixtures';

describe('the limits configuration', () => {
  it('defaults every key: limits on, rate limits and production hardening off outside production', () => {
    const limits = defaultLimits({});
    expect(limits).toMatchObject({
      production: false,
      maxBodyBytes: 1_000_000,
      maxDepth: 12,
      maxAliases: 30,
      maxTokens: 3_000,
      maxDirectives: 20,
      maxVariablesDepth: 32,
    });
    expect(limits.cost).toEqual({ max: 50_000, assumedListSize: 10, fieldWeights: DEFAULT_FIELD_WEIGHTS });
    expect(limits.rateLimit.enabled).toBe(false);
    expect(limits.rateLimit.redisUrl).toBeUndefined();
    expect(limits.trustedDocuments).toEqual({ requiredFor: ['partner'], manifest: path.join(PROJECT_ROOT, 'partner-operations/manifest.json') });
    expect(limits.cors.allowedOrigins).toEqual([]);
  });

  it('NODE_ENV=production turns production mode and rate limits on', () => {
    const limits = defaultLimits({ NODE_ENV: 'production' });
    expect(limits.production).toBe(true);
    expect(limits.rateLimit.enabled).toBe(true);
  });

  it('rate limits share the entity cache’s Redis unless they name their own (from the environment)', () => {
    const cache = { kind: 'redis', url: 'redis://cache:6379' };
    const shared = resolveConfig({ sources, cache, limits: {} }, { env: {} });
    expect(shared.limits!.rateLimit.redisUrl).toBe('redis://cache:6379');
    const own = resolveConfig({ sources, cache, limits: { rateLimit: { redis: { env: 'RATE_REDIS' } } } }, { env: { RATE_REDIS: 'redis://rate:6379' } });
    expect(own.limits!.rateLimit.redisUrl).toBe('redis://rate:6379');
  });

  it('merges budgets and field weights over the defaults', () => {
    const config = resolveConfig(
      { sources, limits: { rateLimit: { budgets: { partner: { points: 5, durationSeconds: 1 } } }, cost: { fieldWeights: { 'Order.items': 3 } } } },
      { env: {} },
    );
    expect(config.limits!.rateLimit.budgets.partner).toEqual({ points: 5, durationSeconds: 1 });
    expect(config.limits!.rateLimit.budgets.anonymous).toEqual(defaultLimits({}).rateLimit.budgets.anonymous);
    expect(config.limits!.cost.fieldWeights).toMatchObject({ 'Order.items': 3, 'User.recommendations': 50 });
  });

  it('reports every bad key at once, by name', () => {
    const attempt = () =>
      resolveConfig(
        {
          sources,
          limits: { maxDepth: 0, cors: { allowedOrigins: ['shop.example/'] }, rateLimit: { budgets: { robot: { points: 1, durationSeconds: 1 } } } },
        },
        { env: {} },
      );
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/limits\.maxDepth/);
    expect(attempt).toThrow(/limits\.cors\.allowedOrigins\.0/);
    expect(attempt).toThrow(/limits\.rateLimit\.budgets/);
  });

  it('refuses a rate-limit Redis URL that is not redis://, or an unset variable', () => {
    expect(() => resolveConfig({ sources, limits: { rateLimit: { redis: 'http://x' } } }, { env: {} })).toThrow(
      /limits\.rateLimit\.redis: expected a redis:\/\//,
    );
    expect(() => resolveConfig({ sources, limits: { rateLimit: { redis: { env: 'NOPE' } } } }, { env: {} })).toThrow(/NOPE is not set/);
  });
});
