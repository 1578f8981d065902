/**
 * scoring: the graph's model scoring. Owns
 *  - the model registry (model-registry.ts): models/<name>/<version>/{model.onnx,config.json}, the
 *    highest numeric version, config.json checked against the session's real inputs/outputs and the
 *    feature manifest hash; a missing, corrupt or mismatched model is listed as unavailable;
 *  - execution-provider selection (execution-providers.ts, config.ts): FUSION_EXECUTION_PROVIDERS,
 *    default cuda,cpu; onnxruntime throws when CUDA cannot load, so we log once and fall back, and
 *    report the provider actually in use (Query.models, /readyz);
 *  - one session per model (model-session.ts), created at start-up, warmed up, runs counted;
 *  - the feature assembly (feature-assembly.ts) over the FeatureStore of scoring/features (the
 *    features are defined there, once, for training and serving; this module only calls its API),
 *    persisted in the data folder between starts (store-fingerprint.ts: where, and what it was built from);
 *  - batching: per-request DataLoaders (loaders.ts: one session.run per model per nesting level) and
 *    a micro-batcher per model (micro-batcher.ts) coalescing concurrent operations (≤ 2 ms wait);
 *  - reasons (reasons.ts): occlusion contributions → merchandiser phrases;
 *  - failure: MODEL_UNAVAILABLE errors (errors.ts) null the scoring fields, never their siblings.
 *  - bought-together/: association rules (order, person, category baskets) behind Product.boughtTogether;
 *  - forecast/: weekly sales, the demand_forecast model's rows and calibration behind Product/Category.demandForecast;
 *  - segments/: RFM scores and the segments model behind User.segment and Query.segments;
 *  - anomalies/: the order anomaly model behind Order.anomaly;
 *  - knowledge-export.ts: the training sets of those two models (`features knowledge`);
 * scoring-service.ts ties them together; src/subgraphs/scoring exposes them in the graph.
 */
export * from './config';
export * from './errors';
export * from './execution-providers';
export * from './model-session';
export * from './model-registry';
export * from './micro-batcher';
export * from './reasons';
export * from './feature-assembly';
export * from './store-fingerprint';
export * from './loaders';
export * from './scoring-service';
export * from './bought-together';
export * from './forecast';
export * from './segments';
export * from './anomalies';
