/**
 * Embedded gateway vs PostGraphile 4.14 on the same Olist data (`npm run bench:peers`; see bench/README.md).
 *
 *  1. PostGraphile comes from bench/peers/.deps (bench/peers/install.sh, run by the npm script; not a
 *     project dependency: it needs graphql 15 in its own tree);
 *  2. the dataset CSVs are loaded once into PostgreSQL (BENCH_PEERS_PG_URL, default FUSION_TEST_PG_URL or
 *     the local server; database BENCH_PEERS_DATABASE, default fusion_bench_peers; schema olist), shaped for
 *     PostGraphile (bench/peers/olist-postgres.ts);
 *  3. starts `serve` (embedded, on ./data or FUSION_DATA_DIR) and PostGraphile, each a child process pinned
 *     to the servers' CPU; PostGraphile's PostgreSQL backends are pinned to the same CPU before every
 *     measured run (the embedded gateway's SQLite runs inside its process), so both get one core;
 *  4. for order detail, customer 360 and product page (test/operations, real ids from bench/workloads.ts),
 *     checks that every request's two answers are equal in the plain shape of bench/peers/peer-operations.ts
 *     and records which fields were compared;
 *  5. autocannon (bench/load.ts, its own process, on the load CPU) drives each server in turn with the same
 *     duration and connections, BENCH_ROUNDS rounds, alternating which server goes first (bench/interleave.ts);
 *  6. prints the figures against the targets (order detail ≥ 1.0×; the other two reported) and writes
 *     bench/results/peers-<date>.json.
 *
 * Options (environment): BENCH_DURATION (10 s), BENCH_CONNECTIONS (10), BENCH_WARMUP (2 s), BENCH_ROUNDS (2),
 * BENCH_OUT, BENCH_PEERS_PG_URL, BENCH_PEERS_DATABASE.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { configFromEnv } from '../../src/shared';
import { CLI, freePort, gitCommit, machine, PINNING, post, ROOT, startChild, startNodeServer, runBenchMain, waitReady } from '../harness';
import { runInterleaved } from '../interleave';
import { printTargets, targetRow } from '../targets';
import { buildWorkloads, operationText } from '../workloads';
import { ensureOlistPostgres, PEER_SCHEMA } from './olist-postgres';
import { firstDifference, PEER_OPERATIONS, plain, type PeerOperation } from './peer-operations';

const POSTGRAPHILE_CLI = path.join(ROOT, 'bench', 'peers', '.deps', 'node_modules', 'postgraphile', 'cli.js');

type Server = 'embedded' | 'postgraphile';

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`Invalid ${name}: ${process.env[name]}`);
  return value;
};

interface Request {
  /** The gateway's body (test/operations) and the peer's (peer-operations.ts), same variables. */
  bodies: Record<Server, string>;
}

