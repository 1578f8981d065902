import { CategoryDictionary, createCrossKeyIndex, createReferenceMaps, OrderStatsEngine } from '../fusion';
import type { ScoringService } from '../scoring';
import { createSourceLoaders, type Sources } from '../sources';
import { DEFAULT_MIN_GROUP_PERSONS } from '../config/security-config';
import { ANONYMOUS } from '../security';
import type { SubgraphContext } from '../subgraphs';
import type { HttpExchange } from './http/http-plugin';

export type RequestContextFactory = (exchange: Pick<HttpExchange, 'principal' | 'requestId'>) => SubgraphContext;

/**
 * Loads process-wide reference data once, then hands out a fresh context (fresh DataLoaders)
 * for every request: loaders are per-request memos, never shared between users.
 */
export async function createRequestContextFactory(
  sources: Sources,
  scoring?: ScoringService | null,
  options: { minGroupPersons?: number } = {},
): Promise<RequestContextFactory> {
  const categories = new CategoryDictionary(await sources.catalog.categoryTranslations());
  const maps = createReferenceMaps(sources, categories);
  const crossKeys = createCrossKeyIndex(sources, maps);
  const orderStats = {
    engine: new OrderStatsEngine(sources, maps),
    minGroupPersons: options.minGroupPersons ?? DEFAULT_MIN_GROUP_PERSONS,
  };
  return (exchange) => ({
    loaders: createSourceLoaders(sources),
    sources,
    categories,
    ...(scoring ? { scoring: scoring.createLoaders() } : {}),
    principal: exchange.principal ?? ANONYMOUS,
    requestId: exchange.requestId,
    orderStats,
    crossKeys,
  });
}
