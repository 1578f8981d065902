/**
 * Before/after for a change to the embedded gateway (`npm run bench:ab`): this checkout's `serve` (dist/)
 * against another build's (BENCH_AB_BASELINE: the dist/ folder of a checkout of the commit before the
 * change, built with `npx tsc -p tsconfig.build.json`), both on the same seeded stores, each a child
 * process pinned like bench/run.ts. Every request must be answered byte for byte the same by both before
 * anything is timed; then the two are loaded in turn (bench/interleave.ts: BENCH_ROUNDS rounds, the first
 * one alternating). Operations: BENCH_OPERATIONS (default orderDetail,customer360,productPage; names of
 * bench/workloads.ts). Writes bench/results/ab-<date>.json (BENCH_OUT) and prints after/before per operation.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, freePort, gitCommit, machine, post, ROOT, startChild, startNodeServer, runBenchMain, waitReady } from './harness';
import { runInterleaved } from './interleave';
import { buildWorkloads, operationText } from './workloads';

type Build = 'after' | 'before';

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`Invalid ${name}: ${process.env[name]}`);
  return value;
};

async function main(): Promise<void> {
  const baseline = process.env.BENCH_AB_BASELINE;
  const baselineCli = baseline ? path.resolve(baseline, 'src', 'cli', 'index.js') : '';
  if (!baseline || !fs.existsSync(baselineCli))
    throw new Error('Set BENCH_AB_BASELINE to the dist/ folder of the build to compare with (it must hold src/cli/index.js)');
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first`);
  const names = (process.env.BENCH_OPERATIONS ?? 'orderDetail,customer360,productPage').split(',').map((name) => name.trim());
  const durationSeconds = numberFromEnv('BENCH_DURATION', 10);
  const warmupSeconds = numberFromEnv('BENCH_WARMUP', 2);
  const connections = Math.max(1, Math.round(numberFromEnv('BENCH_CONNECTIONS', 10)));
  const rounds = Math.max(1, Math.round(numberFromEnv('BENCH_ROUNDS', 2)));
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-ab-'));
  console.log(`A/B: ${CLI} (after) vs ${baselineCli} (before); ${durationSeconds} s × ${rounds} rounds, ${connections} connections; logs in ${workDir}`);

  const ports: Record<Build, number> = { after: await freePort(), before: await freePort() };
  const after = startChild('after', ['serve', '--port', String(ports.after)], workDir);
  const before = startNodeServer('before', [baselineCli, 'serve', '--port', String(ports.before)], workDir);
  await Promise.all([waitReady('after', ports.after, after), waitReady('before', ports.before, before)]);
  const urls: Record<Build, string> = { after: `http://127.0.0.1:${ports.after}/graphql`, before: `http://127.0.0.1:${ports.before}/graphql` };

  // The ids are looked up on both servers, so that neither starts the timed runs with a history (caches, heap) the other lacks:
  // looked up on one only, an A/A run of one build against itself measured 0.79× on productPage.
  const [workloadsFound] = await Promise.all([buildWorkloads(urls.after), buildWorkloads(urls.before)]);
  const workloads = workloadsFound.filter((w) => names.includes(w.name));
  const operations = workloads.map((workload) => {
    const query = operationText(workload.file);
    const bodies = workload.variableSets.map((variables) => JSON.stringify({ query, variables }));
    return { name: workload.name, bodies: { after: bodies, before: bodies } };
  });
  for (const operation of operations) {
    for (const body of operation.bodies.after) {
      const [a, b] = await Promise.all([post(urls.after, body), post(urls.before, body)]);
      if (a.status !== 200 || a.text.includes('"errors":')) throw new Error(`${operation.name}: after answered ${a.status} ${a.text.slice(0, 300)}`);
      if (a.text !== b.text) throw new Error(`${operation.name}: before and after answer differently for ${body.slice(-160)}`);
    }
    console.log(`  ${operation.name}: ${operation.bodies.after.length} requests answered byte for byte the same`);
  }

  const loadAverageBefore = os.loadavg();
  const figures = await runInterleaved<Build>(operations, {
    servers: ['after', 'before'],
    urls,
    rounds,
    durationSeconds,
    warmupSeconds,
    connections,
    workDir,
    processIds: { after: after.pid!, before: before.pid! },
  });
  const summary = Object.fromEntries(
    Object.entries(figures).map(([name, f]) => [
      name,
      {
        afterRps: f.rps.after,
        beforeRps: f.rps.before,
        afterOverBefore: Math.round((f.rps.after / f.rps.before) * 100) / 100,
        cpuMsPerRequest: f.cpuMsPerRequest,
        beforeCpuOverAfterCpu: f.cpuMsPerRequest ? Math.round((f.cpuMsPerRequest.before / f.cpuMsPerRequest.after) * 100) / 100 : null,
        failures: f.failures,
      },
    ]),
  );
  const report = {
    benchmark: 'before/after: this build of the embedded gateway vs a baseline build, same stores, interleaved',
    date: startedAt.toISOString(),
    git: gitCommit(),
    baseline: path.resolve(baseline),
    machine: machine(),
    loadAverage: { before: loadAverageBefore, after: os.loadavg() },
    settings: { durationSeconds, warmupSeconds, connections, rounds, equality: 'every request byte for byte the same from both builds' },
    summary,
    runs: Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, f.runs])),
  };
  const out = process.env.BENCH_OUT
    ? path.resolve(process.env.BENCH_OUT)
    : path.join(ROOT, 'bench', 'results', `ab-${startedAt.toISOString().slice(0, 10)}.json`);
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log('');
  for (const [name, s] of Object.entries(summary))
    console.log(
      `${name.padEnd(12)} after ${s.afterRps} req/s, before ${s.beforeRps} req/s: ${s.afterOverBefore}×; ` +
        `server CPU per request after ${s.cpuMsPerRequest?.after} ms, before ${s.cpuMsPerRequest?.before} ms: ${s.beforeCpuOverAfterCpu}× less`,
    );
  console.log(`Wrote ${path.relative(ROOT, out)}`);
}

runBenchMain(main);
