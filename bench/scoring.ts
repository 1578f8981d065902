/**
 * Scoring benchmark (`npm run bench:scoring`; writes bench/results/scoring-<date>.json):
 *  1. ranking: 1,000 candidates for one person through the recommendation model — session.run over
 *     the 1,000 assembled rows plus the top-10 selection (p50/p95 over many repetitions), and the same
 *     with the feature rows assembled each time (end to end), by the row-at-a-time reference reading
 *     (the assembly before the vectorised one) and by the vectorised assembly, interleaved in one run,
 *     after checking both give the same rows; plus the vectorised one for other persons' first
 *     requests. ORT intraOpNumThreads 1 and, where `taskset` exists, the whole process pinned to one
 *     core (the script re-executes itself under it). Prints the figures against the ≤ 2 ms target.
 *  2. micro-batcher throughput: 50 concurrent clients, each scoring one person's 100 candidates in a
 *     loop for a few seconds, through the micro-batcher (≤ 2 ms wait) vs one session.run per request.
 * Options (environment): BENCH_SCORING_SECONDS (5) per throughput run, BENCH_SCORING_REPS (500),
 * BENCH_SCORING_CORES (taskset list, default "0"; "none": do not pin), BENCH_SCORING_MAX_BATCH (2048),
 * BENCH_SCORING_CONCURRENT_RUNS (2), BENCH_OUT (result file).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MicroBatcher, ModelSession, servingFeatures, type ServingFeatures } from '../src/scoring';
import { referenceRecommendationRows } from '../src/scoring/features';
import { configFromEnv, PROJECT_ROOT } from '../src/shared';
import { openEmbeddedSources } from '../src/sources';
import { printTargets, targetRow } from './targets';

const SECONDS = Number(process.env.BENCH_SCORING_SECONDS ?? 5);
const REPS = Number(process.env.BENCH_SCORING_REPS ?? 500);
const CORES = process.env.BENCH_SCORING_CORES ?? '0';

function pinned(): boolean {
  if (CORES === 'none' || process.env.BENCH_SCORING_PINNED === '1') return false;
  const which = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' });
  if (which.status !== 0) {
    console.warn('taskset not found: running unpinned');
    return false;
  }
  const child = spawnSync('taskset', ['-c', CORES, process.execPath, ...process.execArgv, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_SCORING_PINNED: '1' },
  });
  process.exit(child.status ?? 1);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    n: ms.length,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    mean_ms: round(ms.reduce((s, v) => s + v, 0) / ms.length),
  };
}

function topK(scores: Float32Array, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (idx.length < k) {
      idx.push(i);
      idx.sort((a, b) => scores[b] - scores[a]);
    } else if (scores[i] > scores[idx[k - 1]]) {
      idx[k - 1] = i;
      idx.sort((a, b) => scores[b] - scores[a]);
    }
  }
  return idx;
}

function newestVersion(name: string): string {
  const dir = path.join(process.env.FUSION_MODELS_DIR ?? path.join(PROJECT_ROOT, 'models'), name);
  const version = fs
    .readdirSync(dir)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))[0];
  return path.join(dir, version);
}

/** 1,000 products for one person: their candidates, then best-sellers and catalog products sold before the as-of time. */
function thousandCandidates(features: ServingFeatures, personId: string): string[] {
  const out = new Set(features.store.candidatesFor(personId, 1000));
  const pools = [features.view.globalTop, features.view.recentTop, ...features.view.categoryTop.values()];
  for (const pool of pools) for (const id of pool) if (out.size < 1000) out.add(id);
  for (const id of features.store.index.snap.products.keys()) if (out.size < 1000) out.add(id);
  return [...out];
}

