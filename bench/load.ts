/**
 * The load generator, run by bench/run.ts as its own process (so it never competes with a server's
 * event loop): autocannon against one URL, rotating over several POST bodies, for a fixed duration.
 *
 * Input: the path of a JSON file { url, bodies, durationSeconds, connections }.
 * Output (stdout, one JSON line): requests, RPS, latency percentiles from every 2xx response time
 * (exact, from the samples: autocannon's own percentiles skip p95), errors, non-2xx, GraphQL errors.
 */
import fs from 'node:fs';

export interface LoadSpec {
  url: string;
  /** JSON request bodies, used in turn by every connection. */
  bodies: string[];
  durationSeconds: number;
  connections: number;
  /** Extra request headers (the credential). */
  headers?: Record<string, string>;
  /** Requests per second over all connections (autocannon's overallRate); absent: as fast as the connections go. */
  overallRate?: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  rps: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 2xx responses whose body carries a GraphQL `errors` entry. */
  graphqlErrors: number;
  bytesPerResponse: number;
}

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  setupRequest(request: Record<string, unknown>): Record<string, unknown>;
  onResponse(status: number, body: string): void;
}

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  throughput: { total: number };
}

interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): void;
}

type Autocannon = (
  options: { url: string; connections: number; duration: number; overallRate?: number; requests: AutocannonRequest[] },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

// autocannon ships no type declarations; the small surface used here is typed above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  let next = 0;
  let graphqlErrors = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: url.origin,
        connections: spec.connections,
        duration: spec.durationSeconds,
        ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
        requests: [
          {
            method: 'POST',
            path: url.pathname,
            headers: { 'content-type': 'application/json', ...spec.headers },
            setupRequest(request) {
              const body = spec.bodies[next++ % spec.bodies.length];
              return { ...request, body };
            },
            onResponse(status, body) {
              if (status >= 200 && status < 300 && body.includes('"errors":')) graphqlErrors++;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        const mean = latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length);
        resolve({
          requests: result.requests.total,
          durationSeconds: result.duration,
          rps: round(result.requests.total / result.duration),
          latencyMs: {
            mean: round(mean),
            p50: round(percentile(latencies, 50)),
            p95: round(percentile(latencies, 95)),
            p99: round(percentile(latencies, 99)),
            max: round(latencies[latencies.length - 1] ?? NaN),
          },
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          graphqlErrors,
          bytesPerResponse: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

if (require.main === module) {
  const specFile = process.argv[2];
  if (!specFile) {
    console.error('usage: node dist/bench/load.js <spec.json>');
    process.exit(2);
  }
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as LoadSpec;
  runLoad(spec).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
