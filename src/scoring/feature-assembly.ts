/**
 * Feature assembly for serving: the FeatureStore (src/scoring/features, the features defined once
 * for training and serving) at the serving as-of time, plus what the scoring fields need around it:
 * candidate lists (with a category filter), row assembly for batches, reference rows for reasons,
 * reason contexts, and similar products (the recommendation model's product embeddings, else
 * item-kNN over co-purchases).
 *
 * Building the store reads every source once (~10 s on the full Olist data): it is built once per
 * process per data folder, in the background, on first use (or at start-up when asked), and persisted
 * in the data folder (feature-store.bin) so that the next start reads it back instead (~0.6 s).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CategoryDictionary } from '../fusion';
import type { Sources } from '../sources';
import { FeatureStore, loadFeatureStore, ProductEmbeddings, saveFeatureStore, taskManifest, type AsOfView, type Task } from './features';
import type { ReasonContext } from './reasons';
import { compactHeap } from './compact-heap';
import { persistable, persistedStoreFile, storeFingerprint } from './store-fingerprint';

export interface SimilarProduct {
  productId: string;
  score: number;
  reasons: string[];
}

export class ServingFeatures {
  readonly view: AsOfView;
  private readonly references = new Map<Task, Float32Array>();
  private embeddings: { dir: string; value: ProductEmbeddings | null } | null = null;

  /** How long the build took (sources read, index, as-of view, reference rows), ms. */
  buildMs = 0;
  /** True when the store was read back from the data folder's persisted copy rather than built. */
  readBack = false;

  constructor(
    readonly store: FeatureStore,
    readonly categories: CategoryDictionary,
  ) {
    this.view = store.asOfView();
  }

  get asOf(): Date {
    return new Date(this.store.asOf);
  }

  width(task: Task): number {
    return task === 'recommendation' ? this.store.recommendationWidth : this.store.deliveryWidth;
  }

  hasPerson(personId: string): boolean {
    return this.store.index.ordersByPerson.has(personId);
  }

  hasProduct(productId: string): boolean {
    return this.store.index.snap.products.has(productId);
  }

  /** Raw (Portuguese) category names a filter stands for (the raw name itself or its English name). */
  categoryNames(filter: string): string[] {
    return this.categories.rawNamesFor(filter);
  }

  /**
   * Candidates to rank for a person: the store's candidate generation (own past products, item-kNN,
   * top categories, state, trending, global), or, with a category filter, those in the category
   * plus the category's best-sellers.
   */
  candidates(personId: string, limit: number, category: string | null): string[] {
    if (category === null) return this.store.candidatesFor(personId, limit);
    const raws = new Set(this.categoryNames(category));
    const products = this.store.index.snap.products;
    const out = new Set(this.store.candidatesFor(personId, limit * 3).filter((id) => raws.has(products.get(id)?.category ?? '')));
    for (const raw of raws) for (const id of this.view.categoryTop.get(raw) ?? []) if (out.size < limit) out.add(id);
    return [...out].slice(0, limit);
  }

  /** Delivery-risk rows for orders the store knows at its as-of time; unknown orders are left out (index -1). */
  deliveryRows(orderIds: readonly string[]): { rows: Float32Array; rowOf: number[] } {
    const width = this.store.deliveryWidth;
    const known: string[] = [];
    const rowOf = orderIds.map((id) => {
      const order = this.store.index.orders.get(id);
      if (!order || !(order.purchase < this.store.asOf + 1)) return -1;
      known.push(id);
      return known.length - 1;
    });
    const rows = known.length ? this.store.deliveryRiskRows(known) : new Float32Array(0);
    if (rows.length !== known.length * width) throw new Error('delivery rows have the wrong size');
    return { rows, rowOf };
  }

  recommendationRows(personId: string, productIds: readonly string[]): Float32Array {
    return this.store.recommendationRows(personId, productIds);
  }

  /**
   * The reference row reasons occlude towards: the mean of each numeric feature and the most common
   * value of each categorical one, over a fixed, evenly spread sample of real rows.
   */
  reference(task: Task): Float32Array {
    let reference = this.references.get(task);
    if (reference) return reference;
    const manifest = taskManifest(task);
    const width = manifest.features.length;
    let rows: Float32Array;
    if (task === 'delivery_risk') {
      const ids = spread(
        [...this.store.index.orders.values()].filter((o) => o.purchase < this.store.asOf).map((o) => o.orderId),
        400,
      );
      rows = this.deliveryRows(ids).rows;
    } else {
      const persons = spread([...this.store.index.ordersByPerson.keys()], 25);
      const parts = persons.map((p) => this.recommendationRows(p, this.store.candidatesFor(p, 20)));
      rows = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let offset = 0;
      for (const part of parts) {
        rows.set(part, offset);
        offset += part.length;
      }
    }
    const n = rows.length / width;
    reference = Float32Array.from(manifest.features, (feature, j) => {
      if (n === 0) return feature.fill;
      if (feature.kind === 'categorical') {
        const counts = new Map<number, number>();
        for (let r = 0; r < n; r++) counts.set(rows[r * width + j], (counts.get(rows[r * width + j]) ?? 0) + 1);
        return [...counts].sort((a, b) => b[1] - a[1])[0][0];
      }
      let sum = 0;
      for (let r = 0; r < n; r++) sum += rows[r * width + j];
      return sum / n;
    });
    this.references.set(task, reference);
    return reference;
  }

  categoryLabel(raw: string | null | undefined): string | null {
    if (!raw || raw === '?') return null;
    return (this.categories.english(raw) ?? raw).replace(/_/g, ' ');
  }

  recommendationContext(personId: string, productId: string): ReasonContext {
    const user = this.view.user(personId);
    const product = this.view.product(productId);
    const last = user.orders[user.orders.length - 1];
    const lastCategories = last ? this.store.index.itemsOf(last.orderId).map((i) => this.store.index.snap.products.get(i.productId)?.category) : [];
    return {
      state: user.state,
      sellerState: product.seller?.state ?? null,
      category: this.categoryLabel(product.category),
      sameCategoryAsLastPurchase: product.category !== '?' && lastCategories.includes(product.category),
    };
  }

  deliveryContext(orderId: string): ReasonContext {
    const ctx = this.store.deliveryContext(orderId);
    return { state: ctx.state, sellerState: ctx.mainSeller?.state ?? null };
  }

  /** Similar products: the recommendation model's product embeddings when it ships them, else item-kNN. */
  similar(productId: string, first: number, modelDir: string | null): SimilarProduct[] {
    const embeddings = this.embeddingsIn(modelDir);
    const found = embeddings ? embeddings.similar(productId, first) : this.view.neighbours(productId, first);
    const self = this.view.product(productId);
    return found.map(({ productId: other, score }) => {
      const profile = this.view.product(other);
      const reasons: string[] = [];
      if (this.view.cosine(productId, other) > 0) reasons.push('often bought together');
      const label = this.categoryLabel(profile.category);
      if (profile.category === self.category && label) reasons.push(`same category (${label})`);
      if (profile.seller && profile.seller.sellerId === self.seller?.sellerId) reasons.push('same seller');
      if (self.meanPrice > 0 && profile.meanPrice > 0 && Math.abs(Math.log(profile.meanPrice / self.meanPrice)) < 0.25) reasons.push('similar price');
      if (reasons.length === 0) reasons.push('bought by similar shoppers');
      return { productId: other, score, reasons };
    });
  }

  private embeddingsIn(modelDir: string | null): ProductEmbeddings | null {
    if (!modelDir) return null;
    if (this.embeddings?.dir !== modelDir) {
      let value: ProductEmbeddings | null = null;
      if (fs.existsSync(path.join(modelDir, 'product_embeddings.json')) && fs.existsSync(path.join(modelDir, 'product_embeddings.f32'))) {
        value = ProductEmbeddings.load(modelDir);
      }
      this.embeddings = { dir: modelDir, value };
    }
    return this.embeddings.value;
  }
}

