/**
 * Cross-language parity: the committed ONNX models, run through onnxruntime-node on the fixture
 * batch the training script saved, give PyTorch's outputs within 1e-5; and each model's config.json
 * matches the feature manifest the code defines now.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ProductEmbeddings, taskManifest, type Task } from '../../src/scoring/features';

const ROOT = path.resolve(__dirname, '..', '..');

interface Fixture {
  model: string;
  feature_manifest_hash: string;
  input: string;
  output: string;
  shape: [number, number];
  features: number[];
  expected: number[];
}

describe.each(['delivery_risk', 'recommendation'] as Task[])('%s ONNX model', (task) => {
  const versionDir = path.join(ROOT, 'models', task, '1');
  const config = JSON.parse(fs.readFileSync(path.join(versionDir, 'config.json'), 'utf8'));
  const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'onnx-parity', `${task}.json`), 'utf8')) as Fixture;

  it('matches the PyTorch outputs within 1e-5', async () => {
    const session = await ort.InferenceSession.create(path.join(versionDir, 'model.onnx'));
    const input = new ort.Tensor('float32', Float32Array.from(fixture.features), fixture.shape);
    const result = await session.run({ [fixture.input]: input });
    const output = result[fixture.output];
    expect(output.dims).toEqual([fixture.shape[0], 1]);
    const values = Array.from(output.data as Float32Array);
    expect(values).toHaveLength(fixture.expected.length);
    values.forEach((v, i) => expect(Math.abs(v - fixture.expected[i])).toBeLessThanOrEqual(1e-5));
    // the batch axis is dynamic
    const one = await session.run({
      [fixture.input]: new ort.Tensor('float32', Float32Array.from(fixture.features.slice(0, fixture.shape[1])), [1, fixture.shape[1]]),
    });
    expect(Math.abs((one[fixture.output].data as Float32Array)[0] - fixture.expected[0])).toBeLessThanOrEqual(1e-5);
  });

  it('config.json follows the contract and the current feature manifest', () => {
    const manifest = taskManifest(task);
    expect(config.name).toBe(task);
    expect(config.platform).toBe('onnxruntime_onnx');
    expect(config.input).toEqual([{ name: 'features', data_type: 'TYPE_FP32', dims: [-1, manifest.features.length] }]);
    expect(config.output).toEqual([{ name: 'probability', data_type: 'TYPE_FP32', dims: [-1, 1] }]);
    expect(config.feature_manifest_hash).toBe(manifest.hash);
    expect(fixture.feature_manifest_hash).toBe(manifest.hash);
    expect(config.feature_names).toEqual(manifest.features.map((f) => f.name));
    expect(typeof config.seed).toBe('number');
    expect(config.data_window).toBeDefined();
    expect(config.metrics).toBeDefined();
    expect(fs.statSync(path.join(versionDir, 'model.onnx')).size).toBeLessThan(20 * 1024 * 1024);
  });
});

describe('product embeddings', () => {
  it('load and answer similar products', () => {
    const embeddings = ProductEmbeddings.load(path.join(ROOT, 'models', 'recommendation', '1'));
    expect(embeddings.ids.length).toBeGreaterThan(30_000);
    const first = embeddings.ids[0];
    const similar = embeddings.similar(first, 5);
    expect(similar).toHaveLength(5);
    expect(similar.every((s) => s.productId !== first && s.score <= 1 + 1e-5)).toBe(true);
  });
});
