/**
 * A FeatureStore written to disk after its first build and read back at the next start, with no
 * recomputation: the snapshot's tables as columns (numbers as Float64Array, strings as codes into one
 * dictionary of distinct strings, so an id read back is one string shared by every row naming it),
 * the index's packed as-of aggregates, the as-of view (popularity lists, co-purchase counts, sold
 * products' main seller and mean price) and the product template of the store's as-of time
 * (store-file.ts container), and the bought-together rules mined at that time (one JSON section: a
 * few hundred rules). Only the index's lookups (orders by id and person) are rebuilt. The
 * raw review scores are left out (the index's review series hold them): `snap.reviews` read back is empty. The header names the
 * fingerprint of what it was built from (the caller's: the stores' files and settings), the feature
 * manifests' hashes and this file's format; a file whose header differs is stale and rebuilt.
 */
import { FeatureIndex, type PackedEstimates, type PackedIndex } from './feature-index';
import type { PackedEvents } from './event-series';
import { FeatureStore } from './feature-store';
import { taskManifest } from './manifest';
import type { PackedAsOfView, PackedLists } from './candidates';
import type { ProductTemplate } from './recommendation-rows';
import type { SnapAccount, SnapItem, SnapOrder, SnapPayment, SnapProduct, SnapSeller, Snapshot } from './snapshot';
import { buildBoughtTogether } from '../bought-together/build';
import { categoriesFromSnapshot } from '../bought-together/baskets';
import { BoughtTogetherIndex, type PersistedRules } from '../bought-together/rule-index';
import { readStoreFile, readStoreMeta, StoreFileError, writeStoreFile, type Section } from './store-file';

/**
 * Bump when the layout or the meaning of a section changes (5: the snapshot is fusion's cleaned data; zips and
 * states may be null; 6: every geography zip prefix is located, not only those the rows name; 7: the
 * bought-together rules at the store's as-of time are saved with it, so a start does not mine them again).
 */
export const STORE_FORMAT = 7;

export interface StoreMeta {
  format: number;
  fingerprint: string;
  manifestHashes: { delivery_risk: string; recommendation: string };
  asOf: number;
  builtAt: string;
}

function manifestHashes(): StoreMeta['manifestHashes'] {
  return { delivery_risk: taskManifest('delivery_risk').hash, recommendation: taskManifest('recommendation').hash };
}

/** Why a persisted store cannot serve `fingerprint` (null: it can), from its header alone. */
export function staleReason(meta: StoreMeta, fingerprint: string): string | null {
  if (meta.format !== STORE_FORMAT) return `format ${meta.format}, expected ${STORE_FORMAT}`;
  if (meta.fingerprint !== fingerprint) return 'the sources changed';
  const hashes = manifestHashes();
  if (meta.manifestHashes?.delivery_risk !== hashes.delivery_risk || meta.manifestHashes?.recommendation !== hashes.recommendation)
    return 'the feature definitions changed';
  return null;
}

type Columns = Record<string, Section>;

function column<T>(rows: readonly T[], pick: (row: T) => number): Float64Array {
  return Float64Array.from(rows, pick);
}

/** Every distinct string of the snapshot once; a string column is written as codes into it (-1: null). */
class Dictionary {
  readonly values: string[] = [];
  private readonly codeOf = new Map<string, number>();

  codes(column: readonly (string | null)[]): Int32Array {
    return Int32Array.from(column, (value) => {
      if (value === null) return -1;
      let code = this.codeOf.get(value);
      if (code === undefined) {
        code = this.values.length;
        this.values.push(value);
        this.codeOf.set(value, code);
      }
      return code;
    });
  }
}

