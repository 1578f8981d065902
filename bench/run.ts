/**
 * Embedded vs federated, side by side in one run (`npm run bench`; see bench/README.md).
 *
 * Starts, each as its own child process from the built CLI (dist/):
 *   embedded:  `serve --port P`
 *   federated: `serve --subgraph <name> --port N` for each subgraph, `compose --out <tmp>/supergraph.graphql
 *              --api-schema <tmp>/schema.graphql --url name=...`, then `serve --router --supergraph ... --port R`
 * waits for GET /readyz, checks that both modes answer every request body byte for byte the same, then
 * drives load with autocannon (dist/bench/load.js, a separate process) over the canonical operations of
 * test/operations, rotating real ids, with the same duration and connections for both modes. Writes
 * bench/results/federation-<date>.json and prints a summary. Every child is killed at the end, also on error.
 *
 * Options (flag or environment): --duration / BENCH_DURATION seconds per operation and mode (10),
 * --connections / BENCH_CONNECTIONS (10), --warmup / BENCH_WARMUP seconds (2), --operations / BENCH_OPERATIONS
 * (comma-separated names, default all), --out / BENCH_OUT (result file).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CLI,
  freePort,
  gitCommit,
  machine,
  post,
  ROOT,
  runLoadProcess,
  startChild,
  stopChildren,
  stopChildrenOnExit,
  waitReady,
} from './harness';
import type { LoadResult, LoadSpec } from './load';
import { buildWorkloads, operationText, type Workload } from './workloads';

type Mode = 'embedded' | 'federated';

interface Options {
  durationSeconds: number;
  connections: number;
  warmupSeconds: number;
  operations?: string[];
  out?: string;
}

interface OperationRun {
  operation: string;
  file: string;
  variableSets: number;
  embedded: LoadResult;
  federated: LoadResult;
  /** embedded RPS / federated RPS */
  rpsRatio: number;
}

// ---------------------------------------------------------------------------------------------
// GraphQL
// ---------------------------------------------------------------------------------------------

