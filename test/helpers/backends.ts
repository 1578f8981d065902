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
 * The configured sources. With a query log the entity cache is left out: those tests count the statements
 * the back-ends really run, which cache hits would hide (the cache has its own tests and the e2e test).
 */
export async function openTestSources(queryLog?: SourceQueryLog): Promise<Sources> {
  const config = testSourcesConfig();
  return openSources(queryLog ? { ...config, cache: undefined } : config, queryLog);
}