function encodeSnapshot(snap: Snapshot, dict: Dictionary): Columns {
  const orderRow = new Map(snap.orders.map((o, i) => [o.orderId, i]));
  const items = [...snap.items.values()].flat();
  const payments = [...snap.payments.values()].flat();
  const accounts = [...snap.accounts.values()];
  const products = [...snap.products.values()];
  const sellers = [...snap.sellers.values()];
  const geo = [...snap.geo];
  const columns: Columns = {
    'orders.orderId': dict.codes(snap.orders.map((o) => o.orderId)),
    'orders.customerId': dict.codes(snap.orders.map((o) => o.customerId)),
    'orders.personId': dict.codes(snap.orders.map((o) => o.personId)),
    'orders.status': dict.codes(snap.orders.map((o) => o.status)),
    'orders.purchase': column(snap.orders, (o) => o.purchase),
    'orders.approved': column(snap.orders, (o) => o.approved),
    'orders.carrier': column(snap.orders, (o) => o.carrier),
    'orders.delivered': column(snap.orders, (o) => o.delivered),
    'orders.estimated': column(snap.orders, (o) => o.estimated),
    'items.order': Int32Array.from(items, (i) => orderRow.get(i.orderId) ?? -1),
    'items.productId': dict.codes(items.map((i) => i.productId)),
    'items.sellerId': dict.codes(items.map((i) => i.sellerId)),
    'items.price': column(items, (i) => i.price),
    'items.freight': column(items, (i) => i.freight),
    'items.shippingLimit': column(items, (i) => i.shippingLimit),
    'payments.order': Int32Array.from(payments, (p) => orderRow.get(p.orderId) ?? -1),
    'payments.type': dict.codes(payments.map((p) => p.type)),
    'payments.installments': column(payments, (p) => p.installments),
    'payments.value': column(payments, (p) => p.value),
    'accounts.customerId': dict.codes(accounts.map((a) => a.customerId)),
    'accounts.personId': dict.codes(accounts.map((a) => a.personId)),
    'accounts.zip': dict.codes(accounts.map((a) => a.zip)),
    'accounts.state': dict.codes(accounts.map((a) => a.state)),
    'products.productId': dict.codes(products.map((p) => p.productId)),
    'products.category': dict.codes(products.map((p) => p.category)),
    'products.nameLength': column(products, (p) => p.nameLength),
    'products.descriptionLength': column(products, (p) => p.descriptionLength),
    'products.photos': column(products, (p) => p.photos),
    'products.weightG': column(products, (p) => p.weightG),
    'products.volumeCm3': column(products, (p) => p.volumeCm3),
    'sellers.sellerId': dict.codes(sellers.map((s) => s.sellerId)),
    'sellers.zip': dict.codes(sellers.map((s) => s.zip)),
    'sellers.state': dict.codes(sellers.map((s) => s.state)),
    'geo.zip': dict.codes(geo.map(([zip]) => zip)),
    'geo.lat': column(geo, ([, p]) => p[0]),
    'geo.lng': column(geo, ([, p]) => p[1]),
  };
  return columns;
}

class Reader {
  private dictionary: string[] | null = null;

  constructor(private readonly sections: Map<string, Section>) {}

  /** A plain string list (index keys, template ids). */
  list(name: string): string[] {
    const s = this.sections.get(name);
    if (!Array.isArray(s)) throw new StoreFileError(`section ${name} missing`);
    return s as string[];
  }

  /** A string column: its codes looked up in the snapshot's dictionary (no parsing, no copies). */
  nullableStrings(name: string): (string | null)[] {
    const dict = (this.dictionary ??= this.list('strings'));
    const codes = this.i32(name);
    const out = new Array<string | null>(codes.length);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i];
      if (code < -1 || code >= dict.length) throw new StoreFileError(`section ${name} names an unknown string`);
      out[i] = code === -1 ? null : dict[code];
    }
    return out;
  }

  strings(name: string): string[] {
    const out = this.nullableStrings(name);
    if (out.includes(null)) throw new StoreFileError(`section ${name} has a missing value`);
    return out as string[];
  }

  typed<T extends Float64Array | Float32Array | Int32Array>(name: string, type: new (...args: never[]) => T, length?: number): T {
    const s = this.sections.get(name);
    if (!(s instanceof type)) throw new StoreFileError(`section ${name} missing`);
    if (length !== undefined && s.length !== length) throw new StoreFileError(`section ${name} has ${s.length} values, expected ${length}`);
    return s;
  }

  f64(name: string, length?: number): Float64Array {
    return this.typed(name, Float64Array, length);
  }

  i32(name: string, length?: number): Int32Array {
    return this.typed(name, Int32Array, length);
  }
}

