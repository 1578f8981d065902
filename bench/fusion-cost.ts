/**
 * What fusion costs a client (`node dist/bench/fusion-cost.js`, part of `npm run bench`): the canonical
 * order-detail operation with and without provenance and flags on every entity, against one embedded
 * gateway child process, load from a separate process, the two variants interleaved (A B A B) so
 * machine noise hits both. Writes bench/results/fusion-cost-<date>.json.
 *
 * Options (environment): BENCH_DURATION seconds per run (10), BENCH_CONNECTIONS (10), BENCH_ROUNDS (2).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, gitCommit, machine, queryData, ROOT, runLoadProcess, startChild, stopChildren, stopChildrenOnExit, waitReady } from './harness';
import type { LoadResult } from './load';

const TRACE = 'flags { rule field message } provenance { field source record rawValue rules policy }';

/** The canonical order detail, and the same with provenance and flags on the order and everything under it. */
function variants(): Record<'plain' | 'traced', string> {
  const plain = fs.readFileSync(path.join(ROOT, 'test', 'operations', 'order-detail.graphql'), 'utf8');
  const traced = plain
    .replace(/order\(id: \$id\) \{/, `order(id: $id) {\n    total ${TRACE}`)
    .replace(/items \{/, `items {\n      ${TRACE}`)
    .replace(/payments \{/, `payments {\n      ${TRACE}`)
    .replace(/reviews \{/, `reviews {\n      ${TRACE}`)
    .replace(/seller \{/, `seller {\n        ${TRACE}`);
  if (traced === plain || traced.split('provenance').length !== 6) throw new Error('order-detail.graphql changed shape; update bench/fusion-cost.ts');
  return { plain, traced };
}

async function main(): Promise<void> {
  const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-cost-'));
  stopChildrenOnExit();
  try {
    const port = await freePort();
    const server = startChild('embedded', ['serve', '--port', String(port)], workDir);
    await waitReady('embedded', port, server);
    const url = `http://127.0.0.1:${port}/graphql`;
    const page = await queryData<{ orders: { edges: { node: { id: string } }[] } }>(
      url,
      'query($first: Int!) { orders(first: $first, status: DELIVERED) { edges { node { id } } } }',
      { first: 100 },
    );
    const ids = page.orders.edges.map((edge) => edge.node.id).filter((_, i) => i % 10 === 0);
    const queries = variants();
    const bodies = (query: string) => ids.map((id) => JSON.stringify({ query, variables: { id } }));
    for (const query of Object.values(queries)) await runLoadProcess({ url, bodies: bodies(query), durationSeconds: 2, connections }, workDir, 'warmup');

    const runs: Record<'plain' | 'traced', LoadResult[]> = { plain: [], traced: [] };
    for (let round = 0; round < rounds; round += 1) {
      for (const variant of ['plain', 'traced'] as const) {
        const result = await runLoadProcess({ url, bodies: bodies(queries[variant]), durationSeconds, connections }, workDir, `${variant}-${round}`);
        runs[variant].push(result);
        console.log(
          `${variant.padEnd(7)} round ${round + 1}: ${result.rps.toFixed(1)} RPS, p50 ${result.latencyMs.p50.toFixed(1)} ms, p95 ${result.latencyMs.p95.toFixed(1)} ms, errors ${result.errors + result.non2xx + result.graphqlErrors}`,
        );
      }
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const summary = (variant: 'plain' | 'traced') => ({
      rps: mean(runs[variant].map((r) => r.rps)),
      p50Ms: mean(runs[variant].map((r) => r.latencyMs.p50)),
      p95Ms: mean(runs[variant].map((r) => r.latencyMs.p95)),
      bytesPerResponse: mean(runs[variant].map((r) => r.bytesPerResponse)),
    });
    const plain = summary('plain');
    const traced = summary('traced');
    const result = {
      benchmark: 'fusion-cost',
      date: new Date().toISOString(),
      ...gitCommit(),
      machine: machine(),
      settings: { durationSeconds, connections, rounds, orderIds: ids.length },
      plain,
      traced,
      tracedOverPlain: { p50: traced.p50Ms / plain.p50Ms, rps: traced.rps / plain.rps },
      runs,
    };
    const out = path.join(ROOT, 'bench', 'results', `fusion-cost-${result.date.slice(0, 10)}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `\norder detail without provenance: ${plain.rps.toFixed(1)} RPS, p50 ${plain.p50Ms.toFixed(1)} ms\n` +
        `order detail with provenance and flags everywhere: ${traced.rps.toFixed(1)} RPS, p50 ${traced.p50Ms.toFixed(1)} ms\n` +
        `p50 ratio ${result.tracedOverPlain.p50.toFixed(2)}×, RPS ratio ${result.tracedOverPlain.rps.toFixed(2)}×  → ${path.relative(ROOT, out)}`,
    );
  } finally {
    await stopChildren();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
