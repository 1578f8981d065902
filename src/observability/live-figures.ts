import { processMetrics } from './metrics';

/** What the /quality page shows of this process's traffic since it started (from the Prometheus metrics). */
export interface LiveFigures {
  uptimeSeconds: number;
  residentMemoryBytes: number;
  operations: { ok: number; partial: number; failed: number; total: number };
  errorsByCode: { code: string; count: number }[];
  /** Operation latency over every operation: cumulative counts per bucket upper bound (seconds), and quantiles estimated from them. */
  latency: { buckets: { le: number; count: number }[]; count: number; p50: number | null; p95: number | null; p99: number | null };
}

/** The figures, read from the process's registry (the numbers /metrics exposes). */
export async function liveFigures(): Promise<LiveFigures> {
  const metrics = processMetrics();
  const operations = { ok: 0, partial: 0, failed: 0, total: 0 };
  for (const { value, labels } of (await metrics.operations.get()).values) {
    const outcome = labels.outcome as keyof typeof operations;
    if (outcome in operations) operations[outcome] += value;
    operations.total += value;
  }
  const errors = new Map<string, number>();
  for (const { value, labels } of (await metrics.errors.get()).values) errors.set(String(labels.code), (errors.get(String(labels.code)) ?? 0) + value);

  const cumulative = new Map<number, number>();
  for (const { value, labels, metricName } of (await metrics.operationDuration.get()).values) {
    if (metricName !== 'fusion_graphql_operation_duration_seconds_bucket') continue;
    const bound = (labels as { le?: string | number }).le; // bucket series carry `le` beside the declared labels
    const le = bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound);
    cumulative.set(le, (cumulative.get(le) ?? 0) + value);
  }
  const buckets = [...cumulative].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count }));
  const count = buckets.at(-1)?.count ?? 0;
  return {
    uptimeSeconds: Math.round(process.uptime()),
    residentMemoryBytes: process.memoryUsage().rss,
    operations,
    errorsByCode: [...errors].map(([code, n]) => ({ code, count: n })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    latency: {
      buckets: buckets.filter((bucket) => Number.isFinite(bucket.le)),
      count,
      p50: quantile(buckets, count, 0.5),
      p95: quantile(buckets, count, 0.95),
      p99: quantile(buckets, count, 0.99),
    },
  };
}

/** Prometheus' histogram_quantile: linear interpolation inside the bucket that holds the rank; null without data. */
export function quantile(buckets: readonly { le: number; count: number }[], total: number, q: number): number | null {
  if (total === 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lowerBound; // beyond the largest finite bucket: its bound is the best estimate
      const inBucket = count - lowerCount;
      return inBucket === 0 ? le : lowerBound + ((le - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}
