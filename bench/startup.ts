/**
 * Start-up benchmark (`npm run bench:startup`; writes bench/results/startup-<date>.json): the built
 * `serve` as a child process (pinned with `taskset -c BENCH_STARTUP_CORES`, default "1", where taskset
 * exists), timed from spawn to the first /readyz 200 and to the scoring feature store being ready
 * ("scoring warm": /readyz's featureStore.status), then its RSS (VmRSS) BENCH_STARTUP_SETTLE_S (5) s
 * later (each start given BENCH_STARTUP_TIMEOUT_S, 180 s). Three cases:
 *  - warm: the seeded data folder (FUSION_DATA_DIR, ./data) with its persisted feature store
 *    (feature-store.bin, written by a priming start when missing or stale), BENCH_STARTUP_RUNS (3) times;
 *  - no persisted store: the same stores, feature-store.bin removed (the build from the sources; it is
 *    written again for the next start);
 *  - empty data folder: a temporary folder: seeding from the dataset, the build, the write.
 * Prints the figures against the issue's targets (≤ 5 s warm, ≤ 30 s from empty, ≤ 512 MiB).
 *
 * Side by side: BENCH_STARTUP_BASELINE=<folder of another checkout, built> runs that build's `serve` too,
 * each case interleaved (baseline, this build, baseline, …) so both see the same machine load; the
 * baseline gets its own copy of the seeded stores (its store file may have another format). Ports come
 * from the OS, or from BENCH_STARTUP_PORT_BASE upwards (a reserved range).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv } from '../src/shared';
import { CLI, freePort, gitCommit, machine, ROOT } from './harness';
import { printTargets, targetRow } from './targets';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 3);
const SETTLE_S = Number(process.env.BENCH_STARTUP_SETTLE_S ?? 5);
const CORES = process.env.BENCH_STARTUP_CORES ?? '1';
const TIMEOUT_MS = Number(process.env.BENCH_STARTUP_TIMEOUT_S ?? 180) * 1000;
const TASKSET = CORES !== 'none' && os.cpus().length >= 2 && fs.existsSync('/usr/bin/taskset');
const BASELINE = process.env.BENCH_STARTUP_BASELINE ? path.resolve(process.env.BENCH_STARTUP_BASELINE) : null;
const PORT_BASE = process.env.BENCH_STARTUP_PORT_BASE ? Number(process.env.BENCH_STARTUP_PORT_BASE) : null;
let portsUsed = 0;

/** One build under test: its CLI, the folder it runs in, its seeded data folder. */
interface Build {
  name: string;
  cli: string;
  root: string;
  dataDir: string;
}

const nextPort = () => (PORT_BASE === null ? freePort() : Promise.resolve(PORT_BASE + portsUsed++));

