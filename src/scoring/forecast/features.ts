/**
 * The demand-forecast features, defined once for export (training) and serving: one row per
 * (series, origin, horizon). A row only reads the series' weeks before the origin (`history`), the
 * horizon and the calendar of the target week. The model predicts the expected orders of the target
 * week (a Poisson mean). No same-week-last-year features: the training origins (2017) have no year of
 * history behind them (Olist's 2016 is a few hundred test orders), so such weights cannot be learned and
 * came out wrong (see the model card); seasonal naive stays a baseline. The manifest hash (names, order, transforms, fills, descriptions) goes into
 * the model's config.json; a model trained on other features is not served.
 */
import crypto from 'node:crypto';
import type { FeatureSpec } from '../features';
import { weekStartMs, type ForecastKind } from './weekly';

export const FORECAST_MODEL = 'demand_forecast';
export const FORECAST_MANIFEST_VERSION = 1;
/** The longest horizon the model is trained and evaluated for, in weeks (Category/Product.demandForecast's `weeks` at most). */
export const MAX_HORIZON = 8;

export interface ForecastContext {
  /** Orders per week before the origin, oldest first; the last element is the week before the origin. */
  history: readonly number[];
  /** The origin's week number (history[history.length - 1] is week origin - 1). */
  origin: number;
  /** 1 = the origin's own week. */
  horizon: number;
  kind: ForecastKind;
}

const mean = (values: readonly number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : Number.NaN);
const lastWeeks = (ctx: ForecastContext, k: number) => ctx.history.slice(Math.max(ctx.history.length - k, 0));
/** Index (in history) of the first / last week with an order; -1 if none. */
const firstSale = (h: readonly number[]) => h.findIndex((v) => v > 0);
function lastSale(h: readonly number[]): number {
  for (let i = h.length - 1; i >= 0; i--) if (h[i] > 0) return i;
  return -1;
}
const logMa = (k: number) => (ctx: ForecastContext) => Math.log1p(mean(lastWeeks(ctx, k)));

/** Monday of the target week, local ms. */
const targetStart = (ctx: ForecastContext) => weekStartMs(ctx.origin + ctx.horizon - 1);
const dayOfYear = (ms: number) => (ms - Date.UTC(new Date(ms).getUTCFullYear(), 0, 1)) / 86_400_000;
/** Black Friday (Brazil: the Friday after the fourth Thursday of November) falls in the target week. */
function holdsBlackFriday(ms: number): boolean {
  const year = new Date(ms).getUTCFullYear();
  const nov1 = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const thanksgiving = 1 + ((4 - nov1 + 7) % 7) + 21;
  const friday = Date.UTC(year, 10, thanksgiving + 1);
  return friday >= ms && friday < ms + 7 * 86_400_000;
}

const numeric = (
  name: string,
  transform: FeatureSpec<ForecastContext>['transform'],
  fill: number,
  description: string,
  compute: (ctx: ForecastContext) => number,
): FeatureSpec<ForecastContext> => ({ name, source: 'orders', kind: 'numeric', transform, fill, description, compute });

export const FORECAST_FEATURES: readonly FeatureSpec<ForecastContext>[] = [
  numeric('f_log_last_week', 'log1p', 0, 'orders in the week before the origin', (ctx) => Math.log1p(ctx.history.at(-1) ?? Number.NaN)),
  numeric('f_log_ma4', 'log1p', 0, 'mean weekly orders over the last 4 weeks', logMa(4)),
  numeric('f_log_ma8', 'log1p', 0, 'mean weekly orders over the last 8 weeks', logMa(8)),
  numeric('f_log_ma13', 'log1p', 0, 'mean weekly orders over the last 13 weeks', logMa(13)),
  numeric('f_log_ma26', 'log1p', 0, 'mean weekly orders over the last 26 weeks', logMa(26)),
  numeric('f_log_ma52', 'log1p', 0, 'mean weekly orders over the last 52 weeks (fewer when the data is younger)', logMa(52)),
  numeric('f_zero_share13', 'rate', 1, 'share of the last 13 weeks without an order', (ctx) => mean(lastWeeks(ctx, 13).map((v) => (v === 0 ? 1 : 0)))),
  numeric('f_log_weeks_since_order', 'log1p', 5, 'weeks since the last week with an order', (ctx) => {
    const last = lastSale(ctx.history);
    return last < 0 ? Number.NaN : Math.log1p(ctx.history.length - 1 - last);
  }),
  numeric('f_log_age_weeks', 'log1p', 0, 'weeks since the first week with an order', (ctx) => {
    const first = firstSale(ctx.history);
    return first < 0 ? Number.NaN : Math.log1p(ctx.history.length - first);
  }),
  numeric('f_horizon', 'identity', 1, 'weeks ahead (1 = the origin week)', (ctx) => ctx.horizon),
  numeric('f_woy_sin', 'identity', 0, 'sine of the target week’s position in the year', (ctx) =>
    Math.sin((2 * Math.PI * dayOfYear(targetStart(ctx))) / 365.25),
  ),
  numeric('f_woy_cos', 'identity', 0, 'cosine of the target week’s position in the year', (ctx) =>
    Math.cos((2 * Math.PI * dayOfYear(targetStart(ctx))) / 365.25),
  ),
  numeric('f_black_friday', 'identity', 0, '1 when Black Friday falls in the target week', (ctx) => (holdsBlackFriday(targetStart(ctx)) ? 1 : 0)),
  numeric('f_is_category', 'identity', 0, '1 for a category series, 0 for a product', (ctx) => (ctx.kind === 'CATEGORY' ? 1 : 0)),
];

export const FORECAST_FEATURE_NAMES: readonly string[] = FORECAST_FEATURES.map((f) => f.name);

/** SHA-256 over the manifest version and every feature's definition (not its code), in order. */
export function forecastManifest(): { version: number; hash: string; features: { name: string; transform: string; fill: number; description: string }[] } {
  const features = FORECAST_FEATURES.map(({ name, source, kind, transform, fill, description }) => ({ name, source, kind, transform, fill, description }));
  const hash = crypto
    .createHash('sha256')
    .update(JSON.stringify({ version: FORECAST_MANIFEST_VERSION, task: FORECAST_MODEL, features }))
    .digest('hex');
  return { version: FORECAST_MANIFEST_VERSION, hash, features };
}

/** Rows for horizons 1..weeks of one series at its origin, appended to `out` at `offset` (row-major). */
export function writeForecastRows(ctx: Omit<ForecastContext, 'horizon'>, weeks: number, out: Float32Array, offset: number): void {
  const width = FORECAST_FEATURES.length;
  for (let h = 1; h <= weeks; h++) {
    const row = { ...ctx, horizon: h };
    for (let j = 0; j < width; j++) {
      const value = FORECAST_FEATURES[j].compute(row);
      out[offset + (h - 1) * width + j] = Number.isFinite(value) ? value : FORECAST_FEATURES[j].fill;
    }
  }
}
