import type { OrderStatsColumn } from '../../sources';

/** What order statistics can be grouped and filtered by (docs/analytics.md defines each). */
export const ORDER_STATS_DIMENSIONS = [
  'PURCHASE_DAY',
  'PURCHASE_WEEK',
  'PURCHASE_MONTH',
  'ORDER_STATUS',
  'CUSTOMER_STATE',
  'SELLER_STATE',
  'PRODUCT_CATEGORY',
  'PRODUCT_CATEGORY_PT',
  'PAYMENT_TYPE',
  'SELLER',
] as const;

export type OrderStatsDimensionName = (typeof ORDER_STATS_DIMENSIONS)[number];

/**
 * Where each dimension lives: the order system's column (its own value, or the key another system
 * maps to the value) and, for keys, which system's mapping turns the key into the graph's value.
 */
export interface DimensionSource {
  column: OrderStatsColumn;
  /** Absent: the column is the value (status upper-cased, as Order.status shows it). */
  mappedBy?: 'crm-state' | 'catalog-seller-state' | 'catalog-category-en' | 'catalog-category-pt';
}

export const DIMENSION_SOURCES: Readonly<Record<OrderStatsDimensionName, DimensionSource>> = {
  PURCHASE_DAY: { column: 'purchaseDay' },
  PURCHASE_WEEK: { column: 'purchaseWeek' },
  PURCHASE_MONTH: { column: 'purchaseMonth' },
  ORDER_STATUS: { column: 'status' },
  CUSTOMER_STATE: { column: 'customerId', mappedBy: 'crm-state' },
  SELLER_STATE: { column: 'sellerId', mappedBy: 'catalog-seller-state' },
  PRODUCT_CATEGORY: { column: 'productId', mappedBy: 'catalog-category-en' },
  PRODUCT_CATEGORY_PT: { column: 'productId', mappedBy: 'catalog-category-pt' },
  PAYMENT_TYPE: { column: 'paymentType' },
  SELLER: { column: 'sellerId' },
};

/** Dimensions whose value is another system's: grouping by them groups by the key, then maps and re-aggregates. */
export function isFusedDimension(dimension: OrderStatsDimensionName): boolean {
  return DIMENSION_SOURCES[dimension].mappedBy !== undefined;
}

/** The payment types the order system records (Payment.type). */
export const PAYMENT_TYPES = ['credit_card', 'boleto', 'voucher', 'debit_card', 'not_defined'] as const;
