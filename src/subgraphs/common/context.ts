import type { CategoryDictionary } from '../../fusion';
import type { SourceLoaders, Sources } from '../../sources';

/** What every resolver receives: per-request loaders over the sources, plus process-wide reference data. */
export interface SubgraphContext {
  loaders: SourceLoaders;
  sources: Sources;
  categories: CategoryDictionary;
}
