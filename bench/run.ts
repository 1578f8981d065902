/**
 * Embedded vs federated, side by side in one run (`npm run bench`; see bench/README.md).
 *
 * Starts, each as its own child process from the built CLI (dist/):
 *   embedded:  `serve --port P`
 *   federated: `serve --subgraph <name> --port N` for each subgraph, `compose --out <tmp>/supergraph.graphql
 *              --api-schema <tmp>/schema.graphql --url name=...`, then `serve --router --supergraph ... --port R`
 *   hive:      `dist/bench/peers/hive-gateway.js --supergraph ...` (Hive Gateway's runtime over the same subgraph
 *              processes; BENCH_HIVE=0 / --hive 0 leaves it out)
 * waits for GET /readyz, checks that every mode answers every request body byte for byte the same, then
 * drives load with autocannon (dist/bench/load.js, a separate process) over the canonical operations of
 * test/operations, rotating real ids, with the same duration and connections for every mode; then the canonical
 * set (bench/canonical-set.ts) against the embedded gateway at half its saturation rate for p99/p50. Writes
 * bench/results/federation-<date>.json and prints a summary and the targets. Every child is killed at the end,
 * also on error.
 *
 * Options (flag or environment): --duration / BENCH_DURATION seconds per operation and mode (10),
 * --connections / BENCH_CONNECTIONS (10), --warmup / BENCH_WARMUP seconds (2), --operations / BENCH_OPERATIONS
 * (comma-separated names, default all), --out / BENCH_OUT (result file), --hive / BENCH_HIVE (1), --half-rate /
 * BENCH_HALF_RATE seconds at half saturation (20; 0 skips).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../src/shared';
import { openEmbeddedSources } from '../src/sources';
import { canonicalRequests } from './canonical-set';
import { CLI, freePort, gitCommit, machine, post, ROOT, runLoadProcess, startChild, startNodeServer, runBenchMain, waitReady } from './harness';
import type { LoadResult, LoadSpec } from './load';
import { findSaturation, loadFailures, type RampStep } from './saturation';
import { printTargets, targetRow } from './targets';
import { buildWorkloads, operationText, type Workload } from './workloads';

const HIVE_GATEWAY = path.join(__dirname, 'peers', 'hive-gateway.js');
const HIVE_VERSION = (JSON.parse(fs.readFileSync(require.resolve('@graphql-hive/gateway-runtime/package.json'), 'utf8')) as { version: string }).version;

type Mode = 'embedded' | 'federated' | 'hive';

interface Options {
  durationSeconds: number;
  connections: number;
  warmupSeconds: number;
  operations?: string[];
  out?: string;
  /** Hive Gateway's runtime as a third deployment over the same subgraph services. */
  hive: boolean;
  /** Seconds at 50 % of the saturation rate for the canonical set's p99/p50 (0: skip that phase). */
  halfRateSeconds: number;
}

interface OperationRun {
  operation: string;
  file: string;
  variableSets: number;
  embedded: LoadResult;
  federated: LoadResult;
  hive?: LoadResult;
  /** embedded RPS / federated RPS */
  rpsRatio: number;
  /** embedded RPS / Hive Gateway RPS */
  rpsRatioVsHive?: number;
}

// ---------------------------------------------------------------------------------------------
// GraphQL
// ---------------------------------------------------------------------------------------------

/** Every deployment must answer every body byte for byte the same, without errors, before anything is timed. */
async function checkEquality(workload: Workload, bodies: string[], urls: Partial<Record<Mode, string>>): Promise<void> {
  for (const body of bodies) {
    const embedded = await post(urls.embedded!, body);
    if (embedded.status !== 200 || embedded.text.includes('"errors":')) {
      throw new Error(`${workload.name}: embedded answered ${embedded.status} ${embedded.text.slice(0, 300)}`);
    }
    for (const mode of ['federated', 'hive'] as const) {
      if (!urls[mode]) continue;
      const other = await post(urls[mode], body);
      // Byte for byte, except the final newline (Hive Gateway's runtime ends its bodies without one).
      if (other.text.trimEnd() !== embedded.text.trimEnd()) {
        throw new Error(
          `${workload.name}: ${mode} answers differently from embedded for ${body.slice(-200)}:\n${other.text.slice(0, 400)}\n${embedded.text.slice(0, 400)}`,
        );
      }
    }
  }
}