async function main(): Promise<void> {
  const isPinned = process.env.BENCH_SCORING_PINNED === '1';
  const started = Date.now();
  const sources = await openEmbeddedSources(configFromEnv().dataDir);
  const features = await servingFeatures(configFromEnv().dataDir, sources, null);
  console.log(`feature store built in ${(features.buildMs / 1000).toFixed(1)} s`);
  const versionDir = newestVersion('recommendation');
  const config = JSON.parse(fs.readFileSync(path.join(versionDir, 'config.json'), 'utf8'));
  const width: number = config.input[0].dims[1];
  const session = await ModelSession.create(
    path.join(versionDir, 'model.onnx'),
    { inputName: config.input[0].name, outputName: config.output[0].name, width },
    { providers: ['cpu'], intraOpNumThreads: 1 },
  );

  // A returning person with several purchases.
  const personId = [...features.store.index.ordersByPerson].find(([, orders]) => orders.length >= 3)![0];
  const candidates = thousandCandidates(features, personId);
  const rows = features.recommendationRows(personId, candidates);

  // 1. ranking 1,000 candidates
  for (let i = 0; i < 50; i++) topK(await session.run(rows, candidates.length), 10);
  const modelOnly: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = process.hrtime.bigint();
    topK(await session.run(rows, candidates.length), 10);
    modelOnly.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  // The same ranking with the rows assembled each time: the row-at-a-time reference reading of the
  // features (what serving did before the vectorised assembly) and the vectorised rows, interleaved.
  const reference: number[] = [];
  const vectorised: number[] = [];
  const check = referenceRecommendationRows(features.store, personId, candidates);
  if (!check.every((v, i) => Object.is(v, rows[i]))) throw new Error('vectorised rows differ from the reference rows');
  for (let i = 0; i < Math.min(REPS, 300); i++) {
    let t = process.hrtime.bigint();
    topK(await session.run(referenceRecommendationRows(features.store, personId, candidates), candidates.length), 10);
    reference.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    topK(await session.run(features.recommendationRows(personId, candidates), candidates.length), 10);
    vectorised.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  // Other persons (each one's first request: user features, state cache and pair features from cold).
  const others = [...features.store.index.ordersByPerson.keys()].filter((_, i) => i % 997 === 0).slice(0, 60);
  const firstRequest: number[] = [];
  for (const other of others) {
    const list = thousandCandidates(features, other);
    const t = process.hrtime.bigint();
    topK(await session.run(features.recommendationRows(other, list), list.length), 10);
    firstRequest.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const ranking = {
    candidates: candidates.length,
    width,
    model: summary(modelOnly),
    with_reference_assembly: summary(reference),
    with_feature_assembly: summary(vectorised),
    with_feature_assembly_other_persons_first_request: summary(firstRequest),
  };
  console.log('ranking 1,000 candidates, model + top-10:', ranking.model);
  console.log('  with the reference (row-at-a-time) assembly:', ranking.with_reference_assembly);
  console.log('  with the vectorised assembly:', ranking.with_feature_assembly);
  console.log('  vectorised, other persons, first request each:', ranking.with_feature_assembly_other_persons_first_request);

  // 2. throughput with 50 concurrent clients, 100 candidate rows per request
  const perRequest = 100;
  const requestRows = rows.slice(0, perRequest * width);
  const clients = 50;
  async function drive(score: (input: Float32Array, n: number) => Promise<Float32Array>) {
    const latencies: number[] = [];
    const runsBefore = session.runs;
    const deadline = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < deadline) {
          const t = process.hrtime.bigint();
          await score(requestRows, perRequest);
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }),
    );
    const runs = session.runs - runsBefore;
    return {
      requests_per_s: Math.round(latencies.length / SECONDS),
      rows_per_s: Math.round((latencies.length * perRequest) / SECONDS),
      session_runs: runs,
      mean_rows_per_run: Math.round((latencies.length * perRequest) / Math.max(1, runs)),
      latency: summary(latencies),
    };
  }
  const maxBatchSize = Number(process.env.BENCH_SCORING_MAX_BATCH ?? 2048);
  const maxConcurrentRuns = Number(process.env.BENCH_SCORING_CONCURRENT_RUNS ?? 2);
  const batcher = new MicroBatcher({ width, maxBatchSize, maxWaitMs: 2, maxConcurrentRuns, run: (input, n) => session.run(input, n) });
  const unbatched = await drive((input, n) => session.run(input, n));
  const batched = await drive((input, n) => batcher.submit(input, n));
  const throughput = {
    clients,
    rows_per_request: perRequest,
    seconds: SECONDS,
    micro_batcher: { max_wait_ms: 2, max_batch_size: maxBatchSize, max_concurrent_runs: maxConcurrentRuns, ...batched },
    one_run_per_request: unbatched,
  };
  console.log('50 concurrent clients, micro-batcher:', throughput.micro_batcher, '\n  one session.run per request:', throughput.one_run_per_request);

  const targets = [
    targetRow('rank 1,000 candidates incl. feature assembly, one core, p50 (vectorised)', ranking.with_feature_assembly.p50_ms, 'ms', 2),
    targetRow('  same, p99 (vectorised)', ranking.with_feature_assembly.p99_ms, 'ms', 2),
    targetRow('  same, p50, row-at-a-time reference assembly (before)', ranking.with_reference_assembly.p50_ms, 'ms', 2),
    targetRow('  same, p99, row-at-a-time reference assembly (before)', ranking.with_reference_assembly.p99_ms, 'ms', 2),
  ];
  printTargets(targets);

  const result = {
    benchmark: 'scoring',
    targets,
    date: new Date().toISOString(),
    commit: (() => {
      try {
        return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })(),
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? null,
      loadavg_at_start: os.loadavg(),
      node: process.version,
      pinned_to_cores: isPinned ? CORES : null,
    },
    onnxruntime: { provider: session.provider, intra_op_threads: 1 },
    model: path.relative(PROJECT_ROOT, versionDir),
    feature_store_build_s: Math.round(features.buildMs / 100) / 10,
    ranking_1000_candidates: ranking,
    throughput_50_clients: throughput,
    elapsed_s: Math.round((Date.now() - started) / 1000),
  };
  const out = process.env.BENCH_OUT ?? path.join(PROJECT_ROOT, 'bench', 'results', `scoring-${result.date.slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
  await session.release();
  await sources.close();
}

if (!pinned()) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
