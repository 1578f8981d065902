/**
 * Evaluation of Product.boughtTogether's rules (src/scoring/bought-together) on a chronological
 * split: rules mined from the purchases before 2018-06-01, tested on the baskets of 2018-06-01 ..
 * 2018-08-31 (BT_AS_OF, BT_TEST_END override). Two kinds of test baskets:
 *  - order: a test-window order with ≥ 2 distinct products; each of its products is a seed, a hit
 *    when one of the order's other products is in the seed's top k;
 *  - person: a test-window order of a person with an earlier order (before it, in either period);
 *    the seeds are the products of the earlier orders (latest first, lists merged round-robin), the
 *    targets the order's products not among them; a hit when one is in the top k.
 * Baseline: category popularity — the best-selling products (orders before the as-of) of each seed's
 * category. Hit rate @5 and @10 for the rules (with the category fallback, and product-level rules
 * only) and the baseline; writes bench/results/bought-together-<date>.json (BENCH_OUT).
 * Run: npm run bench:bought-together (seeded ./data needed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BoughtTogetherIndex, categoriesFromSnapshot, purchasesFromSnapshot, type Purchase } from '../src/scoring';
import { loadSnapshot, localMs } from '../src/scoring/features';
import { configFromEnv, PROJECT_ROOT } from '../src/shared';
import { openEmbeddedSources } from '../src/sources';

const AS_OF = process.env.BT_AS_OF ?? '2018-06-01';
const TEST_END = process.env.BT_TEST_END ?? '2018-09-01';
const KS = [5, 10] as const;
const MAX_K = 10;

type Recommender = (seed: string, k: number) => string[];

interface Tally {
  queries: number;
  hits: Record<string, number>;
}

const newTally = (): Tally => ({ queries: 0, hits: Object.fromEntries(KS.map((k) => [`@${k}`, 0])) });

/** Wilson 95 % interval of a proportion (the seeds of one order are not independent: read it as a lower bound on the uncertainty). */
function wilson(hits: number, n: number): [number, number] {
  if (n === 0) return [0, 0];
  const z = 1.96;
  const p = hits / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return [round(centre - half), round(centre + half)];
}

function rates(t: Tally) {
  return {
    queries: t.queries,
    ...Object.fromEntries(
      Object.entries(t.hits).flatMap(([k, h]) => [
        [`hitRate${k}`, t.queries ? Math.round((h / t.queries) * 10_000) / 10_000 : 0],
        [`ci95${k}`, wilson(h, t.queries)],
      ]),
    ),
  };
}

/** Several seeds' ranked lists merged round-robin (first seed first), without repeats or the seeds themselves. */
function merged(recommend: Recommender, seeds: readonly string[], k: number): string[] {
  const lists = seeds.map((s) => recommend(s, k + seeds.length));
  const exclude = new Set(seeds);
  const out: string[] = [];
  for (let i = 0; out.length < k && lists.some((l) => i < l.length); i++) {
    for (const list of lists) {
      const id = list[i];
      if (id !== undefined && !exclude.has(id) && out.length < k) {
        exclude.add(id);
        out.push(id);
      }
    }
  }
  return out;
}

function score(tally: Tally, recs: readonly string[], targets: ReadonlySet<string>): void {
  tally.queries++;
  for (const k of KS) if (recs.slice(0, k).some((id) => targets.has(id))) tally.hits[`@${k}`]++;
}

