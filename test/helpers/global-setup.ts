import { sourcesConfigFromEnv } from '../../src/config/fusion-config';
import { configFromEnv } from '../../src/shared';
import { seedConfiguredStores, seedEmbeddedStores } from '../../src/seed';
import { ensureReviewsService } from './reviews-upstream';
import { missingServices, TEST_SERVICE_ENV, type TestService } from './test-services';

/**
 * Seeds the embedded stores from the real dataset once per run (a no-op when they are current).
 * With FUSION_CONFIG (production-like run): also the database servers it names, and the review
 * service it points at is started here when nothing answers there yet (closed by global-teardown).
 */
export default async function globalSetup(): Promise<void> {
  const missing = missingServices(Object.keys(TEST_SERVICE_ENV) as TestService[]);
  if (missing.length > 0) {
    console.log(`\nSkipping the tests that need ${missing.join(', ')}: set ${missing.map((s) => TEST_SERVICE_ENV[s]).join(', ')} to run them (.ci/run does)`);
  }
  const config = configFromEnv();
  const sources = sourcesConfigFromEnv();
  if (sources.origin.kind === 'file') {
    const report = await seedConfiguredStores(sources, { datasetDir: config.datasetDir });
    const written = report.tables.filter((table) => !table.skipped);
    if (written.length > 0)
      console.log(`\nSeeded ${written.map((t) => `${t.system}.${t.table}`).join(', ')} (${sources.origin.file}) in ${(report.elapsedMs / 1000).toFixed(1)} s`);
    await ensureReviewsService(sources);
    return;
  }
  const report = await seedEmbeddedStores({ datasetDir: config.datasetDir, dataDir: config.dataDir });
  if (!report.skipped) console.log(`\nSeeded ${config.dataDir} in ${(report.elapsedMs / 1000).toFixed(1)} s`);
}