/** Groups rows under their order's id (rows come in the order their maps were written). */
function grouped<T>(orders: readonly SnapOrder[], orderOf: Int32Array, make: (i: number, orderId: string) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  // An order's rows are written one after another, so the map is asked once per run of rows, not per row.
  let runOrder = -1;
  let list: T[] | undefined;
  for (let i = 0; i < orderOf.length; i++) {
    const k = orderOf[i];
    const order = orders[k];
    if (!order) throw new StoreFileError('a row names an unknown order');
    if (k === runOrder) {
      list!.push(make(i, order.orderId));
      continue;
    }
    runOrder = k;
    list = out.get(order.orderId);
    // A literal holds exactly one element; `[]` then push reserves 17 (most orders have one item).
    if (list) list.push(make(i, order.orderId));
    else out.set(order.orderId, (list = [make(i, order.orderId)]));
  }
  return out;
}

function decodeSnapshot(r: Reader): Snapshot {
  const orderId = r.strings('orders.orderId');
  const n = orderId.length;
  const [customerId, personId, status] = [r.strings('orders.customerId'), r.strings('orders.personId'), r.strings('orders.status')];
  const [purchase, approved, carrier, delivered, estimated] = ['purchase', 'approved', 'carrier', 'delivered', 'estimated'].map((c) => r.f64(`orders.${c}`, n));
  const orders: SnapOrder[] = orderId.map((id, i) => ({
    orderId: id,
    customerId: customerId[i],
    personId: personId[i],
    status: status[i],
    purchase: purchase[i],
    approved: approved[i],
    carrier: carrier[i],
    delivered: delivered[i],
    estimated: estimated[i],
  }));
  const itemOrder = r.i32('items.order');
  const m = itemOrder.length;
  const [productId, sellerId] = [r.strings('items.productId'), r.strings('items.sellerId')];
  const [price, freight, shippingLimit] = [r.f64('items.price', m), r.f64('items.freight', m), r.f64('items.shippingLimit', m)];
  const items = grouped<SnapItem>(orders, itemOrder, (i, id) => ({
    orderId: id,
    productId: productId[i],
    sellerId: sellerId[i],
    price: price[i],
    freight: freight[i],
    shippingLimit: shippingLimit[i],
  }));
  const payOrder = r.i32('payments.order');
  const [payType, installments, value] = [
    r.strings('payments.type'),
    r.f64('payments.installments', payOrder.length),
    r.f64('payments.value', payOrder.length),
  ];
  const payments = grouped<SnapPayment>(orders, payOrder, (i, id) => ({ orderId: id, type: payType[i], installments: installments[i], value: value[i] }));
  // The review scores are not written: the index's review series (packed) is all that reads them.
  const reviews = new Map<string, number[]>();
  const accountId = r.strings('accounts.customerId');
  const [accountPerson, accountZip, accountState] = [r.strings('accounts.personId'), r.nullableStrings('accounts.zip'), r.nullableStrings('accounts.state')];
  const accounts = new Map<string, SnapAccount>(
    accountId.map((id, i) => [id, { customerId: id, personId: accountPerson[i], zip: accountZip[i], state: accountState[i] }]),
  );
  const ids = r.strings('products.productId');
  const category = r.nullableStrings('products.category');
  const [nameLength, descriptionLength, photos, weightG, volumeCm3] = ['nameLength', 'descriptionLength', 'photos', 'weightG', 'volumeCm3'].map((c) =>
    r.f64(`products.${c}`, ids.length),
  );
  const products = new Map<string, SnapProduct>(
    ids.map((id, i) => [
      id,
      {
        productId: id,
        category: category[i],
        nameLength: nameLength[i],
        descriptionLength: descriptionLength[i],
        photos: photos[i],
        weightG: weightG[i],
        volumeCm3: volumeCm3[i],
      },
    ]),
  );
  const sellerIds = r.strings('sellers.sellerId');
  const [sellerZip, sellerState] = [r.nullableStrings('sellers.zip'), r.nullableStrings('sellers.state')];
  const sellers = new Map<string, SnapSeller>(sellerIds.map((id, i) => [id, { sellerId: id, zip: sellerZip[i], state: sellerState[i] }]));
  const zips = r.strings('geo.zip');
  const [lat, lng] = [r.f64('geo.lat', zips.length), r.f64('geo.lng', zips.length)];
  const geo = new Map<string, [number, number]>(zips.map((zip, i) => [zip, [lat[i], lng[i]]]));
  return { orders, items, payments, reviews, accounts, products, sellers, geo };
}

