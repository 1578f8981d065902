/**
 * ScoringService: ties the model registry, the serving features and one micro-batcher per model
 * together, for one server. Models are loaded (sessions created, warmed up) when the service starts;
 * a model that cannot load is listed as unavailable and its fields answer MODEL_UNAVAILABLE. The
 * feature store is built in the background on first use (or at start-up with prewarm()).
 * Registry and store are shared process-wide (keyed by their settings), so several servers in one
 * process — tests, the embedded gateway — pay for them once.
 */
import { observeModelRun } from '../observability';
import type { Sources } from '../sources';
import type { AnomalyModel, AnomalyModelConfig } from './anomalies';
import { buildBoughtTogether, type BoughtTogetherIndex } from './bought-together';
import { scoringConfigFromEnv, type ScoringConfig } from './config';
import { modelUnavailable } from './errors';
import { servingFeatures, type ServingFeatures } from './feature-assembly';
import { FORECAST_MODEL, forecastCalibration, Forecaster } from './forecast';
import { createScoringLoaders, type ScoringLoaders } from './loaders';
import { MicroBatcher } from './micro-batcher';
import { loadModelRegistry, type LoadedModel, type ModelName } from './model-registry';
import { buildSegmentIndex, type SegmentIndex, type SegmentsModelConfig } from './segments';

export interface ScoringServiceOptions {
  sources: Sources;
  /** Identifies the data the sources read (the data folder): the feature store is built once per key. */
  dataKey: string;
  /** Overrides of the environment's settings (scoringConfigFromEnv). */
  config?: Partial<ScoringConfig>;
  log?: (line: string) => void;
}

export interface ModelRuntime {
  model: LoadedModel;
  batcher: MicroBatcher | null;
}

export type FeatureStoreState = 'idle' | 'building' | 'ready' | 'failed';

export interface ModelInfoView {
  name: string;
  version: string | null;
  status: 'READY' | 'UNAVAILABLE';
  executionProvider: string | null;
  error: string | null;
  inputs: { name: string; dataType: string; dims: number[] }[];
  outputs: { name: string; dataType: string; dims: number[] }[];
  metrics: { name: string; value: number }[];
}

const registries = new Map<string, Promise<Map<string, ModelRuntime>>>();

function registryFor(config: ScoringConfig, log: (line: string) => void): Promise<Map<string, ModelRuntime>> {
  const key = JSON.stringify([
    config.modelsDir,
    config.executionProviders,
    config.intraOpNumThreads,
    config.maxBatchSize,
    config.maxWaitMs,
    config.maxConcurrentRuns,
  ]);
  let registry = registries.get(key);
  if (!registry) {
    registry = loadModelRegistry(config.modelsDir, {
      providers: config.executionProviders,
      intraOpNumThreads: config.intraOpNumThreads,
      log,
    }).then((models) => {
      const runtimes = new Map<string, ModelRuntime>();
      for (const [name, model] of models) {
        const session = model.session;
        const batcher = session
          ? new MicroBatcher({
              width: session.width,
              maxBatchSize: config.maxBatchSize,
              maxWaitMs: config.maxWaitMs,
              maxConcurrentRuns: config.maxConcurrentRuns,
              run: (input, rows) => observeModelRun(name, rows, () => session.run(input, rows)),
            })
          : null;
        if (model.error) log(`scoring: model "${name}" unavailable: ${model.error}`);
        else log(`scoring: model "${name}" version ${model.version} on ${model.executionProvider} (${model.loadMs} ms)`);
        runtimes.set(name, { model, batcher });
      }
      return runtimes;
    });
    registries.set(key, registry);
  }
  return registry;
}

/** Flattens config.json metrics ({test: {roc_auc: …}}) into numeric name/value pairs ("test.roc_auc"). */
function flattenMetrics(value: unknown, prefix = ''): { name: string; value: number }[] {
  if (typeof value === 'number' && Number.isFinite(value)) return [{ name: prefix, value }];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => flattenMetrics(inner, prefix ? `${prefix}.${key}` : key));
}