async function main(): Promise<void> {
  const sources = await openEmbeddedSources(configFromEnv().dataDir);
  const snap = await loadSnapshot(sources);
  await sources.close();
  const purchases = purchasesFromSnapshot(snap);
  const categories = categoriesFromSnapshot(snap);
  const asOf = localMs(`${AS_OF} 00:00:00`);
  const end = localMs(`${TEST_END} 00:00:00`);

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const index = BoughtTogetherIndex.mine(purchases, categories, { asOf });
  const buildMs = performance.now() - started;
  global.gc?.();
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;

  // Category popularity before the as-of, computed here independently of the index.
  const sold = new Map<string, number>();
  for (const p of purchases) if (p.t < asOf) for (const id of p.productIds) sold.set(id, (sold.get(id) ?? 0) + 1);
  const popular = new Map<string, string[]>();
  for (const id of [...sold.keys()].sort((a, b) => sold.get(b)! - sold.get(a)! || (a < b ? -1 : 1))) {
    const c = categories.get(id);
    if (!c) continue;
    const list = popular.get(c) ?? [];
    if (list.length < 60) list.push(id);
    popular.set(c, list);
  }
  const baseline: Recommender = (seed, k) => (popular.get(categories.get(seed) ?? '') ?? []).filter((id) => id !== seed).slice(0, k);
  const rules: Recommender = (seed, k) => index.recommend(seed, k).map((r) => r.productId);
  const productRules: Recommender = (seed, k) => [...index.rules(seed, 'ORDER'), ...index.rules(seed, 'PERSON')].map((r) => r.productId).slice(0, k);
  const recommenders = { rules, productRulesOnly: productRules, categoryPopularity: baseline };

  const tallies = { order: {} as Record<string, Tally>, person: {} as Record<string, Tally> };
  for (const name of Object.keys(recommenders)) {
    tallies.order[name] = newTally();
    tallies.person[name] = newTally();
  }
  let orderSeedsWithRules = 0;
  let personQueriesWithRules = 0;
  const hasProductRule = (seed: string) => index.rules(seed, 'ORDER').length + index.rules(seed, 'PERSON').length > 0;

  const earlier = new Map<string, Purchase[]>();
  let testOrders = 0;
  for (const p of purchases) {
    if (p.t >= end) break;
    if (p.t >= asOf) {
      testOrders++;
      if (p.productIds.length >= 2) {
        for (const seed of p.productIds) {
          const targets = new Set(p.productIds.filter((id) => id !== seed));
          if (hasProductRule(seed)) orderSeedsWithRules++;
          for (const [name, recommend] of Object.entries(recommenders)) score(tallies.order[name], recommend(seed, MAX_K), targets);
        }
      }
      const before = (earlier.get(p.personId) ?? []).filter((e) => e.t < p.t);
      if (before.length > 0) {
        const seeds = [...new Set([...before].reverse().flatMap((e) => e.productIds))];
        const targets = new Set(p.productIds.filter((id) => !seeds.includes(id)));
        if (targets.size > 0) {
          if (seeds.some(hasProductRule)) personQueriesWithRules++;
          for (const [name, recommend] of Object.entries(recommenders)) score(tallies.person[name], merged(recommend, seeds, MAX_K), targets);
        }
      }
    }
    const list = earlier.get(p.personId) ?? [];
    list.push(p);
    earlier.set(p.personId, list);
  }

  const result = {
    date: new Date().toISOString(),
    split: { rulesAsOf: AS_OF, testWindow: [AS_OF, TEST_END], testOrders },
    index: {
      ...index.stats,
      asOf: AS_OF,
      buildMs: Math.round(buildMs),
      heapMB: Math.round((heapBytes / 2 ** 20) * 10) / 10,
      gcExposed: typeof global.gc === 'function',
    },
    order: {
      seeds: tallies.order.rules.queries,
      seedsWithProductRules: orderSeedsWithRules,
      ...Object.fromEntries(Object.entries(tallies.order).map(([name, t]) => [name, rates(t)])),
    },
    person: {
      queries: tallies.person.rules.queries,
      queriesWithProductRules: personQueriesWithRules,
      ...Object.fromEntries(Object.entries(tallies.person).map(([name, t]) => [name, rates(t)])),
    },
  };
  const out = process.env.BENCH_OUT ?? path.join(PROJECT_ROOT, 'bench', 'results', `bought-together-${result.date.slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.log(`wrote ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
