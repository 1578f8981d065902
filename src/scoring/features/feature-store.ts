/**
 * FeatureStore: the serving API. Built once from the sources (or a Snapshot) with an as-of time;
 * answers feature rows in manifest order as Float32Array, candidates, and similar products.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Sources } from '../../sources';
import { AsOfView, type PackedAsOfView } from './candidates';
import type { DeliveryContext } from './context';
import { FeatureIndex } from './feature-index';
import { DELIVERY_FEATURES, RECOMMENDATION_FEATURES, writeRow } from './manifest';
import { buildProductTemplate, RecommendationRows, type ProductTemplate } from './recommendation-rows';
import { loadSnapshot, type SnapSeller, type Snapshot } from './snapshot';
import { asOfMs, type AsOf } from './time';
import type { BoughtTogetherIndex } from '../bought-together/rule-index';

export interface FeatureStoreOptions {
  /** Prediction time for recommendations; orders purchased at or after it are unknown to delivery rows. Default: now. */
  asOf?: AsOf;
}

export class FeatureStore {
  /** Moves forward with live changes (advanceTo); never back. */
  asOf: number;
  /** The bought-together rules at this as-of time, once mined or read back (see bought-together/build.ts). */
  boughtTogether: BoughtTogetherIndex | null = null;
  private view: AsOfView | null = null;
  private assembler: RecommendationRows | null = null;

  constructor(
    readonly index: FeatureIndex,
    asOf: AsOf = new Date(),
  ) {
    this.asOf = asOfMs(asOf);
  }

  /** Reads every source once (a few seconds for the full Olist data) and indexes it. */
  static async open(sources: Sources, options: FeatureStoreOptions = {}): Promise<FeatureStore> {
    return FeatureStore.fromSnapshot(await loadSnapshot(sources), options);
  }

  static fromSnapshot(snap: Snapshot, options: FeatureStoreOptions = {}): FeatureStore {
    return new FeatureStore(new FeatureIndex(snap), options.asOf);
  }

  /** The same data seen at another time (shares the index; the as-of view is rebuilt lazily). */
  at(asOf: AsOf): FeatureStore {
    return new FeatureStore(this.index, asOf);
  }

  /**
   * A later as-of time for live changes (a new order must be known to delivery rows); the as-of view,
   * when built, moves with it (its windows slide), and template rows are computed again on use.
   */
  advanceTo(asOf: number): void {
    if (!(asOf > this.asOf)) return;
    this.asOf = asOf;
    this.view?.advanceTo(asOf);
  }

  /** The as-of view when one was built (null: none yet, so a later one is built from the changed index), ready for live changes. */
  liveView(): AsOfView | null {
    this.view?.goLive();
    return this.view;
  }

  get deliveryWidth(): number {
    return DELIVERY_FEATURES.length;
  }

  get recommendationWidth(): number {
    return RECOMMENDATION_FEATURES.length;
  }

  asOfView(): AsOfView {
    return (this.view ??= new AsOfView(this.index, this.asOf));
  }

  deliveryContext(orderId: string): DeliveryContext {
    const order = this.index.orders.get(orderId);
    if (!order) throw new Error(`Unknown order ${orderId}`);
    if (!(order.purchase < this.asOf + 1)) throw new Error(`Order ${orderId} was purchased after the store's as-of time`);
    const items = this.index.itemsOf(orderId);
    const sellerIds = [...new Set(items.map((i) => i.sellerId))];
    const sellers = sellerIds.map((id) => this.index.snap.sellers.get(id)).filter((s): s is SnapSeller => s !== undefined);
    let main: SnapSeller | null = null;
    let best = -Infinity;
    for (const item of items) {
      if (item.price > best) {
        best = item.price;
        main = this.index.snap.sellers.get(item.sellerId) ?? null;
      }
    }
    const account = this.index.snap.accounts.get(order.customerId) ?? null;
    const productIds = [...new Set(items.map((i) => i.productId))];
    return {
      index: this.index,
      order,
      t: order.purchase,
      items,
      payments: this.index.paymentsOf(orderId),
      account,
      state: account?.state ?? '?',
      mainSeller: main,
      sellers,
      products: productIds.map((id) => this.index.snap.products.get(id)).filter((p) => p !== undefined),
    };
  }

