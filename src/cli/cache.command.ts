import { parseArgs } from 'node:util';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { CACHED_ENTITIES, RedisEntityCache, type CachedEntity } from '../sources';
import { UsageError, type CommandHelp } from './command-help';

export const CACHE_HELP: CommandHelp = {
  summary: 'drops entries from the Redis entity cache',
  usage: `Usage: fusion-gateway cache invalidate [--entity account|product|seller|order] [--id ID ...]

Explicit invalidation of the Redis entity cache that FUSION_CONFIG turns on.
  --entity KIND  only this kind of record (default: every cached entity)
  --id ID        only these ids (needs --entity); repeat for each`,
};

/**
 * `cache invalidate [--entity account|product|seller|order] [--id ID ...]`: explicit invalidation of the
 * Redis entity cache the configuration (FUSION_CONFIG) turns on. Without --entity: every cached entity.
 */
export async function cacheCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'invalidate') {
    throw new UsageError(sub === undefined ? 'cache needs a subcommand' : `Unknown subcommand "${sub}"`);
  }
  const { values } = parseArgs({ args: rest, options: { entity: { type: 'string' }, id: { type: 'string', multiple: true } } });
  if (values.entity !== undefined && !CACHED_ENTITIES.includes(values.entity as CachedEntity)) {
    throw new UsageError(`Unknown --entity "${values.entity}": expected one of ${CACHED_ENTITIES.join(', ')}`);
  }
  if (values.id && !values.entity) {
    throw new UsageError('--id needs --entity');
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