/**
 * The canonical set (bench/canonical-set.ts: every operation of test/operations over real ids) against the
 * embedded gateway: its saturation rate (closed-loop ramp), then `seconds` at half that rate (autocannon
 * overallRate, after a 3 s warm-up at that rate): the latency a server shows when it is not overloaded.
 */
async function canonicalSetAtHalfSaturation(url: string, workDir: string, seconds: number) {
  const sources = await openEmbeddedSources(configFromEnv().dataDir);
  const requests = await canonicalRequests(sources).finally(() => sources.close());
  const bodies = requests.map((request) => JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables }));
  for (const [index, body] of bodies.entries()) {
    const answer = await post(url, body);
    if (answer.status !== 200 || answer.text.includes('"errors":')) throw new Error(`${requests[index].label}: ${answer.status} ${answer.text.slice(0, 300)}`);
  }
  const alone = await serviceTimesAlone(
    url,
    bodies,
    requests.map((request) => request.label),
  );
  console.log(
    `Canonical set, each request alone (median of ${SERVICE_ROUNDS} rounds): p99/p50 of the mix without any queuing ${alone.mixP99OverP50}× (slowest: ${alone.slowest
      .slice(0, 3)
      .map((entry) => `${entry.label} ${entry.medianMs} ms`)
      .join(', ')})`,
  );
  console.log(`Canonical set: ${bodies.length} requests over ${new Set(requests.map((r) => r.operationName)).size} operations; saturation ramp`);
  const { ramp, best }: { ramp: RampStep[]; best: RampStep } = await findSaturation(url, bodies, workDir, {
    rampSeconds: 5,
    maxConnections: 32,
    label: 'canonical',
  });
  const targetRps = Math.max(1, Math.floor(best.rps / 2));
  const spec = (durationSeconds: number): LoadSpec => ({ url, bodies, durationSeconds, connections: best.connections, overallRate: targetRps });
  await runLoadProcess(spec(3), workDir, 'canonical-half-warmup');
  const result = await runLoadProcess(spec(seconds), workDir, 'canonical-half');
  if (loadFailures(result) > 0) throw new Error(`the canonical set at half saturation saw failures: ${JSON.stringify(result)}`);
  console.log(`  ${seconds} s at ${targetRps} req/s (50 % of ${best.rps}): p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`);
  return {
    requestBodies: bodies.length,
    ramp,
    saturationRps: best.rps,
    rate: { targetRps, connections: best.connections, achievedRps: result.rps },
    durationSeconds: seconds,
    latencyMs: result.latencyMs,
    p99OverP50: Math.round((result.latencyMs.p99 / result.latencyMs.p50) * 100) / 100,
    servedAlone: alone,
  };
}

const SERVICE_ROUNDS = 15;

/**
 * Each request's own service time, one at a time (no queuing, no concurrency), the requests taken round-robin
 * so that noise spreads over all of them. The load generator draws the bodies uniformly, so the p99/p50 of
 * these medians is the floor the mix itself sets on the canonical set's p99/p50: no work on the tail (queuing,
 * GC, scheduling) brings the measured ratio below it.
 */
