/**
 * Soak (`npm run bench:soak`; a benchmark, not a test): the embedded gateway under the canonical
 * operations at its saturation rate for a minute, watching for errors and memory growth.
 *
 *  1. starts `serve --port P` from the built CLI (dist/) as a child process, pinned like bench/run.ts;
 *  2. checks every canonical request (bench/canonical-set.ts: every operation of test/operations over
 *     real ids) answers 200 without errors;
 *  3. ramp: closed-loop autocannon runs of SOAK_RAMP_SECONDS at 1, 2, 4, … SOAK_MAX_CONNECTIONS
 *     connections; the saturation rate is the highest throughput seen (more connections stop adding any);
 *  4. warm-up: SOAK_WARMUP_SECONDS at that rate (the heap grows to its working size), then the soak:
 *     SOAK_SECONDS at that rate (autocannon overallRate, with the connections that reached it),
 *     sampling the server's resident memory (VmRSS of /proc/<pid>/status) every second;
 *  5. writes bench/results/soak-<date>.json: rate, requests, errors, non-2xx, GraphQL errors, latency,
 *     RSS at the start (the first sample, after the warm-up), peak and end, growth %,
 *     the server's own counts from /metrics, and pass = 0 errors and RSS growth ≤ 10 %. Exit code 1 on fail.
 *     RSS saws up and down as V8 grows its heap and collects (≈150 MiB swings), so start-to-end depends on
 *     where the two samples fall; the pass criterion compares the floors instead (the lowest sample of the
 *     last third against the lowest of the first third): what memory the server keeps, i.e. a leak.
 *
 * Options (environment): SOAK_SECONDS (60), SOAK_WARMUP_SECONDS (15), SOAK_RAMP_SECONDS (5),
 * SOAK_MAX_CONNECTIONS (32), SOAK_OUT.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv } from '../src/shared';
import { openEmbeddedSources } from '../src/sources';
import { canonicalRequests } from './canonical-set';
import { CLI, freePort, gitCommit, machine, post, ROOT, runLoadProcess, startChild, stopChildren, stopChildrenOnExit, waitReady } from './harness';
import type { LoadResult } from './load';
import { findSaturation, loadFailures } from './saturation';

const MAX_RSS_GROWTH_PCT = 10;

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`Invalid ${name}: ${process.env[name]}`);
  return value;
};

function residentBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function scrapeMetrics(base: string): Promise<{ operations: number; errors: number; rssBytes: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return { operations: sum('fusion_graphql_operations_total'), errors: sum('fusion_graphql_errors_total'), rssBytes: sum('process_resident_memory_bytes') };
}

async function main(): Promise<void> {
  const soakSeconds = numberFromEnv('SOAK_SECONDS', 60);
  const warmupSeconds = numberFromEnv('SOAK_WARMUP_SECONDS', 15);
  const rampSeconds = numberFromEnv('SOAK_RAMP_SECONDS', 5);
  const maxConnections = numberFromEnv('SOAK_MAX_CONNECTIONS', 32);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run bench:soak builds)`);
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-soak-'));
  console.log(`Soak: ramp ${rampSeconds} s per step up to ${maxConnections} connections, then ${soakSeconds} s at the saturation rate; logs in ${workDir}`);

  const port = await freePort();
  const server = startChild('embedded', ['serve', '--port', String(port)], workDir);
  await waitReady('embedded', port, server);
  const base = `http://127.0.0.1:${port}`;
  const url = `${base}/graphql`;

  const sources = await openEmbeddedSources(configFromEnv().dataDir);
  const requests = await canonicalRequests(sources);
  await sources.close();
  const bodies = requests.map((request) => JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables }));
  for (const [index, body] of bodies.entries()) {
    const answer = await post(url, body);
    if (answer.status !== 200 || answer.text.includes('"errors":')) throw new Error(`${requests[index].label}: ${answer.status} ${answer.text.slice(0, 300)}`);
  }
  console.log(`${bodies.length} canonical requests over ${new Set(requests.map((r) => r.operationName)).size} operations answer without errors`);

  const { ramp, best } = await findSaturation(url, bodies, workDir, { rampSeconds, maxConnections, label: 'soak' });
  const rate = Math.floor(best.rps);
  console.log(`Saturation: ${rate} req/s (${best.connections} connections); ${warmupSeconds} s warm-up, then ${soakSeconds} s at that rate`);
  const warmup = await runLoadProcess({ url, bodies, durationSeconds: warmupSeconds, connections: best.connections, overallRate: rate }, workDir, 'warmup');
  if (loadFailures(warmup) > 0) throw new Error(`the warm-up saw failures: ${JSON.stringify(warmup)}`);

  const before = await scrapeMetrics(base);
  const samples: { t: number; rssBytes: number }[] = [];
  const soakStart = Date.now();
  const sample = () => {
    const rss = residentBytes(server.pid!);
    if (rss !== null) samples.push({ t: Math.round((Date.now() - soakStart) / 100) / 10, rssBytes: rss });
  };
  sample();
  const sampler = setInterval(sample, 1000);
  let result: LoadResult;
  try {
    result = await runLoadProcess({ url, bodies, durationSeconds: soakSeconds, connections: best.connections, overallRate: rate }, workDir, 'soak');
  } finally {
    clearInterval(sampler);
  }
  sample();
  const after = await scrapeMetrics(base);
  if (samples.length === 0) {
    // No /proc (not Linux): the server's own process_resident_memory_bytes, at both ends only.
    samples.push({ t: 0, rssBytes: before.rssBytes }, { t: soakSeconds, rssBytes: after.rssBytes });
  }

  const startRss = samples[0].rssBytes;
  const endRss = samples[samples.length - 1].rssBytes;
  const peakRss = Math.max(...samples.map((s) => s.rssBytes));
  const percent = (from: number, to: number) => Math.round(((to - from) / from) * 10000) / 100;
  const growthPct = percent(startRss, endRss);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const floor = (part: typeof samples) => Math.min(...part.map((s) => s.rssBytes));
  const floorStart = floor(samples.slice(0, third));
  const floorEnd = floor(samples.slice(-third));
  const floorGrowthPct = percent(floorStart, floorEnd);
  const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const pass = loadFailures(result) === 0 && floorGrowthPct <= MAX_RSS_GROWTH_PCT;
  const report = {
    benchmark: 'soak: the embedded gateway at its saturation rate over the canonical operations',
    date: startedAt.toISOString(),
    git: gitCommit(),
    machine: machine(),
    settings: {
      soakSeconds,
      warmupSeconds,
      rampSeconds,
      maxConnections,
      requestBodies: bodies.length,
      operations: [...new Set(requests.map((r) => r.operationName))],
      server: 'node dist/src/cli/index.js serve (one process, FUSION_SCORING_PREWARM=0)',
      loadGenerator: 'autocannon 8 in a separate process (dist/bench/load.js), overallRate = the saturation rate',
      rss: 'VmRSS of /proc/<server pid>/status every second; start = first sample of the soak (after the ramp and the warm-up)',
    },
    ramp,
    rate: { targetRps: rate, connections: best.connections, achievedRps: result.rps },
    requests: result.requests,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors: result.graphqlErrors,
    latencyMs: result.latencyMs,
    rss: {
      startMiB: mib(startRss),
      peakMiB: mib(peakRss),
      endMiB: mib(endRss),
      growthPct,
      floorFirstThirdMiB: mib(floorStart),
      floorLastThirdMiB: mib(floorEnd),
      floorGrowthPct,
      limitPct: MAX_RSS_GROWTH_PCT,
      samples: samples.map((s) => [s.t, mib(s.rssBytes)]),
    },
    serverMetrics: { operations: after.operations - before.operations, graphqlErrors: after.errors - before.errors },
    pass,
  };
  const out = process.env.SOAK_OUT
    ? path.resolve(process.env.SOAK_OUT)
    : path.join(ROOT, 'bench', 'results', `soak-${startedAt.toISOString().slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `Soak ${soakSeconds} s at ${rate} req/s: ${result.requests} requests (${result.rps} req/s), errors ${result.errors + result.timeouts}, non-2xx ${result.non2xx}, ` +
      `GraphQL errors ${result.graphqlErrors}, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms; ` +
      `RSS ${report.rss.startMiB} → ${report.rss.endMiB} MiB (peak ${report.rss.peakMiB}, ${growthPct >= 0 ? '+' : ''}${growthPct} %), ` +
      `floor ${report.rss.floorFirstThirdMiB} → ${report.rss.floorLastThirdMiB} MiB (${floorGrowthPct >= 0 ? '+' : ''}${floorGrowthPct} %)`,
  );
  console.log(`${pass ? 'PASS' : 'FAIL'} (0 errors, RSS floor growth ≤ ${MAX_RSS_GROWTH_PCT} %); wrote ${path.relative(ROOT, out)}`);
  if (!pass) process.exitCode = 1;
}

stopChildrenOnExit();

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(() => stopChildren());
