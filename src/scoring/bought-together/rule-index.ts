/**
 * BoughtTogetherIndex: association rules "bought A → also bought B", mined once from the purchases
 * known at an as-of time, kept small (the best rules per product only) and answered from memory.
 *
 * Three kinds of baskets, each with its own figures:
 *  - ORDER: the distinct products of one order. Olist orders are mostly single-product (3.3 % of
 *    the bought orders hold two distinct products), so these rules are few but the strongest evidence.
 *  - PERSON: the products of one person's different orders (A in one order, B in another, same
 *    identity-resolved person). More baskets, weaker evidence (tastes, not one shopping trip).
 *  - CATEGORY: the fallback when a product has too few rules — category-level rules over persons'
 *    baskets (category of A → category C: a person bought a product of each, two distinct products
 *    when C is A's own category), answered with C's best-sellers before the as-of time.
 *
 * For a rule A → B over N baskets of its kind: support = baskets holding both, supportShare =
 * support / N, confidence = P(B | A) = support / baskets holding A, lift = confidence / P(B).
 * A rule needs at least `minSupport` baskets (default 2: one basket is one shopper's coincidence —
 * with 1, every multi-item order would make rules — and the product-level pairs are so sparse that
 * 3 keeps almost none); category rules need `minCategorySupport` persons (default 10).
 */
import type { Purchase } from './baskets';

export type BoughtTogetherBasis = 'ORDER' | 'PERSON' | 'CATEGORY';

export interface RuleFigures {
  /** Baskets holding both sides. */
  support: number;
  /** support / baskets of that kind. */
  supportShare: number;
  /** P(consequent | antecedent). */
  confidence: number;
  /** confidence / P(consequent). */
  lift: number;
}

export interface BoughtTogetherItem extends RuleFigures {
  productId: string;
  basis: BoughtTogetherBasis;
}

interface ProductRule extends RuleFigures {
  productId: string;
}

interface CategoryRule extends RuleFigures {
  category: string;
}

export interface BoughtTogetherOptions {
  /** Only purchases strictly before this time (local ms) are mined. */
  asOf: number;
  /** @default 2 */
  minSupport?: number;
  /** @default 10 */
  minCategorySupport?: number;
  /** Rules kept per product and basis (the most a caller may ask for). @default 50 */
  maxRulesPerProduct?: number;
}

export interface BoughtTogetherStats {
  asOf: number;
  minSupport: number;
  minCategorySupport: number;
  orderBaskets: number;
  personBaskets: number;
  orderRules: number;
  personRules: number;
  categoryRules: number;
  productsWithRules: number;
}

const SEP = '\u0001';

/** The mined index as plain data (persisted with the feature store, so a restart does not mine again). */
export interface PersistedRules {
  stats: BoughtTogetherStats;
  orderRules: [string, ProductRule[]][];
  personRules: [string, ProductRule[]][];
  categoryRules: [string, CategoryRule[]][];
  topSellers: [string, string[]][];
}

