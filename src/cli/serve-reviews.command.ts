import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../shared';
import { embeddedStorePaths } from '../sources';
import { startReviewsService } from '../upstreams/reviews-service';
import { runUntilSignal } from './run-until-signal';

/** `serve-reviews [--file data/reviews/reviews.jsonl] [--port 4010] [--host 127.0.0.1]`: the review system as an HTTP service. */
export async function serveReviewsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { file: { type: 'string' }, data: { type: 'string' }, port: { type: 'string', default: process.env.REVIEWS_PORT ?? '4010' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port "${values.port}"`);
  const dataDir = values.data ? path.resolve(values.data) : configFromEnv().dataDir;
  const file = values.file ? path.resolve(values.file) : embeddedStorePaths(dataDir).reviews;
  const service = await startReviewsService({ file, port, host: values.host });
  console.log(`Review service over ${file} ready at ${service.url} (GET /reviews?orderIds=a,b,c, /healthz)`);
  await runUntilSignal(service);
  return 0;
}
