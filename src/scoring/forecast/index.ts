/**
 * scoring/forecast: demand forecasts — expected orders per week, with an interval, for products and
 * categories with enough history (Category/Product.demandForecast). Owns
 *  - weekly.ts: the weekly sales series from the feature store's snapshot (local purchase weeks, bought
 *    orders, optionally one seller's lines), cut at the as-of time;
 *  - features.ts: the model's features (defined once for training and serving) and their manifest hash;
 *  - baselines.ts: seasonal naive and moving averages, the eligibility rule, the MASE scale;
 *  - metrics.ts: MAPE, sMAPE, MASE and interval coverage over backtest points;
 *  - backtest.ts: the rolling-origin plan (train / validation / test origins) shared by export and bench;
 *  - export.ts: the training set for training/forecast.py;
 *  - forecaster.ts: series → feature rows → the ONNX model's expected orders → intervals from the
 *    validation residual quantiles in config.json;
 *  - loader.ts: the per-request DataLoader behind the fields (one model run per nesting level).
 * No GraphQL types here; src/subgraphs/scoring exposes it.
 */
export * from './weekly';
export * from './features';
export * from './baselines';
export * from './metrics';
export * from './backtest';
export * from './export';
export * from './forecaster';
export * from './loader';
