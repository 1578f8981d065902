/**
 * Forecaster: the weekly sales at the scoring as-of time plus the model's calibration (config.json
 * `interval`), turning forecast requests into feature rows and the model's expected orders into
 * weeks with a median and an interval. Series without enough recent orders get no weeks and a reason.
 * The origin is the week holding the as-of time; its history ends the week before (complete weeks only).
 */
import type { Snapshot } from '../features';
import { ineligibility, recentOrders } from './baselines';
import { FORECAST_FEATURES, MAX_HORIZON, writeForecastRows } from './features';
import { weekLabel, WeeklySales, type ForecastKind, type SeriesScope } from './weekly';

/** Weeks of observed history shown with a forecast. */
export const HISTORY_WEEKS = 13;

export interface ForecastCalibration {
  level: number;
  /** Per kind, per horizon (index 0 = 1 week ahead): quantiles [low, median, high] of log((actual+1)/(expected+1)). */
  quantiles: Record<ForecastKind, [number, number, number][]>;
}

/** The calibration in a model's config.json; throws when it lacks one. */
export function forecastCalibration(config: Record<string, unknown> | null): ForecastCalibration {
  const interval = config?.interval as { level?: unknown; log_ratio_quantiles?: Record<string, unknown> } | undefined;
  const quantiles = interval?.log_ratio_quantiles;
  const valid = (list: unknown) =>
    Array.isArray(list) && list.length >= MAX_HORIZON && list.every((q) => Array.isArray(q) && q.length === 3 && q.every(Number.isFinite));
  if (typeof interval?.level !== 'number' || !valid(quantiles?.PRODUCT) || !valid(quantiles?.CATEGORY)) {
    throw new Error(`config.json has no interval calibration for ${MAX_HORIZON} weeks`);
  }
  return { level: interval.level, quantiles: quantiles as ForecastCalibration['quantiles'] };
}

/** The median (whole orders) and interval around the model's expected orders, `horizon` weeks ahead. */
export function calibrated(
  expected: number,
  kind: ForecastKind,
  horizon: number,
  calibration: ForecastCalibration,
): { median: number; low: number; high: number } {
  const [qLow, qMedian, qHigh] = calibration.quantiles[kind][horizon - 1];
  return {
    median: Math.round(Math.max(0, (expected + 1) * Math.exp(qMedian) - 1)),
    low: Math.max(0, (expected + 1) * Math.exp(qLow) - 1),
    high: (expected + 1) * Math.exp(qHigh) - 1,
  };
}

export interface ForecastRequest extends SeriesScope {
  weeks: number;
}

export interface ForecastWeek {
  weekStart: string;
  /** The model's expected orders (Poisson mean). */
  expected: number;
  /** The point forecast in whole orders (the calibrated median). */
  median: number;
  low: number;
  high: number;
}

export interface DemandForecastResult {
  kind: ForecastKind;
  id: string;
  /** Only the requesting seller's lines were counted. */
  sellerId: string | null;
  /** The series has any order before the origin (a partner's product it never sold: false). */
  known: boolean;
  /** Monday of the first forecast week (the week holding the as-of time). */
  origin: string;
  /** The last HISTORY_WEEKS complete weeks before the origin, oldest first. */
  history: { weekStart: string; orders: number }[];
  recentOrders: number;
  /** null when the series has too few recent orders (see reason). */
  weeks: ForecastWeek[] | null;
  reason: string | null;
  intervalLevel: number;
}

/** A request's planned rows: where its rows start in the batch, or no rows. */
export interface PlannedForecast {
  request: ForecastRequest;
  history: number[];
  offset: number | null;
}

export class Forecaster {
  constructor(
    readonly sales: WeeklySales,
    readonly calibration: ForecastCalibration,
  ) {}

  static fromSnapshot(snap: Snapshot, asOf: number, calibration: ForecastCalibration): Forecaster {
    return new Forecaster(WeeklySales.fromSnapshot(snap, asOf), calibration);
  }

  get originLabel(): string {
    return weekLabel(this.sales.originWeek);
  }

  /** The feature rows of every eligible request, in one array (row-major), and where each request's rows are. */
  plan(requests: readonly ForecastRequest[]): { rows: Float32Array; n: number; planned: PlannedForecast[] } {
    const width = FORECAST_FEATURES.length;
    const planned = requests.map((request) => {
      const history = this.sales.series(request);
      return { request, history, offset: ineligibility(history, this.originLabel) === null ? 0 : null } as PlannedForecast;
    });
    let n = 0;
    for (const p of planned) {
      if (p.offset === null) continue;
      p.offset = n;
      n += p.request.weeks;
    }
    const rows = new Float32Array(n * width);
    for (const p of planned) {
      if (p.offset !== null)
        writeForecastRows({ history: p.history, origin: this.sales.originWeek, kind: p.request.kind }, p.request.weeks, rows, p.offset * width);
    }
    return { rows, n, planned };
  }

  /** The answer to one planned request, given the model's expected orders for the whole batch. */
  answer(p: PlannedForecast, expected: Float32Array): DemandForecastResult {
    const { request, history } = p;
    const origin = this.sales.originWeek;
    const shown = history.slice(Math.max(history.length - HISTORY_WEEKS, 0));
    const result: DemandForecastResult = {
      kind: request.kind,
      id: request.id,
      sellerId: request.sellerId,
      known: this.sales.has(request),
      origin: this.originLabel,
      history: shown.map((orders, i) => ({ weekStart: weekLabel(origin - shown.length + i), orders })),
      recentOrders: recentOrders(history),
      weeks: null,
      reason: ineligibility(history, this.originLabel),
      intervalLevel: this.calibration.level,
    };
    if (p.offset === null) return result;
    result.weeks = Array.from({ length: request.weeks }, (_, i) => {
      const mean = expected[p.offset! + i];
      return { weekStart: weekLabel(origin + i), expected: mean, ...calibrated(mean, request.kind, i + 1, this.calibration) };
    });
    return result;
  }
}
