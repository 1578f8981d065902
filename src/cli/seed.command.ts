import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../shared';
import { DatasetError, seedEmbeddedStores } from '../seed';

/** `seed [--dataset DIR] [--data DIR] [--force]`: load the Olist CSVs into the embedded stores. */
export async function seedCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { dataset: { type: 'string' }, data: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const config = configFromEnv();
  const datasetDir = values.dataset ? path.resolve(values.dataset) : config.datasetDir;
  const dataDir = values.data ? path.resolve(values.data) : config.dataDir;
  console.log(`Seeding ${dataDir} from ${datasetDir}`);
  try {
    const report = await seedEmbeddedStores({
      datasetDir,
      dataDir,
      force: values.force,
      progress: process.stderr.isTTY,
      log: (line) => console.log(line),
    });
    console.log(`${report.skipped ? 'Up to date' : 'Seeded'} in ${(report.elapsedMs / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    if (error instanceof DatasetError) {
      console.error(`seed failed: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
