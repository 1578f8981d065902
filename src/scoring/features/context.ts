/**
 * What a feature function sees. A DeliveryContext is one order at its purchase time; a
 * RecommendationContext is one (person, product) pair at the store's as-of time. Both carry the
 * FeatureIndex so a feature can ask as-of questions, always with the context's own `t`.
 */
import { BRAZILIAN_STATES } from '../../fusion';
import type { FeatureIndex } from './feature-index';
import type { SnapAccount, SnapItem, SnapOrder, SnapPayment, SnapProduct, SnapSeller } from './snapshot';

export type SourceFamily = 'orders' | 'payments' | 'catalog' | 'crm' | 'reviews' | 'geography';

export type FeatureScope = 'product' | 'state' | 'user' | 'pair';

export interface FeatureSpec<C> {
  name: string;
  source: SourceFamily;
  kind: 'numeric' | 'categorical';
  /** Categorical features: codes are 0..cardinality-1 (0 = unknown). */
  cardinality?: number;
  /** The transform applied inside `compute` (part of the definition, so part of the hash). */
  transform: 'identity' | 'log1p' | 'rate' | 'code';
  /** Value used when `compute` answers NaN (unknown). */
  fill: number;
  /**
   * Recommendation features: what the value depends on besides the as-of time, so serving computes it
   * once per product (`product`), per product and user state (`state`), per request (`user`) or per
   * candidate (`pair`, the default). Not part of the manifest hash: it changes how rows are
   * assembled, never their values (test/scoring/features/vectorised-rows.test.ts checks both ways agree).
   */
  scope?: FeatureScope;
  description: string;
  compute(ctx: C): number;
}

/** The 27 Brazilian federative units (fusion's list, by code); code 0 means unknown. */
export const STATES: readonly string[] = Object.keys(BRAZILIAN_STATES).sort();

export function stateCode(state: string | null | undefined): number {
  return state === null || state === undefined ? 0 : STATES.indexOf(state) + 1;
}

export interface DeliveryContext {
  index: FeatureIndex;
  order: SnapOrder;
  /** Prediction time: the purchase. Aggregates see events strictly before it. */
  t: number;
  items: SnapItem[];
  payments: SnapPayment[];
  account: SnapAccount | null;
  state: string;
  /** The seller of the most expensive item (ties: first), and all sellers of the order. */
  mainSeller: SnapSeller | null;
  sellers: SnapSeller[];
  products: SnapProduct[];
}

export interface UserProfile {
  personId: string;
  account: SnapAccount | null;
  state: string;
  point: [number, number] | null;
  /** Orders purchased before t, oldest first. */
  orders: SnapOrder[];
  /** Product id → [times bought, last purchase time]. */
  bought: Map<string, [number, number]>;
  /** Category → items bought. */
  categories: Map<string, number>;
  /** Seller id → items bought. */
  sellers: Map<string, number>;
  nItems: number;
  meanItemPrice: number;
  meanInstallments: number;
}

export interface ProductProfile {
  productId: string;
  product: SnapProduct | null;
  category: string;
  /** The seller that sold it most before t (ties: first seen). */
  seller: SnapSeller | null;
  meanPrice: number;
}

export interface RecommendationContext {
  index: FeatureIndex;
  t: number;
  user: UserProfile;
  product: ProductProfile;
  /** Item-kNN similarity (cosine over persons' co-purchases before t) to each product the user bought. */
  coSimilarity: number[];
}
