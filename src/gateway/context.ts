import { CategoryDictionary } from '../fusion';
import type { ScoringService } from '../scoring';
import { createSourceLoaders, type Sources } from '../sources';
import type { SubgraphContext } from '../subgraphs';

export type RequestContextFactory = () => SubgraphContext;

/**
 * Loads process-wide reference data once, then hands out a fresh context (fresh DataLoaders)
 * for every request: loaders are per-request memos, never shared between users.
 */
export async function createRequestContextFactory(sources: Sources, scoring?: ScoringService | null): Promise<RequestContextFactory> {
  const categories = new CategoryDictionary(await sources.catalog.categoryTranslations());
  return () => ({ loaders: createSourceLoaders(sources), sources, categories, ...(scoring ? { scoring: scoring.createLoaders() } : {}) });
}
