/**
 * `features forecast-export`: the demand-forecast training set (one CSV row per series × origin ×
 * horizon of the backtest plan, with the baselines' forecasts and the MASE scale) and its manifest, for
 * training/forecast.py. Files: forecast.csv (split, kind, id, origin, horizon, actual, scale,
 * seasonal_naive, ma4, ma13, <features>) and forecast-manifest.json (hash, features, plan).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Snapshot } from '../features';
import { BACKTEST_DATA_END, BACKTEST_PLAN, backtestSales, backtestSeries } from './backtest';
import { FORECAST_FEATURE_NAMES, forecastManifest, MAX_HORIZON } from './features';
import { weekLabel } from './weekly';

export function exportForecastSet(snap: Snapshot, outDir: string): { rows: number; series: number } {
  fs.mkdirSync(outDir, { recursive: true });
  const out = fs.openSync(path.join(outDir, 'forecast.csv'), 'w');
  const width = FORECAST_FEATURE_NAMES.length;
  fs.writeSync(
    out,
    ['split', 'kind', 'id', 'origin', 'horizon', 'actual', 'scale', 'seasonal_naive', 'ma4', 'ma13', ...FORECAST_FEATURE_NAMES].join(',') + '\n',
  );
  let rows = 0;
  let series = 0;
  for (const s of backtestSeries(backtestSales(snap))) {
    series++;
    const lines: string[] = [];
    for (let h = 1; h <= s.horizons; h++) {
      const features = Array.from(s.rows.subarray((h - 1) * width, h * width), (v) => String(v));
      lines.push([s.split, s.kind, s.id, weekLabel(s.origin), h, s.actual[h - 1], s.scale, s.seasonalNaive[h - 1], s.ma4, s.ma13, ...features].join(','));
      rows++;
    }
    fs.writeSync(out, lines.join('\n') + '\n');
  }
  fs.closeSync(out);
  const plan = Object.fromEntries(
    Object.entries(BACKTEST_PLAN.origins).map(([split, origins]) => [
      split,
      { origins: origins.map(weekLabel), targetsBefore: weekLabel(BACKTEST_PLAN.targetEnd[split as keyof typeof BACKTEST_PLAN.targetEnd]) },
    ]),
  );
  fs.writeFileSync(
    path.join(outDir, 'forecast-manifest.json'),
    JSON.stringify({ ...forecastManifest(), maxHorizon: MAX_HORIZON, dataEnd: BACKTEST_DATA_END, plan }, null, 2),
  );
  return { rows, series };
}
