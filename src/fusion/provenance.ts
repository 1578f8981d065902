import type { Resolved } from './conflicts';
import type { Traced } from './entities';

/** Where one field's value came from and what changed it on the way into the graph. */
export interface FieldProvenanceView {
  field: string;
  source: string;
  record: string;
  /** The raw value as the source holds it, as text (null when the source has none). */
  rawValue: string | null;
  /** Cleaning rules that changed the value. */
  rules: string[];
  /** The conflict policy that chose between sources, when there was a choice. */
  policy: string | null;
}

/**
 * Provenance of an entity: for each graph field, the source record and raw column it came from
 * (`columns` maps graph field → raw column), the rules that changed it, and — for fields a
 * conflict policy decided — the winning source instead.
 */
export function provenanceOf(
  view: Traced,
  columns: Readonly<Record<string, string>>,
  resolved: Readonly<Record<string, Resolved<unknown>>> = {},
): FieldProvenanceView[] {
  const raw = view.trace.raw as Record<string, unknown>;
  return Object.entries(columns).map(([field, column]) => {
    const decision = resolved[field];
    const rawValue = raw[column];
    return {
      field,
      source: decision?.source ?? view.trace.source,
      record: decision?.record ?? view.trace.record,
      rawValue: rawValue === null || rawValue === undefined ? null : String(rawValue),
      rules: view.trace.changes[field] ?? [],
      policy: decision?.policy ?? null,
    };
  });
}

/** Graph field → raw column, per entity. */
export const PROVENANCE_COLUMNS = {
  account: { customerId: 'customerId', zipPrefix: 'zipCodePrefix', city: 'city', state: 'state' },
  seller: { id: 'sellerId', zipPrefix: 'zipCodePrefix', city: 'city', state: 'state' },
  product: {
    id: 'productId',
    category: 'categoryName',
    weightGrams: 'weightG',
    lengthCm: 'lengthCm',
    heightCm: 'heightCm',
    widthCm: 'widthCm',
    photosCount: 'photosQty',
  },
  order: {
    id: 'orderId',
    status: 'status',
    purchasedAt: 'purchaseTimestamp',
    approvedAt: 'approvedAt',
    carrierAt: 'deliveredCarrierDate',
    deliveredAt: 'deliveredCustomerDate',
    estimatedDeliveryAt: 'estimatedDeliveryDate',
  },
  item: { position: 'orderItemId', price: 'price', freight: 'freightValue', shippingLimitAt: 'shippingLimitDate' },
  payment: { sequential: 'paymentSequential', type: 'paymentType', installments: 'paymentInstallments', value: 'paymentValue' },
  review: {
    id: 'review_id',
    score: 'review_score',
    title: 'review_comment_title',
    comment: 'review_comment_message',
    createdAt: 'review_creation_date',
    answeredAt: 'review_answer_timestamp',
  },
} as const;
