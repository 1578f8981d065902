/**
 * Persons' behaviour and RFM scores against a count written here from the raw CSV rows of a
 * chronological cut (orders before 2017-04-01, read straight from the dataset), and the as-of rule:
 * later orders change nothing.
 */
import { personBehaviours, rfmCode, rfmCuts, rfmScores, type PersonBehaviour } from '../../../src/scoring/segments';
import { localMs } from '../../../src/scoring/features';
import type { CsvTable } from '../../helpers/olist-oracle';
import { csvTables, snapshotFromCsv, type CsvTables } from './csv-behaviour';

const CUT = localMs('2017-04-01 00:00:00');
const DAY = 86_400_000;
const col = (table: CsvTable, name: string) => table.header.indexOf(name);

let tables: CsvTables;
let computed: Map<string, PersonBehaviour>;
let computedWithLater: Map<string, PersonBehaviour>;

interface Expected {
  orders: number;
  last: number;
  spend: number;
  boleto: number;
  voucher: number;
  paid: number;
  categories: Set<string>;
}

/** Brute force over the raw rows: bought orders (not canceled/unavailable, with an item) before the cut. */
function expectedByPerson(t: CsvTables, cut: number): Map<string, Expected> {
  const person = new Map(t.customers.rows.map((r) => [r[col(t.customers, 'customer_id')], r[col(t.customers, 'customer_unique_id')]]));
  const category = new Map(t.products.rows.map((r) => [r[col(t.products, 'product_id')], r[col(t.products, 'product_category_name')]]));
  const group = (table: CsvTable) => {
    const by = new Map<string, string[][]>();
    for (const r of table.rows) by.set(r[col(table, 'order_id')], [...(by.get(r[col(table, 'order_id')]) ?? []), r]);
    return by;
  };
  const itemsBy = group(t.items);
  const paymentsBy = group(t.payments);
  const out = new Map<string, Expected>();
  for (const o of t.orders.rows) {
    const purchase = localMs(o[col(t.orders, 'order_purchase_timestamp')]);
    const status = o[col(t.orders, 'order_status')];
    if (!(purchase < cut) || status === 'canceled' || status === 'unavailable') continue;
    const id = o[col(t.orders, 'order_id')];
    const itemRows = itemsBy.get(id) ?? [];
    if (itemRows.length === 0) continue;
    const payRows = paymentsBy.get(id) ?? [];
    const p = person.get(o[col(t.orders, 'customer_id')])!;
    const e = out.get(p) ?? { orders: 0, last: -Infinity, spend: 0, boleto: 0, voucher: 0, paid: 0, categories: new Set<string>() };
    e.orders += 1;
    e.last = Math.max(e.last, purchase);
    for (const r of itemRows) if (category.get(r[col(t.items, 'product_id')])) e.categories.add(category.get(r[col(t.items, 'product_id')])!);
    if (payRows.length === 0) for (const r of itemRows) e.spend += Number(r[col(t.items, 'price')]) + Number(r[col(t.items, 'freight_value')]);
    for (const r of payRows) {
      const value = Number(r[col(t.payments, 'payment_value')]);
      e.spend += value;
      e.paid += value;
      if (r[col(t.payments, 'payment_type')] === 'boleto') e.boleto += value;
      if (r[col(t.payments, 'payment_type')] === 'voucher') e.voucher += value;
    }
    out.set(p, e);
  }
  return out;
}

beforeAll(() => {
  const full = csvTables();
  computed = personBehaviours(snapshotFromCsv(full, CUT), CUT);
  computedWithLater = personBehaviours(snapshotFromCsv(full, Infinity), CUT);
  tables = { ...full };
  // The orders of the cut only: a small table, so the brute force above stays quick.
  const cutOrders = new Set(tables.orders.rows.filter((r) => localMs(r[col(tables.orders, 'order_purchase_timestamp')]) < CUT).map((r) => r[0]));
  tables.items = { ...tables.items, rows: tables.items.rows.filter((r) => cutOrders.has(r[col(tables.items, 'order_id')])) };
  tables.payments = { ...tables.payments, rows: tables.payments.rows.filter((r) => cutOrders.has(r[col(tables.payments, 'order_id')])) };
}, 120_000);

test('orders, recency, spend, payment shares and categories of every person match the brute-force count', () => {
  const expected = expectedByPerson(tables, CUT);
  expect(expected.size).toBeGreaterThan(3000);
  expect([...computed.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [personId, e] of expected) {
    const b = computed.get(personId)!;
    expect(b.orders).toBe(e.orders);
    expect(b.recencyDays).toBeCloseTo((CUT - e.last) / DAY, 9);
    expect(b.spend).toBeCloseTo(e.spend, 6);
    expect(b.boletoShare).toBeCloseTo(e.paid > 0 ? e.boleto / e.paid : 0, 9);
    expect(b.voucherShare).toBeCloseTo(e.paid > 0 ? e.voucher / e.paid : 0, 9);
    expect(b.categories).toBe(e.categories.size);
  }
});

test('RFM scores: quintile cut points by nearest rank, recency reversed, ties together', () => {
  const persons = [...computed.values()];
  const cuts = rfmCuts(persons);
  const nearestRank = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    return [1, 2, 3, 4].map((k) => s[Math.ceil((k / 5) * s.length) - 1]);
  };
  expect(cuts.spend).toEqual(nearestRank(persons.map((p) => p.spend)));
  expect(cuts.recencyDays).toEqual(nearestRank(persons.map((p) => p.recencyDays)));
  const counts = new Map<string, number>();
  for (const p of persons) {
    const s = rfmScores(p, cuts);
    let monetary = 1;
    for (const c of cuts.spend) if (p.spend > c) monetary++;
    let recency = 5;
    for (const c of cuts.recencyDays) if (p.recencyDays > c) recency--;
    expect(s.monetary).toBe(monetary);
    expect(s.recency).toBe(recency);
    // Almost everyone has one order: every cut point is 1, so F is 1 or 5.
    expect(s.frequency).toBe(p.orders > 1 ? 5 : 1);
    expect(rfmCode(s)).toBe(`R${s.recency}F${s.frequency}M${s.monetary}`);
    counts.set(`M${s.monetary}`, (counts.get(`M${s.monetary}`) ?? 0) + 1);
  }
  // Spend has few ties: each M score holds about a fifth of the persons.
  for (let m = 1; m <= 5; m++) expect(counts.get(`M${m}`)! / persons.length).toBeGreaterThan(0.15);
});

test('as of a date: orders at or after it change nothing', () => {
  expect(computedWithLater).toEqual(computed);
});
