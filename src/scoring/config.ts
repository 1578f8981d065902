import path from 'node:path';
import { PROJECT_ROOT } from '../shared/project-root';

/** Scoring settings, from the environment (see docs/gpu.md and the README's configuration table). */
export interface ScoringConfig {
  /** The model repository: models/<name>/<version>/{model.onnx,config.json} (FUSION_MODELS_DIR, default <repo>/models). */
  modelsDir: string;
  /** Execution providers to try, in order (the first that loads is used; cpu is the last resort). */
  executionProviders: string[];
  /** Rows per session.run at most (a micro-batch is flushed when it reaches this). */
  maxBatchSize: number;
  /** How long the micro-batcher waits for more rows before it runs a batch, ms (≤ 2). */
  maxWaitMs: number;
  /** session.run calls allowed in flight per model; further rows keep coalescing meanwhile. */
  maxConcurrentRuns: number;
  /** ORT threads per session (0: ORT's default). */
  intraOpNumThreads: number;
  /** Prediction time of the feature store (ISO date); default: just after the latest purchase in the data. */
  asOf: string | null;
}

export function parseExecutionProviders(text: string | undefined): string[] {
  const list = (text ?? 'cuda,cpu')
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p.length > 0);
  const unique = [...new Set(list)];
  return unique.length > 0 ? unique : ['cpu'];
}

function intFrom(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`Invalid ${name} "${value}": expected a number in ${min}..${max}`);
  return n;
}

export function scoringConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ScoringConfig {
  return {
    modelsDir: env.FUSION_MODELS_DIR ? path.resolve(env.FUSION_MODELS_DIR) : path.join(PROJECT_ROOT, 'models'),
    executionProviders: parseExecutionProviders(env.FUSION_EXECUTION_PROVIDERS),
    maxBatchSize: Math.floor(intFrom(env.FUSION_SCORING_MAX_BATCH, 2048, 'FUSION_SCORING_MAX_BATCH', 1, 10_000_000)),
    maxWaitMs: intFrom(env.FUSION_SCORING_MAX_WAIT_MS, 1, 'FUSION_SCORING_MAX_WAIT_MS', 0, 2),
    maxConcurrentRuns: Math.floor(intFrom(env.FUSION_SCORING_CONCURRENT_RUNS, 2, 'FUSION_SCORING_CONCURRENT_RUNS', 1, 64)),
    intraOpNumThreads: Math.floor(intFrom(env.FUSION_ORT_THREADS, 0, 'FUSION_ORT_THREADS', 0, 1024)),
    asOf: env.FUSION_SCORING_AS_OF ?? null,
  };
}
