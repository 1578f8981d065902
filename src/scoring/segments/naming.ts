/**
 * A segment's name from its centroid, in words: the behaviour features furthest from the average
 * person (|z| ≥ 0.5, in standard deviations of the training persons), largest first, at most three,
 * each worded for its direction. A segment with none is "Typical one-time buyers".
 */
import type { SegmentFeatureName } from './behaviour';

const WORDS: Record<SegmentFeatureName, { high: string; low: string }> = {
  s_log_recency_days: { high: 'lapsed (last order long ago)', low: 'recent buyers' },
  s_log_orders: { high: 'repeat buyers', low: 'one-time buyers' },
  s_log_spend: { high: 'big spenders', low: 'small spenders' },
  s_mean_installments: { high: 'pay in many instalments', low: 'pay at once' },
  s_boleto_share: { high: 'pay by boleto', low: 'pay by card' },
  s_voucher_share: { high: 'pay with vouchers', low: 'no vouchers' },
  s_freight_share: { high: 'freight-heavy orders', low: 'low freight' },
  s_log_categories: { high: 'buy across categories', low: 'uncategorised products' },
};

export const NAME_THRESHOLD_Z = 0.5;
export const NAME_MAX_TRAITS = 3;

/** The traits of a centroid given in standard units (feature → z), most distinctive first. */
export function centroidTraits(centroidZ: Readonly<Record<string, number>>): string[] {
  return Object.entries(centroidZ)
    .filter(([name, z]) => name in WORDS && Math.abs(z) >= NAME_THRESHOLD_Z)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1))
    .slice(0, NAME_MAX_TRAITS)
    .map(([name, z]) => WORDS[name as SegmentFeatureName][z > 0 ? 'high' : 'low']);
}

export function segmentName(centroidZ: Readonly<Record<string, number>>): string {
  const traits = centroidTraits(centroidZ);
  if (traits.length === 0) return 'Typical one-time buyers';
  const text = traits.join(', ');
  return text[0].toUpperCase() + text.slice(1);
}
