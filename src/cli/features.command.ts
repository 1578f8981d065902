import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../shared';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { openSources } from '../sources';
import { exportTrainingSet, FeatureStore } from '../scoring/features';

/** `features export [--out DIR] [--data DIR] [--smoke] [--seed N]`: write the training set and feature manifest. */
export async function featuresCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'export') {
    console.error('Usage: fusion-gateway features export [--out DIR] [--data DIR] [--smoke] [--seed N]');
    return 2;
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
