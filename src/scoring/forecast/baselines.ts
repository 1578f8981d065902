/**
 * The forecasts the model must beat, over the same history: seasonal naive (the same week a year
 * earlier: 52 weeks back) and moving averages (the mean of the last k weeks, flat over the horizon).
 * Also the eligibility rule: a series needs enough recent orders to be forecast at all.
 */

/** Orders needed in the 13 weeks before the origin for a forecast (about one every two weeks). */
export const MIN_RECENT_ORDERS = 6;
export const RECENT_WEEKS = 13;

/** The weekly orders of the same week a year before the target (NaN when the data does not reach back). */
export function seasonalNaive(history: readonly number[], horizon: number): number {
  const i = history.length + horizon - 1 - 52;
  return i >= 0 ? history[i] : Number.NaN;
}

/** Mean of the last k weeks of history (all of it when shorter). */
export function movingAverage(history: readonly number[], k: number): number {
  const last = history.slice(Math.max(history.length - k, 0));
  return last.length ? last.reduce((s, v) => s + v, 0) / last.length : Number.NaN;
}

/** Orders in the last RECENT_WEEKS weeks. */
export function recentOrders(history: readonly number[]): number {
  return history.slice(Math.max(history.length - RECENT_WEEKS, 0)).reduce((s, v) => s + v, 0);
}

/** Why a series cannot be forecast (null: it can). */
export function ineligibility(history: readonly number[], originLabel: string): string | null {
  const recent = recentOrders(history);
  if (recent >= MIN_RECENT_ORDERS) return null;
  if (!history.some((v) => v > 0)) return `no orders before ${originLabel}`;
  return `only ${recent} order${recent === 1 ? '' : 's'} in the ${RECENT_WEEKS} weeks before ${originLabel}; a forecast needs at least ${MIN_RECENT_ORDERS}`;
}

/**
 * The MASE scale of a series at an origin: the mean absolute one-week change over the last 52 weeks
 * of history (since its first order when younger). Non-seasonal naive, since the data holds under two years.
 */
export function maseScale(history: readonly number[]): number {
  const first = history.findIndex((v) => v > 0);
  const from = Math.max(first < 0 ? history.length : first, history.length - 52, 1);
  let sum = 0;
  let n = 0;
  for (let i = from; i < history.length; i++) {
    sum += Math.abs(history[i] - history[i - 1]);
    n++;
  }
  return n ? sum / n : Number.NaN;
}
