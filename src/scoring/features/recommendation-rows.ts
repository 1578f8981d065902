/**
 * Vectorised recommendation rows. Each feature's `scope` (context.ts) says what its value depends on:
 *  - `product`: computed once per product at the store's as-of time into a template row per product
 *    (Float32Array [products × width], the other columns 0), copied into the output with one
 *    typed-array copy per candidate;
 *  - `state`: per product and user state, computed on first use and kept (NaN = not computed yet;
 *    a written value is always finite, writeRow's rule);
 *  - `user`: once per request;
 *  - `pair`: per candidate, on one reused context.
 * Every value still comes from the feature's own `compute`, with writeRow's fill and float32 rule, so
 * the rows equal the row-at-a-time reading (reference-rows.ts) bit for bit.
 * Live changes (live-updates.ts) move the view's as-of time and the index under the template: each template
 * row is stamped with the epoch (index revision and as-of time) it was computed at, and a stale row is
 * computed again when a request uses it (state caches are dropped at a new epoch): work per candidate.
 */
import type { FeatureScope, FeatureSpec, ProductProfile, RecommendationContext, UserProfile } from './context';
import type { AsOfView } from './candidates';
import type { FeatureIndex } from './feature-index';
import { RECOMMENDATION_FEATURES } from './manifest';

type Spec = FeatureSpec<RecommendationContext>;

const WIDTH = RECOMMENDATION_FEATURES.length;

function columns(scope: FeatureScope): number[] {
  return RECOMMENDATION_FEATURES.flatMap((spec, j) => ((spec.scope ?? 'pair') === scope ? [j] : []));
}

const PRODUCT_COLUMNS = columns('product');
const STATE_COLUMNS = columns('state');
const USER_COLUMNS = columns('user');
const PAIR_COLUMNS = columns('pair');

function value(spec: Spec, ctx: RecommendationContext): number {
  const v = spec.compute(ctx);
  return Number.isFinite(v) ? v : spec.fill;
}

/** A person with no history and no profile: what product-scoped features are computed against (they never read it). */
function blankUser(): UserProfile {
  return {
    personId: '',
    account: null,
    state: '?',
    point: null,
    orders: [],
    bought: new Map(),
    categories: new Map(),
    sellers: new Map(),
    nItems: 0,
    meanItemPrice: 0,
    meanInstallments: 0,
  };
}

const BLANK_PRODUCT: ProductProfile = { productId: '', product: null, category: '?', seller: null, meanPrice: 0 };

/** The per-product part of the rows: which products, in which template row, and the template. */
export interface ProductTemplate {
  productIds: string[];
  /** Row-major [productIds.length × width]: product-scoped columns filled, the others 0. */
  rows: Float32Array;
}

/** Every product the catalogue or an order item names, in a stable order (catalogue first). */
export function templateProducts(index: FeatureIndex): string[] {
  const ids = new Set(index.snap.products.keys());
  for (const items of index.snap.items.values()) for (const item of items) ids.add(item.productId);
  return [...ids];
}

export function buildProductTemplate(index: FeatureIndex, view: AsOfView, t: number, productIds = templateProducts(index)): ProductTemplate {
  const rows = new Float32Array(productIds.length * WIDTH);
  const ctx: RecommendationContext = { index, t, user: blankUser(), product: BLANK_PRODUCT, coSimilarity: [] };
  productIds.forEach((productId, p) => templateRow(ctx, view.product(productId), rows, p));
  return { productIds, rows };
}

function templateRow(ctx: RecommendationContext, product: ProductProfile, rows: Float32Array, p: number): void {
  ctx.product = product;
  for (const j of PRODUCT_COLUMNS) rows[p * WIDTH + j] = value(RECOMMENDATION_FEATURES[j], ctx);
}

export class RecommendationRows {
  private readonly rowOf = new Map<string, number>();
  private readonly byState = new Map<string, Float32Array>();
  /** The as-of view's product profiles by template row (saves a lookup by id per candidate). */
  private readonly profiles: ProductProfile[] = [];
  /** Scratch: template row → 1 + its position among the candidates of the request being assembled. */
  private mark: Int32Array | null = null;
  /** The state of index and as-of time each template row was computed at (an epoch), and the one the state caches hold. */
  private readonly stamps: Float64Array;
  private epoch = 0;
  private seen: { revision: number; t: number };
  private statesAt = 0;

  constructor(
    private readonly index: FeatureIndex,
    private readonly view: AsOfView,
    private readonly template: ProductTemplate,
  ) {
    template.productIds.forEach((id, p) => this.rowOf.set(id, p));
    this.stamps = new Float64Array(template.productIds.length);
    this.seen = { revision: index.revision, t: view.t };
  }

  /** The template with every row current (what a persisted store writes). */
  freshTemplate(): ProductTemplate {
    const epoch = this.currentEpoch();
    this.template.productIds.forEach((_, p) => this.freshRow(p, epoch));
    return this.template;
  }

