/**
 * The bought-together miner: support, share, confidence and lift of ORDER and PERSON rules against a
 * brute-force count written here (on the real orders of a small chronological cut, read straight from
 * the dataset CSVs), the minimum support, the as-of cut (a pair only seen later is no rule, and later
 * data changes nothing), and the category fallback.
 */
import { BoughtTogetherIndex, type Purchase } from '../../../src/scoring/bought-together';
import { localMs } from '../../../src/scoring/features';
import { purchasesFromCsv } from './csv-purchases';

const p = (orderId: string, personId: string, day: number, ...productIds: string[]): Purchase => ({
  orderId,
  personId,
  t: localMs('2018-01-01 00:00:00') + day * 86_400_000,
  productIds,
});

describe('bought-together rules on a hand-made example', () => {
  const categories = new Map<string, string | null>([
    ['A', 'toys'],
    ['B', 'toys'],
    ['C', 'garden'],
    ['D', 'garden'],
    ['E', 'toys'],
    ['Z', 'garden'],
  ]);
  const purchases = [
    p('o1', 'p1', 1, 'A', 'B'),
    p('o2', 'p2', 2, 'A', 'B'),
    p('o3', 'p3', 3, 'A'),
    p('o4', 'p4', 4, 'C'),
    p('o5', 'p5', 5, 'A', 'C'), // A+C once: below the minimum support
    p('o6', 'p6', 20, 'A', 'Z'), // A+Z only after the cut (day 10)
    p('o7', 'p7', 21, 'A', 'Z'),
  ];
  const cut = localMs('2018-01-11 00:00:00');

  it('computes support, share, confidence and lift', () => {
    const index = BoughtTogetherIndex.mine(purchases, categories, { asOf: cut });
    expect(index.stats).toMatchObject({ orderBaskets: 5, personBaskets: 5, orderRules: 2, minSupport: 2 });
    // A in 4 of 5 orders, B in 2, both in 2.
    const [ab] = index.rules('A', 'ORDER');
    expect(ab.productId).toBe('B');
    expect(ab.support).toBe(2);
    expect(ab.supportShare).toBeCloseTo(2 / 5);
    expect(ab.confidence).toBeCloseTo(2 / 4);
    expect(ab.lift).toBeCloseTo(2 / 4 / (2 / 5));
    const [ba] = index.rules('B', 'ORDER');
    expect(ba).toMatchObject({ productId: 'A', support: 2, confidence: 1 });
    expect(ba.lift).toBeCloseTo(1 / (4 / 5));
  });

  it('keeps no pair below the minimum support, and a lower minimum keeps it', () => {
    const index = BoughtTogetherIndex.mine(purchases, categories, { asOf: cut });
    expect(index.rules('A', 'ORDER').map((r) => r.productId)).toEqual(['B']);
    expect(index.rules('C', 'ORDER')).toEqual([]);
    const loose = BoughtTogetherIndex.mine(purchases, categories, { asOf: cut, minSupport: 1 });
    expect(loose.rules('C', 'ORDER').map((r) => r.productId)).toEqual(['A']);
  });

  it('never uses a purchase at or after the as-of time', () => {
    const before = BoughtTogetherIndex.mine(purchases, categories, { asOf: cut });
    expect(
      before
        .recommend('A', 10)
        .filter((r) => r.basis !== 'CATEGORY')
        .map((r) => r.productId),
    ).not.toContain('Z');
    expect(before).toEqual(
      BoughtTogetherIndex.mine(
        purchases.filter((x) => x.t < cut),
        categories,
        { asOf: cut },
      ),
    );
    const later = BoughtTogetherIndex.mine(purchases, categories, { asOf: localMs('2018-02-01 00:00:00') });
    expect(later.rules('A', 'ORDER').map((r) => r.productId)).toContain('Z');
  });

  it('counts PERSON pairs across different orders of one person only', () => {
    const index = BoughtTogetherIndex.mine(
      [p('x1', 'p1', 1, 'A'), p('x2', 'p1', 2, 'B'), p('x3', 'p2', 1, 'A'), p('x4', 'p2', 3, 'B'), p('x5', 'p3', 1, 'A', 'B'), p('x6', 'p4', 1, 'C')],
      categories,
      { asOf: cut },
    );
    // Persons: 4; A bought by 3, B by 3; across orders: p1 and p2 (p3 bought both in one order).
    const [ab] = index.rules('A', 'PERSON');
    expect(ab).toMatchObject({ productId: 'B', basis: 'PERSON', support: 2 });
    expect(ab.supportShare).toBeCloseTo(2 / 4);
    expect(ab.confidence).toBeCloseTo(2 / 3);
    expect(ab.lift).toBeCloseTo(2 / 3 / (3 / 4));
  });

  it('fills with category best-sellers, each product once, never the product itself', () => {
    const many = Array.from({ length: 12 }, (_, i) => p(`c${i}`, `q${i % 6}`, i, i % 2 ? 'A' : 'E', i % 3 ? 'B' : 'C'));
    const index = BoughtTogetherIndex.mine(many, categories, { asOf: cut, minCategorySupport: 2 });
    const items = index.recommend('E', 5);
    const ids = items.map((r) => r.productId);
    expect(ids).not.toContain('E');
    expect(new Set(ids).size).toBe(ids.length);
    expect(items.some((r) => r.basis === 'CATEGORY')).toBe(true);
    expect(index.recommend('A', 1)).toHaveLength(1);
    expect(index.recommend('unknown', 5)).toEqual([]);
  });
});