const SERIES = ['purchases', 'sales', 'deliveries', 'handling', 'reviews'] as const;

function encodeIndex(packed: PackedIndex): Columns {
  const out: Columns = {};
  for (const name of SERIES) {
    const s = packed[name];
    out[`index.${name}.keys`] = s.keys;
    out[`index.${name}.starts`] = s.starts;
    out[`index.${name}.times`] = s.times;
    s.cums.forEach((c, i) => (out[`index.${name}.cum${i}`] = c));
  }
  const e = packed.estimates;
  Object.assign(out, {
    'index.estimates.keys': e.keys,
    'index.estimates.starts': e.starts,
    'index.estimates.estimated': e.estimated,
    'index.estimates.delivered': e.delivered,
  });
  return out;
}

const CHANNELS = { purchases: 0, sales: 1, deliveries: 2, handling: 1, reviews: 2 } as const;

function decodeIndex(r: Reader): PackedIndex {
  const series = (name: (typeof SERIES)[number]): PackedEvents => {
    const keys = r.list(`index.${name}.keys`);
    const starts = r.i32(`index.${name}.starts`, keys.length + 1);
    const times = r.f64(`index.${name}.times`, starts[keys.length]);
    const cums = Array.from({ length: CHANNELS[name] }, (_, i) => r.f64(`index.${name}.cum${i}`, times.length + keys.length));
    return { keys, starts, times, cums };
  };
  const keys = r.list('index.estimates.keys');
  const starts = r.i32('index.estimates.starts', keys.length + 1);
  const estimates: PackedEstimates = {
    keys,
    starts,
    estimated: r.f64('index.estimates.estimated', starts[keys.length]),
    delivered: r.f64('index.estimates.delivered', starts[keys.length]),
  };
  return {
    purchases: series('purchases'),
    sales: series('sales'),
    deliveries: series('deliveries'),
    handling: series('handling'),
    reviews: series('reviews'),
    estimates,
  };
}

function encodeView(view: PackedAsOfView, dict: Dictionary): Columns {
  const lists = (name: string, packed: PackedLists): Columns => ({
    [`view.${name}.keys`]: dict.codes(packed.keys),
    [`view.${name}.offsets`]: packed.offsets,
    [`view.${name}.ids`]: dict.codes(packed.ids),
  });
  return {
    'view.globalTop': dict.codes(view.globalTop),
    'view.recentTop': dict.codes(view.recentTop),
    ...lists('stateTop', view.stateTop),
    ...lists('categoryTop', view.categoryTop),
    'view.buyers.ids': dict.codes(view.buyers.ids),
    'view.buyers.counts': view.buyers.counts,
    'view.co.ids': dict.codes(view.co.ids),
    'view.co.offsets': view.co.offsets,
    'view.co.others': dict.codes(view.co.others),
    'view.co.counts': view.co.counts,
    'view.sold.ids': dict.codes(view.sold.ids),
    'view.sold.sellerIds': dict.codes(view.sold.sellerIds),
    'view.sold.meanPrices': view.sold.meanPrices,
  };
}

