/**
 * Time-stamped events per key with prefix sums, so "how many / how much before t, or within
 * [t - window, t)" is two binary searches. Every as-of aggregate of the feature code goes through
 * here, which is what keeps features free of the future: a query only sees events strictly before t.
 */
export class EventSeries {
  private readonly pending = new Map<string, number[]>();
  private readonly frozen = new Map<string, { times: Float64Array; cums: Float64Array[] }>();

  /** `channels`: how many values each event carries (e.g. [late, days]). */
  constructor(private readonly channels: number) {}

  add(key: string, time: number, ...values: number[]): void {
    if (!Number.isFinite(time)) return;
    let list = this.pending.get(key);
    if (!list) this.pending.set(key, (list = []));
    list.push(time, ...values);
  }

  freeze(): this {
    const width = 1 + this.channels;
    for (const [key, flat] of this.pending) {
      const n = flat.length / width;
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => flat[a * width] - flat[b * width]);
      const times = new Float64Array(n);
      const cums = Array.from({ length: this.channels }, () => new Float64Array(n + 1));
      order.forEach((src, i) => {
        times[i] = flat[src * width];
        for (let c = 0; c < this.channels; c++) cums[c][i + 1] = cums[c][i] + flat[src * width + 1 + c];
      });
      this.frozen.set(key, { times, cums });
    }
    this.pending.clear();
    return this;
  }

  /** Number of events with from <= time < to. */
  count(key: string, from: number, to: number): number {
    const s = this.frozen.get(key);
    if (!s) return 0;
    return lowerBound(s.times, to) - lowerBound(s.times, from);
  }

  /** Sum of channel `channel` over events with from <= time < to. */
  sum(key: string, channel: number, from: number, to: number): number {
    const s = this.frozen.get(key);
    if (!s) return 0;
    const c = s.cums[channel];
    return c[lowerBound(s.times, to)] - c[lowerBound(s.times, from)];
  }

  /** Time of the last event strictly before `to`, or NaN. */
  lastBefore(key: string, to: number): number {
    const s = this.frozen.get(key);
    if (!s) return Number.NaN;
    const i = lowerBound(s.times, to);
    return i === 0 ? Number.NaN : s.times[i - 1];
  }

  keys(): IterableIterator<string> {
    return this.frozen.keys();
  }
}

/** First index whose value is >= x. */
export function lowerBound(values: Float64Array | number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Smoothed rate: (hits + prior * weight) / (n + weight). */
export function smoothedRate(hits: number, n: number, prior: number, weight: number): number {
  return (hits + prior * weight) / (n + weight);
}

/**
 * Largest finite value, NaN (unknown) when there is none. `Math.max(...values, NaN)` is always NaN,
 * so a feature written that way silently answered its fill value for every row.
 */
export function maxOrNaN(values: readonly number[]): number {
  let best = Number.NaN;
  for (const v of values) if (Number.isFinite(v) && !(v <= best)) best = v;
  return best;
}
