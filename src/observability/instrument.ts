import { performance } from 'node:perf_hooks';
import { recordFinishedSpan, inSpan, tracingEnabled } from './tracing';
import { recordModelRun, recordSourceCall, type SourceCallObservation } from './metrics';

/**
 * The hooks the lower layers call: each records its metrics and, while tracing is on, its span under
 * the active one (so a model run or a source call nests under the resolver that caused it).
 */

/** Times one model run (session.run of a micro-batch): duration and rows by model, and a `model.run` span. */
export async function observeModelRun(model: string, rows: number, run: () => Promise<Float32Array>): Promise<Float32Array> {
  const started = performance.now();
  try {
    return tracingEnabled() ? await inSpan('model.run', { 'fusion.model': model, 'fusion.model.rows': rows }, run) : await run();
  } finally {
    recordModelRun(model, rows, (performance.now() - started) / 1000);
  }
}

/** One source call attempt as the source guard reports it (after the fact): metrics and a `source <name>.<method>` span. */
export function observeSourceCall(call: SourceCallObservation & { attempt?: number; error?: string }): void {
  recordSourceCall(call);
  if (!tracingEnabled()) return;
  recordFinishedSpan(
    `source ${call.source}.${call.operation}`,
    {
      'fusion.source': call.source,
      'fusion.source.operation': call.operation,
      'fusion.source.outcome': call.outcome,
      'fusion.source.attempt': call.attempt ?? 1,
    },
    call.durationMs,
    call.outcome === 'ok' ? undefined : (call.error ?? call.outcome),
  );
}
