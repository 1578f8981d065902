/**
 * scoring/anomalies: unusual orders — an isolation forest (model "order_anomaly": ONNX, trained by
 * training/anomalies.py) over the payments, freight, instalments, timestamps and status of each
 * order, with reasons in words. Owns
 *  - order-features.ts: the model's features;
 *  - split.ts: its chronological split;
 *  - loader.ts: the per-request DataLoader behind Order.anomaly (score, level, reasons by occlusion).
 * No GraphQL types here; src/subgraphs/scoring exposes it.
 */
export * from './order-features';
export * from './split';
export * from './reasons';
export * from './loader';
