import path from 'node:path';
import { parseArgs } from 'node:util';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { EventPublisher, eventsConfigFromEnv } from '../events';
import { checkHistoryTime, readHistory, replayHistory } from '../seed';
import { configFromEnv } from '../shared';
import { checkOption, UsageError, type CommandHelp } from './command-help';

export const REPLAY_HELP: CommandHelp = {
  summary: 'plays the Olist history after a date as live traffic: writes each change into the sources, publishes its event',
  usage: `Usage: fusion-gateway replay --from DATE [--to DATE] [--speed Nx | --rate N/s] [--data DIR] [--dataset DIR]

Plays the orders purchased from --from (to --to) as live traffic, in time order: each change (account
created, order created, item and payment added, approved, shipped, delivered, final status, review added)
is written into the source systems (the embedded stores, or those FUSION_CONFIG names; a REST review
service through its PUT /reviews/{orderId}/{index}, with sources.reviews.writeToken) and then published
to NATS JetStream (FUSION_NATS_URL, stream FUSION_EVENTS_STREAM, default fusion-events). Seed with
\`seed --until DATE\` first so that the stores hold the history before it.

  --from DATE     start of the history to play (YYYY-MM-DD or "YYYY-MM-DD HH:MM:SS")
  --to DATE       end (exclusive; default: the end of the data)
  --speed Nx      history time per wall time, e.g. 3600x: an hour of history per second
  --rate N/s      a fixed number of changes per second, whatever their history times
                  (neither: as fast as the stores and the server take them)
  --data DIR      the embedded stores (default: FUSION_DATA_DIR or ./data)
  --dataset DIR   the Olist files (default: OLIST_DATASET_DIR)`,
};

export async function replayCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      speed: { type: 'string' },
      rate: { type: 'string' },
      data: { type: 'string' },
      dataset: { type: 'string' },
    },
  });
  if (values.from === undefined) throw new UsageError('--from DATE is required');
  const from = checkOption(() => checkHistoryTime(values.from!, '--from'));
  const to = values.to === undefined ? undefined : checkOption(() => checkHistoryTime(values.to!, '--to'));
  if (values.speed !== undefined && values.rate !== undefined) throw new UsageError('--speed and --rate exclude each other');
  const pace = checkOption(() => parsePace(values.speed, values.rate));
  const events = eventsConfigFromEnv();
  if (!events) throw new UsageError('FUSION_NATS_URL is not set: replay publishes to NATS JetStream (e.g. nats://127.0.0.1:4222)');
  const config = configFromEnv();
  const datasetDir = values.dataset ? path.resolve(values.dataset) : config.datasetDir;
  const sources = sourcesConfigFromEnv(process.env, values.data ? path.resolve(values.data) : undefined);
  const history = await readHistory(datasetDir, from, to);
  console.log(
    `Replaying ${history.length.toLocaleString('en-US')} changes from ${from}${to ? ` to ${to}` : ''} into ${sources.dataDir}, stream ${events.stream}`,
  );
  const publisher = await EventPublisher.open(events);
  try {
    const report = await replayHistory(history, { sources, publisher, pace, onProgress: (n) => n % 5000 === 0 && console.log(`${n} changes played`) });
    console.log(
      `Played ${report.played} changes in ${(report.elapsedMs / 1000).toFixed(1)} s (${report.ratePerSecond.toFixed(0)}/s), ${report.duplicates} already stored`,
    );
  } finally {
    await publisher.close();
  }
  return 0;
}

function parsePace(speed: string | undefined, rate: string | undefined): { speed: number } | { rate: number } | null {
  if (speed !== undefined) {
    const match = /^(\d+(?:\.\d+)?)x$/.exec(speed);
    if (!match || Number(match[1]) <= 0) throw new Error(`--speed must look like 3600x, got "${speed}"`);
    return { speed: Number(match[1]) };
  }
  if (rate !== undefined) {
    const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(rate);
    if (!match || Number(match[1]) <= 0) throw new Error(`--rate must look like 500/s, got "${rate}"`);
    return { rate: Number(match[1]) };
  }
  return null;
}
