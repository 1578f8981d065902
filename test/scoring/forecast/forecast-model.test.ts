/**
 * The demand_forecast model in the registry (real ONNX file in a temporary repository): served with
 * its 17-feature contract when its manifest hash is the code's, listed as unavailable (with the
 * reason) when it is missing or trained on other features; its calibration is read from config.json,
 * and a config without one is refused. The model's expected orders grow with the recent orders.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FORECAST_FEATURES, forecastCalibration, forecastManifest, loadModelRegistry, MAX_HORIZON, weekOf, writeForecastRows } from '../../../src/scoring';
import { localMs } from '../../../src/scoring/features';
import { tempModels, type TempModels } from '../helpers/models-dir';

let models: TempModels;
beforeEach(() => (models = tempModels()));
afterEach(() => models.remove());

it('is served with its contract, and its expected orders grow with the recent orders', async () => {
  const dir = models.copy('demand_forecast');
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  expect(config.feature_manifest_hash).toBe(forecastManifest().hash);
  const model = (await loadModelRegistry(models.dir, { providers: ['cpu'] })).get('demand_forecast')!;
  expect(model.error).toBeNull();
  expect(model.inputs[0].dims).toEqual([-1, FORECAST_FEATURES.length]);
  const origin = weekOf(localMs('2018-05-28 00:00:00'));
  const width = FORECAST_FEATURES.length;
  const rows = new Float32Array(3 * width);
  [1, 3, 10].forEach((perWeek, i) => writeForecastRows({ history: new Array(60).fill(perWeek), origin, kind: 'PRODUCT' }, 1, rows, i * width));
  const expected = await model.session!.run(rows, 3);
  expect(expected[0]).toBeGreaterThan(0);
  expect(expected[1]).toBeGreaterThan(expected[0]);
  expect(expected[2]).toBeGreaterThan(expected[1]);
  await model.session!.release();
  const calibration = forecastCalibration(model.config);
  expect(calibration.level).toBe(0.8);
  for (const kind of ['PRODUCT', 'CATEGORY'] as const) {
    expect(calibration.quantiles[kind]).toHaveLength(MAX_HORIZON);
    for (const [low, median, high] of calibration.quantiles[kind]) expect(low < median && median < high).toBe(true);
  }
});

it('is unavailable, saying why, when missing or trained on other features', async () => {
  expect((await loadModelRegistry(models.dir, { providers: ['cpu'] })).get('demand_forecast')!.error).toMatch(/no model/);
  const dir = models.copy('demand_forecast');
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), feature_manifest_hash: 'f'.repeat(64) }));
  const model = (await loadModelRegistry(models.dir, { providers: ['cpu'] })).get('demand_forecast')!;
  expect(model.session).toBeNull();
  expect(model.error).toMatch(/trained on other features/);
});

it('refuses a config.json without the interval calibration', () => {
  expect(() => forecastCalibration({})).toThrow(/no interval calibration/);
  expect(() => forecastCalibration({ interval: { level: 0.8, log_ratio_quantiles: { PRODUCT: [[0, 0, 0]], CATEGORY: [] } } })).toThrow(
    /no interval calibration/,
  );
});