describe('bought-together rules on the real orders before 2017-09-01', () => {
  const cut = localMs('2017-09-01 00:00:00');
  let purchases: Purchase[];
  let index: BoughtTogetherIndex;

  beforeAll(() => {
    purchases = purchasesFromCsv(cut);
    index = BoughtTogetherIndex.mine(purchases, new Map(purchases.flatMap((x) => x.productIds).map((id) => [id, null])), { asOf: cut });
  }, 120_000);

  it('ORDER rules: the figures of a brute-force count, and every pair with ≥ 2 orders is a rule', () => {
    const baskets = purchases.map((x) => new Set(x.productIds));
    const n = baskets.length;
    const ordersWith = (id: string) => baskets.filter((b) => b.has(id)).length;
    // Brute force, grouped another way: product → the orders holding it; a pair's support is the intersection.
    const holding = new Map<string, number[]>();
    baskets.forEach((b, i) => b.forEach((id) => holding.set(id, [...(holding.get(id) ?? []), i])));
    const expected = new Map<string, number>();
    for (const [a, orders] of holding) {
      for (const b of new Set(orders.flatMap((i) => [...baskets[i]]))) {
        if (b === a) continue;
        const support = orders.filter((i) => baskets[i].has(b)).length;
        if (support >= 2) expected.set(`${a}>${b}`, support);
      }
    }
    expect(expected.size).toBeGreaterThan(20);
    expect(index.stats.orderRules).toBe(expected.size);
    for (const [key, support] of expected) {
      const [a, b] = key.split('>');
      const rule = index.rules(a, 'ORDER').find((r) => r.productId === b);
      expect(rule).toBeDefined();
      expect(rule!.support).toBe(support);
      expect(rule!.supportShare).toBeCloseTo(support / n, 12);
      expect(rule!.confidence).toBeCloseTo(support / ordersWith(a), 12);
      expect(rule!.lift).toBeCloseTo(support / ordersWith(a) / (ordersWith(b) / n), 9);
    }
  });

  it('PERSON rules: the figures of a brute-force count over persons with several orders', () => {
    const ordersOf = new Map<string, Set<string>[]>();
    for (const x of purchases) ordersOf.set(x.personId, [...(ordersOf.get(x.personId) ?? []), new Set(x.productIds)]);
    const persons = [...ordersOf.values()];
    const across = (orders: Set<string>[], a: string, b: string) => orders.some((o, i) => o.has(a) && orders.some((q, j) => j !== i && q.has(b)));
    const boughtBy = (id: string) => persons.filter((orders) => orders.some((o) => o.has(id))).length;
    const expected = new Map<string, number>();
    for (const orders of persons.filter((o) => o.length > 1)) {
      const products = [...new Set(orders.flatMap((o) => [...o]))];
      for (const a of products) for (const b of products) if (a !== b && across(orders, a, b)) expected.set(`${a}>${b}`, (expected.get(`${a}>${b}`) ?? 0) + 1);
    }
    const rules = [...expected].filter(([, support]) => support >= 2);
    expect(rules.length).toBeGreaterThan(0);
    expect(index.stats.personRules).toBe(rules.length);
    expect([...expected.values()].some((support) => support === 1)).toBe(true);
    for (const [key, support] of rules) {
      const [a, b] = key.split('>');
      const rule = index.rules(a, 'PERSON').find((r) => r.productId === b)!;
      expect(rule).toMatchObject({ support });
      expect(rule.supportShare).toBeCloseTo(support / persons.length, 12);
      expect(rule.confidence).toBeCloseTo(support / boughtBy(a), 12);
      expect(rule.lift).toBeCloseTo(support / boughtBy(a) / (boughtBy(b) / persons.length), 9);
    }
  });
});