/** Figures of A → B from the basket counts (support of the pair, baskets with A, with B, all baskets). */
export function ruleFigures(support: number, withA: number, withB: number, baskets: number): RuleFigures {
  const confidence = support / withA;
  return { support, supportShare: support / baskets, confidence, lift: confidence / (withB / baskets) };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}${SEP}${b}` : `${b}${SEP}${a}`;
}

const byStrength =
  <T extends RuleFigures>(key: (rule: T) => string) =>
  (x: T, y: T) =>
    y.confidence - x.confidence || y.lift - x.lift || y.support - x.support || (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);

/** Both directions of every pair with enough support, best first per antecedent, at most `keep` each. */
function rulesFromPairs(
  pairs: Map<string, number>,
  counts: Map<string, number>,
  baskets: number,
  minSupport: number,
  keep: number,
): Map<string, ProductRule[]> {
  const rules = new Map<string, ProductRule[]>();
  const add = (from: string, to: string, support: number) => {
    const list = rules.get(from) ?? [];
    list.push({ productId: to, ...ruleFigures(support, counts.get(from)!, counts.get(to)!, baskets) });
    rules.set(from, list);
  };
  for (const [key, support] of pairs) {
    if (support < minSupport) continue;
    const [a, b] = key.split(SEP);
    add(a, b, support);
    add(b, a, support);
  }
  for (const [from, list] of rules) rules.set(from, list.sort(byStrength((r) => r.productId)).slice(0, keep));
  return rules;
}

export class BoughtTogetherIndex {
  private constructor(
    readonly stats: BoughtTogetherStats,
    private readonly orderRules: Map<string, ProductRule[]>,
    private readonly personRules: Map<string, ProductRule[]>,
    private readonly categoryRules: Map<string, CategoryRule[]>,
    /** Per category, its best-selling products before the as-of time (orders holding them), best first. */
    private readonly topSellers: Map<string, string[]>,
    private readonly categories: ReadonlyMap<string, string | null>,
  ) {}

  /** Mines the rules from `purchases` (any order; those at or after `asOf` are ignored). */
  static mine(purchases: readonly Purchase[], categories: ReadonlyMap<string, string | null>, options: BoughtTogetherOptions): BoughtTogetherIndex {
    const minSupport = options.minSupport ?? 2;
    const minCategorySupport = options.minCategorySupport ?? 10;
    const keep = options.maxRulesPerProduct ?? 50;
    const known = purchases.filter((p) => p.t < options.asOf);

    // ORDER baskets.
    const inOrders = new Map<string, number>();
    const orderPairs = new Map<string, number>();
    for (const { productIds } of known) {
      for (const a of productIds) bump(inOrders, a);
      for (let i = 0; i < productIds.length; i++) for (let j = i + 1; j < productIds.length; j++) bump(orderPairs, pairKey(productIds[i], productIds[j]));
    }

    // PERSON baskets (pairs across different orders) and the persons' category baskets.
    const ordersOf = new Map<string, (readonly string[])[]>();
    for (const p of known) {
      const list = ordersOf.get(p.personId) ?? [];
      list.push(p.productIds);
      ordersOf.set(p.personId, list);
    }
    const inPersons = new Map<string, number>();
    const personPairs = new Map<string, number>();
    const inCategories = new Map<string, number>();
    const categoryPairs = new Map<string, number>();
    for (const orders of ordersOf.values()) {
      const products = new Set(orders.flat());
      for (const a of products) bump(inPersons, a);
      if (orders.length > 1) {
        const pairs = new Set<string>();
        for (let i = 0; i < orders.length; i++)
          for (let j = i + 1; j < orders.length; j++) for (const a of orders[i]) for (const b of orders[j]) if (a !== b) pairs.add(pairKey(a, b));
        for (const key of pairs) bump(personPairs, key);
      }
      const byCategory = new Map<string, number>();
      for (const id of products) {
        const category = categories.get(id);
        if (category) byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
      }
      const cats = [...byCategory.keys()];
      for (const c of cats) bump(inCategories, c);
      for (let i = 0; i < cats.length; i++) {
        if (byCategory.get(cats[i])! > 1) bump(categoryPairs, `${cats[i]}${SEP}${cats[i]}`);
        for (let j = i + 1; j < cats.length; j++) bump(categoryPairs, pairKey(cats[i], cats[j]));
      }
    }
    const persons = ordersOf.size;

    const categoryRules = new Map<string, CategoryRule[]>();
    const addCategoryRule = (from: string, to: string, support: number) => {
      const list = categoryRules.get(from) ?? [];
      list.push({ category: to, ...ruleFigures(support, inCategories.get(from)!, inCategories.get(to)!, persons) });
      categoryRules.set(from, list);
    };
    for (const [key, support] of categoryPairs) {
      if (support < minCategorySupport) continue;
      const [a, b] = key.split(SEP);
      addCategoryRule(a, b, support);
      if (a !== b) addCategoryRule(b, a, support);
    }
    for (const list of categoryRules.values()) list.sort(byStrength((r) => r.category));

    const topSellers = new Map<string, string[]>();
    for (const id of inOrders.keys()) {
      const category = categories.get(id);
      if (!category) continue;
      const list = topSellers.get(category) ?? [];
      list.push(id);
      topSellers.set(category, list);
    }
    for (const [category, ids] of topSellers) {
      topSellers.set(category, ids.sort((a, b) => inOrders.get(b)! - inOrders.get(a)! || (a < b ? -1 : 1)).slice(0, keep + 1));
    }

    const orderRules = rulesFromPairs(orderPairs, inOrders, known.length, minSupport, keep);
    const personRules = rulesFromPairs(personPairs, inPersons, persons, minSupport, keep);
    const count = (rules: Map<string, unknown[]>) => [...rules.values()].reduce((n, list) => n + list.length, 0);
    const stats: BoughtTogetherStats = {
      asOf: options.asOf,
      minSupport,
      minCategorySupport,
      orderBaskets: known.length,
      personBaskets: persons,
      orderRules: count(orderRules),
      personRules: count(personRules),
      categoryRules: count(categoryRules),
      productsWithRules: new Set([...orderRules.keys(), ...personRules.keys()]).size,
    };
    return new BoughtTogetherIndex(stats, orderRules, personRules, categoryRules, topSellers, categories);
  }

  /** The mined rules as plain data (the catalogue's categories are not included: the snapshot holds them). */
  toPersisted(): PersistedRules {
    return {
      stats: this.stats,
      orderRules: [...this.orderRules],
      personRules: [...this.personRules],
      categoryRules: [...this.categoryRules],
      topSellers: [...this.topSellers],
    };
  }

  /** The index `toPersisted` wrote, over the catalogue's categories (answers exactly what the mined one did). */
  static fromPersisted(data: PersistedRules, categories: ReadonlyMap<string, string | null>): BoughtTogetherIndex {
    return new BoughtTogetherIndex(
      data.stats,
      new Map(data.orderRules),
      new Map(data.personRules),
      new Map(data.categoryRules),
      new Map(data.topSellers),
      categories,
    );
  }

  /** Whether the catalogue holds the product. */
  has(productId: string): boolean {
    return this.categories.has(productId);
  }

  /** The product-level rules of one basis, strongest first. */
  rules(productId: string, basis: 'ORDER' | 'PERSON'): BoughtTogetherItem[] {
    const rules = (basis === 'ORDER' ? this.orderRules : this.personRules).get(productId) ?? [];
    return rules.map((r) => ({ ...r, basis }));
  }

  /** Best-sellers of a category before the as-of time, best first. */
  bestSellers(category: string): readonly string[] {
    return this.topSellers.get(category) ?? [];
  }

  /**
   * Up to `first` products bought with `productId`: its ORDER rules, then its PERSON rules, then, to
   * fill the list, the best-sellers of the categories its category's rules lead to (CATEGORY, with
   * the category rule's figures). Each product at most once, never the product itself.
   */
  recommend(productId: string, first: number): BoughtTogetherItem[] {
    const out: BoughtTogetherItem[] = [];
    const seen = new Set([productId]);
    const push = (item: BoughtTogetherItem) => {
      if (out.length < first && !seen.has(item.productId)) {
        seen.add(item.productId);
        out.push(item);
      }
    };
    for (const item of this.rules(productId, 'ORDER')) push(item);
    for (const item of this.rules(productId, 'PERSON')) push(item);
    const category = this.categories.get(productId);
    if (!category) return out;
    for (const { category: to, ...figures } of this.categoryRules.get(category) ?? []) {
      for (const id of this.bestSellers(to)) {
        if (out.length >= first) return out;
        push({ productId: id, basis: 'CATEGORY', ...figures });
      }
    }
    return out;
  }
}
