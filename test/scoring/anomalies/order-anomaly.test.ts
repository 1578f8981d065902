/**
 * The anomaly features of hand-made orders against values worked out here, and the scoring with the
 * real ONNX model (models/order_anomaly): an ordinary order scores below one paid for without items,
 * dated before its purchase; each reason's effect is the score minus the score with that feature at
 * the training median (recomputed here with a second session), and is worded with the order's figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ANOMALY_FEATURES, anomalyRows, scoreAnomalies, type AnomalyModelConfig, type OrderFactsRow } from '../../../src/scoring/anomalies';
import { localMs } from '../../../src/scoring/features';
import { realVersionDir } from '../helpers/models-dir';

const dir = realVersionDir('order_anomaly');
const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as AnomalyModelConfig & { feature_names: string[] };
let session: InferenceSession;
const score = async (rows: Float32Array, n: number) =>
  (await session.run({ features: new Tensor('float32', rows, [n, ANOMALY_FEATURES.length]) })).score.data as Float32Array;

const t = (text: string) => localMs(text);
const order = (overrides: Partial<OrderFactsRow['order']>): OrderFactsRow['order'] => ({
  orderId: 'o',
  customerId: 'c',
  personId: 'p',
  status: 'delivered',
  purchase: t('2018-07-02 10:00:00'),
  approved: t('2018-07-02 10:20:00'),
  carrier: t('2018-07-04 15:00:00'),
  delivered: t('2018-07-12 18:00:00'),
  estimated: t('2018-07-26 00:00:00'),
  ...overrides,
});
const ordinary: OrderFactsRow = {
  order: order({}),
  items: [{ orderId: 'o', productId: 'x', sellerId: 's', price: 80, freight: 16, shippingLimit: t('2018-07-06 10:00:00') }],
  payments: [{ orderId: 'o', type: 'credit_card', installments: 2, value: 96 }],
};
const odd: OrderFactsRow = {
  order: order({ status: 'canceled', approved: Number.NaN, carrier: t('2018-07-01 09:00:00'), delivered: Number.NaN }),
  items: [],
  payments: [{ orderId: 'o', type: 'voucher', installments: 1, value: 2000 }],
};

beforeAll(async () => {
  session = await InferenceSession.create(path.join(dir, 'model.onnx'));
});

test('features of an ordinary and an odd order', () => {
  const values = (row: OrderFactsRow) => Object.fromEntries(ANOMALY_FEATURES.map((f, j) => [f.name, anomalyRows([row])[j]]));
  const a = values(ordinary);
  expect(a.a_payment_gap).toBe(0);
  expect(a.a_freight_ratio).toBeCloseTo(0.2, 6);
  expect(a.a_approval_hours).toBeCloseTo(1 / 3, 5);
  expect(a.a_carrier_days).toBeCloseTo(2 + 5 / 24, 5);
  expect(a.a_late_days).toBeCloseTo(-(13 + 6 / 24), 5);
  expect(a.a_status_stage).toBe(5);
  expect([a.a_missing_milestones, a.a_before_purchase, a.a_out_of_sequence]).toEqual([0, 0, 0]);
  const b = values(odd);
  expect(b.a_payment_gap).toBe(1);
  expect(b.a_voucher_share).toBe(1);
  expect(b.a_n_items).toBe(0);
  expect(b.a_approval_hours).toBe(-1);
  expect(b.a_carrier_days).toBeCloseTo(-(25 / 24), 5);
  expect(b.a_before_purchase).toBe(1);
  expect(b.a_status_stage).toBe(7);
  expect(config.feature_names).toEqual(ANOMALY_FEATURES.map((f) => f.name));
});

test('the odd order scores above the ordinary one; effects are occlusion differences, worded with the figures', async () => {
  const [plain, strange] = await scoreAnomalies([ordinary, odd], { config, modelVersion: 'order_anomaly/1', score });
  expect(strange.score).toBeGreaterThan(plain.score);
  expect(strange.level).not.toBe('LOW');
  const median = config.feature_median!;
  const row = anomalyRows([odd]);
  const base = (await score(row, 1))[0];
  expect(strange.score).toBeCloseTo(base, 6);
  for (const reason of strange.reasons) {
    expect(reason.effect).toBeGreaterThan(0);
    // Some feature, set to its median, lowers the score by exactly this effect.
    const candidates = await Promise.all(
      ANOMALY_FEATURES.map(async (f, j) => {
        const copy = row.slice();
        copy[j] = median[f.name];
        return base - (await score(copy, 1))[0];
      }),
    );
    expect(candidates.some((c) => Math.abs(c - reason.effect!) < 1e-6)).toBe(true);
  }
  expect(strange.reasons.map((r) => r.text).join(' | ')).toMatch(/R\$ 2000\.00 for an order with no items|voucher|before the purchase|no items|no seller/);
});
