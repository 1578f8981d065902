import { configFromEnv } from '../../src/shared';
import { seedEmbeddedStores } from '../../src/seed';

/** Seeds the embedded stores from the real dataset once per run (a no-op when they are current). */
export default async function globalSetup(): Promise<void> {
  const config = configFromEnv();
  const report = await seedEmbeddedStores({ datasetDir: config.datasetDir, dataDir: config.dataDir });
  if (!report.skipped) console.log(`\nSeeded ${config.dataDir} in ${(report.elapsedMs / 1000).toFixed(1)} s`);
}
