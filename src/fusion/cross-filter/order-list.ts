import type { KeySet, OrderListSqlFilter, OrderRecord, Sources } from '../../sources';
import type { CrossKeyIndex } from './key-index';

/**
 * Query.orders / User.orders with predicates other systems own (docs/analytics.md, "Cross-system
 * filters"): each predicate is resolved on the system that holds it to a key set, and the order system
 * keyset-pages its orders restricted to those keys in one statement —
 * - customer state (CRM) → the accounts in that state (`customer_id IN …`);
 * - category (catalog) → the category's products (`EXISTS` a line of one of them; a partner: one of its own lines);
 * - review score range (review store) → the orders whose mean score lies in it (`order_id IN …`, or
 *   `NOT IN` the others when that list is shorter: the orders without a review come from the order system).
 * A key list longer than PUSHED_KEYS_MAX (a dense one: a big state, a common score) is not inlined into
 * every page's statement: the statement pages the other predicates and the list is a membership test
 * on its scanned batches. Nothing but keys crosses systems; the orders' rows are read for the page only.
 */
export interface OrderListRequest {
  status?: string;
  purchasedFrom?: string;
  purchasedTo?: string;
  /** A cleaned state code (as CustomerAccount.state shows it). */
  customerState?: string;
  /** Raw (catalog) category names: the order has a line of a product in one of them. */
  categoryNames?: readonly string[];
  /** Inclusive bounds on the mean score of the order's reviews (an order without a review never passes). */
  minReviewScore?: number;
  maxReviewScore?: number;
  direction: 'asc' | 'desc';
  after?: { purchaseTimestamp: string; orderId: string };
  limit: number;
}

/** The row scope (security/row-scope): a customer's accounts, a partner's seller. */
export interface OrderListScope {
  customerIds?: readonly string[];
  sellerId?: string;
}

export interface OrderListPage {
  orders: OrderRecord[];
  /** The total under the filters and scope (one COUNT, run only when asked). */
  count(): Promise<number>;
}

/** Key lists up to this many ids are pushed into the statement; longer (dense) ones are tested on scanned keyset batches. */
export const PUSHED_KEYS_MAX = 5_000;

export async function orderListPage(
  sources: Pick<Sources, 'orders'>,
  index: CrossKeyIndex,
  request: OrderListRequest,
  scope: OrderListScope,
  { pushedKeysMax = PUSHED_KEYS_MAX }: { pushedKeysMax?: number } = {},
): Promise<OrderListPage> {
  const filter = await orderListFilter(index, request, scope);
  if (filter === null) return { orders: [], count: async () => 0 };
  const { pushed, member } = splitDenseKeys(filter, pushedKeysMax);
  const ids: string[] = [];
  // A dense key set keeps at least ~1 row in 20 (5,000 of ~100,000 keys), so a batch of 4× the page usually fills it.
  const batch = member ? Math.max(request.limit * 4, 500) : request.limit;
  let after = request.after;
  for (;;) {
    const rows = await sources.orders.orderListPage({ ...pushed, direction: request.direction, after, limit: batch });
    for (const row of rows) {
      if (member && !member(row.orderId, row.customerId)) continue;
      ids.push(row.orderId);
      if (ids.length === request.limit) break;
    }
    if (ids.length === request.limit || rows.length < batch) break;
    const last = rows[rows.length - 1];
    after = { purchaseTimestamp: last.purchaseTimestamp, orderId: last.orderId };
  }
  const records = ids.length > 0 ? await sources.orders.ordersByIds(ids) : [];
  return {
    orders: records.filter((record): record is OrderRecord => record !== null),
    // The count is one statement on the order system, every key set inlined.
    count: () => sources.orders.countOrderList(filter),
  };
}

