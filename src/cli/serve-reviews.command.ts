import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../shared';
import { embeddedStorePaths } from '../sources';
import { startReviewsService } from '../upstreams/reviews-service';
import { runUntilSignal } from './run-until-signal';
import { UsageError, type CommandHelp } from './command-help';

export const SERVE_REVIEWS_HELP: CommandHelp = {
  summary: 'serves the review system over HTTP (the production-like setup)',
  usage: `Usage: fusion-gateway serve-reviews [--file FILE] [--data DIR] [--port N] [--host HOST]

  --file FILE  the reviews JSON Lines file (default <data>/reviews/reviews.jsonl)
  --data DIR   the embedded stores (default: FUSION_DATA_DIR or ./data)
  --port N     HTTP port (default: REVIEWS_PORT or 4010)
  --host HOST  address to listen on (default 127.0.0.1)
Endpoints: GET /reviews?orderIds=a,b,c, GET /reviews/all, GET /healthz, and with REVIEWS_WRITE_TOKEN set
PUT /reviews/{orderId}/{index} (Authorization: Bearer <REVIEWS_WRITE_TOKEN>; body: the review document).`,
};

/** `serve-reviews [--file data/reviews/reviews.jsonl] [--port 4010] [--host 127.0.0.1]`: the review system as an HTTP service. */
export async function serveReviewsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string', default: process.env.REVIEWS_PORT ?? '4010' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Invalid --port "${values.port}"`);
  const dataDir = values.data ? path.resolve(values.data) : configFromEnv().dataDir;
  const file = values.file ? path.resolve(values.file) : embeddedStorePaths(dataDir).reviews;
  const writeToken = process.env.REVIEWS_WRITE_TOKEN || undefined;
  const service = await startReviewsService({ file, port, host: values.host, writeToken });
  console.log(
    `Review service over ${file} ready at ${service.url} (GET /reviews?orderIds=a,b,c, /healthz; ` +
      `${writeToken ? 'PUT /reviews/{orderId}/{index} with the write token' : 'no writes: REVIEWS_WRITE_TOKEN is not set'})`,
  );
  await runUntilSignal(service);
  return 0;
}