/** Both answers of every request, in the plain shape; throws at the first difference. Answers the compared paths. */
async function checkEqual(operation: PeerOperation, requests: Request[], urls: Record<Server, string>): Promise<string[]> {
  const compared = new Set<string>();
  for (const request of requests) {
    const [embedded, peer] = await Promise.all([post(urls.embedded, request.bodies.embedded), post(urls.postgraphile, request.bodies.postgraphile)]);
    for (const [server, answer] of [
      ['embedded', embedded],
      ['postgraphile', peer],
    ] as const) {
      if (answer.status !== 200 || answer.text.includes('"errors":'))
        throw new Error(`${operation.name}: ${server} answered ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    const gatewayRoot = operation.gatewayRoot((JSON.parse(embedded.text) as { data: Record<string, unknown> }).data);
    const peerRoot = operation.peerRoot((JSON.parse(peer.text) as { data: Record<string, unknown> }).data);
    if (gatewayRoot === null || gatewayRoot === undefined)
      throw new Error(`${operation.name}: the gateway found nothing for ${request.bodies.embedded.slice(-120)}`);
    const difference = firstDifference(plain(gatewayRoot, operation.notInDataset, compared), plain(peerRoot, [], new Set()));
    if (difference) throw new Error(`${operation.name}: the answers differ at ${difference} (request ${request.bodies.embedded.slice(-120)})`);
  }
  return [...compared].sort();
}

/** Pins PostgreSQL's backends serving `database` (PostGraphile's pool) to the servers' CPUs; answers their pids. */
async function pinBackends(adminUrl: string, database: string): Promise<number[]> {
  if (!PINNING) return [];
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    const pinned: number[] = [];
    for (const { pid } of rows) {
      try {
        execFileSync('/usr/bin/taskset', ['-p', '-c', PINNING.servers, String(pid)], { stdio: 'ignore' });
        pinned.push(pid);
      } catch {
        // a backend that ended meanwhile, or one this user may not pin (PostgreSQL on another host): left as it is
      }
    }
    return pinned;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const durationSeconds = numberFromEnv('BENCH_DURATION', 10);
  const connections = Math.max(1, Math.round(numberFromEnv('BENCH_CONNECTIONS', 10)));
  const warmupSeconds = numberFromEnv('BENCH_WARMUP', 2);
  const rounds = Math.max(1, Math.round(numberFromEnv('BENCH_ROUNDS', 2)));
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run bench:peers builds)`);
  if (!fs.existsSync(POSTGRAPHILE_CLI)) throw new Error(`${POSTGRAPHILE_CLI} is missing: run bench/peers/install.sh (npm run bench:peers does)`);
  const postgraphileVersion = (JSON.parse(fs.readFileSync(path.join(path.dirname(POSTGRAPHILE_CLI), 'package.json'), 'utf8')) as { version: string }).version;
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-peers-'));
  console.log(`Peers: ${durationSeconds} s per operation, server and round, ${connections} connections, ${rounds} rounds; logs in ${workDir}`);

  const adminUrl = process.env.BENCH_PEERS_PG_URL ?? process.env.FUSION_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const database = process.env.BENCH_PEERS_DATABASE ?? 'fusion_bench_peers';
  const { url: databaseUrl } = await ensureOlistPostgres(adminUrl, database, configFromEnv().datasetDir, (line) => console.log(line));

  const ports: Record<Server, number> = { embedded: await freePort(), postgraphile: await freePort() };
  const embedded = startChild('embedded', ['serve', '--port', String(ports.embedded)], workDir);
  const postgraphile = startNodeServer(
    'postgraphile',
    // Its production settings: no query log, no GraphiQL, no mutations (nothing here writes), simple lists beside connections.
    [
      POSTGRAPHILE_CLI,
      '-c',
      databaseUrl,
      '-s',
      PEER_SCHEMA,
      '-n',
      '127.0.0.1',
      '-p',
      String(ports.postgraphile),
      '--disable-query-log',
      '-b',
      '-M',
      '-N',
      '--simple-collections',
      'both',
    ],
    workDir,
    { NODE_ENV: 'production' },
  );
  await Promise.all([
    waitReady('embedded', ports.embedded, embedded),
    waitReady('postgraphile', ports.postgraphile, postgraphile, async (base) => {
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      return response.status === 200;
    }),
  ]);
  const urls: Record<Server, string> = {
    embedded: `http://127.0.0.1:${ports.embedded}/graphql`,
    postgraphile: `http://127.0.0.1:${ports.postgraphile}/graphql`,
  };
  console.log(`Ready: embedded ${urls.embedded}; PostGraphile ${postgraphileVersion} ${urls.postgraphile} on ${database}.${PEER_SCHEMA}`);

  const workloads = await buildWorkloads(urls.embedded);
  const operations = PEER_OPERATIONS.map((operation) => {
    const workload = workloads.find((w) => w.name === operation.name)!;
    const query = operationText(workload.file);
    const requests: Request[] = workload.variableSets.map((variables) => ({
      bodies: { embedded: JSON.stringify({ query, variables }), postgraphile: JSON.stringify({ query: operation.query, variables }) },
    }));
    return { operation, workload, requests };
  });
  const comparedFields: Record<string, string[]> = {};
  for (const { operation, requests } of operations) {
    comparedFields[operation.name] = await checkEqual(operation, requests, urls);
    console.log(`  ${operation.name}: ${requests.length} requests, answers equal on ${comparedFields[operation.name].length} fields`);
  }

  const loadAverageBefore = os.loadavg();
  const pinnedBackends = new Set<number>();
  const figures = await runInterleaved<Server>(
    operations.map(({ operation, requests }) => ({
      name: operation.name,
      bodies: { embedded: requests.map((r) => r.bodies.embedded), postgraphile: requests.map((r) => r.bodies.postgraphile) },
    })),
    {
      servers: ['embedded', 'postgraphile'],
      urls,
      rounds,
      durationSeconds,
      warmupSeconds,
      connections,
      workDir,
      beforeMeasuring: async (server) => {
        if (server === 'postgraphile') for (const pid of await pinBackends(adminUrl, database)) pinnedBackends.add(pid);
      },
    },
  );
  const summary = Object.fromEntries(
    Object.entries(figures).map(([name, f]) => [
      name,
      {
        embeddedRps: f.rps.embedded,
        postgraphileRps: f.rps.postgraphile,
        rpsRatio: Math.round((f.rps.embedded / f.rps.postgraphile) * 100) / 100,
        failures: f.failures,
      },
    ]),
  );
  const targets = PEER_OPERATIONS.map((operation) =>
    targetRow(`${operation.name}: embedded RPS / PostGraphile RPS`, summary[operation.name].rpsRatio, '×', operation.name === 'orderDetail' ? 1 : null, '>='),
  );
  const report = {
    benchmark: `peers: embedded gateway vs PostGraphile ${postgraphileVersion} on the same Olist data (PostgreSQL)`,
    date: startedAt.toISOString(),
    git: gitCommit(),
    machine: machine(),
    loadAverage: { before: loadAverageBefore, after: os.loadavg() },
    settings: {
      durationSeconds,
      warmupSeconds,
      connections,
      rounds,
      order: 'alternating: the server that goes first changes from one operation to the next and from one round to the next',
      loadGenerator: 'autocannon 8 in a separate process (dist/bench/load.js), pinned to the load CPU',
      embedded: 'node dist/src/cli/index.js serve (one process; SQLite stores in ./data or FUSION_DATA_DIR)',
      postgraphile: `postgraphile ${postgraphileVersion} (one process, NODE_ENV=production, --disable-query-log -b -M -N --simple-collections both) on PostgreSQL ${database}.${PEER_SCHEMA}`,
      postgresBackendsPinned: PINNING ? { cpus: PINNING.servers, pids: [...pinnedBackends].sort((a, b) => a - b) } : null,
    },
    equality: {
      rule: 'every request of the three operations answered by both, compared in the plain shape of bench/peers/peer-operations.ts',
      requests: Object.fromEntries(operations.map(({ operation, requests }) => [operation.name, requests.length])),
      comparedFields,
      notCompared: Object.fromEntries(
        PEER_OPERATIONS.map((operation) => [operation.name, ['cursors (each server its own encoding)', ...operation.notInDataset]]),
      ),
    },
    summary,
    targets,
    runs: Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, f.runs])),
  };
  const out = process.env.BENCH_OUT
    ? path.resolve(process.env.BENCH_OUT)
    : path.join(ROOT, 'bench', 'results', `peers-${startedAt.toISOString().slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log('');
  for (const [name, figures] of Object.entries(summary)) {
    console.log(
      `${name.padEnd(12)} embedded ${String(figures.embeddedRps).padStart(7)} req/s  PostGraphile ${String(figures.postgraphileRps).padStart(7)} req/s`,
    );
  }
  printTargets(targets);
  console.log(
    `Load average before ${loadAverageBefore.map((v) => v.toFixed(2)).join(' ')}, after ${report.loadAverage.after.map((v) => v.toFixed(2)).join(' ')}`,
  );
  console.log(`Wrote ${path.relative(ROOT, out)}`);
}

runBenchMain(main);
