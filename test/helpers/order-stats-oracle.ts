/**
 * Query.orderStats computed straight from the dataset files (through olist-oracle's csv-parse reading),
 * importing nothing from src/. The semantics are docs/analytics.md's, written out independently:
 * - an order is in a group when it passes the filters and has the group's values: its own (purchase
 *   day/week/month, status, customer state), at least one remaining line with the group's seller /
 *   seller state / category values, at least one remaining payment of the group's payment type;
 * - line filters (sellers, seller states, categories, a partner's scope) keep only those lines, and an
 *   order left without a line is out; a payment-type filter keeps only those payments likewise;
 * - items/freight sum the group's lines; payments sum the group's payments (of the grouped/filtered
 *   type, else all) of each order once; delivery and review measures count each order once;
 * - persons are customer_unique_id; states trimmed + upper-cased, kept only if one of the 27 codes;
 *   the English category is the translation table's, null for a missing or untranslated category.
 */
import { olistOracle, type ItemRow, type OlistOracle, type OrderRow, type PaymentRow } from './olist-oracle';

export type Dim =
  | 'PURCHASE_DAY'
  | 'PURCHASE_WEEK'
  | 'PURCHASE_MONTH'
  | 'ORDER_STATUS'
  | 'CUSTOMER_STATE'
  | 'SELLER_STATE'
  | 'PRODUCT_CATEGORY'
  | 'PRODUCT_CATEGORY_PT'
  | 'PAYMENT_TYPE'
  | 'SELLER';

export interface OracleFilter {
  purchasedFrom?: string;
  purchasedTo?: string;
  purchaseDays?: string[];
  purchaseWeeks?: string[];
  purchaseMonths?: string[];
  statuses?: string[];
  customerStates?: string[];
  sellerStates?: string[];
  productCategories?: string[];
  productCategoriesPt?: string[];
  paymentTypes?: string[];
  sellerIds?: string[];
}

export interface OracleGroup {
  values: (string | null)[];
  orderCount: number;
  distinctPersons: number;
  itemsCents: number;
  freightCents: number;
  paymentCents: number;
  delivered: number;
  late: number;
  deliveryDays: number;
  reviews: number;
  reviewScoreSum: number;
}

const STATES = new Set('AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO'.split(' '));
const cleanState = (raw: string): string | null => {
  const code = raw.trim().toUpperCase();
  return STATES.has(code) ? code : null;
};
const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
const mondayOf = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
};

interface Indexes {
  itemsByOrder: Map<string, ItemRow[]>;
  paymentsByOrder: Map<string, PaymentRow[]>;
  reviewsByOrder: Map<string, number[]>;
  account: Map<string, { person: string; state: string | null }>;
  product: Map<string, { pt: string | null; en: string | null }>;
  sellerState: Map<string, string | null>;
}

const built = new WeakMap<OlistOracle, Indexes>();
function build(oracle: OlistOracle): Indexes {
  const done = built.get(oracle);
  if (done) return done;
  const group = <T>(rows: T[], key: (row: T) => string) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(key(row));
      if (list) list.push(row);
      else map.set(key(row), [row]);
    }
    return map;
  };
  const english = new Map(oracle.categoryTranslations().map((row) => [row.categoryName, row.english]));
  const reviewsByOrder = new Map<string, number[]>();
  for (const review of oracle.reviews()) reviewsByOrder.set(review.orderId, [...(reviewsByOrder.get(review.orderId) ?? []), review.score]);
  const indexes: Indexes = {
    itemsByOrder: group(oracle.orderItems(), (row) => row.orderId),
    paymentsByOrder: group(oracle.orderPayments(), (row) => row.orderId),
    reviewsByOrder,
    account: new Map(oracle.customers().map((row) => [row.customerId, { person: row.personId, state: cleanState(row.state) }])),
    product: new Map(
      oracle.products().map((row) => {
        const pt = row.categoryName === null || row.categoryName.trim() === '' ? null : row.categoryName;
        return [row.productId, { pt, en: pt === null ? null : (english.get(pt) ?? null) }];
      }),
    ),
    sellerState: new Map(oracle.sellers().map((row) => [row.sellerId, cleanState(row.state)])),
  };
  built.set(oracle, indexes);
  return indexes;
}

