/**
 * The rolling-origin backtest plan shared by the training export and the evaluation bench: weekly
 * sales cut at each origin (only the weeks before it are history), every eligible series (enough
 * recent orders, see baselines.ts) forecast 1..MAX_HORIZON weeks ahead, with the baselines' forecasts
 * and the MASE scale beside the model's features.
 *  - train: origins every week 2017-04-03 … 2017-12-25, targets before 2018-01-01;
 *  - validation (interval calibration, choices): origins 2018-01-01 … 2018-02-26, every 2 weeks;
 *  - test (evaluated once): origins 2018-04-23 … 2018-06-18, every 2 weeks, targets up to 2018-08-12.
 * The data's last weeks (from 2018-08-20) are incomplete, so no target reaches them.
 */
import type { Snapshot } from '../features';
import { localMs } from '../features/time';
import { ineligibility, maseScale, movingAverage, seasonalNaive } from './baselines';
import { FORECAST_FEATURES, MAX_HORIZON, writeForecastRows } from './features';
import { weekLabel, weekOf, WeeklySales, type ForecastKind } from './weekly';

export type BacktestSplit = 'train' | 'val' | 'test';

const week = (date: string) => weekOf(localMs(`${date} 00:00:00`));
const every = (from: string, to: string, step: number) => {
  const out: number[] = [];
  for (let w = week(from); w <= week(to); w += step) out.push(w);
  return out;
};

export interface BacktestPlan {
  origins: Record<BacktestSplit, number[]>;
  /** Per split, the first week no target may reach. */
  targetEnd: Record<BacktestSplit, number>;
}

export const BACKTEST_PLAN: BacktestPlan = {
  origins: { train: every('2017-04-03', '2017-12-25', 1), val: every('2018-01-01', '2018-02-26', 2), test: every('2018-04-23', '2018-06-18', 2) },
  targetEnd: { train: week('2018-01-01'), val: week('2018-04-23'), test: week('2018-08-13') },
};

/** The data through this week (exclusive) is complete: the backtest's weekly sales are cut there. */
export const BACKTEST_DATA_END = '2018-08-20';

export interface BacktestSeries {
  split: BacktestSplit;
  kind: ForecastKind;
  id: string;
  origin: number;
  /** Horizons 1..rows.length / width. */
  horizons: number;
  /** Feature rows, row-major, one per horizon. */
  rows: Float32Array;
  actual: number[];
  seasonalNaive: number[];
  ma4: number;
  ma13: number;
  scale: number;
}

export function backtestSales(snap: Snapshot): WeeklySales {
  return WeeklySales.fromSnapshot(snap, localMs(`${BACKTEST_DATA_END} 00:00:00`));
}

/** Every eligible (series, origin) of the plan's splits, in split, origin, kind, id order. */
export function* backtestSeries(sales: WeeklySales, splits: readonly BacktestSplit[] = ['train', 'val', 'test']): Generator<BacktestSeries> {
  const width = FORECAST_FEATURES.length;
  for (const split of splits) {
    for (const origin of BACKTEST_PLAN.origins[split]) {
      const horizons = Math.min(MAX_HORIZON, BACKTEST_PLAN.targetEnd[split] - origin);
      if (horizons <= 0) continue;
      for (const kind of ['CATEGORY', 'PRODUCT'] as const) {
        for (const id of sales.ids(kind)) {
          const scope = { kind, id, sellerId: null };
          const all = sales.series(scope, origin + horizons);
          const history = all.slice(0, origin - sales.firstWeek);
          if (ineligibility(history, weekLabel(origin)) !== null) continue;
          const rows = new Float32Array(horizons * width);
          writeForecastRows({ history, origin, kind }, horizons, rows, 0);
          yield {
            split,
            kind,
            id,
            origin,
            horizons,
            rows,
            actual: all.slice(origin - sales.firstWeek),
            seasonalNaive: Array.from({ length: horizons }, (_, i) => seasonalNaive(history, i + 1)),
            ma4: movingAverage(history, 4),
            ma13: movingAverage(history, 13),
            scale: maseScale(history),
          };
        }
      }
    }
  }
}
