/**
 * Forecast accuracy over backtest points (series × origin × horizon): MAPE over the points with
 * orders (undefined at zero), sMAPE (0 when forecast and actual are both 0), MASE (each series-origin's
 * MAE over its horizons divided by its scale, see maseScale; averaged over series-origins with a scale
 * above 0), and the interval coverage (share of points with low ≤ actual ≤ high).
 */
export interface ForecastPoint {
  /** Series and origin, e.g. "PRODUCT|id|2018-04-23": MASE is averaged per group. */
  group: string;
  actual: number;
  forecast: number;
  scale: number;
  low?: number;
  high?: number;
}

export interface ForecastMetrics {
  points: number;
  series: number;
  mape: number;
  smape: number;
  mase: number;
  mae: number;
  coverage?: number;
  meanIntervalWidth?: number;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export function forecastMetrics(points: readonly ForecastPoint[]): ForecastMetrics {
  let ape = 0;
  let apeN = 0;
  let sape = 0;
  let ae = 0;
  let covered = 0;
  let width = 0;
  let intervals = 0;
  const groups = new Map<string, { ae: number; n: number; scale: number }>();
  for (const p of points) {
    const error = Math.abs(p.actual - p.forecast);
    ae += error;
    if (p.actual > 0) {
      ape += error / p.actual;
      apeN++;
    }
    const denominator = Math.abs(p.actual) + Math.abs(p.forecast);
    sape += denominator === 0 ? 0 : (2 * error) / denominator;
    const g = groups.get(p.group) ?? { ae: 0, n: 0, scale: p.scale };
    g.ae += error;
    g.n++;
    groups.set(p.group, g);
    if (p.low !== undefined && p.high !== undefined) {
      intervals++;
      width += p.high - p.low;
      if (p.low <= p.actual && p.actual <= p.high) covered++;
    }
  }
  const scaled = [...groups.values()].filter((g) => g.scale > 0).map((g) => g.ae / g.n / g.scale);
  const n = points.length;
  return {
    points: n,
    series: groups.size,
    mape: round(apeN ? ape / apeN : Number.NaN),
    smape: round(n ? sape / n : Number.NaN),
    mase: round(scaled.length ? scaled.reduce((s, v) => s + v, 0) / scaled.length : Number.NaN),
    mae: round(n ? ae / n : Number.NaN),
    ...(intervals ? { coverage: round(covered / intervals), meanIntervalWidth: round(width / intervals) } : {}),
  };
}
