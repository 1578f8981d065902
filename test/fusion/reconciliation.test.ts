import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reconcileSources, type DataQualityReport, type TableReconciliation } from '../../src/fusion';
import { seedEmbeddedStores } from '../../src/seed';
import { configFromEnv } from '../../src/shared';
import { openEmbeddedSources, type Sources } from '../../src/sources';
import { writeMiniDataset } from '../helpers/mini-dataset';
import { olistOracle } from '../helpers/olist-oracle';

const oracle = olistOracle();
const table = (report: DataQualityReport, name: string): TableReconciliation => report.tables.find((t) => t.table === name)!;
const flagCount = (t: TableReconciliation, rule: string) => t.flagsByRule.find((f) => f.rule === rule)?.count ?? 0;

describe('reconciliation on the full data', () => {
  let sources: Sources;
  let report: DataQualityReport;
  beforeAll(async () => {
    sources = await openEmbeddedSources(configFromEnv().dataDir);
    report = await reconcileSources(sources);
  }, 120_000);
  afterAll(() => sources.close());

  it('accounts for 100% of the rows of every table: read = served + merged + rejected', () => {
    expect(report.balanced).toBe(true);
    for (const t of report.tables) {
      expect({ table: t.table, sum: t.served + t.merged + t.rejected }).toEqual({ table: t.table, sum: t.read });
      expect(t.flagged).toBeLessThanOrEqual(t.served);
    }
  });

  it('reads exactly the rows the CSV files hold', () => {
    const expected: Record<string, number> = {
      customers: oracle.customers().length,
      products: oracle.products().length,
      sellers: oracle.sellers().length,
      category_translations: oracle.categoryTranslations().length,
      orders: oracle.orders().length,
      order_items: oracle.orderItems().length,
      order_payments: oracle.orderPayments().length,
      reviews: oracle.reviews().length,
      geolocation: oracle.geolocation().length,
    };
    expect(Object.fromEntries(report.tables.map((t) => [t.table, t.read]))).toEqual(expected);
  });

  it('merges CRM accounts into people', () => {
    const persons = oracle.users().size;
    expect(table(report, 'customers')).toMatchObject({ served: persons, merged: oracle.customers().length - persons, rejected: 0 });
  });

  it('counts each flag as often as the CSV files warrant', () => {
    const orders = table(report, 'orders');
    const reviewsPerOrder = oracle.reviewsByOrderId();
    expect(flagCount(orders, 'order.multiple_reviews')).toBe([...reviewsPerOrder.values()].filter((reviews) => reviews.length > 1).length);
    const totalMismatches = oracle.orders().filter((o) => {
      const itemCents = (oracle.itemsByOrderId().get(o.orderId) ?? []).reduce((sum, item) => sum + item.priceCents + item.freightCents, 0);
      const payments = oracle.paymentsByOrderId().get(o.orderId) ?? [];
      return Math.abs(itemCents - payments.reduce((sum, p) => sum + p.valueCents, 0)) > 1;
    }).length;
    expect(flagCount(orders, 'order.total_from_payments')).toBe(totalMismatches);
    const lacking = oracle
      .orders()
      .filter(
        (o) =>
          (['approved', 'invoiced', 'processing', 'shipped', 'delivered'].includes(o.status) && o.approvedAt === null) ||
          (['shipped', 'delivered'].includes(o.status) && o.deliveredCarrierDate === null) ||
          (o.status === 'delivered' && o.deliveredCustomerDate === null),
      ).length;
    expect(flagCount(orders, 'order.expected_dates')).toBe(lacking);

    expect(flagCount(table(report, 'order_payments'), 'payment.type_not_defined')).toBe(oracle.orderPayments().filter((p) => p.type === 'not_defined').length);
    const uncategorised = oracle.products().filter((p) => p.categoryName === null || oracle.categoryNameEn(p.categoryName) === null).length;
    expect(flagCount(table(report, 'products'), 'category.translate')).toBe(uncategorised);
    const badMeasures = oracle
      .products()
      .reduce((sum, p) => sum + [p.weightG, p.lengthCm, p.heightCm, p.widthCm].filter((v) => v === null || v <= 0).length, 0);
    expect(flagCount(table(report, 'products'), 'product.measure')).toBe(badMeasures);
  });
});

describe('reconciliation of a cut dataset with orphans', () => {
  let dir: string;
  let datasetDir: string;
  let sources: Sources;
  let report: DataQualityReport;
  beforeAll(async () => {
    // The first 400 rows of every file: items, payments and reviews of orders that were cut become orphans.
    datasetDir = writeMiniDataset(fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-dataset-cut-')), { rows: 400 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-reconcile-'));
    await seedEmbeddedStores({ datasetDir, dataDir: dir });
    sources = await openEmbeddedSources(dir);
    report = await reconcileSources(sources);
  });
  afterAll(async () => {
    await sources.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(datasetDir, { recursive: true, force: true });
  });

  it('rejects, with a reason, the rows the graph cannot reach, and still balances', () => {
    expect(report.balanced).toBe(true);
    for (const name of ['orders', 'order_items', 'order_payments', 'reviews']) {
      const t = table(report, name);
      expect(t.read).toBe(400);
      expect(t.rejected).toBeGreaterThan(0);
      expect(t.rejectionsByReason.reduce((sum, r) => sum + r.count, 0)).toBe(t.rejected);
    }
    expect(table(report, 'order_items').rejectionsByReason.map((r) => r.reason)).toContain('order unknown');
    expect(table(report, 'orders').rejectionsByReason.map((r) => r.reason)).toEqual(['customer account unknown to the CRM']);
  });
});
