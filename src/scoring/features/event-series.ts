/**
 * Time-stamped events per key with prefix sums, so "how many / how much before t, or within
 * [t - window, t)" is two binary searches. Every as-of aggregate of the feature code goes through
 * here, which is what keeps features free of the future: a query only sees events strictly before t.
 */
/**
 * Frozen events of every key, packed: key k's events are times[starts[k] .. starts[k+1]) (sorted), and
 * channel c's prefix sums are cums[c][starts[k] + k .. starts[k+1] + k] (one more entry than events,
 * starting at 0). A few typed arrays for all keys instead of two per key: smaller, and what a
 * persisted store writes and reads back as is.
 */
export interface PackedEvents {
  keys: string[];
  starts: Int32Array;
  times: Float64Array;
  cums: Float64Array[];
}

export class EventSeries {
  private pending: Map<string, number[]> | null = new Map();
  private readonly slots = new Map<string, number>();
  private packed: PackedEvents = { keys: [], starts: new Int32Array(1), times: new Float64Array(0), cums: [] };
  /** Events appended after freezing (live changes), per key: [time, ...values] flattened; read beside the packed ones. */
  private readonly live = new Map<string, number[]>();

  /** `channels`: how many values each event carries (e.g. [late, days]). */
  constructor(private readonly channels: number) {}

  /** A frozen series from packed events (a persisted store). */
  static restore(channels: number, packed: PackedEvents): EventSeries {
    if (packed.cums.length !== channels || packed.starts.length !== packed.keys.length + 1) throw new Error('packed events do not match the series');
    const series = new EventSeries(channels);
    series.pending = null;
    series.packed = packed;
    packed.keys.forEach((key, k) => series.slots.set(key, k));
    return series;
  }

  add(key: string, time: number, ...values: number[]): void {
    if (!Number.isFinite(time)) return;
    if (!this.pending) throw new Error('EventSeries is frozen');
    let list = this.pending.get(key);
    if (!list) this.pending.set(key, (list = []));
    list.push(time, ...values);
  }

  freeze(): this {
    if (!this.pending) return this;
    const width = 1 + this.channels;
    const keys = [...this.pending.keys()];
    const starts = new Int32Array(keys.length + 1);
    keys.forEach((key, k) => (starts[k + 1] = starts[k] + this.pending!.get(key)!.length / width));
    const total = starts[keys.length];
    const times = new Float64Array(total);
    const cums = Array.from({ length: this.channels }, () => new Float64Array(total + keys.length));
    keys.forEach((key, k) => {
      const flat = this.pending!.get(key)!;
      const n = flat.length / width;
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => flat[a * width] - flat[b * width]);
      const cumBase = starts[k] + k;
      order.forEach((src, i) => {
        times[starts[k] + i] = flat[src * width];
        for (let c = 0; c < this.channels; c++) cums[c][cumBase + i + 1] = cums[c][cumBase + i] + flat[src * width + 1 + c];
      });
      this.slots.set(key, k);
    });
    this.packed = { keys, starts, times, cums };
    this.pending = null;
    return this;
  }

  /** The frozen events, packed (what a persisted store writes). */
  pack(): PackedEvents {
    if (this.pending) throw new Error('EventSeries is not frozen');
    return this.packed;
  }

  /** Adds one event to a frozen series (a live change): queries see it at once, nothing is rebuilt. */
  append(key: string, time: number, ...values: number[]): void {
    if (!Number.isFinite(time)) return;
    if (this.pending) throw new Error('EventSeries is not frozen: use add');
    let list = this.live.get(key);
    if (!list) this.live.set(key, (list = []));
    list.push(time, ...values);
  }

  /** Events appended live (see append), for the live updater's figures. */
  get liveCount(): number {
    let n = 0;
    for (const list of this.live.values()) n += list.length / (1 + this.channels);
    return n;
  }

  private liveScan(key: string, from: number, to: number, channel: number): number {
    const list = this.live.get(key);
    if (!list) return 0;
    const width = 1 + this.channels;
    let total = 0;
    for (let i = 0; i < list.length; i += width) if (list[i] >= from && list[i] < to) total += channel < 0 ? 1 : list[i + 1 + channel];
    return total;
  }

  /** Number of events with from <= time < to. */
  count(key: string, from: number, to: number): number {
    return this.packedCount(key, from, to) + this.liveScan(key, from, to, -1);
  }

  private packedCount(key: string, from: number, to: number): number {
    const k = this.slots.get(key);
    if (k === undefined) return 0;
    const { starts, times } = this.packed;
    return lowerBound(times, to, starts[k], starts[k + 1]) - lowerBound(times, from, starts[k], starts[k + 1]);
  }

  /** Sum of channel `channel` over events with from <= time < to. */
  sum(key: string, channel: number, from: number, to: number): number {
    return this.packedSum(key, channel, from, to) + this.liveScan(key, from, to, channel);
  }

  private packedSum(key: string, channel: number, from: number, to: number): number {
    const k = this.slots.get(key);
    if (k === undefined) return 0;
    const { starts, times } = this.packed;
    const c = this.packed.cums[channel];
    // cums index of event position i (absolute) is i + k: the key's sums start one entry per earlier key later.
    return c[lowerBound(times, to, starts[k], starts[k + 1]) + k] - c[lowerBound(times, from, starts[k], starts[k + 1]) + k];
  }

  /** Time of the last event strictly before `to`, or NaN. */
  lastBefore(key: string, to: number): number {
    let last = Number.NaN;
    const k = this.slots.get(key);
    if (k !== undefined) {
      const { starts, times } = this.packed;
      const i = lowerBound(times, to, starts[k], starts[k + 1]);
      if (i > starts[k]) last = times[i - 1];
    }
    const list = this.live.get(key);
    if (list) for (let i = 0; i < list.length; i += 1 + this.channels) if (list[i] < to && !(list[i] <= last)) last = list[i];
    return last;
  }

  keys(): IterableIterator<string> {
    return new Set([...this.slots.keys(), ...this.live.keys()]).values();
  }
}

/** First index in [lo, hi) whose value is >= x (hi when none); the whole array by default. */
export function lowerBound(values: Float64Array | number[], x: number, lo = 0, hi = values.length): number {
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
