/**
 * Training/serving parity: the rows `features export` writes equal, bit for bit (float32), the rows
 * a separately built serving FeatureStore answers for the same orders and (person, product) pairs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CANDIDATE_RECALL, exportTrainingSet, featureNames, FeatureStore, localText, rng } from '../../../src/scoring/features';
import type { Sources } from '../../../src/sources';
import { openSeededSources } from '../../helpers/seeded-sources';

function readCsv(file: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',')) };
}

function pick<T>(rows: T[], n: number, seed: number): T[] {
  const random = rng(seed);
  return Array.from({ length: n }, () => rows[Math.floor(random() * rows.length)]);
}

describe('features export ↔ serving parity', () => {
  let sources: Sources;
  let outDir: string;
  let serving: FeatureStore;

  beforeAll(async () => {
    ({ sources } = await openSeededSources());
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'features-export-'));
    const exporting = await FeatureStore.open(sources);
    await exportTrainingSet(exporting, { outDir, smoke: true, seed: 7 });
    const started = Date.now();
    serving = await FeatureStore.open(sources);
    console.log(`serving FeatureStore built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 240_000);

  afterAll(async () => {
    await sources?.close();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('delivery-risk rows equal the serving rows', () => {
    const { header, rows } = readCsv(path.join(outDir, 'delivery.csv'));
    const names = featureNames('delivery_risk');
    expect(header.slice(0, 5)).toEqual(['order_id', 'split', 'purchase', 'label', 'label_known']);
    expect(header.slice(5)).toEqual(names);
    for (const row of pick(rows, 60, 1)) {
      // The backtest trains a fold only on labels known before its as-of: known after the purchase, never before.
      expect(row[4] > row[2]).toBe(true);
      const exported = Float32Array.from(row.slice(5), Number);
      expect(Array.from(serving.deliveryRiskRow(row[0]))).toEqual(Array.from(exported));
    }
  });

  it('recommendation rows equal the serving rows at the same as-of time', () => {
    const { header, rows } = readCsv(path.join(outDir, 'recommendation.csv'));
    const names = featureNames('recommendation');
    expect(header.slice(6)).toEqual(names);
    const sample = [
      ...pick(
        rows.filter((r) => r[0] === 'test'),
        40,
        2,
      ),
      ...pick(
        rows.filter((r) => r[0] === 'train'),
        40,
        3,
      ),
    ];
    for (const row of sample) {
      const [, asOf, personId, productId] = row;
      const exported = Float32Array.from(row.slice(6), Number);
      expect(Array.from(serving.at(asOf).recommendationRows(personId, [productId]))).toEqual(Array.from(exported));
    }
  });

  it('exported candidates are what the serving store generates', () => {
    const { rows } = readCsv(path.join(outDir, 'recommendation.csv'));
    const test = rows.filter((r) => r[0] === 'test');
    const byPerson = new Map<string, string[]>();
    for (const r of test) byPerson.set(r[2], [...(byPerson.get(r[2]) ?? []), r[3]]);
    const store = serving.at('2018-06-01');
    for (const personId of pick([...byPerson.keys()], 10, 4)) {
      const exported = byPerson.get(personId)!;
      expect(store.candidatesFor(personId, exported.length)).toEqual(exported);
    }
  });

  it('candidate-recall lists are the serving candidates of returning users, with their purchases of the month', () => {
    const { header, rows } = readCsv(path.join(outDir, 'rec_candidates.csv'));
    expect(header).toEqual(['asof', 'person_id', 'limit', 'candidates', 'targets']);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(CANDIDATE_RECALL.asOf));
    expect(new Set(rows.map((r) => Number(r[2])))).toEqual(new Set(CANDIDATE_RECALL.limits));
    for (const [asOf, personId, limit, candidates, targets] of pick(rows, 12, 5)) {
      const store = serving.at(asOf);
      expect(store.candidatesFor(personId, Number(limit))).toEqual(candidates.split(' '));
      expect(serving.index.ordersBefore(personId, store.asOf).length).toBeGreaterThan(0);
      // the month from the as-of (the 1st, local midnight): purchases whose local month is the as-of's
      const bought = [...serving.index.orders.values()]
        .filter((o) => o.personId === personId && localText(o.purchase).slice(0, 7) === asOf.slice(0, 7))
        .flatMap((o) => serving.index.itemsOf(o.orderId).map((item) => item.productId));
      expect(new Set(targets.split(' '))).toEqual(new Set(bought));
    }
  });

  it('the manifest carries the hash and normalisation constants', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
    for (const task of ['delivery_risk', 'recommendation']) {
      const m = manifest.tasks[task];
      expect(m.hash).toMatch(/^[0-9a-f]{64}$/);
      for (const f of m.features) {
        expect(Number.isFinite(f.mean)).toBe(true);
        expect(f.std).toBeGreaterThan(0);
      }
    }
  });
});