/** Both deployments must answer every body byte for byte the same, without errors, before anything is timed. */
async function checkEquality(workload: Workload, bodies: string[], urls: Record<Mode, string>): Promise<void> {
  for (const body of bodies) {
    const [embedded, federated] = await Promise.all([post(urls.embedded, body), post(urls.federated, body)]);
    if (embedded.status !== 200 || embedded.text.includes('"errors":')) {
      throw new Error(`${workload.name}: embedded answered ${embedded.status} ${embedded.text.slice(0, 300)}`);
    }
    if (federated.text !== embedded.text) {
      throw new Error(`${workload.name}: the deployments answer differently for ${body.slice(-200)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function printTable(runs: OperationRun[]): void {
  const header = ['operation', 'mode', 'RPS', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', 'errors', 'non-2xx', 'gql errors', 'emb/fed'];
  const rows: string[][] = [];
  for (const run of runs) {
    for (const mode of ['embedded', 'federated'] as const) {
      const r = run[mode];
      rows.push([
        mode === 'embedded' ? run.operation : '',
        mode,
        r.rps.toFixed(1),
        r.latencyMs.p50.toFixed(1),
        r.latencyMs.p95.toFixed(1),
        r.latencyMs.p99.toFixed(1),
        String(r.requests),
        String(r.errors + r.timeouts),
        String(r.non2xx),
        String(r.graphqlErrors),
        mode === 'embedded' ? `${run.rpsRatio.toFixed(2)}x` : '',
      ]);
    }
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      operations: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const number = (flag: string | undefined, env: string | undefined, fallback: number, name: string) => {
    const value = Number(flag ?? env ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`Invalid ${name}: ${flag ?? env}`);
    return value;
  };
  const operations = values.operations ?? process.env.BENCH_OPERATIONS;
  return {
    durationSeconds: number(values.duration, process.env.BENCH_DURATION, 10, 'duration'),
    connections: Math.max(1, Math.round(number(values.connections, process.env.BENCH_CONNECTIONS, 10, 'connections'))),
    warmupSeconds: number(values.warmup, process.env.BENCH_WARMUP, 2, 'warmup'),
    operations: operations
      ? operations
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
      : undefined,
    out: values.out ?? process.env.BENCH_OUT,
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run bench builds)`);
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-bench-'));
  console.log(`Bench: ${options.durationSeconds} s per operation and mode, ${options.connections} connections; logs in ${workDir}`);

  // Which subgraphs there are: whatever `compose` composes (the names of the supergraph's join__Graph).
  const compose = (out: string, urls: string[]) =>
    execFileSync(process.execPath, [CLI, 'compose', '--out', out, '--api-schema', path.join(workDir, 'schema.graphql'), ...urls], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  const probe = path.join(workDir, 'supergraph.default.graphql');
  compose(probe, []);
  const subgraphNames = [...fs.readFileSync(probe, 'utf8').matchAll(/@join__graph\(name: "([^"]+)"/g)].map((match) => match[1]);
  if (subgraphNames.length === 0) throw new Error(`No subgraph in ${probe}`);

  const ports = { embedded: await freePort(), router: await freePort() };
  const subgraphPorts: Record<string, number> = {};
  for (const name of subgraphNames) subgraphPorts[name] = await freePort();
  const subgraphUrl = (name: string) => `http://127.0.0.1:${subgraphPorts[name]}/graphql`;

  // Start everything; every server process opens the same seeded stores (./data or FUSION_DATA_DIR) and only reads them.
  const embedded = startChild('embedded', ['serve', '--port', String(ports.embedded)], workDir);
  const subgraphs = subgraphNames.map((name) => ({
    name,
    child: startChild(name, ['serve', '--subgraph', name, '--port', String(subgraphPorts[name])], workDir),
  }));
  const supergraph = path.join(workDir, 'supergraph.graphql');
  compose(
    supergraph,
    subgraphNames.flatMap((name) => ['--url', `${name}=${subgraphUrl(name)}`]),
  );
  await Promise.all([waitReady('embedded', ports.embedded, embedded), ...subgraphs.map(({ name, child }) => waitReady(name, subgraphPorts[name], child))]);
  const router = startChild('router', ['serve', '--router', '--supergraph', supergraph, '--port', String(ports.router)], workDir);
  await waitReady('router', ports.router, router);
  const urls: Record<Mode, string> = {
    embedded: `http://127.0.0.1:${ports.embedded}/graphql`,
    federated: `http://127.0.0.1:${ports.router}/graphql`,
  };
  console.log(`Ready: embedded ${urls.embedded}; router ${urls.federated} over ${subgraphNames.map((name) => `${name} ${subgraphUrl(name)}`).join(', ')}`);

  const workloads = (await buildWorkloads(urls.embedded)).filter((w) => !options.operations || options.operations.includes(w.name));
  if (workloads.length === 0) throw new Error(`No operation matches ${options.operations?.join(', ')}`);
  const loadAverageBefore = os.loadavg();

  const runs: OperationRun[] = [];
  for (const [index, workload] of workloads.entries()) {
    const query = operationText(workload.file);
    const bodies = workload.variableSets.map((variables) => JSON.stringify({ query, variables }));
    await checkEquality(workload, bodies, urls);
    // Alternate which mode goes first, so neither always runs on a machine warmed (or tired) by the other.
    const order: Mode[] = index % 2 === 0 ? ['embedded', 'federated'] : ['federated', 'embedded'];
    const results: Partial<Record<Mode, LoadResult>> = {};
    for (const mode of order) {
      const spec = (durationSeconds: number): LoadSpec => ({ url: urls[mode], bodies, durationSeconds, connections: options.connections });
      if (options.warmupSeconds > 0) await runLoadProcess(spec(options.warmupSeconds), workDir, `${workload.name}-${mode}-warmup`);
      results[mode] = await runLoadProcess(spec(options.durationSeconds), workDir, `${workload.name}-${mode}`);
      console.log(
        `  ${workload.name.padEnd(13)} ${mode.padEnd(9)} ${results[mode]!.rps.toFixed(1).padStart(8)} req/s  p50 ${results[mode]!.latencyMs.p50} ms  p95 ${results[mode]!.latencyMs.p95} ms`,
      );
    }
    const rpsRatio = Math.round((results.embedded!.rps / results.federated!.rps) * 100) / 100;
    runs.push({
      operation: workload.name,
      file: `test/operations/${workload.file}`,
      variableSets: bodies.length,
      embedded: results.embedded!,
      federated: results.federated!,
      rpsRatio,
    });
  }

  const totals = (mode: Mode) => runs.reduce((sum, run) => sum + run[mode].rps, 0);
  const ratios = runs.map((run) => run.rpsRatio);
  const geometricMean = Math.exp(ratios.reduce((sum, ratio) => sum + Math.log(ratio), 0) / ratios.length);
  const report = {
    benchmark: 'federation: embedded gateway vs @apollo/gateway router over three subgraph services',
    date: startedAt.toISOString(),
    git: gitCommit(),
    machine: machine(),
    loadAverage: { before: loadAverageBefore, after: os.loadavg() },
    settings: {
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      loadGenerator: 'autocannon 8 in a separate process (dist/bench/load.js); latency percentiles from every 2xx response time',
      embedded: 'node dist/src/cli/index.js serve (one process)',
      federated: `node dist/src/cli/index.js serve --subgraph <name> (one process each: ${subgraphNames.join(', ')}) + serve --router (@apollo/gateway, one process)`,
    },
    summary: {
      rpsRatioGeometricMean: Math.round(geometricMean * 100) / 100,
      rpsRatioPerOperation: Object.fromEntries(runs.map((run) => [run.operation, run.rpsRatio])),
      totalRps: { embedded: Math.round(totals('embedded') * 10) / 10, federated: Math.round(totals('federated') * 10) / 10 },
    },
    operations: runs,
  };

  const out = options.out ? path.resolve(options.out) : path.join(ROOT, 'bench', 'results', `federation-${startedAt.toISOString().slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  printTable(runs);
  console.log(`\nembedded/federated RPS, geometric mean over ${runs.length} operations: ${report.summary.rpsRatioGeometricMean}x`);
  console.log(`Machine: ${report.machine.cpuCount} × ${report.machine.cpuModel}, ${report.machine.totalMemoryGiB} GiB, Node ${report.machine.node}`);
  console.log(`Wrote ${path.relative(ROOT, out)}`);
}

stopChildrenOnExit();

main()
  .then(
    () => 0,
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      return 1;
    },
  )
  .then(async (code) => {
    await stopChildren();
    process.exitCode = code;
  });
