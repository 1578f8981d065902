import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedGateway, startFederationRouter, startSubgraphService, type RunningServer, gatewayPlugins } from '../gateway';
import { seedEmbeddedStores } from '../seed';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { configFromEnv } from '../shared';
import { embeddedStoresExist } from '../sources';
import { SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs';
import { runUntilSignal } from './run-until-signal';
import { UsageError, type CommandHelp } from './command-help';

export const SERVE_HELP: CommandHelp = {
  summary: 'serves the whole graph in one process, one subgraph service, or the federation router',
  usage: `Usage: fusion-gateway serve [--port N] [--data DIR] [--dataset DIR]
       fusion-gateway serve --subgraph users|products|orders|quality|scoring [--port N]
       fusion-gateway serve --router [--supergraph FILE] [--port N]

  (default)          the whole graph in one process; seeds the embedded stores first when they are absent
  --subgraph NAME    one subgraph service
  --router           @apollo/gateway over running subgraph services (supergraph from \`compose\`)
  --supergraph FILE  the supergraph SDL for --router (default supergraph.graphql)
  --port N           HTTP port (default: PORT or 4000); the graph is at /graphql
  --data DIR         the embedded stores (default: FUSION_DATA_DIR or ./data)
  --dataset DIR      the Olist files for the first seed (default: OLIST_DATASET_DIR)
Back-ends: FUSION_CONFIG (docs/backends.md); scoring: FUSION_MODELS_DIR, FUSION_EXECUTION_PROVIDERS.`,
};

/**
 * `serve` — the whole graph in one process (default; seeds the stores first if they are absent).
 * `serve --subgraph users|products|orders [--port N]` — one subgraph service.
 * `serve --router --supergraph FILE [--port N]` — @apollo/gateway over running subgraph services.
 */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      dataset: { type: 'string' },
      subgraph: { type: 'string' },
      router: { type: 'boolean', default: false },
      supergraph: { type: 'string', default: 'supergraph.graphql' },
    },
  });
  const config = configFromEnv();
  const port = values.port !== undefined ? Number(values.port) : config.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Invalid --port "${values.port}"`);
  const dataDir = values.data ? path.resolve(values.data) : config.dataDir;
  const started = Date.now();
  // FUSION_CONFIG=<file> picks the back-ends; without it, the embedded stores under dataDir (seeded on first start).
  const sourcesConfig = sourcesConfigFromEnv(process.env, values.data ? dataDir : undefined);
  const embedded = sourcesConfig.origin.kind === 'embedded';
  // Build the scoring feature store in the background right away (FUSION_SCORING_PREWARM=0: on first scoring use).
  const prewarmScoring = process.env.FUSION_SCORING_PREWARM !== '0';

  let server: RunningServer;
  let what: string;
  if (values.router) {
    const supergraphSdl = fs.readFileSync(path.resolve(values.supergraph), 'utf8');
    server = await startFederationRouter({ supergraphSdl, port, plugins: await gatewayPlugins(sourcesConfig, 'router') });
    what = `Federation router (${values.supergraph})`;
  } else if (values.subgraph !== undefined) {
    if (!SUBGRAPH_NAMES.includes(values.subgraph as SubgraphName)) {
      throw new UsageError(`Unknown subgraph "${values.subgraph}": expected one of ${SUBGRAPH_NAMES.join(', ')}`);
    }
    if (embedded) await ensureSeeded(dataDir, values.dataset ? path.resolve(values.dataset) : config.datasetDir);
    server = await startSubgraphService({ name: values.subgraph as SubgraphName, dataDir, port, prewarmScoring, config: sourcesConfig });
    what = `Subgraph "${values.subgraph}"`;
  } else {
    if (embedded) await ensureSeeded(dataDir, values.dataset ? path.resolve(values.dataset) : config.datasetDir);
    server = await startEmbeddedGateway({ dataDir, port, prewarmScoring, config: sourcesConfig });
    what = embedded ? 'Fusion Gateway (embedded)' : `Fusion Gateway (${sourcesConfig.origin.kind === 'file' ? sourcesConfig.origin.file : 'config'})`;
  }
  console.log(`${what} ready at ${server.url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  await runUntilSignal(server);
  return 0;
}

async function ensureSeeded(dataDir: string, datasetDir: string): Promise<void> {
  if (embeddedStoresExist(dataDir)) return;
  console.log(`No stores in ${dataDir}: seeding from ${datasetDir}`);
  const report = await seedEmbeddedStores({ datasetDir, dataDir, progress: process.stderr.isTTY, log: (line) => console.log(line) });
  console.log(`Seeded in ${(report.elapsedMs / 1000).toFixed(1)} s`);
}
