/**
 * Reasons read the way they pushed: the raising direction takes the features with positive effects and
 * words only their risky (or attractive) side, the lowering direction the negative ones and their safe
 * side; largest effect first, one phrase once, the neutral phrase (no effect) when nothing stands out.
 */
import { featureNames } from '../../src/scoring/features';
import { reasonsFromContributions } from '../../src/scoring/reasons';

const names = featureNames('delivery_risk');
const at = (feature: string) => {
  const j = names.indexOf(feature);
  if (j < 0) throw new Error(`no feature ${feature}`);
  return j;
};

function rows(values: Record<string, [value: number, reference: number, contribution: number]>) {
  const row = new Float32Array(names.length);
  const reference = new Float32Array(names.length);
  const contributions = new Float32Array(names.length);
  for (const [feature, [v, r, c]] of Object.entries(values)) {
    row[at(feature)] = v;
    reference[at(feature)] = r;
    contributions[at(feature)] = c;
  }
  return { row, reference, contributions };
}

const ctx = { state: 'SP', sellerState: 'RJ' };

test('raised: positive effects only, largest first, each worded on its risky side', () => {
  const { row, reference, contributions } = rows({
    d_seller_late: [0.3, 0.08, 0.05],
    d_route_late: [0.2, 0.07, 0.09],
    d_log_freight: [1, 3, 0.02], // cheap freight that raised the risk: no risky-side phrase, so not said
    d_est_days: [30, 24, -0.04], // lowered: not part of what raised it
  });
  const reasons = reasonsFromContributions('delivery_risk', names, row, reference, contributions, ctx, 'raised');
  expect(reasons.map((r) => r.text)).toEqual(['late-prone route RJ → SP (20%)', 'seller often delivers late (30%)']);
  expect(reasons[0].effect).toBeCloseTo(0.09);
  expect(reasons[1].effect).toBeCloseTo(0.05);
});

test('lowered: negative effects only, most lowering first, worded on the safe side', () => {
  const { row, reference, contributions } = rows({
    d_seller_late: [0.02, 0.08, -0.03],
    d_est_days: [30, 24, -0.06],
    d_log_distance_km: [Math.log1p(12), Math.log1p(400), -0.01],
    d_route_late: [0.2, 0.07, 0.09], // raised it: not a reason for a low risk
  });
  const reasons = reasonsFromContributions('delivery_risk', names, row, reference, contributions, ctx, 'lowered');
  expect(reasons).toEqual([
    { text: 'generous promised window (30 days)', effect: expect.closeTo(-0.06) },
    { text: 'seller usually delivers on time (2% late)', effect: expect.closeTo(-0.03) },
    { text: 'short distance from the seller (12 km)', effect: expect.closeTo(-0.01) },
  ]);
});

test('at most three reasons, a phrase said once, and the neutral phrase without an effect when nothing stands out', () => {
  const { row, reference, contributions } = rows({
    d_log_price: [5, 4, 0.05],
    d_log_payment_value: [5, 4, 0.04], // the same words as d_log_price
    d_log_freight: [4, 3, 0.03],
    d_log_weight_kg: [3, 1, 0.02],
    d_log_volume_l: [3, 1, 0.01],
  });
  const raised = reasonsFromContributions('delivery_risk', names, row, reference, contributions, ctx, 'raised');
  expect(raised.map((r) => r.text)).toEqual(['high order value', 'expensive freight', 'heavy parcel']);
  expect(reasonsFromContributions('delivery_risk', names, row, reference, contributions, ctx, 'lowered')).toEqual([
    { text: 'typical delivery conditions', effect: null },
  ]);
});

test('a route with an unknown state is worded without the unknown code', () => {
  const { row, reference, contributions } = rows({ d_route_days_90d: [8, 10, -0.04], d_route_late: [0.02, 0.07, -0.03] });
  for (const sellerState of [null, '?']) {
    const reasons = reasonsFromContributions('delivery_risk', names, row, reference, contributions, { state: 'SP', sellerState }, 'lowered');
    expect(reasons.map((r) => r.text)).toEqual(["fast seller's route lately (8 days on average)", "reliable seller's route (2% late)"]);
  }
});
