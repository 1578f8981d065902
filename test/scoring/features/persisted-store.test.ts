/**
 * The persisted feature store (data/feature-store.bin): read back, it answers the same rows,
 * candidates and as-of view as the store it was written from; a stale fingerprint or another format is refused
 * without reading the data; a damaged file (altered byte, truncated, garbage) is refused, logged in one
 * line and rebuilt from the sources, never a crash. Runs over a copy of the seeded stores in a
 * temporary data folder (the shared one is left alone).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openServingStore, persistedStoreFile, storeFingerprint } from '../../../src/scoring';
import { BoughtTogetherIndex, categoriesFromSnapshot, purchasesFromSnapshot } from '../../../src/scoring/bought-together';
import {
  FeatureStore,
  loadFeatureStore,
  readStoreMeta,
  rng,
  saveFeatureStore,
  STORE_FORMAT,
  writeStoreFile,
  type StoreMeta,
} from '../../../src/scoring/features';
import { configFromEnv } from '../../../src/shared';
import { openEmbeddedSources, type Sources } from '../../../src/sources';

function equal(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe('persisted feature store', () => {
  let dir: string;
  let sources: Sources;
  let built: FeatureStore;
  const asOf = '2018-08-01';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feature-store-'));
    const data = configFromEnv().dataDir;
    for (const name of ['seed-manifest.json', 'crm.db', 'catalog.db', 'orders.db', 'reviews', 'geography']) {
      fs.cpSync(path.join(data, name), path.join(dir, name), { recursive: true });
    }
    sources = await openEmbeddedSources(dir);
  }, 120_000);

  afterAll(async () => {
    await sources?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the first open builds from the sources and writes the file; the next reads it back', async () => {
    const lines: string[] = [];
    const first = await openServingStore(dir, sources, asOf, (line) => lines.push(line));
    expect(first.persisted).toBe(false);
    expect(fs.existsSync(persistedStoreFile(dir))).toBe(true);
    const second = await openServingStore(dir, sources, asOf, (line) => lines.push(line));
    expect(second.persisted).toBe(true);
    expect(lines).toEqual([]);
    built = first.store;
  }, 240_000);

  it('read back, it answers the same delivery rows, recommendation rows, candidates, popularity lists, neighbours and product profiles', () => {
    const loaded = loadFeatureStore(persistedStoreFile(dir), storeFingerprint(dir, asOf));
    if (!loaded.store) throw new Error(loaded.reason);
    const store = loaded.store;
    expect(store.asOf).toBe(built.asOf);
    const random = rng(5);
    const orders = [...built.index.orders.values()].filter((o) => o.purchase < built.asOf);
    const sampleOrders = Array.from({ length: 300 }, () => orders[Math.floor(random() * orders.length)].orderId);
    expect(equal(store.deliveryRiskRows(sampleOrders), built.deliveryRiskRows(sampleOrders))).toBe(true);
    const [view, builtView] = [store.asOfView(), built.asOfView()];
    expect([view.globalTop, view.recentTop, [...view.stateTop], [...view.categoryTop]]).toEqual([
      builtView.globalTop,
      builtView.recentTop,
      [...builtView.stateTop],
      [...builtView.categoryTop],
    ]);
    const products = [...built.index.snap.products.keys()];
    for (let i = 0; i < 200; i++) {
      const productId = products[Math.floor(random() * products.length)];
      expect(view.neighbours(productId, 20)).toEqual(builtView.neighbours(productId, 20));
      expect(view.product(productId)).toEqual(builtView.product(productId));
    }
    const persons = [...built.index.ordersByPerson.keys()];
    for (let i = 0; i < 100; i++) {
      const personId = persons[Math.floor(random() * persons.length)];
      const candidates = built.candidatesFor(personId, 100);
      expect(store.candidatesFor(personId, 100)).toEqual(candidates);
      expect(equal(store.recommendationRows(personId, candidates), built.recommendationRows(personId, candidates))).toBe(true);
    }
  });

  it('read back, it brings the bought-together rules mined at its as-of time (not mined again)', () => {
    const loaded = loadFeatureStore(persistedStoreFile(dir), storeFingerprint(dir, asOf));
    if (!loaded.store) throw new Error(loaded.reason);
    const restored = loaded.store.boughtTogether;
    if (!restored) throw new Error('no rules read back');
    const snap = built.index.snap;
    const mined = BoughtTogetherIndex.mine(purchasesFromSnapshot(snap), categoriesFromSnapshot(snap), { asOf: built.asOf });
    expect(restored.stats).toEqual(mined.stats);
    expect(mined.stats.orderRules).toBeGreaterThan(0);
    const products = [...snap.products.keys()];
    const random = rng(11);
    const withRules = products.filter((id) => mined.rules(id, 'ORDER').length + mined.rules(id, 'PERSON').length > 0);
    for (const productId of [...withRules, ...Array.from({ length: 300 }, () => products[Math.floor(random() * products.length)])]) {
      expect(restored.recommend(productId, 50)).toEqual(mined.recommend(productId, 50));
    }
  });

  it('a file of an older format is refused from the header and rebuilt at the current format', async () => {
    const file = persistedStoreFile(dir);
    const good = fs.readFileSync(file);
    try {
      const meta = readStoreMeta<StoreMeta>(file)!;
      writeStoreFile(file, { ...meta, format: STORE_FORMAT - 1 }, {});
      expect(loadFeatureStore(file, storeFingerprint(dir, asOf))).toEqual({
        store: null,
        reason: `format ${STORE_FORMAT - 1}, expected ${STORE_FORMAT}`,
        damaged: false,
      });
      const lines: string[] = [];
      const reopened = await openServingStore(dir, sources, asOf, (line) => lines.push(line));
      expect(reopened.persisted).toBe(false);
      expect(lines).toEqual([]);
      expect(readStoreMeta<StoreMeta>(file)!.format).toBe(STORE_FORMAT);
      expect(loadFeatureStore(file, storeFingerprint(dir, asOf)).store?.boughtTogether).not.toBeNull();
    } finally {
      fs.writeFileSync(file, good);
    }
  }, 240_000);

  it('with deferWrite the build writes nothing until its pendingWrite runs', async () => {
    const file = persistedStoreFile(dir);
    fs.rmSync(file);
    const opened = await openServingStore(dir, sources, asOf, () => undefined, { deferWrite: true });
    expect(opened.persisted).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
    opened.pendingWrite!();
    expect(loadFeatureStore(file, storeFingerprint(dir, asOf)).store).not.toBeNull();
  }, 240_000);

  it('a stale fingerprint is refused from the header, without counting as damage', () => {
    const loaded = loadFeatureStore(persistedStoreFile(dir), 'another fingerprint');
    expect(loaded).toEqual({ store: null, reason: 'the sources changed', damaged: false });
  });

  it('changed sources (a store file touched) change the fingerprint: the store is rebuilt and rewritten', async () => {
    const before = storeFingerprint(dir, asOf);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(dir, 'orders.db'), later, later);
    expect(storeFingerprint(dir, asOf)).not.toBe(before);
    expect(storeFingerprint(dir, null)).not.toBe(storeFingerprint(dir, asOf));
    const lines: string[] = [];
    const reopened = await openServingStore(dir, sources, asOf, (line) => lines.push(line));
    expect(reopened.persisted).toBe(false);
    expect(lines).toEqual([]);
    expect(loadFeatureStore(persistedStoreFile(dir), storeFingerprint(dir, asOf)).store).not.toBeNull();
  }, 240_000);

  it('an altered, truncated or foreign file is refused as damaged', () => {
    const file = persistedStoreFile(dir);
    const good = fs.readFileSync(file);
    const fingerprint = storeFingerprint(dir, asOf);
    const variants: [string, Buffer][] = [
      ['altered byte', Buffer.from(good).fill(0x55, good.length - 1000, good.length - 999)],
      ['truncated', good.subarray(0, good.length - 4096)],
      ['garbage', Buffer.from('not a store at all')],
      ['empty', Buffer.alloc(0)],
    ];
    try {
      for (const [, bytes] of variants) {
        fs.writeFileSync(file, bytes);
        const loaded = loadFeatureStore(file, fingerprint);
        expect(loaded.store).toBeNull();
        expect(loaded).toMatchObject({ damaged: true });
      }
    } finally {
      fs.writeFileSync(file, good);
    }
  });

  it('a damaged file is rebuilt from the sources with one warning line', async () => {
    const file = persistedStoreFile(dir);
    const good = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.from(good).fill(0x55, good.length >> 1, (good.length >> 1) + 16));
    const lines: string[] = [];
    const reopened = await openServingStore(dir, sources, asOf, (line) => lines.push(line));
    expect(reopened.persisted).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/feature-store\.bin is unusable \(checksum mismatch\): rebuilding/);
    expect(loadFeatureStore(file, storeFingerprint(dir, asOf)).store).not.toBeNull();
  }, 240_000);

  it('writing over an existing file replaces it whole (no partial file on the way)', () => {
    const file = persistedStoreFile(dir);
    saveFeatureStore(file, built, 'x');
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(loadFeatureStore(file, 'x').store).not.toBeNull();
  });
});