const ITEM_DIMS: readonly Dim[] = ['SELLER', 'SELLER_STATE', 'PRODUCT_CATEGORY', 'PRODUCT_CATEGORY_PT'];

/** The groups (unsorted, unsuppressed) of a query; `sellerScope` is a partner's seller; `oracle`: another dataset folder's. */
export function oracleOrderStats(groupBy: readonly Dim[], filter: OracleFilter = {}, sellerScope?: string, oracle: OlistOracle = olistOracle()): OracleGroup[] {
  const ix = build(oracle);
  const inList = (list: string[] | undefined, value: string | null) => list === undefined || (value !== null && list.includes(value));
  const groups = new Map<string, OracleGroup & { persons: Set<string> }>();
  const itemsRestricted =
    groupBy.some((dim) => ITEM_DIMS.includes(dim)) ||
    sellerScope !== undefined ||
    [filter.sellerIds, filter.sellerStates, filter.productCategories, filter.productCategoriesPt].some((list) => list !== undefined);
  const paymentsRestricted = groupBy.includes('PAYMENT_TYPE') || filter.paymentTypes !== undefined;

  for (const order of oracle.orders() as OrderRow[]) {
    const ts = order.purchaseTimestamp;
    const day = ts.slice(0, 10);
    const account = ix.account.get(order.customerId)!;
    if (filter.purchasedFrom !== undefined && ts < filter.purchasedFrom) continue;
    if (filter.purchasedTo !== undefined && ts > filter.purchasedTo) continue;
    if (!inList(filter.purchaseDays, day) || !inList(filter.purchaseWeeks, mondayOf(day)) || !inList(filter.purchaseMonths, ts.slice(0, 7))) continue;
    if (!inList(filter.statuses, order.status.toUpperCase()) || !inList(filter.customerStates, account.state)) continue;

    const items = (ix.itemsByOrder.get(order.orderId) ?? []).filter(
      (item) =>
        (sellerScope === undefined || item.sellerId === sellerScope) &&
        inList(filter.sellerIds, item.sellerId) &&
        inList(filter.sellerStates, ix.sellerState.get(item.sellerId) ?? null) &&
        inList(filter.productCategories, ix.product.get(item.productId)?.en ?? null) &&
        inList(filter.productCategoriesPt, ix.product.get(item.productId)?.pt ?? null),
    );
    const payments = (ix.paymentsByOrder.get(order.orderId) ?? []).filter((payment) => inList(filter.paymentTypes, payment.type));
    if (itemsRestricted && items.length === 0) continue;
    if (paymentsRestricted && payments.length === 0) continue;

    const itemValue = (item: ItemRow, dim: Dim): string | null => {
      if (dim === 'SELLER') return item.sellerId;
      if (dim === 'SELLER_STATE') return ix.sellerState.get(item.sellerId) ?? null;
      if (dim === 'PRODUCT_CATEGORY') return ix.product.get(item.productId)?.en ?? null;
      return ix.product.get(item.productId)?.pt ?? null;
    };
    // The order's memberships: each distinct tuple of its lines' grouped values × each grouped payment type.
    const lineGroups = new Map<string, ItemRow[]>();
    for (const item of items) {
      const key = JSON.stringify(groupBy.filter((dim) => ITEM_DIMS.includes(dim)).map((dim) => itemValue(item, dim)));
      lineGroups.set(key, [...(lineGroups.get(key) ?? []), item]);
    }
    if (!itemsRestricted && lineGroups.size === 0) lineGroups.set('[]', []);
    const paymentGroups = new Map<string, PaymentRow[]>();
    for (const payment of payments) {
      const key = groupBy.includes('PAYMENT_TYPE') ? payment.type : '*';
      paymentGroups.set(key, [...(paymentGroups.get(key) ?? []), payment]);
    }
    if (!paymentsRestricted && paymentGroups.size === 0) paymentGroups.set('*', []);

    const delivered = order.deliveredCustomerDate !== null;
    const late = delivered && order.estimatedDeliveryDate !== null && order.deliveredCustomerDate!.slice(0, 10) > order.estimatedDeliveryDate.slice(0, 10);
    const days = delivered ? dayNumber(order.deliveredCustomerDate!.slice(0, 10)) - dayNumber(day) : 0;
    const scores = ix.reviewsByOrder.get(order.orderId) ?? [];

    for (const lines of lineGroups.values()) {
      for (const [paymentType, paid] of paymentGroups) {
        const values = groupBy.map((dim): string | null => {
          switch (dim) {
            case 'PURCHASE_DAY':
              return day;
            case 'PURCHASE_WEEK':
              return mondayOf(day);
            case 'PURCHASE_MONTH':
              return ts.slice(0, 7);
            case 'ORDER_STATUS':
              return order.status.toUpperCase();
            case 'CUSTOMER_STATE':
              return account.state;
            case 'PAYMENT_TYPE':
              return paymentType;
            default:
              return itemValue(lines[0], dim);
          }
        });
        const key = JSON.stringify(values);
        let g = groups.get(key);
        if (!g) {
          g = {
            values,
            orderCount: 0,
            distinctPersons: 0,
            itemsCents: 0,
            freightCents: 0,
            paymentCents: 0,
            delivered: 0,
            late: 0,
            deliveryDays: 0,
            reviews: 0,
            reviewScoreSum: 0,
            persons: new Set(),
          };
          groups.set(key, g);
        }
        g.orderCount += 1;
        g.persons.add(account.person);
        g.itemsCents += lines.reduce((sum, item) => sum + item.priceCents, 0);
        g.freightCents += lines.reduce((sum, item) => sum + item.freightCents, 0);
        g.paymentCents += paid.reduce((sum, payment) => sum + payment.valueCents, 0);
        g.delivered += delivered ? 1 : 0;
        g.late += late ? 1 : 0;
        g.deliveryDays += days;
        g.reviews += scores.length;
        g.reviewScoreSum += scores.reduce((sum, score) => sum + score, 0);
      }
    }
  }
  return [...groups.values()].map(({ persons, ...g }) => ({ ...g, distinctPersons: persons.size }));
}

