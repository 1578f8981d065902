/**
 * The model registry over temporary model repositories (real ONNX files): the newest version is
 * served; a truncated model.onnx, a missing model, a config.json that disagrees with the model or
 * with the feature manifest make the model unavailable (with the reason) without throwing; asking
 * for cuda,cpu on a machine without the CUDA provider falls back to cpu and says so once.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { missingProviderLibrary } from '../../src/scoring/execution-providers';
import { loadModelRegistry, parseExecutionProviders, scoringConfigFromEnv, unusableProviders } from '../../src/scoring';
import { tempModels, type TempModels } from './helpers/models-dir';

describe('model registry', () => {
  let models: TempModels;
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);

  beforeEach(() => {
    models = tempModels();
  });
  afterEach(() => models.remove());

  it('serves the highest numeric version, with its contract and a warmed-up session', async () => {
    models.copy('delivery_risk', '1');
    models.copy('delivery_risk', '10');
    models.copy('delivery_risk', '2');
    const registry = await loadModelRegistry(models.dir, { providers: ['cpu'], log });
    const risk = registry.get('delivery_risk')!;
    expect(risk.error).toBeNull();
    expect(risk.version).toBe('10');
    expect(risk.executionProvider).toBe('cpu');
    expect(risk.inputs[0]).toMatchObject({ name: 'features', dataType: 'TYPE_FP32' });
    expect(risk.session!.runs).toBe(0); // the warm-up is not counted
    // the served tasks are always listed, absent ones as unavailable
    expect(registry.get('recommendation')).toMatchObject({ session: null, version: null });
    expect(registry.get('recommendation')!.error).toMatch(/no model/);
  });

  it('lists a truncated model.onnx as unavailable instead of failing', async () => {
    models.truncated('delivery_risk');
    const registry = await loadModelRegistry(models.dir, { providers: ['cpu'], log });
    const risk = registry.get('delivery_risk')!;
    expect(risk.session).toBeNull();
    expect(risk.version).toBe('1');
    expect(risk.error).toMatch(/protobuf|load model|failed/i);
  });

  it('refuses a model whose config.json disagrees with the feature manifest or with the model', async () => {
    const dir = models.copy('delivery_risk');
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, feature_manifest_hash: 'f'.repeat(64) }));
    expect((await loadModelRegistry(models.dir, { providers: ['cpu'], log })).get('delivery_risk')!.error).toMatch(/trained on other features/);

    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, output: [{ ...config.output[0], name: 'score' }] }));
    expect((await loadModelRegistry(models.dir, { providers: ['cpu'], log })).get('delivery_risk')!.error).toMatch(/no output "score"/);

    fs.rmSync(path.join(dir, 'config.json'));
    expect((await loadModelRegistry(models.dir, { providers: ['cpu'], log })).get('delivery_risk')!.error).toMatch(/config.json is missing/);
  });

  it('skips a provider whose shared library is not installed, before onnxruntime is asked', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-ort-bin-'));
    try {
      expect(missingProviderLibrary('cuda', bin)).toMatch(/libonnxruntime_providers_cuda\.so is not installed/);
      fs.writeFileSync(path.join(bin, 'libonnxruntime_providers_cuda.so'), '');
      expect(missingProviderLibrary('cuda', bin)).toBeNull();
      expect(missingProviderLibrary('cpu', bin)).toBeNull();
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('a process without the CUDA provider prints one clear line, no native loader error', () => {
    if (!missingProviderLibrary('cuda')) return; // the CUDA provider is installed here: nothing to fall back from
    models.copy('delivery_risk');
    const script = `require(${JSON.stringify(path.join(__dirname, '../helpers/swc-register.js'))});
      require(${JSON.stringify(path.join(__dirname, '../../src/scoring'))})
        .loadModelRegistry(${JSON.stringify(models.dir)}, { providers: ['cuda', 'cpu'] })
        .then((r) => console.log('provider=' + r.get('delivery_risk').executionProvider));`;
    const { stdout, stderr, status } = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(status).toBe(0);
    expect(stdout).toContain('provider=cpu');
    expect(stderr).not.toMatch(/Failed to load|providers_shared/);
    expect(stderr.split('\n').filter((line) => line.includes('"cuda" cannot load'))).toHaveLength(1);
  });

  it('falls back from cuda to cpu when the CUDA provider cannot load, logging it once', async () => {
    models.copy('delivery_risk');
    models.copy('recommendation');
    const registry = await loadModelRegistry(models.dir, { providers: ['cuda', 'cpu'], log });
    const again = await loadModelRegistry(models.dir, { providers: ['cuda', 'cpu'], log });
    const cudaMissing = unusableProviders().has('cuda');
    for (const r of [registry, again]) {
      for (const name of ['delivery_risk', 'recommendation']) {
        expect(r.get(name)!.error).toBeNull();
        expect(r.get(name)!.executionProvider).toBe(cudaMissing ? 'cpu' : 'cuda');
      }
    }
    if (cudaMissing) {
      expect(logs.filter((l) => l.includes('"cuda" cannot load'))).toHaveLength(1);
      // cuda alone, without the cpu fallback, leaves the model unavailable
      const cudaOnly = await loadModelRegistry(models.dir, { providers: ['cuda'], log });
      expect(cudaOnly.get('delivery_risk')!.session).toBeNull();
      expect(cudaOnly.get('delivery_risk')!.error).toMatch(/no usable execution provider/);
    }
  });

  it('reads providers and batching from the environment', () => {
    expect(parseExecutionProviders(undefined)).toEqual(['cuda', 'cpu']);
    expect(parseExecutionProviders(' CPU ,cpu')).toEqual(['cpu']);
    const config = scoringConfigFromEnv({ FUSION_EXECUTION_PROVIDERS: 'cuda', FUSION_SCORING_MAX_BATCH: '512', FUSION_SCORING_MAX_WAIT_MS: '2' });
    expect(config).toMatchObject({ executionProviders: ['cuda'], maxBatchSize: 512, maxWaitMs: 2 });
    expect(() => scoringConfigFromEnv({ FUSION_SCORING_MAX_WAIT_MS: '5' })).toThrow(/0\.\.2/);
  });
});