  /** A new epoch once the index took live changes or the as-of time moved since the last look. */
  private currentEpoch(): number {
    if (this.seen.revision !== this.index.revision || this.seen.t !== this.view.t) {
      this.epoch += 1;
      this.seen = { revision: this.index.revision, t: this.view.t };
    }
    return this.epoch;
  }

  /** Template row p, computed again when it is from an earlier epoch. */
  private freshRow(p: number, epoch: number): void {
    if (this.stamps[p] === epoch) return;
    const { index, view } = this;
    const ctx: RecommendationContext = { index, t: view.t, user: blankUser(), product: BLANK_PRODUCT, coSimilarity: [] };
    templateRow(ctx, (this.profiles[p] ??= view.product(this.template.productIds[p])), this.template.rows, p);
    this.stamps[p] = epoch;
  }

  /** Row-major [productIds.length × width] for one person. */
  rows(personId: string, productIds: readonly string[]): Float32Array {
    const { index, view } = this;
    const t = view.t;
    const epoch = this.currentEpoch();
    if (this.statesAt !== epoch) {
      this.byState.clear();
      this.statesAt = epoch;
    }
    const n = productIds.length;
    const user = view.user(personId);
    const out = new Float32Array(n * WIDTH);
    const ctx: RecommendationContext = { index, t, user, product: BLANK_PRODUCT, coSimilarity: [] };
    const userValues = USER_COLUMNS.map((j) => value(RECOMMENDATION_FEATURES[j], ctx));
    const stateCache = this.stateCache(user.state);
    const template = this.template.rows;
    const rows = productIds.map((id) => this.rowOf.get(id) ?? -1);
    const past = [...user.bought.keys()];
    const cosines = this.cosines(past, productIds, rows);
    const co = ctx.coSimilarity;
    const nState = STATE_COLUMNS.length;
    for (let r = 0; r < n; r++) {
      const productId = productIds[r];
      const base = r * WIDTH;
      const p = rows[r];
      ctx.product = p >= 0 ? (this.profiles[p] ??= view.product(productId)) : view.product(productId);
      if (p >= 0) {
        this.freshRow(p, epoch);
        out.set(template.subarray(p * WIDTH, (p + 1) * WIDTH), base);
      } else for (const j of PRODUCT_COLUMNS) out[base + j] = value(RECOMMENDATION_FEATURES[j], ctx);
      for (let k = 0; k < USER_COLUMNS.length; k++) out[base + USER_COLUMNS[k]] = userValues[k];
      for (let k = 0; k < nState; k++) {
        const j = STATE_COLUMNS[k];
        if (p < 0) {
          out[base + j] = value(RECOMMENDATION_FEATURES[j], ctx);
          continue;
        }
        const at = p * nState + k;
        if (Number.isNaN(stateCache[at])) stateCache[at] = value(RECOMMENDATION_FEATURES[j], ctx);
        out[base + j] = stateCache[at];
      }
      co.length = 0;
      for (let q = 0; q < past.length; q++) if (past[q] !== productId) co.push(cosines[r * past.length + q]);
      for (let k = 0; k < PAIR_COLUMNS.length; k++) out[base + PAIR_COLUMNS[k]] = value(RECOMMENDATION_FEATURES[PAIR_COLUMNS[k]], ctx);
    }
    return out;
  }

  /**
   * [candidates × past] cosine(candidate, past product), 0 where never co-bought: walks each past
   * product's co-purchases (few) instead of looking every pair up.
   */
  private cosines(past: readonly string[], productIds: readonly string[], rows: readonly number[]): Float64Array {
    const out = new Float64Array(productIds.length * past.length);
    if (past.length === 0) return out;
    const mark = (this.mark ??= new Int32Array(this.template.productIds.length));
    const unknown = new Map<string, number>();
    rows.forEach((p, r) => {
      if (p < 0) unknown.set(productIds[r], unknown.get(productIds[r]) ?? r);
      else if (mark[p] === 0) mark[p] = r + 1;
    });
    past.forEach((q, k) => {
      for (const [other, cosine] of this.view.cosinesTo(q)) {
        const p = this.rowOf.get(other);
        const r = p !== undefined && mark[p] > 0 ? mark[p] - 1 : unknown.get(other);
        if (r !== undefined) out[r * past.length + k] = cosine;
      }
    });
    rows.forEach((p, r) => {
      const first = p >= 0 ? mark[p] - 1 : unknown.get(productIds[r])!;
      if (first !== r) out.copyWithin(r * past.length, first * past.length, (first + 1) * past.length);
    });
    for (const p of rows) if (p >= 0) mark[p] = 0;
    return out;
  }

  private stateCache(state: string): Float32Array {
    let cache = this.byState.get(state);
    if (!cache) this.byState.set(state, (cache = new Float32Array(this.template.productIds.length * STATE_COLUMNS.length).fill(Number.NaN)));
    return cache;
  }
}
