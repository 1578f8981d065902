import path from 'node:path';
import { parseArgs } from 'node:util';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { configFromEnv } from '../shared';
import { checkHistoryTime, DatasetError, seedConfiguredStores, seedEmbeddedStores } from '../seed';
import { checkOption, type CommandHelp } from './command-help';

export const SEED_HELP: CommandHelp = {
  summary: 'loads the Olist CSV files into the embedded stores (and the database servers FUSION_CONFIG names)',
  usage: `Usage: fusion-gateway seed [--dataset DIR] [--data DIR] [--force] [--until DATE]

Loads the Olist CSV files (.csv or .csv.gz) into the embedded stores, raw; skips tables that already hold
these files. With FUSION_CONFIG (and no --data), also into the database servers it names.

  --dataset DIR   the Olist files (default: OLIST_DATASET_DIR or ../shared/datasets/olist)
  --data DIR      the embedded stores (default: FUSION_DATA_DIR or ./data)
  --force         reload every table even when it holds these files
  --until DATE    only the history before DATE (orders purchased before it, their accounts, items, payments
                  and reviews; all products and sellers): the rest is for the replay command; with
                  FUSION_CONFIG, on its database servers too (a server table holding other rows needs --force)`,
};

/**
 * `seed [--dataset DIR] [--data DIR] [--force]`: load the Olist CSVs into the embedded stores; with FUSION_CONFIG
 * (and no --data), also into the database servers it names.
 */
export async function seedCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { dataset: { type: 'string' }, data: { type: 'string' }, force: { type: 'boolean', default: false }, until: { type: 'string' } },
  });
  const config = configFromEnv();
  const datasetDir = values.dataset ? path.resolve(values.dataset) : config.datasetDir;
  const dataDir = values.data ? path.resolve(values.data) : config.dataDir;
  const until = values.until === undefined ? undefined : checkOption(() => checkHistoryTime(values.until!, '--until'));
  console.log(`Seeding ${dataDir} from ${datasetDir}`);
  try {
    // --data names an embedded store folder: seed that only, never the database servers FUSION_CONFIG names.
    const sourcesConfig = values.data ? undefined : sourcesConfigFromEnv(process.env);
    if (sourcesConfig?.origin.kind === 'file') {
      // FUSION_CONFIG: the file stores under dataDir, then the SQL systems on their database servers.
      console.log(`Seeding the back-ends of ${sourcesConfig.origin.file}`);
      const report = await seedConfiguredStores(sourcesConfig, {
        datasetDir,
        force: values.force,
        until,
        progress: process.stderr.isTTY,
        log: (line) => console.log(line),
      });
      console.log(`Seeded in ${(report.elapsedMs / 1000).toFixed(1)} s (database servers: ${(report.serverElapsedMs / 1000).toFixed(1)} s)`);
      return 0;
    }
    const report = await seedEmbeddedStores({
      datasetDir,
      dataDir,
      force: values.force,
      until,
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
