/**
 * scoring/features: the features of the fusion models, defined once, in TypeScript, next to the
 * source families they read. Both the training export (`features export`) and serving go through
 * the same code, so training and serving cannot drift; manifest.ts hashes the definitions and every
 * model's config.json carries the hash it was trained with.
 *
 * Files: one per source family (orders, payments, catalog, crm, geography, reviews .features.ts),
 * manifest.ts (order, dtypes, transforms, fill values, hash), snapshot.ts (reads the sources once),
 * feature-index.ts + event-series.ts (as-of aggregates), candidates.ts (as-of view: popularity
 * lists, item-kNN, user/product profiles), recommendation-rows.ts (vectorised rows by feature scope),
 * reference-rows.ts (the row-at-a-time reading they are tested against), feature-store.ts (serving
 * API), store-file.ts + persisted-store.ts (the store on disk), export.ts (training set).
 *
 * Time rule (no leakage): a feature for prediction time t sees only events strictly before t. A sale
 * is known at its purchase, a delivery and its lateness at the delivery date, a carrier hand-over at
 * its date, a review at its order's delivery date (the scores carry no dates). Delivery-risk rows
 * use t = the order's purchase time; recommendation rows use the store's as-of time.
 *
 * Serving API (no GraphQL):
 *   const store = await FeatureStore.open(sources, { asOf: '2018-06-01' });  // or a Date; default now
 *   store.candidatesFor(personId, 100)            → product ids (own past products, item-kNN
 *                                                    neighbours, top-category, state, trending, global)
 *   store.recommendationRows(personId, productIds) → Float32Array [n × recommendationWidth], manifest order
 *   store.deliveryRiskRow(orderId)                 → Float32Array [deliveryWidth] at the order's purchase time
 *   store.at(otherAsOf)                            → same data, another as-of time (cheap)
 *   ProductEmbeddings.load('models/recommendation/1').similar(productId, 10) → similar products
 *   taskManifest('recommendation' | 'delivery_risk') → { hash, features } to check against config.json
 * Feed the rows to models/<name>/<version>/model.onnx (input "features", float32 [-1, width]);
 * normalisation is inside the model.
 */
export * from './time';
export * from './snapshot';
export * from './event-series';
export * from './feature-index';
export * from './context';
export * from './manifest';
export * from './candidates';
export * from './recommendation-rows';
export * from './reference-rows';
export * from './feature-store';
export * from './store-file';
export * from './persisted-store';
export * from './export';
export * from './live-updates';