interface StartResult {
  readyz_s: number;
  scoring_warm_s: number;
  rss_mib: number;
  feature_store_ms: number | null;
  log_tail: string[];
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function readyz(port: number): Promise<{ status: number; body: { scoring?: { featureStore?: { status?: string; buildMs?: number } } } } | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: response.status, body: (await response.json()) as never };
  } catch {
    return null;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** One start of `serve` on `dataDir`: spawn → /readyz 200 → feature store ready → RSS after settling. */
async function startOnce(build: Build, label: string, dataDir: string, logDir: string): Promise<StartResult> {
  const port = await nextPort();
  label = `${build.name}-${label}`;
  const logFile = path.join(logDir, `${label}.log`);
  const log = fs.openSync(logFile, 'w');
  const args = [build.cli, 'serve', '--port', String(port), '--data', dataDir];
  // The dataset folder is resolved here: a baseline runs in another folder, where the default relative path would not hold.
  const env = { ...process.env, FUSION_SCORING_PREWARM: '1', OLIST_DATASET_DIR: configFromEnv().datasetDir };
  const started = process.hrtime.bigint();
  const child = TASKSET
    ? spawn('/usr/bin/taskset', ['-c', CORES, process.execPath, ...args], { cwd: build.root, stdio: ['ignore', log, log], env })
    : spawn(process.execPath, args, { cwd: build.root, stdio: ['ignore', log, log], env });
  fs.closeSync(log);
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    let readyAt: number | null = null;
    let warmAt: number | null = null;
    let buildMs: number | null = null;
    const deadline = Date.now() + TIMEOUT_MS;
    while (warmAt === null) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${label}: serve exited (see ${logFile})`);
      if (Date.now() > deadline) throw new Error(`${label}: not warm within ${TIMEOUT_MS / 1000} s (see ${logFile})`);
      const answer = await readyz(port);
      if (answer?.status === 200) {
        readyAt ??= seconds();
        const store = answer.body.scoring?.featureStore;
        if (store?.status === 'failed') throw new Error(`${label}: the feature store failed (see ${logFile})`);
        if (store?.status === 'ready') {
          warmAt = seconds();
          buildMs = store.buildMs ?? null;
        }
      }
      if (warmAt === null) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
    const rss = rssMiB(child.pid!);
    const result = { readyz_s: round(readyAt!), scoring_warm_s: round(warmAt), rss_mib: round(rss), feature_store_ms: buildMs, log_tail: [] as string[] };
    await stop(child);
    result.log_tail = fs
      .readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .filter((line) => /feature store|ready at|Seeded|bought-together/.test(line));
    console.log(`  ${label}: /readyz ${result.readyz_s} s, scoring warm ${result.scoring_warm_s} s, RSS ${result.rss_mib} MiB`);
    return result;
  } finally {
    await stop(child);
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Every case for every build, interleaved case by case. */
async function measure(builds: Build[], logDir: string) {
  const results = new Map(
    builds.map((b) => [b.name, { noPersisted: null as StartResult | null, warm: [] as StartResult[], empty: null as StartResult | null }]),
  );
  for (const build of builds) {
    if (!fs.existsSync(path.join(build.dataDir, 'seed-manifest.json'))) throw new Error(`no seeded stores in ${build.dataDir}: run npm run seed first`);
  }
  // The stores under test must exist; their persisted feature store is (re)written by the first start.
  for (const build of builds) {
    const storeFile = path.join(build.dataDir, 'feature-store.bin');
    fs.rmSync(storeFile, { force: true });
    results.get(build.name)!.noPersisted = await startOnce(build, 'no-persisted-store', build.dataDir, logDir);
    if (!fs.existsSync(storeFile)) throw new Error(`${build.name}: the first start wrote no feature-store.bin`);
  }
  for (let i = 0; i < RUNS; i++) for (const build of builds) results.get(build.name)!.warm.push(await startOnce(build, `warm-${i + 1}`, build.dataDir, logDir));
  for (const build of builds) {
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-data-'));
    try {
      results.get(build.name)!.empty = await startOnce(build, 'empty-data-folder', emptyDir, logDir);
    } finally {
      fs.rmSync(emptyDir, { recursive: true, force: true });
    }
  }
  return new Map(
    [...results].map(([name, r]) => {
      const warm = {
        readyz_s: median(r.warm.map((w) => w.readyz_s)),
        scoring_warm_s: median(r.warm.map((w) => w.scoring_warm_s)),
        rss_mib: median(r.warm.map((w) => w.rss_mib)),
      };
      return [name, { warm: { median: warm, runs: r.warm }, no_persisted_store: r.noPersisted!, empty_data_folder: r.empty! }];
    }),
  );
}

async function main(): Promise<void> {
  const config = configFromEnv();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  console.log(`server logs in ${logDir}${TASKSET ? `; serve pinned to core(s) ${CORES}` : ''}`);
  const started = Date.now();
  const loadavgBefore = os.loadavg();

  const builds: Build[] = [{ name: 'current', cli: CLI, root: ROOT, dataDir: config.dataDir }];
  let baselineData: string | null = null;
  if (BASELINE) {
    baselineData = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-baseline-data-'));
    for (const name of fs.readdirSync(config.dataDir).filter((n) => !n.startsWith('feature-store'))) {
      fs.cpSync(path.join(config.dataDir, name), path.join(baselineData, name), { recursive: true });
    }
    builds.unshift({ name: 'baseline', cli: path.join(BASELINE, 'dist', 'src', 'cli', 'index.js'), root: BASELINE, dataDir: baselineData });
  }
  let measured;
  try {
    measured = await measure(builds, logDir);
  } finally {
    if (baselineData) fs.rmSync(baselineData, { recursive: true, force: true });
  }
  const current = measured.get('current')!;
  const warmFigures = current.warm.median;
  const empty = current.empty_data_folder;
  const targets = [
    targetRow('seeded stores + persisted feature store: spawn → /readyz 200 (median)', warmFigures.readyz_s, 's', 5),
    targetRow('seeded stores + persisted feature store: spawn → scoring warm (median)', warmFigures.scoring_warm_s, 's', 5),
    targetRow('empty data folder: spawn → /readyz 200 (seed, build, persist)', empty.readyz_s, 's', 30),
    targetRow('empty data folder: spawn → scoring warm', empty.scoring_warm_s, 's', 30),
    targetRow(`RSS ${SETTLE_S} s after scoring warm, warm start (median)`, warmFigures.rss_mib, 'MiB', 512),
    targetRow(`RSS ${SETTLE_S} s after scoring warm, first start from empty folder`, empty.rss_mib, 'MiB', 512),
  ];
  printTargets(targets);
  for (const [name, r] of measured) {
    console.log(
      `${name}: warm /readyz ${r.warm.median.readyz_s} s, RSS ${r.warm.median.rss_mib} MiB; empty folder ${r.empty_data_folder.readyz_s} s, ` +
        `RSS ${r.empty_data_folder.rss_mib} MiB; no persisted store ${r.no_persisted_store.readyz_s} s, RSS ${r.no_persisted_store.rss_mib} MiB`,
    );
  }

  const date = new Date().toISOString();
  const baseline = measured.get('baseline');
  const result = {
    benchmark: 'startup',
    date,
    ...gitCommit(),
    machine: { ...machine(), loadavg_before: loadavgBefore, loadavg_after: os.loadavg(), pinned_to_cores: TASKSET ? CORES : null },
    settle_s: SETTLE_S,
    targets,
    ...current,
    ...(baseline && BASELINE ? { baseline: { root: BASELINE, commit: gitCommitOf(BASELINE), ...baseline } } : {}),
    elapsed_s: Math.round((Date.now() - started) / 1000),
  };
  const out = process.env.BENCH_OUT ?? path.join(ROOT, 'bench', 'results', `startup-${date.slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

/** The baseline's commit when it is a git checkout, else what BENCH_STARTUP_BASELINE_COMMIT says. */
function gitCommitOf(root: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return process.env.BENCH_STARTUP_BASELINE_COMMIT ?? null;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
