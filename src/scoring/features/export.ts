/**
 * `features export`: writes the training set the Python trainer reads, so training and serving
 * share one feature code path. Files (CSV, header row):
 *   delivery.csv        order_id, split, purchase, label, label_known, <delivery features>
 *                       (label_known: when the label became known, min(delivered, estimated): a backtest fold
 *                       as-of T trains only on rows known before T)
 *   recommendation.csv  split, asof, person_id, product_id, is_returning, label, <recommendation features>
 *   rec_users.csv       split, asof, person_id, state, is_returning, targets (space-separated product ids)
 *   interactions.csv    order_id, person_id, purchase, product_id, category, state (for the baselines)
 *   rec_candidates.csv  asof, person_id, limit, candidates, targets (space-separated ids): the serving candidate
 *                       generation at each backtest as-of, for the returning users who buy in the month after
 *   manifest.json       per task: hash, features (manifest order, with mean/std over the train split), splits
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureStore } from './feature-store';
import { featureNames, taskManifest, type Task } from './manifest';
import { DAY_MS, localMs, localText } from './time';

export interface SplitPlan {
  delivery: { trainFrom: string; valFrom: string; testFrom: string; testTo: string };
  recommendation: { trainAsOf: string[]; trainHorizonDays: number; valAsOf: string; testAsOf: string; testTo: string };
}

export const DEFAULT_SPLITS: SplitPlan = {
  delivery: { trainFrom: '2017-01-01', valFrom: '2018-04-01', testFrom: '2018-06-01', testTo: '2018-09-01' },
  recommendation: {
    trainAsOf: ['2017-06-01', '2017-07-01', '2017-08-01', '2017-09-01', '2017-10-01', '2017-11-01', '2017-12-01', '2018-01-01', '2018-02-01', '2018-03-01'],
    trainHorizonDays: 30,
    valAsOf: '2018-04-01',
    testAsOf: '2018-06-01',
    testTo: '2018-09-01',
  },
};

/** Backtest folds of `npm run evaluate` (training/delivery.py FOLDS) and the candidate-list sizes whose recall it reports. */
export const CANDIDATE_RECALL = { asOf: ['2018-03-01', '2018-04-01', '2018-05-01', '2018-06-01'], limits: [100, 500] };

export interface ExportOptions {
  outDir: string;
  smoke?: boolean;
  seed?: number;
  /** New (first-time) users sampled per training as-of / per evaluation window; returning users are all kept. */
  newUsersPerTrainAsOf?: number;
  newUsersPerEval?: number;
  returningCandidates?: number;
  newCandidates?: number;
  log?: (line: string) => void;
}

