import type { GeolocationRecord } from '../sources';
import { cityNameRule, type DataFlag } from './rules';
import { sumCents } from './money';

/**
 * Conflict policies: where two sources give the same attribute, a declared policy picks the value
 * and says which source won. Each is listed (with its name) in the README's "Data fusion" section.
 */
export interface Resolved<T> {
  value: T;
  source: string;
  record: string;
  policy: string;
  /** The losing candidates, for provenance. */
  alternatives: { source: string; value: T }[];
  flag?: DataFlag;
}

/** The geography reference's city for a zip prefix: the most frequent cleaned spelling among its rows. */
export function geographyCity(rows: readonly GeolocationRecord[]): string | null {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const city = cityNameRule.apply(row.geolocation_city, { state: row.geolocation_state.toUpperCase() }).value;
    if (city !== null) counts.set(city, (counts.get(city) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [city, count] of counts) if (best === null || count > counts.get(best)!) best = city;
  return best;
}

export const CITY_POLICY = 'city.source_priority';

/**
 * City of a customer account or seller: the owning system (CRM or catalog) wins when its cleaned
 * text is a city; otherwise the geography reference for the zip prefix fills in.
 */
export function resolveCity(
  own: { source: string; record: string; city: string | null },
  zipPrefix: string | null,
  geographyRows: readonly GeolocationRecord[],
): Resolved<string | null> {
  const reference = geographyCity(geographyRows);
  const geography = { source: 'geography', record: `geolocation/${zipPrefix ?? '?'}`, value: reference };
  if (own.city !== null) {
    const disagree = reference !== null && reference !== own.city;
    return {
      value: own.city,
      source: own.source,
      record: own.record,
      policy: CITY_POLICY,
      alternatives: reference !== null ? [{ source: 'geography', value: reference }] : [],
      ...(disagree
        ? { flag: { rule: CITY_POLICY, field: 'city', message: `${own.source} says "${own.city}", geography says "${reference}" for ${zipPrefix}` } }
        : {}),
    };
  }
  return { value: reference, source: geography.source, record: geography.record, policy: CITY_POLICY, alternatives: [] };
}

export const ORDER_TOTAL_POLICY = 'order.total_from_payments';

/**
 * An order's total: what was paid when the order has payments (installment interest and vouchers
 * make it differ from the items); items plus freight otherwise. A difference over one cent is flagged.
 */
export function resolveOrderTotal(orderId: string, itemAmounts: number[], paymentValues: number[]): Resolved<number> {
  const fromItems = sumCents(itemAmounts);
  const fromPayments = sumCents(paymentValues);
  const hasPayments = paymentValues.length > 0;
  const mismatch = Math.round(Math.abs(fromItems - fromPayments) * 100) > 1;
  return {
    value: hasPayments ? fromPayments : fromItems,
    source: 'orders',
    record: hasPayments ? `order_payments/${orderId}` : `order_items/${orderId}`,
    policy: ORDER_TOTAL_POLICY,
    alternatives: [{ source: 'orders', value: hasPayments ? fromItems : fromPayments }],
    ...(mismatch
      ? {
          flag: {
            rule: ORDER_TOTAL_POLICY,
            field: 'total',
            message: hasPayments
              ? `payments ${fromPayments.toFixed(2)} differ from items + freight ${fromItems.toFixed(2)}`
              : `no payments; items + freight ${fromItems.toFixed(2)}`,
          },
        }
      : {}),
  };
}

/** The declared policies, described like the cleaning rules (for Query.fusionRules and the README). */
export const CONFLICT_POLICIES = [
  {
    name: CITY_POLICY,
    description:
      'City of a customer account or seller: the owning system (CRM, catalog) wins when its cleaned text is a city; ' +
      'otherwise the geography reference for the zip prefix (its most frequent cleaned spelling). A disagreement is flagged.',
    examples: [
      { input: 'CRM "sao paulo", geography "sao paulo"', output: 'sao paulo (crm)' },
      { input: 'catalog "04482255", geography "sao paulo"', output: 'sao paulo (geography)' },
    ],
  },
  {
    name: ORDER_TOTAL_POLICY,
    description:
      'Order.total: the sum of payments when the order has any (installment interest and vouchers make it differ), ' +
      'else items + freight. A difference over one cent between the two is flagged.',
    examples: [
      { input: 'items+freight 100.00, payments 107.50', output: '107.50 (flagged)' },
      { input: 'items+freight 100.00, no payments', output: '100.00 (flagged)' },
    ],
  },
] as const;
