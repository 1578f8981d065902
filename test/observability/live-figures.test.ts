/**
 * The /quality page's live figures: read back from the same registry /metrics exposes, so each recorded
 * operation and error shows up once, and the latency quantiles follow Prometheus' histogram_quantile.
 */
import { liveFigures, quantile, recordGraphQLErrors, recordOperation } from '../../src/observability';

describe('live figures', () => {
  test('count what was recorded since the last reading, by outcome and by error code', async () => {
    const before = await liveFigures();
    recordOperation('LiveFiguresTest', 'query', 'ok', 0.004);
    recordOperation('LiveFiguresTest', 'query', 'ok', 0.02);
    recordOperation('LiveFiguresTest', 'query', 'partial', 0.3);
    recordOperation('LiveFiguresTest', 'query', 'failed', 12);
    recordGraphQLErrors(['LIVE_FIGURES_TEST', 'LIVE_FIGURES_TEST', 'OTHER_LIVE_CODE']);
    const after = await liveFigures();

    expect({
      ok: after.operations.ok - before.operations.ok,
      partial: after.operations.partial - before.operations.partial,
      failed: after.operations.failed - before.operations.failed,
      total: after.operations.total - before.operations.total,
    }).toEqual({ ok: 2, partial: 1, failed: 1, total: 4 });
    const count = (figures: typeof after, code: string) => figures.errorsByCode.find((e) => e.code === code)?.count ?? 0;
    expect(count(after, 'LIVE_FIGURES_TEST') - count(before, 'LIVE_FIGURES_TEST')).toBe(2);
    expect(count(after, 'OTHER_LIVE_CODE') - count(before, 'OTHER_LIVE_CODE')).toBe(1);
    expect(after.latency.count - before.latency.count).toBe(4);
    // Buckets are cumulative, finite bounds only (the 12 s operation is counted in `count`, beyond the last bound).
    const bounds = after.latency.buckets.map((b) => b.le);
    expect(bounds).toEqual([...bounds].sort((a, b) => a - b));
    expect(bounds.every(Number.isFinite)).toBe(true);
    expect(after.latency.buckets.at(-1)!.count).toBeLessThan(after.latency.count);
    expect(after.residentMemoryBytes).toBeGreaterThan(0);
  });

  test('quantiles interpolate inside the bucket holding the rank, null without data', () => {
    const buckets = [
      { le: 0.01, count: 50 },
      { le: 0.1, count: 90 },
      { le: 1, count: 100 },
    ];
    expect(quantile(buckets, 100, 0.5)).toBeCloseTo(0.01);
    expect(quantile(buckets, 100, 0.7)).toBeCloseTo(0.01 + (0.09 * 20) / 40);
    expect(quantile(buckets, 100, 0.95)).toBeCloseTo(0.1 + (0.9 * 5) / 10);
    expect(quantile([...buckets, { le: Number.POSITIVE_INFINITY, count: 120 }], 120, 0.99)).toBe(1);
    expect(quantile([], 0, 0.5)).toBeNull();
  });
});