export class ScoringService {
  private features: Promise<ServingFeatures> | null = null;
  private storeState: FeatureStoreState = 'idle';
  private storeError: string | null = null;
  private storeBuildMs: number | null = null;
  private rules: Promise<BoughtTogetherIndex> | null = null;
  private forecaster: Promise<Forecaster> | null = null;
  private segmentIndex: Promise<SegmentIndex> | null = null;

  private constructor(
    private readonly options: ScoringServiceOptions,
    readonly config: ScoringConfig,
    readonly runtimes: Map<string, ModelRuntime>,
    readonly log: (line: string) => void,
  ) {}

  /** Loads the models (never throws: unusable models are listed as unavailable). */
  static async start(options: ScoringServiceOptions): Promise<ScoringService> {
    const config = { ...scoringConfigFromEnv(), ...options.config };
    const log = options.log ?? ((line: string) => console.log(line));
    const runtimes = await registryFor(config, log);
    return new ScoringService(options, config, runtimes, log);
  }

  /** Starts building the feature store now, in the background. */
  prewarm(): void {
    this.boughtTogether().catch(() => undefined);
  }

  /**
   * The bought-together rule index, mined from the feature store's snapshot at its as-of time once
   * the store is built (no model needed); MODEL_UNAVAILABLE if the store cannot be built.
   */
  boughtTogether(): Promise<BoughtTogetherIndex> {
    if (!this.rules) {
      this.rules = this.ensureFeatures('bought_together').then((features) => {
        const { index, buildMs, heapBytes, restored } = buildBoughtTogether(features.store);
        const s = index.stats;
        this.log(
          `scoring: bought-together rules ${restored ? 'read back with the feature store' : `ready in ${buildMs.toFixed(0)} ms (~${(heapBytes / 2 ** 20).toFixed(0)} MB heap)`}: ` +
            `${s.orderRules} order, ${s.personRules} person, ${s.categoryRules} category rules over ${s.orderBaskets} orders / ${s.personBaskets} persons`,
        );
        return index;
      });
      this.rules.catch(() => (this.rules = null));
    }
    return this.rules;
  }

  /**
   * The demand forecaster: weekly sales counted from the feature store's snapshot at its as-of time,
   * with the demand_forecast model's calibration; MODEL_UNAVAILABLE without the model or the store.
   */
  demandForecaster(): Promise<Forecaster> {
    if (!this.forecaster) {
      this.forecaster = (async () => {
        const { model } = this.ready(FORECAST_MODEL);
        let calibration;
        try {
          calibration = forecastCalibration(model.config);
        } catch (error) {
          throw modelUnavailable(FORECAST_MODEL, error instanceof Error ? error.message : String(error));
        }
        const features = await this.ensureFeatures(FORECAST_MODEL);
        const started = performance.now();
        const forecaster = Forecaster.fromSnapshot(features.store.index.snap, features.store.asOf, calibration);
        this.log(
          `scoring: weekly sales for the demand forecast ready in ${(performance.now() - started).toFixed(0)} ms (origin week ${forecaster.originLabel})`,
        );
        return forecaster;
      })();
      this.forecaster.catch(() => (this.forecaster = null));
    }
    return this.forecaster;
  }

  /**
   * Every person's segment at the feature store's as-of time (one run of the segments model over all
   * persons, once); MODEL_UNAVAILABLE when the model or the store is unavailable.
   */
  segments(): Promise<SegmentIndex> {
    if (!this.segmentIndex) {
      const { model } = this.ready('segments');
      this.segmentIndex = this.ensureFeatures('segments').then(async (features) => {
        const started = performance.now();
        const index = await buildSegmentIndex(
          features.store,
          { config: model.config as SegmentsModelConfig, version: this.modelVersion('segments') },
          (rows, n) => this.score('segments', rows, n),
        );
        this.log(
          `scoring: ${index.persons} persons in ${index.definitions.length} segments as of ${index.asOfText} (${(performance.now() - started).toFixed(0)} ms)`,
        );
        return index;
      });
      this.segmentIndex.catch(() => (this.segmentIndex = null));
    }
    return this.segmentIndex;
  }

