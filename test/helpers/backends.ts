/**
 * The back-ends the suite runs against: the embedded stores (default) or, with FUSION_CONFIG, the ones a
 * config file names (PostgreSQL, MariaDB, the review service, Redis). Helpers open sources through here.
 */
import { sourcesConfigFromEnv, type SourcesConfig } from '../../src/config/fusion-config';
import { openSources, type SourceQueryLog, type Sources } from '../../src/sources';

export function testSourcesConfig(): SourcesConfig {
  return sourcesConfigFromEnv();
}

export function productionLike(): boolean {
  return testSourcesConfig().origin.kind === 'file';
}

/**
 * The configured sources. With a query log the entity cache and the kept rows are left out: those tests
 * count the statements the back-ends really run, which cache hits would hide (both have their own tests).
 */
export async function openTestSources(queryLog?: SourceQueryLog): Promise<Sources> {
  const config = testSourcesConfig();
  return openSources(queryLog ? { ...config, cache: undefined, keptRows: 0 } : config, queryLog);
}