function decodeView(r: Reader): PackedAsOfView {
  const lists = (name: string): PackedLists => {
    const keys = r.strings(`view.${name}.keys`);
    const offsets = r.i32(`view.${name}.offsets`, keys.length + 1);
    return { keys, offsets, ids: r.strings(`view.${name}.ids`) };
  };
  const buyers = r.strings('view.buyers.ids');
  const coIds = r.strings('view.co.ids');
  const coOffsets = r.i32('view.co.offsets', coIds.length + 1);
  const others = r.strings('view.co.others');
  const sold = r.strings('view.sold.ids');
  const view: PackedAsOfView = {
    globalTop: r.strings('view.globalTop'),
    recentTop: r.strings('view.recentTop'),
    stateTop: lists('stateTop'),
    categoryTop: lists('categoryTop'),
    buyers: { ids: buyers, counts: r.i32('view.buyers.counts', buyers.length) },
    co: { ids: coIds, offsets: coOffsets, others, counts: r.i32('view.co.counts', others.length) },
    sold: { ids: sold, sellerIds: r.nullableStrings('view.sold.sellerIds'), meanPrices: r.f64('view.sold.meanPrices', sold.length) },
  };
  for (const packed of [view.stateTop, view.categoryTop])
    if (packed.offsets[packed.keys.length] !== packed.ids.length) throw new StoreFileError('view lists do not match');
  if (coOffsets[coIds.length] !== others.length || view.sold.sellerIds.length !== sold.length) throw new StoreFileError('view sections do not match');
  return view;
}

/** Writes `store` (its snapshot, aggregates, as-of view, product template and bought-together rules at its as-of time; the rules are mined here when not yet). */
export function saveFeatureStore(file: string, store: FeatureStore, fingerprint: string): void {
  const template = store.productTemplate();
  const rules = buildBoughtTogether(store).index.toPersisted();
  const meta: StoreMeta = { format: STORE_FORMAT, fingerprint, manifestHashes: manifestHashes(), asOf: store.asOf, builtAt: new Date().toISOString() };
  const dict = new Dictionary();
  writeStoreFile(file, meta, {
    ...encodeSnapshot(store.index.snap, dict),
    ...encodeIndex(store.index.pack()),
    ...encodeView(store.asOfView().pack(), dict),
    'template.productIds': dict.codes(template.productIds),
    'template.rows': template.rows,
    boughtTogether: [JSON.stringify(rules)],
    strings: dict.values,
  });
}

function decodeRules(r: Reader, snap: Snapshot, asOf: number): BoughtTogetherIndex {
  const [text] = r.list('boughtTogether');
  let rules: PersistedRules;
  try {
    rules = JSON.parse(text) as PersistedRules;
  } catch {
    throw new StoreFileError('section boughtTogether is unreadable');
  }
  if (rules?.stats?.asOf !== asOf || !Array.isArray(rules.orderRules)) throw new StoreFileError('section boughtTogether does not match the store');
  return BoughtTogetherIndex.fromPersisted(rules, categoriesFromSnapshot(snap));
}

export type LoadResult = { store: FeatureStore } | { store: null; reason: string; damaged: boolean };

/**
 * The persisted store when its header matches `fingerprint` and this code; otherwise null with why
 * (missing, stale, or `damaged`: unreadable or inconsistent, which a caller should log).
 */
export function loadFeatureStore(file: string, fingerprint: string): LoadResult {
  try {
    const meta = readStoreMeta<StoreMeta>(file);
    if (!meta) return { store: null, reason: 'no persisted store', damaged: false };
    const stale = staleReason(meta, fingerprint);
    if (stale) return { store: null, reason: stale, damaged: false };
    const { sections } = readStoreFile<StoreMeta>(file);
    const r = new Reader(sections);
    const index = new FeatureIndex(decodeSnapshot(r), decodeIndex(r));
    const productIds = r.strings('template.productIds');
    const template: ProductTemplate = {
      productIds,
      rows: r.typed('template.rows', Float32Array, productIds.length * taskManifest('recommendation').features.length),
    };
    const store = new FeatureStore(index, meta.asOf).withRestored(decodeView(r), template);
    store.boughtTogether = decodeRules(r, index.snap, meta.asOf);
    return { store };
  } catch (error) {
    return { store: null, reason: error instanceof Error ? error.message : String(error), damaged: true };
  }
}
