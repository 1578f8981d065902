/**
 * Side-by-side load of several servers in one run: for every round and operation, each server in turn
 * (warm-up, then the measured run, autocannon in its own process), the server that goes first rotating
 * from one operation to the next and from one round to the next. Shared by bench/peers/peers.ts and
 * bench/ab.ts; RPS per operation and server = all requests of its rounds / all their seconds. Where the
 * servers' process ids are given, also the CPU time each server's process spent per request during its
 * measured runs: a steadier figure than RPS on a shared machine, where a run's throughput moves ±20 %
 * from round to round (the same build against itself included).
 */
import fs from 'node:fs';
import { runLoadProcess } from './harness';
import type { LoadResult } from './load';

export interface InterleavedOperation<S extends string> {
  name: string;
  /** Each server's request bodies for this operation (the same requests, in each server's language). */
  bodies: Record<S, string[]>;
}

export interface InterleaveOptions<S extends string> {
  servers: readonly S[];
  urls: Record<S, string>;
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  workDir: string;
  /** Called after a server's warm-up, right before its measured run. */
  beforeMeasuring?: (server: S) => Promise<void>;
  /** Each server's process id, for its CPU time per request (Linux /proc); absent: not measured. */
  processIds?: Record<S, number>;
}

export interface OperationFigures<S extends string> {
  rps: Record<S, number>;
  failures: Record<S, number>;
  runs: Record<S, LoadResult[]>;
  /** CPU milliseconds (user + system, all threads) each server spent per request in its measured runs. */
  cpuMsPerRequest?: Record<S, number>;
}

/** Clock ticks per second of /proc's CPU times: USER_HZ, 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** The process's CPU time so far in milliseconds (user + system, all its threads), from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

export async function runInterleaved<S extends string>(
  operations: readonly InterleavedOperation<S>[],
  options: InterleaveOptions<S>,
): Promise<Record<string, OperationFigures<S>>> {
  const { servers } = options;
  const runs: Record<string, Record<S, LoadResult[]>> = {};
  const cpuMs: Record<string, Record<S, number[]>> = {};
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, operation] of operations.entries()) {
      const order = servers.map((_, position) => servers[(position + index + round) % servers.length]);
      runs[operation.name] ??= Object.fromEntries(servers.map((server) => [server, []])) as unknown as Record<S, LoadResult[]>;
      cpuMs[operation.name] ??= Object.fromEntries(servers.map((server) => [server, []])) as unknown as Record<S, number[]>;
      for (const server of order) {
        const spec = (seconds: number) => ({
          url: options.urls[server],
          bodies: operation.bodies[server],
          durationSeconds: seconds,
          connections: options.connections,
        });
        if (options.warmupSeconds > 0) await runLoadProcess(spec(options.warmupSeconds), options.workDir, `${operation.name}-${server}-warmup`);
        await options.beforeMeasuring?.(server);
        const pid = options.processIds?.[server];
        const cpuBefore = pid === undefined ? 0 : processCpuMs(pid);
        const result = await runLoadProcess(spec(options.durationSeconds), options.workDir, `${operation.name}-${server}-${round}`);
        runs[operation.name][server].push(result);
        if (pid !== undefined) cpuMs[operation.name][server].push(processCpuMs(pid) - cpuBefore);
        console.log(
          `  round ${round + 1} ${operation.name.padEnd(12)} ${server.padEnd(12)} ${result.rps.toFixed(1).padStart(8)} req/s  p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms`,
        );
      }
    }
  }
  const figures: Record<string, OperationFigures<S>> = {};
  for (const [name, byServer] of Object.entries(runs)) {
    const perServer = <T>(value: (results: LoadResult[]) => T) =>
      Object.fromEntries(servers.map((server) => [server, value(byServer[server])])) as Record<S, T>;
    figures[name] = {
      rps: perServer((results) => Math.round((sum(results.map((r) => r.requests)) / sum(results.map((r) => r.durationSeconds))) * 10) / 10),
      failures: perServer((results) => sum(results.map((r) => r.errors + r.timeouts + r.non2xx + r.graphqlErrors))),
      runs: byServer,
      ...(options.processIds ? { cpuMsPerRequest: cpuPerRequest(servers, cpuMs[name], byServer) } : {}),
    };
  }
  return figures;
}

function cpuPerRequest<S extends string>(servers: readonly S[], cpuMs: Record<S, number[]>, runs: Record<S, LoadResult[]>): Record<S, number> {
  const perRequest = (server: S) => sum(cpuMs[server]) / sum(runs[server].map((r) => r.requests));
  return Object.fromEntries(servers.map((server) => [server, Math.round(perRequest(server) * 1000) / 1000])) as Record<S, number>;
}
