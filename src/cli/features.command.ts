import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../shared';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { openSources } from '../sources';
import { exportTrainingSet, FeatureStore, loadSnapshot } from '../scoring/features';
import { exportForecastSet } from '../scoring/forecast';
import { exportKnowledgeSets } from '../scoring/knowledge-export';
import { UsageError, type CommandHelp } from './command-help';

export const FEATURES_HELP: CommandHelp = {
  summary: 'exports the training set and the feature manifest from the TypeScript feature definitions',
  usage: `Usage: fusion-gateway features export [--out DIR] [--data DIR] [--smoke] [--seed N]
       fusion-gateway features forecast-export [--out DIR] [--data DIR]
       fusion-gateway features knowledge [--out DIR] [--data DIR]   (segment and anomaly training sets)

  --out DIR   where the training files go (default data/training)
  --data DIR  the embedded stores (default: FUSION_DATA_DIR or ./data)
  --smoke     a few thousand rows only (CI's smoke training)
  --seed N    sampling seed (default 42)

forecast-export writes the demand-forecast backtest rows (forecast.csv, forecast-manifest.json).`,
};

/** `features export [--out DIR] [--data DIR] [--smoke] [--seed N]`: write the training set and feature manifest. */
export async function featuresCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'forecast-export') return forecastExport(rest);
  if (sub === 'knowledge') return knowledgeCommand(rest);
  if (sub !== 'export') {
    throw new UsageError(sub === undefined ? 'features needs a subcommand' : `Unknown subcommand "${sub}"`);
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string', default: path.join('data', 'training') },
      data: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      seed: { type: 'string', default: '42' },
    },
  });
  const dataDir = values.data ? path.resolve(values.data) : configFromEnv().dataDir;
  const started = Date.now();
  const sources = await openSources(sourcesConfigFromEnv(process.env, values.data ? dataDir : undefined));
  try {
    const store = await FeatureStore.open(sources);
    console.log(`feature store built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const report = await exportTrainingSet(store, {
      outDir: path.resolve(values.out!),
      smoke: values.smoke,
      seed: Number(values.seed),
      log: (line) => console.log(line),
    });
    console.log(
      `exported ${report.deliveryRows} delivery rows, ${report.recommendationRows} recommendation rows to ${values.out} in ${(report.elapsedMs / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await sources.close();
  }
}

/** `features forecast-export [--out DIR] [--data DIR]`: the demand-forecast backtest rows for training/forecast.py. */
async function forecastExport(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string', default: path.join('data', 'training') }, data: { type: 'string' } } });
  const dataDir = values.data ? path.resolve(values.data) : configFromEnv().dataDir;
  const started = Date.now();
  const sources = await openSources(sourcesConfigFromEnv(process.env, values.data ? dataDir : undefined));
  try {
    const report = exportForecastSet(await loadSnapshot(sources), path.resolve(values.out!));
    console.log(
      `exported ${report.rows} forecast rows (${report.series} series × origins) to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await sources.close();
  }
}

/** `features knowledge [--out DIR] [--data DIR]`: the segment and anomaly models' training sets. */
async function knowledgeCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string', default: path.join('data', 'knowledge') }, data: { type: 'string' } } });
  const dataDir = values.data ? path.resolve(values.data) : configFromEnv().dataDir;
  const sources = await openSources(sourcesConfigFromEnv(process.env, values.data ? dataDir : undefined));
  try {
    const report = exportKnowledgeSets(await loadSnapshot(sources), path.resolve(values.out!));
    console.log(`exported ${report.persons} persons (segments) and ${report.orders} orders (anomalies) to ${values.out}`);
    return 0;
  } finally {
    await sources.close();
  }
}