function spread<T>(list: readonly T[], n: number): T[] {
  if (list.length <= n) return [...list];
  const step = list.length / n;
  return Array.from({ length: n }, (_, i) => list[Math.floor(i * step)]);
}

/** The latest purchase in the data, plus one second: "now" for a historical dataset. */
function latestPurchase(store: FeatureStore): number {
  let max = 0;
  for (const order of store.index.orders.values()) if (order.purchase > max) max = order.purchase;
  return max + 1000;
}

const builds = new Map<string, Promise<ServingFeatures>>();

/**
 * The store from the data folder's persisted copy when it matches (fingerprint, feature manifests,
 * format), else built from the sources and persisted for the next start. A damaged copy is logged
 * (one line) and rebuilt; a failed write is logged and serving goes on. With `deferWrite` the
 * write is not done here but answered as `pendingWrite`, for the caller to run off its ready path.
 */
export async function openServingStore(
  key: string,
  sources: Sources,
  asOf: string | null,
  log: (line: string) => void,
  options: { deferWrite?: boolean } = {},
): Promise<{ store: FeatureStore; persisted: boolean; pendingWrite: (() => void) | null }> {
  const file = persistable(key, sources) ? persistedStoreFile(key) : null;
  const fingerprint = file ? storeFingerprint(key, asOf) : '';
  if (file) {
    const loaded = loadFeatureStore(file, fingerprint);
    if (loaded.store) return { store: loaded.store, persisted: true, pendingWrite: null };
    if (loaded.damaged) log(`scoring: persisted feature store ${file} is unusable (${loaded.reason}): rebuilding it from the sources`);
  }
  const opened = await FeatureStore.open(sources, { asOf: asOf ?? undefined });
  const store = asOf ? opened : opened.at(latestPurchase(opened));
  if (!file) return { store, persisted: false, pendingWrite: null };
  const write = () => {
    try {
      saveFeatureStore(file, store, fingerprint);
    } catch (error) {
      log(`scoring: could not persist the feature store to ${file} (${error instanceof Error ? error.message : String(error)})`);
    }
  };
  if (options.deferWrite) return { store, persisted: false, pendingWrite: write };
  write();
  return { store, persisted: false, pendingWrite: null };
}

