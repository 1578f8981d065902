import { parseArgs } from 'node:util';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { CACHED_ENTITIES, RedisEntityCache, type CachedEntity } from '../sources';

/**
 * `cache invalidate [--entity account|product|seller|order] [--id ID ...]`: explicit invalidation of the
 * Redis entity cache the configuration (FUSION_CONFIG) turns on. Without --entity: every cached entity.
 */
export async function cacheCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'invalidate') {
    console.error(`Usage: fusion-gateway cache invalidate [--entity ${CACHED_ENTITIES.join('|')}] [--id ID ...]`);
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { entity: { type: 'string' }, id: { type: 'string', multiple: true } } });
  if (values.entity !== undefined && !CACHED_ENTITIES.includes(values.entity as CachedEntity)) {
    console.error(`Unknown --entity "${values.entity}": expected one of ${CACHED_ENTITIES.join(', ')}`);
    return 2;
  }
  if (values.id && !values.entity) {
    console.error('--id needs --entity');
    return 2;
  }
  const config = sourcesConfigFromEnv();
  if (!config.cache) {
    console.error('No entity cache is configured (set FUSION_CONFIG to a config with a "cache" section)');
    return 1;
  }
  const cache = await RedisEntityCache.connect(config.cache);
  try {
    const deleted = await cache.invalidate(values.entity as CachedEntity | undefined, values.id);
    console.log(`Invalidated ${deleted} cached ${values.entity ?? 'entity'} record(s)`);
    return 0;
  } finally {
    await cache.close();
  }
}
