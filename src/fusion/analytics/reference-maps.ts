import type { Sources } from '../../sources';
import type { CategoryDictionary } from '../categories';
import { categoryRule } from '../rules/catalog.rules';
import { stateCodeRule } from '../rules/location.rules';

/**
 * The key → value maps that turn the order system's keys into other systems' values, cleaned by the
 * same rules the graph's fields use (state.normalise, category.translate), and the accounts of persons
 * with several accounts (identity: customer_unique_id). Each map is read in one narrow scan when a
 * query first needs it and kept for `ttlMs` (a failed read is not kept).
 */
export interface ReferenceMaps {
  /** CRM account → cleaned state (null: not a state code). */
  accountState(): Promise<Map<string, string | null>>;
  /** Account → person, only for persons with more than one account (every other account is its own person). */
  sharedPersonAccounts(): Promise<Map<string, string>>;
  sellerState(): Promise<Map<string, string | null>>;
  /** Product → { pt: the catalog's name, en: the English name }, null where the graph shows null. */
  productCategory(): Promise<Map<string, { pt: string | null; en: string | null }>>;
  /** Every CRM account → its person (its own id unless it shares a person) and cleaned state. */
  accounts(): Promise<Map<string, { personId: string; state: string | null }>>;
  /** Order → its reviews' count and score sum, from the review store (orders without a review absent). */
  orderReviews(): Promise<Map<string, ScoreSum>>;
  /** Drops the maps a change makes stale (read anew on next use). */
  invalidate(change: KeyChange): void;
}

/** Carried review figures: a count and a sum of scores (means are derived, never stored). */
export interface ScoreSum {
  n: number;
  sum: number;
}

/** A kept value: read it (loading when absent or older than the TTL), or drop it so the next read loads it anew. */
export type Kept<T> = (() => Promise<T>) & { clear(): void };

/** What a change event can make stale in the key data: accounts (CRM), orders and their lines, reviews. */
export type KeyChange = 'accounts' | 'orders' | 'reviews';

/** A process-wide value read when first needed and kept for `ttlMs` (a failed read is not kept). */
export function cachedFor(ttlMs: number): <T>(load: () => Promise<T>) => Kept<T> {
  return <T>(load: () => Promise<T>): Kept<T> => {
    let entry: { at: number; value: Promise<T> } | undefined;
    const read = () => {
      if (!entry || Date.now() - entry.at > ttlMs) {
        const value = load();
        const current = { at: Date.now(), value };
        entry = current;
        value.catch(() => {
          if (entry === current) entry = undefined;
        });
      }
      return entry.value;
    };
    return Object.assign(read, { clear: () => void (entry = undefined) });
  };
}

export function createReferenceMaps(sources: Sources, categories: CategoryDictionary, ttlMs = 10 * 60_000): ReferenceMaps {
  const cached = cachedFor(ttlMs);
  const state = (raw: string) => stateCodeRule.apply(raw, undefined).value;
  const accountState = cached(async () => new Map((await sources.crm.accountStates()).map((row) => [row.customerId, state(row.state)])));
  const sharedPersonAccounts = cached(async () => new Map((await sources.crm.sharedPersonAccounts()).map((row) => [row.customerId, row.personId])));
  const accounts = cached(async () => {
    const [states, shared] = await Promise.all([accountState(), sharedPersonAccounts()]);
    return new Map([...states].map(([customerId, value]) => [customerId, { personId: shared.get(customerId) ?? customerId, state: value }]));
  });
  const orderReviews = cached(async () => {
    const byOrder = new Map<string, ScoreSum>();
    for (const stored of await sources.reviews.all()) {
      const entry = byOrder.get(stored.document.order_id) ?? { n: 0, sum: 0 };
      entry.n += 1;
      entry.sum += stored.document.review_score;
      byOrder.set(stored.document.order_id, entry);
    }
    return byOrder;
  });
  const sellerState = cached(async () => new Map((await sources.catalog.sellerStates()).map((row) => [row.sellerId, state(row.state)])));
  const productCategory = cached(async () => {
    const rows = await sources.catalog.productCategoryNames();
    return new Map(
      rows.map((row) => {
        const category = categoryRule.apply(row.categoryName, (name) => categories.english(name)).value;
        return [row.productId, { pt: category?.name ?? null, en: category?.nameEn ?? null }];
      }),
    );
  });
  // The catalog has no change events: sellers and products are kept for the TTL.
  const staleBy: Record<KeyChange, Kept<unknown>[]> = { accounts: [accountState, sharedPersonAccounts, accounts], orders: [], reviews: [orderReviews] };
  return {
    accountState,
    sharedPersonAccounts,
    accounts,
    orderReviews,
    sellerState,
    productCategory,
    invalidate: (change) => staleBy[change].forEach((kept) => kept.clear()),
  };
}