/**
 * How long after the store is ready its first write and the full GC run: long enough for the
 * readiness probe that is waiting to get its answer first (both hold the event loop, ~1–3 s).
 */
const AFTER_READY_MS = 1_000;

/**
 * The serving features over `sources`, built once per process per key (the data folder and as-of
 * setting): later callers share the build in progress or its result. A failed build is forgotten,
 * so a later call may try again.
 */
export function servingFeatures(
  key: string,
  sources: Sources,
  asOf: string | null,
  log: (line: string) => void = (line) => console.warn(line),
): Promise<ServingFeatures> {
  const cacheKey = `${key}|${asOf ?? 'latest'}`;
  let build = builds.get(cacheKey);
  if (!build) {
    build = (async () => {
      const started = Date.now();
      const categories = new CategoryDictionary(await sources.catalog.categoryTranslations());
      const { store, persisted, pendingWrite } = await openServingStore(key, sources, asOf, log, { deferWrite: true });
      const features = new ServingFeatures(store, categories);
      features.readBack = persisted;
      features.reference('delivery_risk');
      features.reference('recommendation');
      features.buildMs = Date.now() - started;
      // Off the ready path: the first write of the store (a temporary file renamed, so a stop during it
      // leaves the old file or none) and one full GC of what loading or building left behind.
      setTimeout(() => {
        pendingWrite?.();
        compactHeap();
      }, AFTER_READY_MS).unref();
      return features;
    })();
    builds.set(cacheKey, build);
    build.catch(() => builds.delete(cacheKey));
  }
  return build;
}
