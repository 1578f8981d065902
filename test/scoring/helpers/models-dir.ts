/** Temporary model repositories for the scoring tests, made from the real models/ folder. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { taskManifest } from '../../../src/scoring/features';

export const REAL_MODELS_DIR = path.resolve(__dirname, '..', '..', '..', 'models');

/** The newest version folder of a real model. */
export function realVersionDir(name: string): string {
  const dir = path.join(REAL_MODELS_DIR, name);
  const versions = fs
    .readdirSync(dir)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return path.join(dir, versions[0]);
}

/**
 * While the ML engineer changes feature definitions, the committed models' config.json may carry the
 * previous manifest hash (the registry then rightly refuses them). For tests of the serving machinery,
 * a temporary copy gets the current hash when the input width still matches.
 */
function restampIfStale(name: string, versionDir: string): boolean {
  if (name !== 'delivery_risk' && name !== 'recommendation') return false;
  const configPath = path.join(versionDir, 'config.json');
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
  const manifest = taskManifest(name);
  if (config.feature_manifest_hash === manifest.hash || config.input?.[0]?.dims?.[1] !== manifest.features.length) return false;
  fs.writeFileSync(configPath, JSON.stringify({ ...config, feature_manifest_hash: manifest.hash }));
  return true;
}

export interface TempModels {
  dir: string;
  /** Copies a real model's newest version's model.onnx and config.json as `version`. */
  copy(name: string, version?: string): string;
  /** Like copy, with model.onnx cut to its first `bytes` bytes (a corrupt download). */
  truncated(name: string, version?: string, bytes?: number): string;
  remove(): void;
}

export function tempModels(): TempModels {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-models-'));
  const copy = (name: string, version = '1') => {
    const target = path.join(dir, name, version);
    fs.mkdirSync(target, { recursive: true });
    for (const file of ['model.onnx', 'config.json']) fs.copyFileSync(path.join(realVersionDir(name), file), path.join(target, file));
    restampIfStale(name, target);
    return target;
  };
  return {
    dir,
    copy,
    truncated(name, version = '1', bytes = 1000) {
      const target = copy(name, version);
      const model = path.join(target, 'model.onnx');
      fs.writeFileSync(model, fs.readFileSync(model).subarray(0, bytes));
      return target;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The real models (every file, embeddings included), as a repository the registry will serve with this checkout's feature code. */
export function servableModels(): { dir: string; restamped: string[]; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-models-'));
  const restamped: string[] = [];
  for (const name of ['delivery_risk', 'recommendation', 'demand_forecast', 'segments', 'order_anomaly'] as const) {
    const source = realVersionDir(name);
    const target = path.join(dir, name, path.basename(source));
    fs.mkdirSync(target, { recursive: true });
    for (const file of fs.readdirSync(source)) fs.copyFileSync(path.join(source, file), path.join(target, file));
    if (restampIfStale(name, target)) restamped.push(name);
  }
  if (restamped.length) console.warn(`scoring tests: ${restamped.join(', ')} trained on an older feature manifest; hash restamped in a temporary copy`);
  return { dir, restamped, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
