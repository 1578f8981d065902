import path from 'node:path';

/** Where things live, from the environment. CLI flags override these (see src/cli). */
export interface FusionConfig {
  /** Folder holding the Olist CSV files (gzip or plain). */
  datasetDir: string;
  /** Folder holding the embedded stores: one SQLite file per SQL system, JSONL and CSV files. */
  dataDir: string;
  port: number;
}

/** The embedded stores' folder: FUSION_DATA_DIR, else ./data (the one place that reads the variable). */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.FUSION_DATA_DIR ?? 'data');
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): FusionConfig {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid PORT "${env.PORT}": expected an integer between 0 and 65535`);
  }
  return {
    datasetDir: path.resolve(env.OLIST_DATASET_DIR ?? path.join('..', 'shared', 'datasets', 'olist')),
    dataDir: dataDirFromEnv(env),
    port,
  };
}