export interface ExportReport {
  deliveryRows: number;
  recommendationRows: number;
  elapsedMs: number;
  hashes: Record<Task, string>;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample<T>(list: T[], n: number, random: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

/** Float32 value as the shortest text that reads back to the same float32. */
export function f32(value: number): string {
  const v = Math.fround(value);
  if (Number.isInteger(v)) return String(v);
  for (let p = 6; p < 10; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

class Stats {
  n = 0;
  sum: Float64Array;
  sq: Float64Array;
  constructor(width: number) {
    this.sum = new Float64Array(width);
    this.sq = new Float64Array(width);
  }
  add(row: Float32Array, offset: number, width: number) {
    this.n += 1;
    for (let j = 0; j < width; j++) {
      this.sum[j] += row[offset + j];
      this.sq[j] += row[offset + j] * row[offset + j];
    }
  }
  mean(j: number) {
    return this.n ? this.sum[j] / this.n : 0;
  }
  std(j: number) {
    if (!this.n) return 1;
    const m = this.mean(j);
    const v = this.sq[j] / this.n - m * m;
    return v > 1e-12 ? Math.sqrt(v) : 1;
  }
}

export async function exportTrainingSet(store: FeatureStore, options: ExportOptions): Promise<ExportReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const smoke = options.smoke ?? false;
  const seed = options.seed ?? 42;
  const random = rng(seed);
  const plan = DEFAULT_SPLITS;
  const newTrain = options.newUsersPerTrainAsOf ?? (smoke ? 400 : 5000);
  const newEval = options.newUsersPerEval ?? (smoke ? 300 : 3000);
  const kReturning = options.returningCandidates ?? 100;
  const kNew = options.newCandidates ?? 50;
  fs.mkdirSync(options.outDir, { recursive: true });
  const index = store.index;

  // ---- delivery risk ----
  const d = plan.delivery;
  const [trainFrom, valFrom, testFrom, testTo] = [d.trainFrom, d.valFrom, d.testFrom, d.testTo].map((s) => localMs(`${s} 00:00:00`));
  const split = (t: number) => (t < trainFrom || t >= testTo ? null : t < valFrom ? 'train' : t < testFrom ? 'val' : 'test');
  let deliveryOrders = [...index.orders.values()].filter(
    (o) => split(o.purchase) !== null && Number.isFinite(o.delivered) && Number.isFinite(o.estimated) && index.itemsOf(o.orderId).length > 0,
  );
  if (smoke) {
    const bySplit = (s: string, n: number) =>
      sample(
        deliveryOrders.filter((o) => split(o.purchase) === s),
        n,
        random,
      );
    deliveryOrders = [...bySplit('train', 3000), ...bySplit('val', 1000), ...bySplit('test', 1000)].sort((a, b) => a.purchase - b.purchase);
  }
  const dNames = featureNames('delivery_risk');
  const dRows = store.deliveryRiskRows(deliveryOrders.map((o) => o.orderId));
  const dStats = new Stats(dNames.length);
  const dLines = [['order_id', 'split', 'purchase', 'label', 'label_known', ...dNames].join(',')];
  deliveryOrders.forEach((o, r) => {
    const off = r * dNames.length;
    if (split(o.purchase) === 'train') dStats.add(dRows, off, dNames.length);
    const values = Array.from(dRows.subarray(off, off + dNames.length), f32);
    dLines.push(
      [o.orderId, split(o.purchase), localText(o.purchase), o.delivered > o.estimated ? 1 : 0, localText(Math.min(o.delivered, o.estimated)), ...values].join(
        ',',
      ),
    );
  });
  fs.writeFileSync(path.join(options.outDir, 'delivery.csv'), dLines.join('\n') + '\n');
  log(`delivery.csv: ${deliveryOrders.length} orders`);

  // ---- recommendation ----
  const rp = plan.recommendation;
  const rNames = featureNames('recommendation');
  const rStats = new Stats(rNames.length);
  const recOut = fs.openSync(path.join(options.outDir, 'recommendation.csv'), 'w');
  fs.writeSync(recOut, ['split', 'asof', 'person_id', 'product_id', 'is_returning', 'label', ...rNames].join(',') + '\n');
  const userLines = ['split,asof,person_id,state,is_returning,targets'];
  let recRows = 0;
  const windows: { split: string; asOf: string; to: number }[] = [
    ...(smoke ? rp.trainAsOf.slice(-2) : rp.trainAsOf).map((a) => ({ split: 'train', asOf: a, to: localMs(`${a} 00:00:00`) + rp.trainHorizonDays * DAY_MS })),
    { split: 'val', asOf: rp.valAsOf, to: localMs(`${rp.testAsOf} 00:00:00`) },
    { split: 'test', asOf: rp.testAsOf, to: localMs(`${rp.testTo} 00:00:00`) },
  ];
  for (const w of windows) {
    const view = store.at(w.asOf);
    const T = view.asOf;
    const targets = new Map<string, Set<string>>();
    for (const o of index.orders.values()) {
      if (o.purchase < T || o.purchase >= w.to) continue;
      let set = targets.get(o.personId);
      if (!set) targets.set(o.personId, (set = new Set()));
      for (const item of index.itemsOf(o.orderId)) set.add(item.productId);
    }
    const persons = [...targets.keys()].filter((p) => targets.get(p)!.size > 0).sort();
    const returning = persons.filter((p) => index.ordersBefore(p, T).length > 0);
    const fresh = persons.filter((p) => index.ordersBefore(p, T).length === 0);
    const nNew = w.split === 'train' ? newTrain : newEval;
    const chosen = [...(smoke ? returning.slice(0, 100) : returning), ...sample(fresh, nNew, random)];
    let written = 0;
    for (const personId of chosen) {
      const isReturning = index.ordersBefore(personId, T).length > 0;
      const candidates = view.candidatesFor(personId, isReturning ? kReturning : kNew);
      const wanted = targets.get(personId)!;
      if (w.split === 'train' && !candidates.some((c) => wanted.has(c))) continue;
      const rows = view.recommendationRows(personId, candidates);
      const lines: string[] = [];
      candidates.forEach((productId, r) => {
        const off = r * rNames.length;
        if (w.split === 'train') rStats.add(rows, off, rNames.length);
        lines.push(
          [
            w.split,
            w.asOf,
            personId,
            productId,
            isReturning ? 1 : 0,
            wanted.has(productId) ? 1 : 0,
            ...Array.from(rows.subarray(off, off + rNames.length), f32),
          ].join(','),
        );
      });
      fs.writeSync(recOut, lines.join('\n') + '\n');
      recRows += candidates.length;
      written += 1;
      if (w.split !== 'train') {
        userLines.push([w.split, w.asOf, personId, view.asOfView().user(personId).state, isReturning ? 1 : 0, [...wanted].join(' ')].join(','));
      }
    }
    log(`recommendation.csv: as-of ${w.asOf} (${w.split}): ${written} users (${returning.length} returning, ${fresh.length} new in window)`);
  }
  fs.closeSync(recOut);
  fs.writeFileSync(path.join(options.outDir, 'rec_users.csv'), userLines.join('\n') + '\n');

  // ---- candidate recall: the serving candidates of the returning users who buy in the month from each as-of ----
  const candidateLines = ['asof,person_id,limit,candidates,targets'];
  for (const asOf of CANDIDATE_RECALL.asOf) {
    const view = store.at(asOf);
    const T = view.asOf;
    const [year, month] = asOf.split('-').map(Number);
    const to = localMs(`${month === 12 ? year + 1 : year}-${String((month % 12) + 1).padStart(2, '0')}-01 00:00:00`);
    const targets = new Map<string, Set<string>>();
    for (const o of index.orders.values()) {
      if (o.purchase < T || o.purchase >= to || index.ordersBefore(o.personId, T).length === 0) continue;
      let set = targets.get(o.personId);
      if (!set) targets.set(o.personId, (set = new Set()));
      for (const item of index.itemsOf(o.orderId)) set.add(item.productId);
    }
    const persons = [...targets.keys()].filter((p) => targets.get(p)!.size > 0).sort();
    for (const personId of smoke ? persons.slice(0, 50) : persons) {
      const wanted = [...targets.get(personId)!].join(' ');
      for (const limit of CANDIDATE_RECALL.limits)
        candidateLines.push([asOf, personId, limit, view.candidatesFor(personId, limit).join(' '), wanted].join(','));
    }
    log(`rec_candidates.csv: as-of ${asOf}: ${persons.length} returning users`);
  }
  fs.writeFileSync(path.join(options.outDir, 'rec_candidates.csv'), candidateLines.join('\n') + '\n');

  // ---- interactions, for the baselines ----
  const interactionLines = ['order_id,person_id,purchase,product_id,category,state'];
  for (const o of index.orders.values()) {
    const state = index.stateOfAccount(o.customerId);
    for (const item of index.itemsOf(o.orderId)) {
      interactionLines.push(
        [o.orderId, o.personId, localText(o.purchase), item.productId, index.snap.products.get(item.productId)?.category ?? '', state].join(','),
      );
    }
  }
  fs.writeFileSync(path.join(options.outDir, 'interactions.csv'), interactionLines.join('\n') + '\n');

  // ---- manifest ----
  const withStats = (task: Task, stats: Stats) => {
    const m = taskManifest(task);
    return {
      ...m,
      features: m.features.map((f, j) => ({ ...f, mean: f.kind === 'numeric' ? stats.mean(j) : 0, std: f.kind === 'numeric' ? stats.std(j) : 1 })),
      train_rows: stats.n,
    };
  };
  const manifest = {
    created_at: new Date().toISOString(),
    smoke,
    seed,
    splits: plan,
    tasks: { delivery_risk: withStats('delivery_risk', dStats), recommendation: withStats('recommendation', rStats) },
  };
  fs.writeFileSync(path.join(options.outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return {
    deliveryRows: deliveryOrders.length,
    recommendationRows: recRows,
    elapsedMs: Date.now() - started,
    hashes: { delivery_risk: manifest.tasks.delivery_risk.hash, recommendation: manifest.tasks.recommendation.hash },
  };
}
