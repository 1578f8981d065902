/**
 * The saturation rate of a server under a set of request bodies: closed-loop autocannon runs (bench/load.ts,
 * its own process) at 1, 2, 4, … connections, stopping once doubling the connections adds less than 5 %
 * throughput; the saturation rate is the highest throughput seen. Shared by bench/soak.ts and bench/run.ts.
 */
import { runLoadProcess } from './harness';
import type { LoadResult } from './load';

export interface RampStep {
  connections: number;
  rps: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export const loadFailures = (result: LoadResult) => result.errors + result.timeouts + result.non2xx + result.graphqlErrors;

export async function findSaturation(
  url: string,
  bodies: string[],
  workDir: string,
  options: { rampSeconds: number; maxConnections: number; label: string },
): Promise<{ ramp: RampStep[]; best: RampStep }> {
  const ramp: RampStep[] = [];
  let best: RampStep | null = null;
  for (let connections = 1; connections <= options.maxConnections; connections *= 2) {
    const result = await runLoadProcess({ url, bodies, durationSeconds: options.rampSeconds, connections }, workDir, `${options.label}-ramp-${connections}`);
    const step = { connections, rps: result.rps, p99Ms: result.latencyMs.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
    ramp.push(step);
    console.log(`  ramp ${String(connections).padStart(3)} connections: ${result.rps.toFixed(1).padStart(8)} req/s, p99 ${result.latencyMs.p99} ms`);
    if (loadFailures(result) > 0) throw new Error(`the ramp at ${connections} connections saw failures: ${JSON.stringify(step)}`);
    if (!best || step.rps > best.rps) best = step;
    if (ramp.length >= 2 && step.rps < ramp[ramp.length - 2].rps * 1.05) break;
  }
  return { ramp, best: best! };
}
