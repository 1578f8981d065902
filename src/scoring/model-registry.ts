/**
 * The model registry: models/<name>/<version>/{model.onnx,config.json} (Triton's layout). For each
 * model name the highest numeric version is served (never an older one silently: a broken newest
 * version makes the model unavailable, and says why). Its config.json is checked against the
 * session's real input/output names and against the feature manifest the code defines now
 * (taskManifest(name).hash; forecastManifest().hash for demand_forecast): a model trained on other
 * features is not served.
 * Loading never throws: a missing, corrupt or mismatched model is listed as unavailable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ANOMALY_FEATURES } from './anomalies/order-features';
import { taskManifest, type Task } from './features';
import { FORECAST_FEATURES, FORECAST_MODEL, forecastManifest } from './forecast/features';
import { ModelSession, type ModelSessionOptions } from './model-session';
import { SEGMENT_FEATURES } from './segments/behaviour';

/** The models the graph's fields use; listed even when absent. */
export const SERVED_TASKS: readonly Task[] = ['delivery_risk', 'recommendation'];
/** Every model name a field asks for: the feature-store tasks and the demand forecast. */
export type ServedModel = Task | typeof FORECAST_MODEL;
export const SERVED_MODELS: readonly ServedModel[] = [...SERVED_TASKS, FORECAST_MODEL];

/** The knowledge-discovery models (segments, anomalies) and the feature columns they must declare; listed even when absent. */
export const KNOWLEDGE_MODELS = {
  segments: SEGMENT_FEATURES.map((f) => f.name),
  order_anomaly: ANOMALY_FEATURES.map((f) => f.name),
} as const satisfies Record<string, readonly string[]>;

export type KnowledgeModel = keyof typeof KNOWLEDGE_MODELS;

/** Any model a field scores with. */
export type ModelName = ServedModel | KnowledgeModel;

function isKnowledgeModel(name: string): name is KnowledgeModel {
  return Object.hasOwn(KNOWLEDGE_MODELS, name);
}

export interface TensorContract {
  name: string;
  dataType: string;
  dims: number[];
}