  /** Delivery-risk features of one order at its purchase time, in manifest order. */
  deliveryRiskRow(orderId: string): Float32Array {
    return this.deliveryRiskRows([orderId]);
  }

  /** Row-major [orderIds.length × deliveryWidth]. */
  deliveryRiskRows(orderIds: readonly string[]): Float32Array {
    const width = DELIVERY_FEATURES.length;
    const out = new Float32Array(orderIds.length * width);
    orderIds.forEach((id, r) => writeRow(DELIVERY_FEATURES, this.deliveryContext(id), out, r * width));
    return out;
  }

  /** Row-major [productIds.length × recommendationWidth] for one person at the store's as-of time. */
  recommendationRows(personId: string, productIds: readonly string[]): Float32Array {
    return this.recommendation().rows(personId, productIds);
  }

  /** The product-scoped part of every recommendation row at this as-of time (built on first use; rows live changes made stale computed again). */
  productTemplate(): ProductTemplate {
    return this.recommendation().freshTemplate();
  }

  /** Uses the as-of view and product template computed earlier for this index and as-of time (a persisted store). */
  withRestored(view: PackedAsOfView, template: ProductTemplate): this {
    this.view = new AsOfView(this.index, this.asOf, view);
    this.assembler = new RecommendationRows(this.index, this.view, template);
    return this;
  }

  private recommendation(): RecommendationRows {
    return (this.assembler ??= new RecommendationRows(this.index, this.asOfView(), buildProductTemplate(this.index, this.asOfView(), this.asOf)));
  }

  /** Candidate products for a person (see AsOfView.candidates), to be ranked by the recommendation model. */
  candidatesFor(personId: string, limit = 100): string[] {
    return this.asOfView().candidates(personId, limit);
  }
}

/** Product embeddings exported beside the recommendation model (see its config.json). */
export class ProductEmbeddings {
  private readonly rowOf = new Map<string, number>();

  constructor(
    readonly ids: string[],
    readonly dim: number,
    readonly vectors: Float32Array,
  ) {
    ids.forEach((id, i) => this.rowOf.set(id, i));
  }

  /** Reads `product_embeddings.json` (ids, dim) and `product_embeddings.f32` (row-major float32, L2-normalised). */
  static load(versionDir: string): ProductEmbeddings {
    const meta = JSON.parse(fs.readFileSync(path.join(versionDir, 'product_embeddings.json'), 'utf8')) as { ids: string[]; dim: number };
    const buffer = fs.readFileSync(path.join(versionDir, 'product_embeddings.f32'));
    const vectors = new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4).slice();
    if (vectors.length !== meta.ids.length * meta.dim) throw new Error('product_embeddings.f32 does not match product_embeddings.json');
    return new ProductEmbeddings(meta.ids, meta.dim, vectors);
  }

  vector(productId: string): Float32Array | null {
    const row = this.rowOf.get(productId);
    return row === undefined ? null : this.vectors.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** The k nearest products by cosine (vectors are unit length), excluding the product itself. */
  similar(productId: string, k = 10): { productId: string; score: number }[] {
    const q = this.vector(productId);
    if (!q) return [];
    const scores: { productId: string; score: number }[] = [];
    for (let r = 0; r < this.ids.length; r++) {
      if (this.ids[r] === productId) continue;
      let dot = 0;
      for (let j = 0; j < this.dim; j++) dot += q[j] * this.vectors[r * this.dim + j];
      scores.push({ productId: this.ids[r], score: dot });
    }
    return scores.sort((a, b) => b.score - a.score).slice(0, k);
  }
}