async function serviceTimesAlone(url: string, bodies: string[], labels: string[]) {
  const times = bodies.map(() => [] as number[]);
  for (let round = 0; round < SERVICE_ROUNDS; round++) {
    for (const [index, body] of bodies.entries()) {
      const startedAt = performance.now();
      await post(url, body);
      times[index].push(performance.now() - startedAt);
    }
  }
  const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round2 = (value: number) => Math.round(value * 100) / 100;
  const medians = times.map((samples) =>
    quantile(
      [...samples].sort((a, b) => a - b),
      0.5,
    ),
  );
  const sortedMedians = [...medians].sort((a, b) => a - b);
  return {
    rounds: SERVICE_ROUNDS,
    mixP50Ms: round2(quantile(sortedMedians, 0.5)),
    mixP99Ms: round2(quantile(sortedMedians, 0.99)),
    mixP99OverP50: round2(quantile(sortedMedians, 0.99) / quantile(sortedMedians, 0.5)),
    slowest: medians.map((median, index) => ({ label: labels[index], medianMs: round2(median) })).sort((a, b) => b.medianMs - a.medianMs),
  };
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function printTable(runs: OperationRun[]): void {
  const header = ['operation', 'mode', 'RPS', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', 'errors', 'non-2xx', 'gql errors', 'emb/mode'];
  const rows: string[][] = [];
  for (const run of runs) {
    for (const mode of ['embedded', 'federated', 'hive'] as const) {
      const r = run[mode];
      if (!r) continue;
      const ratio = mode === 'federated' ? run.rpsRatio : mode === 'hive' ? run.rpsRatioVsHive : undefined;
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
        ratio === undefined ? '' : `${ratio.toFixed(2)}x`,
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
      hive: { type: 'string' },
      'half-rate': { type: 'string' },
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
    hive: (values.hive ?? process.env.BENCH_HIVE ?? '1') !== '0',
    halfRateSeconds: number(values['half-rate'], process.env.BENCH_HALF_RATE, 20, 'half-rate'),
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

  const ports = { embedded: await freePort(), router: await freePort(), hive: await freePort() };
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
  // Hive Gateway's runtime over the same supergraph and subgraph services (bench/peers/hive-gateway.ts).
  const hive = options.hive ? startNodeServer('hive', [HIVE_GATEWAY, '--supergraph', supergraph, '--port', String(ports.hive)], workDir) : null;
  await Promise.all([waitReady('router', ports.router, router), ...(hive ? [waitReady('hive', ports.hive, hive)] : [])]);
  const urls: Partial<Record<Mode, string>> & Record<'embedded' | 'federated', string> = {
    embedded: `http://127.0.0.1:${ports.embedded}/graphql`,
    federated: `http://127.0.0.1:${ports.router}/graphql`,
    ...(hive ? { hive: `http://127.0.0.1:${ports.hive}/graphql` } : {}),
  };
  const modes = (Object.keys(urls) as Mode[]).filter((mode) => urls[mode]);
  console.log(
    `Ready: embedded ${urls.embedded}; router ${urls.federated}${urls.hive ? `, Hive Gateway ${urls.hive}` : ''} over ${subgraphNames.map((name) => `${name} ${subgraphUrl(name)}`).join(', ')}`,
  );

  const workloads = (await buildWorkloads(urls.embedded)).filter((w) => !options.operations || options.operations.includes(w.name));
  if (workloads.length === 0) throw new Error(`No operation matches ${options.operations?.join(', ')}`);
  const loadAverageBefore = os.loadavg();

  const runs: OperationRun[] = [];
  for (const [index, workload] of workloads.entries()) {
    const query = operationText(workload.file);
    const bodies = workload.variableSets.map((variables) => JSON.stringify({ query, variables }));
    await checkEquality(workload, bodies, urls);
    // Rotate which mode goes first, so none always runs on a machine warmed (or tired) by the others.
    const order: Mode[] = modes.map((_, position) => modes[(position + index) % modes.length]);
    const results: Partial<Record<Mode, LoadResult>> = {};
    for (const mode of order) {
      const spec = (durationSeconds: number): LoadSpec => ({ url: urls[mode]!, bodies, durationSeconds, connections: options.connections });
      if (options.warmupSeconds > 0) await runLoadProcess(spec(options.warmupSeconds), workDir, `${workload.name}-${mode}-warmup`);
      results[mode] = await runLoadProcess(spec(options.durationSeconds), workDir, `${workload.name}-${mode}`);
      console.log(
        `  ${workload.name.padEnd(13)} ${mode.padEnd(9)} ${results[mode]!.rps.toFixed(1).padStart(8)} req/s  p50 ${results[mode]!.latencyMs.p50} ms  p95 ${results[mode]!.latencyMs.p95} ms`,
      );
    }
    const ratio = (mode: Mode) => Math.round((results.embedded!.rps / results[mode]!.rps) * 100) / 100;
    runs.push({
      operation: workload.name,
      file: `test/operations/${workload.file}`,
      variableSets: bodies.length,
      embedded: results.embedded!,
      federated: results.federated!,
      ...(results.hive ? { hive: results.hive } : {}),
      rpsRatio: ratio('federated'),
      ...(results.hive ? { rpsRatioVsHive: ratio('hive') } : {}),
    });
  }
  const loadAverageAfterModes = os.loadavg();

  const halfRate = options.halfRateSeconds > 0 ? await canonicalSetAtHalfSaturation(urls.embedded, workDir, options.halfRateSeconds) : null;

  const totals = (mode: Mode) => runs.reduce((sum, run) => sum + (run[mode]?.rps ?? 0), 0);
  const geometricMean = (ratios: number[]) => Math.round(Math.exp(ratios.reduce((sum, ratio) => sum + Math.log(ratio), 0) / ratios.length) * 100) / 100;
  const vsApollo = geometricMean(runs.map((run) => run.rpsRatio));
  const vsHive = urls.hive ? geometricMean(runs.map((run) => run.rpsRatioVsHive!)) : null;
  const targets = [
    targetRow(`embedded / @apollo/gateway RPS, geometric mean of ${runs.length} operations`, vsApollo, '×', 10, '>='),
    ...(vsHive === null ? [] : [targetRow(`embedded / Hive Gateway runtime RPS, geometric mean of ${runs.length} operations`, vsHive, '×', null, '>=')]),
    ...(halfRate
      ? [
          targetRow(`canonical set at 50 % of saturation (${halfRate.rate.targetRps} req/s): p99 / p50`, halfRate.p99OverP50, '×', 3),
          targetRow('canonical set, each request alone: p99 / p50 of the mix (the floor the mix sets)', halfRate.servedAlone.mixP99OverP50, '×', null),
        ]
      : []),
  ];
  const report = {
    benchmark: 'federation: embedded gateway vs @apollo/gateway router (and Hive Gateway runtime) over the same subgraph services',
    date: startedAt.toISOString(),
    git: gitCommit(),
    machine: machine(),
    loadAverage: { before: loadAverageBefore, afterModes: loadAverageAfterModes, after: os.loadavg() },
    settings: {
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      loadGenerator: 'autocannon 8 in a separate process (dist/bench/load.js); latency percentiles from every 2xx response time',
      embedded: 'node dist/src/cli/index.js serve (one process)',
      federated: `node dist/src/cli/index.js serve --subgraph <name> (one process each: ${subgraphNames.join(', ')}) + serve --router (@apollo/gateway, one process)`,
      hive: urls.hive
        ? `node dist/bench/peers/hive-gateway.js (@graphql-hive/gateway-runtime ${HIVE_VERSION}, one process) over the same subgraph processes`
        : 'not run (BENCH_HIVE=0)',
      order: 'rotating: the mode that goes first changes from one operation to the next',
    },
    summary: {
      rpsRatioGeometricMean: vsApollo,
      rpsRatioPerOperation: Object.fromEntries(runs.map((run) => [run.operation, run.rpsRatio])),
      rpsRatioVsHiveGeometricMean: vsHive,
      rpsRatioVsHivePerOperation: urls.hive ? Object.fromEntries(runs.map((run) => [run.operation, run.rpsRatioVsHive])) : null,
      totalRps: Object.fromEntries(modes.map((mode) => [mode, Math.round(totals(mode) * 10) / 10])),
    },
    targets,
    canonicalSetAtHalfSaturation: halfRate,
    operations: runs,
  };

  const out = options.out ? path.resolve(options.out) : path.join(ROOT, 'bench', 'results', `federation-${startedAt.toISOString().slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  printTable(runs);
  console.log('');
  printTargets(targets);
  console.log(`Machine: ${report.machine.cpuCount} × ${report.machine.cpuModel}, ${report.machine.totalMemoryGiB} GiB, Node ${report.machine.node}`);
  console.log(`Wrote ${path.relative(ROOT, out)}`);
}

runBenchMain(main);
