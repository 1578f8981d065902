import { Redis } from 'ioredis';
import { recordCacheLookups } from '../../observability';

/** The entities cached by id: each is what one `…ByIds` source lookup returns for a key. */
export const CACHED_ENTITIES = ['account', 'product', 'seller', 'order'] as const;
export type CachedEntity = (typeof CACHED_ENTITIES)[number];

export interface EntityCacheOptions {
  url: string;
  ttlSeconds: number;
  /** Every key is `${keyPrefix}${entity}:${id}`; tests use a throwaway prefix. */
  keyPrefix: string;
  commandTimeoutMs?: number;
}

export interface EntityCacheStats {
  hits: number;
  misses: number;
  /** Redis commands that failed (the lookup then went to the source): the cache never fails a request. */
  errors: number;
  /** hits / (hits + misses), 0 before the first lookup. */
  hitRatio: number;
  ttlSeconds: number;
  keyPrefix: string;
}

/**
 * Read-through cache for entity lookups by id, in Redis. A lookup reads every key with one MGET, sends
 * only the misses to the source, and writes what the source found with the TTL (one pipeline).
 * Absent ids are not cached (a record created later shows up at once). Values are the source records'
 * JSON, and every record field is a string, a finite number or null, so a hit returns an equal record.
 */
export class RedisEntityCache {
  private hits = 0;
  private misses = 0;
  private errors = 0;

  private constructor(
    readonly redis: Redis,
    private readonly options: EntityCacheOptions,
  ) {}

  /** Connects (and pings) Redis; fails at start-up when it cannot be reached. */
  static async connect(options: EntityCacheOptions): Promise<RedisEntityCache> {
    const redis = new Redis(options.url, {
      lazyConnect: true,
      commandTimeout: options.commandTimeoutMs ?? 500,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
    });
    redis.on('error', () => undefined); // reported per command; never an unhandled 'error' event
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      throw new Error(`Redis entity cache at ${redactRedisUrl(options.url)} cannot be reached: ${(error as Error).message}`);
    }
    return new RedisEntityCache(redis, options);
  }

  key(entity: CachedEntity, id: string): string {
    return `${this.options.keyPrefix}${entity}:${id}`;
  }

  /** Answers `ids` in order (null where the source has no record), from Redis where it can, else from `load`. */
  async readThrough<R>(entity: CachedEntity, ids: readonly string[], load: (ids: readonly string[]) => Promise<(R | null)[]>): Promise<(R | null)[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    let cached: (string | null)[];
    try {
      cached = await this.redis.mget(unique.map((id) => this.key(entity, id)));
    } catch {
      this.errors += 1;
      recordCacheLookups(entity, 0, 0, unique.length);
      return load(ids);
    }
    const found = new Map<string, R | null>();
    const missing: string[] = [];
    unique.forEach((id, i) => {
      const value = cached[i];
      if (value === null) missing.push(id);
      else found.set(id, JSON.parse(value) as R);
    });
    this.hits += unique.length - missing.length;
    this.misses += missing.length;
    recordCacheLookups(entity, unique.length - missing.length, missing.length);
    if (missing.length > 0) {
      const loaded = await load(missing);
      const write = this.redis.pipeline();
      let writes = 0;
      missing.forEach((id, i) => {
        found.set(id, loaded[i]);
        if (loaded[i] !== null) {
          write.set(this.key(entity, id), JSON.stringify(loaded[i]), 'EX', this.options.ttlSeconds);
          writes += 1;
        }
      });
      if (writes > 0) {
        try {
          const results = await write.exec();
          if (results?.some(([error]) => error)) this.errors += 1;
        } catch {
          this.errors += 1;
        }
      }
    }
    return ids.map((id) => found.get(id) ?? null);
  }

  /**
   * Explicit invalidation: the given ids of `entity`, every cached `entity`, or (no entity) every key
   * under this cache's prefix. Returns the keys deleted.
   */
  async invalidate(entity?: CachedEntity, ids?: readonly string[]): Promise<number> {
    if (entity && ids) return ids.length === 0 ? 0 : this.redis.del(...ids.map((id) => this.key(entity, id)));
    const pattern = `${escapeGlob(this.options.keyPrefix)}${entity ? `${entity}:` : ''}*`;
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  stats(): EntityCacheStats {
    const lookups = this.hits + this.misses;
    return {
      hits: this.hits,
      misses: this.misses,
      errors: this.errors,
      hitRatio: lookups === 0 ? 0 : this.hits / lookups,
      ttlSeconds: this.options.ttlSeconds,
      keyPrefix: this.options.keyPrefix,
    };
  }

  resetStats(): void {
    this.hits = 0;
    this.misses = 0;
    this.errors = 0;
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
