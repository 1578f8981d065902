/**
 * RFM scores 1..5 over the persons known at the as-of time. Each measure's quintile cut points
 * (20th, 40th, 60th, 80th percentile, nearest-rank) are taken over every person with a bought order;
 * a score is 1 + the number of cut points the value is above (recency: below — recent is better).
 * Ties stay together, so a measure most persons share (Olist: 97 % have one order) uses few scores:
 * one order scores F1, any repeat buyer F5.
 */
import type { PersonBehaviour } from './behaviour';

export interface RfmScores {
  recency: number;
  frequency: number;
  monetary: number;
}

export interface RfmCuts {
  recencyDays: number[];
  orders: number[];
  spend: number[];
}

/** Nearest-rank percentiles 20/40/60/80 of `values`. */
export function quintileCuts(values: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return [];
  return [0.2, 0.4, 0.6, 0.8].map((p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]);
}

export function rfmCuts(behaviours: Iterable<PersonBehaviour>): RfmCuts {
  const all = [...behaviours];
  return {
    recencyDays: quintileCuts(all.map((b) => b.recencyDays)),
    orders: quintileCuts(all.map((b) => b.orders)),
    spend: quintileCuts(all.map((b) => b.spend)),
  };
}

const above = (value: number, cuts: readonly number[]) => cuts.filter((c) => value > c).length;

export function rfmScores(b: PersonBehaviour, cuts: RfmCuts): RfmScores {
  return {
    recency: 5 - above(b.recencyDays, cuts.recencyDays),
    frequency: 1 + above(b.orders, cuts.orders),
    monetary: 1 + above(b.spend, cuts.spend),
  };
}

/** "R5F1M3". */
export function rfmCode(s: RfmScores): string {
  return `R${s.recency}F${s.frequency}M${s.monetary}`;
}