export interface ModelConfig {
  name?: string;
  platform?: string;
  input?: { name: string; data_type: string; dims: number[] }[];
  output?: { name: string; data_type: string; dims: number[] }[];
  feature_manifest_hash?: string;
  feature_names?: string[];
  metrics?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface LoadedModel {
  name: string;
  /** The served version's folder name; null when no version folder exists. */
  version: string | null;
  dir: string | null;
  config: ModelConfig | null;
  inputs: TensorContract[];
  outputs: TensorContract[];
  /** The session, when the model loaded, validated and warmed up. */
  session: ModelSession | null;
  /** The execution provider in use (null when unavailable). */
  executionProvider: string | null;
  /** Why the model is unavailable (null when it is served). */
  error: string | null;
  /** Milliseconds spent creating the session and warming it up. */
  loadMs: number;
}

export function isTask(name: string): name is Task {
  return (SERVED_TASKS as readonly string[]).includes(name);
}

/** The feature manifest the code defines for a served model (hash, fill values); null for other models. */
function servedManifest(name: string): { hash: string; fills: number[] } | null {
  if (isTask(name)) {
    const manifest = taskManifest(name);
    return { hash: manifest.hash, fills: manifest.features.map((f) => f.fill) };
  }
  if (name === FORECAST_MODEL) return { hash: forecastManifest().hash, fills: FORECAST_FEATURES.map((f) => f.fill) };
  return null;
}

/** model name → its numeric version folders, highest first. */
export function scanModels(modelsDir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  if (!fs.existsSync(modelsDir)) return found;
  for (const entry of fs.readdirSync(modelsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const versions = fs
      .readdirSync(path.join(modelsDir, entry.name), { withFileTypes: true })
      .filter((v) => v.isDirectory() && /^\d+$/.test(v.name))
      .map((v) => v.name)
      .sort((a, b) => Number(b) - Number(a));
    found.set(entry.name, versions);
  }
  return found;
}

function contracts(list: ModelConfig['input']): TensorContract[] {
  return (list ?? []).map((t) => ({ name: t.name, dataType: t.data_type, dims: t.dims }));
}

/** A model with nothing loaded (yet, or because of `error`). */
function unloadedModel(name: string, error: string | null): LoadedModel {
  return { name, version: null, dir: null, config: null, inputs: [], outputs: [], session: null, executionProvider: null, error, loadMs: 0 };
}

/** Loads one model's newest version; never throws. */
export async function loadModel(modelsDir: string, name: string, versions: readonly string[], options: ModelSessionOptions): Promise<LoadedModel> {
  const started = Date.now();
  const model = unloadedModel(name, null);
  try {
    const version = versions[0];
    if (version === undefined) throw new Error(`no version folder under ${path.join(modelsDir, name)}`);
    model.version = version;
    model.dir = path.join(modelsDir, name, version);
    const configPath = path.join(model.dir, 'config.json');
    if (!fs.existsSync(configPath)) throw new Error(`${configPath} is missing`);
    const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as ModelConfig;
    model.config = config;
    model.inputs = contracts(config.input);
    model.outputs = contracts(config.output);
    const input = config.input?.[0];
    const output = config.output?.[0];
    if (!input || !output) throw new Error('config.json declares no input or no output');
    if (input.data_type !== 'TYPE_FP32' || output.data_type !== 'TYPE_FP32') throw new Error('only TYPE_FP32 inputs and outputs are served');
    const width = input.dims[input.dims.length - 1];
    if (!Number.isInteger(width) || width <= 0) throw new Error(`input "${input.name}" has no fixed feature width`);
    const manifest = servedManifest(name);
    if (manifest) {
      if (config.feature_manifest_hash !== manifest.hash) {
        throw new Error(
          `config.json feature_manifest_hash ${config.feature_manifest_hash ?? '(none)'} ≠ the code's ${manifest.hash}: trained on other features`,
        );
      }
      if (width !== manifest.fills.length) throw new Error(`input width ${width} ≠ ${manifest.fills.length} manifest features`);
    }
    if (isKnowledgeModel(name)) {
      const expected = KNOWLEDGE_MODELS[name];
      if (JSON.stringify(config.feature_names) !== JSON.stringify(expected))
        throw new Error(`config.json feature_names ≠ the code's ${name} features: trained on other features`);
      if (width !== expected.length) throw new Error(`input width ${width} ≠ ${expected.length} ${name} features`);
    }
    const fills = manifest?.fills ?? null;
    const modelPath = path.join(model.dir, 'model.onnx');
    if (!fs.existsSync(modelPath)) throw new Error(`${modelPath} is missing`);
    const session = await ModelSession.create(modelPath, { inputName: input.name, outputName: output.name, width }, options);
    try {
      if (!session.inference.inputNames.includes(input.name))
        throw new Error(`the model has no input "${input.name}" (has ${session.inference.inputNames.join(', ')})`);
      if (!session.inference.outputNames.includes(output.name))
        throw new Error(`the model has no output "${output.name}" (has ${session.inference.outputNames.join(', ')})`);
      await session.warmUp(Float32Array.from(fills ?? new Array<number>(width).fill(0)));
    } catch (error) {
      await session.release().catch(() => undefined);
      throw error;
    }
    model.session = session;
    model.executionProvider = session.provider;
  } catch (error) {
    model.error = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  }
  model.loadMs = Date.now() - started;
  return model;
}

/** Every model under modelsDir plus the served tasks (absent ones as unavailable), sessions created and warmed up. */
export async function loadModelRegistry(modelsDir: string, options: ModelSessionOptions): Promise<Map<string, LoadedModel>> {
  const scanned = scanModels(modelsDir);
  const names = [...new Set([...SERVED_MODELS, ...Object.keys(KNOWLEDGE_MODELS), ...scanned.keys()])];
  const models = new Map<string, LoadedModel>();
  for (const name of names) {
    const versions = scanned.get(name) ?? [];
    if (!scanned.has(name)) {
      models.set(name, unloadedModel(name, `no model under ${path.join(modelsDir, name)}`));
      continue;
    }
    models.set(name, await loadModel(modelsDir, name, versions, options));
  }
  return models;
}