  /** The anomaly model over the serving features' store; MODEL_UNAVAILABLE when either is unavailable. */
  async anomalyModel(): Promise<{ store: ServingFeatures['store']; model: AnomalyModel }> {
    const { model } = this.ready('order_anomaly');
    const features = await this.ensureFeatures('order_anomaly');
    return {
      store: features.store,
      model: {
        config: model.config as AnomalyModelConfig,
        modelVersion: this.modelVersion('order_anomaly'),
        score: (rows, n) => this.score('order_anomaly', rows, n),
      },
    };
  }

  /** The serving features, building them on first call; MODEL_UNAVAILABLE if the build failed. */
  ensureFeatures(model = 'scoring'): Promise<ServingFeatures> {
    if (!this.features) {
      this.storeState = 'building';
      this.features = servingFeatures(this.options.dataKey, this.options.sources, this.config.asOf, this.log).then(
        (features) => {
          this.storeState = 'ready';
          this.storeBuildMs = features.buildMs;
          this.log(
            `scoring: feature store ready in ${(features.buildMs / 1000).toFixed(1)} s (${features.readBack ? 'read back from the data folder' : 'built from the sources'}, as of ${features.asOf.toISOString()})`,
          );
          return features;
        },
        (error: unknown) => {
          this.storeState = 'failed';
          this.storeError = error instanceof Error ? error.message : String(error);
          this.log(`scoring: feature store failed: ${this.storeError}`);
          this.features = null;
          throw error;
        },
      );
    }
    return this.features.catch((error: unknown) => {
      throw modelUnavailable(model, `the feature store could not be built (${error instanceof Error ? error.message : String(error)})`);
    });
  }

  /** The model's runtime when it is served; MODEL_UNAVAILABLE otherwise. */
  ready(task: ModelName): ModelRuntime & { batcher: MicroBatcher } {
    const runtime = this.runtimes.get(task);
    if (!runtime || !runtime.batcher || !runtime.model.session) {
      throw modelUnavailable(task, runtime?.model.error ?? 'not loaded');
    }
    return runtime as ModelRuntime & { batcher: MicroBatcher };
  }

  modelVersion(task: ModelName): string {
    return `${task}/${this.runtimes.get(task)?.model.version ?? '?'}`;
  }

  /** Scores rows through the model's micro-batcher; a failing run answers MODEL_UNAVAILABLE. */
  async score(task: ModelName, rows: Float32Array, n: number): Promise<Float32Array> {
    const { batcher } = this.ready(task);
    try {
      return await batcher.submit(rows, n);
    } catch (error) {
      this.log(`scoring: model "${task}" failed to run: ${error instanceof Error ? error.message : String(error)}`);
      throw modelUnavailable(task, 'the model failed to run');
    }
  }

  /** session.run calls per model so far (warm-up excluded). */
  runCounts(): Record<string, number> {
    return Object.fromEntries([...this.runtimes].map(([name, r]) => [name, r.model.session?.runs ?? 0]));
  }

  /** Releases the ONNX sessions (graceful shutdown); later scoring calls answer MODEL_UNAVAILABLE. */
  async close(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map(({ model }) => model.session?.release().catch(() => undefined)));
  }

  /** Per-request loaders (DataLoaders: one batch per model per nesting level). */
  createLoaders(): ScoringLoaders {
    return createScoringLoaders(this);
  }

  modelInfos(): ModelInfoView[] {
    return [...this.runtimes.values()].map(({ model }) => ({
      name: model.name,
      version: model.version,
      status: model.session ? 'READY' : 'UNAVAILABLE',
      executionProvider: model.executionProvider,
      error: model.error,
      inputs: model.inputs,
      outputs: model.outputs,
      metrics: flattenMetrics(model.config?.metrics),
    }));
  }

  /** What /readyz reports: each model with its provider, and the feature store's state. */
  readiness(): Record<string, unknown> {
    return {
      models: [...this.runtimes.values()].map(({ model }) => ({
        name: model.name,
        version: model.version,
        status: model.session ? 'ready' : 'unavailable',
        executionProvider: model.executionProvider,
        ...(model.error ? { error: model.error } : {}),
        runs: model.session?.runs ?? 0,
        rows: model.session?.rows ?? 0,
      })),
      featureStore: {
        status: this.storeState,
        ...(this.storeBuildMs !== null ? { buildMs: this.storeBuildMs } : {}),
        ...(this.storeError ? { error: this.storeError } : {}),
      },
    };
  }
}
