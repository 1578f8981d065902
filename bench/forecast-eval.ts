/**
 * Rolling-origin backtest of the demand forecast (src/scoring/forecast, models/demand_forecast): the
 * weekly sales cut at each origin of the plan (backtest.ts: validation origins 2018-01-01 … 02-26,
 * test origins 2018-04-23 … 06-18, every 2 weeks, 1..8 weeks ahead), every product and category with
 * enough recent orders, forecast by the served ONNX model (through the model registry, so the manifest
 * check applies) and by the baselines — seasonal naive (52 weeks back) and moving averages of 4 and 13
 * weeks. MAPE (weeks with orders), sMAPE, MASE and MAE per kind, split and method; the 80 % interval's
 * coverage and width; MASE per horizon. Writes bench/results/forecast-<date>.json (BENCH_OUT).
 * Run: npm run bench:forecast (seeded ./data needed).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  backtestSales,
  backtestSeries,
  BACKTEST_PLAN,
  calibrated,
  FORECAST_FEATURES,
  FORECAST_MODEL,
  forecastCalibration,
  forecastMetrics,
  loadModel,
  MAX_HORIZON,
  scanModels,
  weekLabel,
  type BacktestSeries,
  type ForecastPoint,
} from '../src/scoring';
import { loadSnapshot } from '../src/scoring/features';
import { configFromEnv, PROJECT_ROOT } from '../src/shared';
import { openEmbeddedSources } from '../src/sources';

const METHODS = ['model', 'modelMean', 'seasonalNaive', 'movingAverage4', 'movingAverage13'] as const;
type Method = (typeof METHODS)[number];

async function main(): Promise<void> {
  const modelsDir = process.env.FUSION_MODELS_DIR ?? path.join(PROJECT_ROOT, 'models');
  const model = await loadModel(modelsDir, FORECAST_MODEL, scanModels(modelsDir).get(FORECAST_MODEL) ?? [], { providers: ['cpu'] });
  if (!model.session) throw new Error(`demand_forecast unavailable: ${model.error}`);
  const calibration = forecastCalibration(model.config);

  const started = performance.now();
  const sources = await openEmbeddedSources(configFromEnv().dataDir);
  const snap = await loadSnapshot(sources);
  await sources.close();
  const sales = backtestSales(snap);
  const series: BacktestSeries[] = [...backtestSeries(sales, ['val', 'test'])];
  const width = FORECAST_FEATURES.length;
  const n = series.reduce((s, x) => s + x.horizons, 0);
  const rows = new Float32Array(n * width);
  let offset = 0;
  for (const s of series) {
    rows.set(s.rows, offset * width);
    offset += s.horizons;
  }
  const runStarted = performance.now();
  const expected = await model.session.run(rows, n);
  const runMs = performance.now() - runStarted;

  type Cell = Record<Method, ForecastPoint[]>;
  const cells = new Map<string, Cell>();
  const byHorizon = new Map<string, Record<Method, ForecastPoint[]>>();
  const cell = (map: Map<string, Cell>, key: string) => {
    let c = map.get(key);
    if (!c) map.set(key, (c = Object.fromEntries(METHODS.map((m) => [m, []])) as unknown as Cell));
    return c;
  };
  offset = 0;
  for (const s of series) {
    const group = `${s.kind}|${s.id}|${s.origin}`;
    for (let h = 1; h <= s.horizons; h++) {
      const mean = expected[offset + h - 1];
      const { median, low, high } = calibrated(mean, s.kind, h, calibration);
      const actual = s.actual[h - 1];
      const point = (forecast: number, extra = {}): ForecastPoint => ({ group, actual, forecast, scale: s.scale, ...extra });
      const forecasts: Record<Method, ForecastPoint | null> = {
        model: point(median, { low, high }),
        modelMean: point(mean),
        seasonalNaive: Number.isFinite(s.seasonalNaive[h - 1]) ? point(s.seasonalNaive[h - 1]) : null,
        movingAverage4: point(s.ma4),
        movingAverage13: point(s.ma13),
      };
      const key = `${s.split}|${s.kind}`;
      const c = cell(cells, key);
      const hc = cell(byHorizon, `${key}|${h}`);
      for (const m of METHODS) {
        const p = forecasts[m];
        if (p) {
          c[m].push(p);
          hc[m].push(p);
        }
      }
    }
    offset += s.horizons;
  }

  const splits = Object.fromEntries(
    (['val', 'test'] as const).map((split) => [
      split,
      Object.fromEntries(
        (['PRODUCT', 'CATEGORY'] as const).map((kind) => {
          const c = cells.get(`${split}|${kind}`)!;
          const perHorizon = Array.from({ length: MAX_HORIZON }, (_, i) => {
            const hc = byHorizon.get(`${split}|${kind}|${i + 1}`);
            if (!hc) return null;
            return {
              horizon: i + 1,
              ...Object.fromEntries(METHODS.map((m) => [`${m}Mase`, forecastMetrics(hc[m]).mase])),
              modelCoverage: forecastMetrics(hc.model).coverage,
            };
          }).filter((x) => x !== null);
          return [kind.toLowerCase(), { ...Object.fromEntries(METHODS.map((m) => [m, forecastMetrics(c[m])])), perHorizon }];
        }),
      ),
    ]),
  );

  const result = {
    date: new Date().toISOString(),
    model: `${FORECAST_MODEL}/${model.version}`,
    plan: {
      val: BACKTEST_PLAN.origins.val.map(weekLabel),
      test: BACKTEST_PLAN.origins.test.map(weekLabel),
      targetsBefore: { val: weekLabel(BACKTEST_PLAN.targetEnd.val), test: weekLabel(BACKTEST_PLAN.targetEnd.test) },
      horizons: '1..8 weeks',
      eligibility: 'at least 6 orders in the 13 weeks before the origin',
    },
    notes: {
      model: 'calibrated median of the Poisson model, in whole orders (ForecastWeek.median); modelMean: its expected orders',
      mape: 'over weeks with at least one order (undefined at zero)',
      smape: '2|y-f|/(|y|+|f|), 0 when both are 0',
      mase: "per series-origin MAE over its horizons / mean absolute one-week change of the series' last 52 weeks before the origin; mean over series-origins",
      interval: `${calibration.level * 100} % interval from validation quantiles of log((y+1)/(expected+1)) per kind and horizon; coverage = share of weeks with low <= y <= high`,
    },
    seriesOrigins: { val: series.filter((s) => s.split === 'val').length, test: series.filter((s) => s.split === 'test').length },
    rows: n,
    runMs: Math.round(runMs),
    totalMs: Math.round(performance.now() - started),
    ...splits,
  };
  const out = process.env.BENCH_OUT ?? path.join(PROJECT_ROOT, 'bench', 'results', `forecast-${result.date.slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.log(`wrote ${out}`);
  await model.session.release();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
