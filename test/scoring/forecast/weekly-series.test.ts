/**
 * The demand forecast's weekly series and baselines on the dataset cut at 2018-03-14 12:00 (the seeded
 * stores, orders before the cut): every product and category series, and seller-scoped ones, equal a
 * count straight from the dataset's CSV files; the baselines, the eligibility rule and the
 * MASE scale equal figures computed here from those counts.
 */
import { ineligibility, maseScale, movingAverage, recentOrders, seasonalNaive, WeeklySales, weekLabel } from '../../../src/scoring';
import { loadSnapshot, localMs, type Snapshot } from '../../../src/scoring/features';
import { olistDatasetDir } from '../../helpers/olist-oracle';
import { openSeededSources } from '../../helpers/seeded-sources';
import { csvWeeks, dense, mondays, type CsvWeeks } from './csv-weeks';

const CUT = '2018-03-14 12:00:00';
let snap: Snapshot;
let sales: WeeklySales;
let csv: CsvWeeks;
let weeks: string[];

beforeAll(async () => {
  const { sources } = await openSeededSources();
  snap = await loadSnapshot(sources);
  await sources.close();
  sales = WeeklySales.fromSnapshot(snap, localMs(CUT));
  csv = csvWeeks(olistDatasetDir(), CUT);
  weeks = mondays(csv.firstMonday, '2018-03-12');
}, 300_000);

it('starts at the first week with an order and ends before the week holding the cut', () => {
  expect(weekLabel(sales.firstWeek)).toBe(csv.firstMonday);
  expect(weekLabel(sales.originWeek)).toBe('2018-03-12');
  expect(weeks.length).toBe(sales.originWeek - sales.firstWeek);
});

it('counts every product and category series as the CSVs do (an order once per product / category)', () => {
  const unscoped = [...csv.counts.keys()].filter((k) => k.endsWith('|'));
  expect(unscoped.length).toBeGreaterThan(1000);
  expect(new Set(sales.ids('PRODUCT').map((id) => `PRODUCT|${id}|`))).toEqual(new Set(unscoped.filter((k) => k.startsWith('PRODUCT|'))));
  expect(new Set(sales.ids('CATEGORY').map((id) => `CATEGORY|${id}|`))).toEqual(new Set(unscoped.filter((k) => k.startsWith('CATEGORY|'))));
  const differing = unscoped.filter((key) => {
    const [kind, id] = key.split('|') as ['PRODUCT' | 'CATEGORY', string];
    return sales.series({ kind, id, sellerId: null }).join() !== dense(csv, key, weeks).join();
  });
  expect(differing).toEqual([]);
});

it("counts a seller's own lines only when scoped to it", () => {
  const scoped = [...csv.counts.keys()].filter((k) => !k.endsWith('|'));
  // A product sold by several sellers: each one's series is its own share.
  const shared = [...csv.counts.keys()]
    .filter((k) => k.startsWith('PRODUCT|') && k.endsWith('|'))
    .find((k) => scoped.filter((s) => s.startsWith(k)).length > 1);
  expect(shared).toBeDefined();
  const differing = scoped.filter((key) => {
    const [kind, id, sellerId] = key.split('|') as ['PRODUCT' | 'CATEGORY', string, string];
    return sales.series({ kind, id, sellerId }).join() !== dense(csv, key, weeks).join();
  });
  expect(differing).toEqual([]);
  expect(sales.has({ kind: 'PRODUCT', id: shared!.split('|')[1], sellerId: 'not-a-seller' })).toBe(false);
});

it('answers the baselines, the eligibility rule and the MASE scale from the series', () => {
  const categories = [...csv.counts.keys()].filter((k) => k.startsWith('CATEGORY|') && k.endsWith('|'));
  let eligible = 0;
  for (const key of categories) {
    const y = dense(csv, key, weeks);
    const n = y.length;
    const last = (k: number) => y.slice(n - k);
    const sum = (xs: number[]) => xs.reduce((s, v) => s + v, 0);
    for (const h of [1, 4, 8]) expect(seasonalNaive(y, h)).toBe(y[n + h - 1 - 52]);
    expect(movingAverage(y, 4)).toBeCloseTo(sum(last(4)) / 4, 12);
    expect(movingAverage(y, 13)).toBeCloseTo(sum(last(13)) / 13, 12);
    expect(recentOrders(y)).toBe(sum(last(13)));
    const first = y.findIndex((v) => v > 0);
    const from = Math.max(first, n - 52, 1);
    const changes = y.slice(from).map((v, i) => Math.abs(v - y[from + i - 1]));
    expect(maseScale(y)).toBeCloseTo(sum(changes) / changes.length, 12);
    const reason = ineligibility(y, '2018-03-12');
    if (sum(last(13)) >= 6) {
      eligible++;
      expect(reason).toBeNull();
    } else expect(reason).toMatch(sum(last(13)) === 0 && first < 0 ? /^no orders before 2018-03-12$/ : /^only \d+ orders? in the 13 weeks before 2018-03-12/);
  }
  expect(eligible).toBeGreaterThan(5);
  expect(eligible).toBeLessThan(categories.length);
});
