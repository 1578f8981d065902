/**
 * Profiles the embedded gateway under load (`npm run bench:profile`): `serve` from dist/ started with
 * `node --cpu-prof`, pinned like bench/run.ts, driven by autocannon (bench/load.ts, its own process) with
 * one canonical operation's requests (BENCH_PROFILE_OPERATION, default orderDetail; real ids from
 * bench/workloads.ts) for BENCH_DURATION seconds (20) after a warm-up (BENCH_WARMUP, 3), then stopped so
 * V8 writes the profile. Prints and writes (bench/results/profile-<operation>-<date>.json) the self time by
 * package and by function (bench/cpu-profile.ts); the .cpuprofile stays in the printed folder (open it in
 * Chrome DevTools or speedscope for the flame graph).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printSelfTimes, summariseProfile } from './cpu-profile';
import { CLI, freePort, gitCommit, machine, ROOT, runLoadProcess, startNodeServer, stopChildren, runBenchMain, waitReady } from './harness';
import { buildWorkloads, operationText } from './workloads';

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`Invalid ${name}: ${process.env[name]}`);
  return value;
};

async function main(): Promise<void> {
  const operation = process.env.BENCH_PROFILE_OPERATION ?? 'orderDetail';
  const durationSeconds = numberFromEnv('BENCH_DURATION', 20);
  const warmupSeconds = numberFromEnv('BENCH_WARMUP', 3);
  const connections = Math.max(1, Math.round(numberFromEnv('BENCH_CONNECTIONS', 10)));
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run bench:profile builds)`);
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-profile-'));
  const profileDir = path.join(workDir, 'profile');
  const port = await freePort();
  // The profile starts with the process: the measured run's window is taken from these times (±0.1 s).
  const spawnedAt = Date.now();
  const server = startNodeServer('embedded', ['--cpu-prof', '--cpu-prof-dir', profileDir, CLI, 'serve', '--port', String(port)], workDir);
  await waitReady('embedded', port, server);
  const url = `http://127.0.0.1:${port}/graphql`;
  const workload = (await buildWorkloads(url)).find((w) => w.name === operation);
  if (!workload) throw new Error(`No workload ${operation} (bench/workloads.ts)`);
  const query = operationText(workload.file);
  const bodies = workload.variableSets.map((variables) => JSON.stringify({ query, variables }));
  const loadAverageBefore = os.loadavg();
  if (warmupSeconds > 0) await runLoadProcess({ url, bodies, durationSeconds: warmupSeconds, connections }, workDir, 'warmup');
  console.log(`Profiling ${operation}: ${durationSeconds} s, ${connections} connections; profile in ${profileDir}`);
  const measuredFrom = Date.now() - spawnedAt;
  const load = await runLoadProcess({ url, bodies, durationSeconds, connections }, workDir, 'profiled');
  const measuredTo = Date.now() - spawnedAt;
  await stopChildren();
  // A profile of refusals (a rate limit, a missing token) would describe the refusal path, not the operation.
  const failed = load.errors + load.timeouts + load.non2xx + load.graphqlErrors;
  if (failed > 0)
    throw new Error(
      `${failed} of ${load.requests} profiled requests failed (non-2xx ${load.non2xx}, GraphQL errors ${load.graphqlErrors}): nothing to profile`,
    );
  const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`The server wrote no profile into ${profileDir} (see ${workDir}/embedded.log)`);
  const summary = summariseProfile(path.join(profileDir, file), 30, { fromMs: measuredFrom + 500, toMs: measuredTo - 500 });
  const report = {
    benchmark: `cpu profile of the embedded gateway under ${operation} load`,
    date: startedAt.toISOString(),
    git: gitCommit(),
    machine: machine(),
    loadAverage: { before: loadAverageBefore, after: os.loadavg() },
    settings: {
      operation,
      durationSeconds,
      warmupSeconds,
      connections,
      profile: path.join(profileDir, file),
      window: 'samples of the measured run only (its first and last 0.5 s left out): no start-up, no warm-up',
    },
    load,
    profile: summary,
  };
  const out = process.env.BENCH_OUT
    ? path.resolve(process.env.BENCH_OUT)
    : path.join(ROOT, 'bench', 'results', `profile-${operation}-${startedAt.toISOString().slice(0, 10)}.json`);
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`${load.rps} req/s under the profiler; busy ${summary.busyMs} ms, idle ${summary.idleMs} ms`);
  printSelfTimes('self time by package (% of busy time)', summary.byPackage);
  printSelfTimes('self time by function', summary.byFunction);
  console.log(`Wrote ${path.relative(ROOT, out)}`);
}

runBenchMain(main);