/** Moves the key sets longer than `pushedKeysMax` out of the statement into a membership test on the scanned rows. */
function splitDenseKeys(
  filter: OrderListSqlFilter,
  pushedKeysMax: number,
): { pushed: OrderListSqlFilter; member?: (orderId: string, customerId: string) => boolean } {
  const pushed = { ...filter };
  const tests: ((orderId: string, customerId: string) => boolean)[] = [];
  const test = (set: KeySet, key: (orderId: string, customerId: string) => string) => {
    let ids = membershipOf.get(set.ids);
    if (!ids) {
      ids = new Set(set.ids);
      membershipOf.set(set.ids, ids);
    }
    const inside = set.mode === 'in';
    tests.push((orderId, customerId) => ids.has(key(orderId, customerId)) === inside);
  };
  if (filter.customerIds && filter.customerIds.ids.length > pushedKeysMax) {
    test(filter.customerIds, (_, customerId) => customerId);
    delete pushed.customerIds;
  }
  if (filter.orderIds && filter.orderIds.ids.length > pushedKeysMax) {
    test(filter.orderIds, (orderId) => orderId);
    delete pushed.orderIds;
  }
  return tests.length === 0 ? { pushed } : { pushed, member: (orderId, customerId) => tests.every((t) => t(orderId, customerId)) };
}

/** The request and scope as the order system's statement filter; null when nothing can match. */
export async function orderListFilter(index: CrossKeyIndex, request: OrderListRequest, scope: OrderListScope): Promise<OrderListSqlFilter | null> {
  const filter: OrderListSqlFilter = {
    ...(request.status !== undefined ? { status: request.status } : {}),
    ...(request.purchasedFrom !== undefined ? { purchasedFrom: request.purchasedFrom } : {}),
    ...(request.purchasedTo !== undefined ? { purchasedTo: request.purchasedTo } : {}),
  };
  let customers = scope.customerIds ? [...scope.customerIds] : undefined;
  if (request.customerState !== undefined) {
    const states = await index.accountState();
    customers = customers ? customers.filter((id) => states.get(id) === request.customerState) : accountsInState(states, request.customerState);
  }
  if (customers) {
    if (customers.length === 0) return null;
    filter.customerIds = { mode: 'in', ids: customers };
  }
  if (request.categoryNames !== undefined) {
    const names = new Set(request.categoryNames);
    const products = [...(await index.productCategory())].filter(([, name]) => name !== null && names.has(name)).map(([id]) => id);
    if (products.length === 0) return null;
    filter.line = { productIds: products };
  }
  if (scope.sellerId !== undefined) filter.line = { ...filter.line, sellerId: scope.sellerId };
  if (request.minReviewScore !== undefined || request.maxReviewScore !== undefined) {
    const orderIds = await reviewScoreKeys(index, request.minReviewScore ?? -Infinity, request.maxReviewScore ?? Infinity);
    if (orderIds.mode === 'in' && orderIds.ids.length === 0) return null;
    filter.orderIds = orderIds;
  }
  return filter;
}

/** The orders whose mean review score lies in [min, max], as the shorter of the inclusion and the exclusion. */
async function reviewScoreKeys(index: CrossKeyIndex, min: number, max: number): Promise<KeySet> {
  const reviews = await index.orderReviews();
  const known = memo(reviewKeysOf, reviews);
  const key = `${min}..${max}`;
  const hit = known.get(key);
  if (hit) return hit;
  const inside: string[] = [];
  const outside: string[] = [];
  for (const [orderId, review] of reviews) {
    const mean = review.sum / review.n;
    (mean >= min && mean <= max ? inside : outside).push(orderId);
  }
  const unreviewed = await index.unreviewedOrderIds();
  const keys: KeySet = inside.length <= outside.length + unreviewed.length ? { mode: 'in', ids: inside } : { mode: 'not-in', ids: [...outside, ...unreviewed] };
  known.set(key, keys);
  return keys;
}

/**
 * Key sets derived from the index's maps are kept with the map they came from (so they expire with it):
 * a state's accounts, a score range's orders, a dense list's membership set.
 */
const accountsOfState = new WeakMap<object, Map<string, string[]>>();
const reviewKeysOf = new WeakMap<object, Map<string, KeySet>>();
const membershipOf = new WeakMap<readonly string[], Set<string>>();

function memo<V>(cache: WeakMap<object, Map<string, V>>, owner: object): Map<string, V> {
  let entries = cache.get(owner);
  if (!entries) {
    entries = new Map();
    cache.set(owner, entries);
  }
  return entries;
}

function accountsInState(states: Map<string, string | null>, state: string): string[] {
  const known = memo(accountsOfState, states);
  let ids = known.get(state);
  if (!ids) {
    ids = [...states].filter(([, value]) => value === state).map(([id]) => id);
    known.set(state, ids);
  }
  return ids;
}
