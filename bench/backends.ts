/**
 * Latency of the canonical operations (test/operations) over the two back-end configurations, in one run:
 *   embedded   — SQLite files + JSONL + CSV under FUSION_DATA_DIR (./data)
 *   production — the back-ends FUSION_CONFIG names (PostgreSQL, MariaDB, review service over HTTP, Redis)
 * Both gateways run in this process (scoring off); requests go one at a time over HTTP (closed loop, one
 * client), rotating over every canonical request, after a warm-up round; the production gateway is
 * measured with a warm entity cache and, separately, with the cache emptied before every round.
 * Writes bench/results/backends-<date>.json and prints p50/p95 per operation.
 *
 *   npm run build && FUSION_CONFIG=config/production.example.json node dist/bench/backends.js [--rounds 20]
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { canonicalRequests, postCanonical } from './canonical-set';
import { sourcesConfigFromEnv } from '../src/config/fusion-config';
import { startEmbeddedGateway, type RunningServer } from '../src/gateway';
import { configFromEnv, PROJECT_ROOT } from '../src/shared';
import { embeddedStorePaths, openEmbeddedSources, openSources, type Sources } from '../src/sources';
import { startReviewsService, type RunningReviewsService } from '../src/upstreams/reviews-service';

interface Series {
  p50: number;
  p95: number;
  mean: number;
  n: number;
}

function summarize(samples: number[]): Series {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { p50: round(at(0.5)), p95: round(at(0.95)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length), n: sorted.length };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '20' }, out: { type: 'string' } } });
  const rounds = Number(values.rounds);
  const config = sourcesConfigFromEnv();
  if (config.origin.kind !== 'file') throw new Error('Set FUSION_CONFIG to the production-like configuration (see docs/backends.md)');
  const dataDir = configFromEnv().dataDir;
  let reviewsService: RunningReviewsService | undefined;
  if (config.sources.reviews.kind === 'rest') {
    const up = await fetch(`${config.sources.reviews.baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (!up) {
      reviewsService = await startReviewsService({ file: embeddedStorePaths(dataDir).reviews, port: Number(new URL(config.sources.reviews.baseUrl).port) });
      console.log(`started the review service at ${reviewsService.url}`);
    }
  }
  const embeddedSources = await openEmbeddedSources(dataDir);
  const productionSources: Sources = await openSources(config);
  const servers: Record<'embedded' | 'production', RunningServer> = {
    embedded: await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources: embeddedSources, scoring: false }),
    production: await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources: productionSources, scoring: false }),
  };
  try {
    const requests = await canonicalRequests(embeddedSources);
    const url = (name: keyof typeof servers) => `http://127.0.0.1:${servers[name].port}/graphql`;
    // Same answers first: a benchmark of two different results would be meaningless.
    for (const request of requests) {
      const [one, two] = await Promise.all([postCanonical(url('embedded'), request), postCanonical(url('production'), request)]);
      if (one.text !== two.text || one.status !== 200 || one.text.includes('"errors"')) throw new Error(`Answers differ or fail for ${request.label}`);
    }
    const measure = async (name: keyof typeof servers, beforeRound?: () => Promise<void>) => {
      const byOperation = new Map<string, number[]>();
      const all: number[] = [];
      for (const request of requests) await postCanonical(url(name), request); // warm-up round
      for (let round = 0; round < rounds; round += 1) {
        await beforeRound?.();
        for (const request of requests) {
          const started = process.hrtime.bigint();
          const answer = await postCanonical(url(name), request);
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (answer.status !== 200) throw new Error(`${request.label}: HTTP ${answer.status}`);
          all.push(ms);
          const list = byOperation.get(request.operationName) ?? [];
          list.push(ms);
          byOperation.set(request.operationName, list);
        }
      }
      return { all: summarize(all), operations: Object.fromEntries([...byOperation].map(([op, samples]) => [op, summarize(samples)])) };
    };
    const cache = productionSources.cache;
    const results = {
      embedded: await measure('embedded'),
      productionWarmCache: await measure('production'),
      ...(cache ? { productionColdCache: await measure('production', async () => void (await cache.invalidate())) } : {}),
    };
    const stamp = new Date().toISOString();
    const out = values.out ?? path.join(PROJECT_ROOT, 'bench', 'results', `backends-${stamp.slice(0, 10)}.json`);
    const report = {
      benchmark: 'backends',
      date: stamp,
      method: `in-process gateways, one client, closed loop; ${rounds} rounds over ${requests.length} canonical requests (${new Set(requests.map((r) => r.operationName)).size} operations) after one warm-up round; latency = HTTP round trip in ms`,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
      backends: { embedded: embeddedSources.backends ?? 'sqlite + jsonl + csv (embedded default)', production: productionSources.backends },
      entityCache: cache?.stats(),
      results,
    };
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    const rows = Object.keys(results.embedded.operations);
    console.log(`${'operation'.padEnd(16)} ${'embedded p50/p95'.padStart(18)} ${'prod warm p50/p95'.padStart(19)} ${'prod cold p50/p95'.padStart(19)}`);
    const cell = (s?: Series) => (s ? `${s.p50.toFixed(2)}/${s.p95.toFixed(2)}`.padStart(18) : ''.padStart(18));
    for (const op of rows) {
      console.log(
        `${op.padEnd(16)} ${cell(results.embedded.operations[op])} ${cell(results.productionWarmCache.operations[op])} ${cell(results.productionColdCache?.operations[op])}`,
      );
    }
    console.log(`${'ALL'.padEnd(16)} ${cell(results.embedded.all)} ${cell(results.productionWarmCache.all)} ${cell(results.productionColdCache?.all)}`);
    console.log(`wrote ${path.relative(PROJECT_ROOT, out)}`);
  } finally {
    await servers.embedded.close();
    await servers.production.close();
    await embeddedSources.close();
    await productionSources.cache?.invalidate();
    await productionSources.close();
    await reviewsService?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