/** The graph's group field of each dimension. */
const FIELD: Record<Dim, string> = {
  PURCHASE_DAY: 'purchaseDay',
  PURCHASE_WEEK: 'purchaseWeek',
  PURCHASE_MONTH: 'purchaseMonth',
  ORDER_STATUS: 'orderStatus',
  CUSTOMER_STATE: 'customerState',
  SELLER_STATE: 'sellerState',
  PRODUCT_CATEGORY: 'productCategory',
  PRODUCT_CATEGORY_PT: 'productCategoryPt',
  PAYMENT_TYPE: 'paymentType',
  SELLER: 'sellerId',
};

const keyOf = (values: (string | null)[]) => JSON.stringify(values);
const close = (actual: number | null | undefined, expected: number | null, digits = 9) => {
  if (expected === null) expect(actual ?? null).toBeNull();
  else expect(actual).toBeCloseTo(expected, digits);
};

/** Every graph group equals its oracle group, measure by measure; with k = 1 (admin) the group sets are equal. */
export function expectSameGroups(
  c: { groupBy: readonly Dim[]; reviews?: boolean },
  groups: Record<string, unknown>[],
  expected: OracleGroup[],
  options: { payments?: boolean } = {},
): void {
  const byKey = new Map(expected.map((group) => [keyOf(group.values), group]));
  for (const group of groups) {
    const key = keyOf(c.groupBy.map((dim) => (group[FIELD[dim]] as string | null) ?? null));
    const want = byKey.get(key);
    if (!want) throw new Error(`the graph answers a group the data lacks: ${key}`);
    expect({ key, orderCount: group.orderCount, distinctPersons: group.distinctPersons }).toEqual({
      key,
      orderCount: want.orderCount,
      distinctPersons: want.distinctPersons,
    });
    if (c.reviews) {
      close(group.meanReviewScore as number | null, want.reviews > 0 ? want.reviewScoreSum / want.reviews : null);
      continue;
    }
    close(group.itemsTotal as number, want.itemsCents / 100, 2);
    close(group.freightTotal as number, want.freightCents / 100, 2);
    if (options.payments !== false) {
      close(group.paymentTotal as number, want.paymentCents / 100, 2);
      close(group.averageOrderValue as number, want.paymentCents / want.orderCount / 100);
    }
    close(group.lateDeliveryShare as number | null, want.delivered > 0 ? want.late / want.delivered : null);
    close(group.meanDeliveryDays as number | null, want.delivered > 0 ? want.deliveryDays / want.delivered : null);
  }
}
