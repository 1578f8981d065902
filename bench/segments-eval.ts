/**
 * Evaluation of the customer segments (src/scoring/segments, model models/segments/<newest>) on a
 * chronological split (SEGMENT_SPLIT): how well a person's segment predicts whether the person buys
 * again in the next period, and how much they spend.
 *  - calibration: persons known at trainAsOf (the clustering's training date); each segment's
 *    purchase rate and mean spend over trainAsOf .. testAsOf (shrunk towards the overall rate, 20 persons' weight);
 *  - test: persons known at testAsOf, labelled with their purchases testAsOf .. testTo; a person's
 *    prediction is the calibration figure of the segment it is in at testAsOf.
 * Segmentations compared: the clusters (k from the model), RFM cells (R×F×M codes, the baseline),
 * R quintile alone, and one segment for everyone (the overall rate). Metrics: ROC-AUC and log-loss
 * of the purchase rate, MAE and R² of the spend (R² against the overall mean).
 * Writes bench/results/segments-<date>.json (BENCH_OUT). Run: npm run bench:segments (seeded ./data needed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import {
  NOT_BOUGHT_STATUSES,
  personBehaviours,
  rfmCode,
  rfmCuts,
  rfmScores,
  SEGMENT_SPLIT,
  segmentDefinitions,
  segmentRows,
  type PersonBehaviour,
} from '../src/scoring';
import { asOfMs, loadSnapshot, type Snapshot } from '../src/scoring/features';
import { configFromEnv, PROJECT_ROOT } from '../src/shared';
import { openEmbeddedSources } from '../src/sources';
import { rocAuc, round } from './knowledge-metrics';

const SHRINK = 20;

/** Per person: bought in [from, to) and paid. */
function nextPeriod(snap: Snapshot, from: number, to: number): Map<string, number> {
  const spend = new Map<string, number>();
  for (const o of snap.orders) {
    if (!(o.purchase >= from && o.purchase < to) || NOT_BOUGHT_STATUSES.has(o.status) || !snap.items.get(o.orderId)?.length) continue;
    const paid = (snap.payments.get(o.orderId) ?? []).reduce((n, p) => n + p.value, 0);
    spend.set(o.personId, (spend.get(o.personId) ?? 0) + paid);
  }
  return spend;
}

type Segmenter = (persons: readonly PersonBehaviour[]) => Promise<string[]>;

async function evaluate(
  name: string,
  segmenter: Segmenter,
  calib: PersonBehaviour[],
  calibNext: Map<string, number>,
  test: PersonBehaviour[],
  testNext: Map<string, number>,
) {
  const calibSeg = await segmenter(calib);
  const overallRate = calib.filter((p) => calibNext.has(p.personId)).length / calib.length;
  const overallSpend = calib.reduce((n, p) => n + (calibNext.get(p.personId) ?? 0), 0) / calib.length;
  const stats = new Map<string, { n: number; buyers: number; spend: number }>();
  calib.forEach((p, i) => {
    const s = stats.get(calibSeg[i]) ?? { n: 0, buyers: 0, spend: 0 };
    s.n++;
    if (calibNext.has(p.personId)) s.buyers++;
    s.spend += calibNext.get(p.personId) ?? 0;
    stats.set(calibSeg[i], s);
  });
  const testSeg = await segmenter(test);
  const rate = new Float64Array(test.length);
  const spend = new Float64Array(test.length);
  const bought = test.map((p) => testNext.has(p.personId));
  test.forEach((_, i) => {
    const s = stats.get(testSeg[i]) ?? { n: 0, buyers: 0, spend: 0 };
    rate[i] = (s.buyers + SHRINK * overallRate) / (s.n + SHRINK);
    spend[i] = (s.spend + SHRINK * overallSpend) / (s.n + SHRINK);
  });
  let logLoss = 0;
  let absErr = 0;
  let sq = 0;
  let sqBase = 0;
  const actualMean = test.reduce((n, p) => n + (testNext.get(p.personId) ?? 0), 0) / test.length;
  test.forEach((p, i) => {
    const y = bought[i] ? 1 : 0;
    const q = Math.min(1 - 1e-6, Math.max(1e-6, rate[i]));
    logLoss -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
    const actual = testNext.get(p.personId) ?? 0;
    absErr += Math.abs(actual - spend[i]);
    sq += (actual - spend[i]) ** 2;
    sqBase += (actual - actualMean) ** 2;
  });
  return {
    segmentation: name,
    segments: stats.size,
    purchaseRocAuc: round(rocAuc(rate, bought)),
    purchaseLogLoss: round(logLoss / test.length, 5),
    spendMae: round(absErr / test.length, 3),
    spendR2: round(1 - sq / sqBase, 5),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const sources = await openEmbeddedSources(configFromEnv().dataDir);
  const snap = await loadSnapshot(sources);
  await sources.close();
  const modelDir = process.env.SEGMENTS_MODEL_DIR ?? path.join(PROJECT_ROOT, 'models', 'segments', '1');
  const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
  const definitions = segmentDefinitions(config);
  const session = await InferenceSession.create(path.join(modelDir, 'model.onnx'));
  const trainAsOf = asOfMs(SEGMENT_SPLIT.trainAsOf);
  const testAsOf = asOfMs(SEGMENT_SPLIT.testAsOf);
  const testTo = asOfMs(SEGMENT_SPLIT.testTo);
  const calib = [...personBehaviours(snap, trainAsOf).values()];
  const test = [...personBehaviours(snap, testAsOf).values()];
  const calibNext = nextPeriod(snap, trainAsOf, testAsOf);
  const testNext = nextPeriod(snap, testAsOf, testTo);

  const clusters: Segmenter = async (persons) => {
    const rows = segmentRows(persons);
    const out = await session.run({ features: new Tensor('float32', rows, [persons.length, rows.length / persons.length]) });
    return Array.from(out.segment.data as Float32Array, (v) => String(Math.round(v)));
  };
  // RFM cut points of each date's own population (as served).
  const rfmCells: Segmenter = async (persons) => {
    const cuts = rfmCuts(persons);
    return persons.map((p) => rfmCode(rfmScores(p, cuts)));
  };
  const recencyOnly: Segmenter = async (persons) => {
    const cuts = rfmCuts(persons);
    return persons.map((p) => `R${rfmScores(p, cuts).recency}`);
  };
  const clustersTimesRfm: Segmenter = async (persons) => {
    const [a, b] = [await clusters(persons), await rfmCells(persons)];
    return a.map((x, i) => `${x}|${b[i]}`);
  };
  const everyone: Segmenter = async (persons) => persons.map(() => 'all');

  const rows = [];
  for (const [name, segmenter] of [
    ['clusters', clusters],
    ['rfm_cells', rfmCells],
    ['recency_quintile', recencyOnly],
    ['clusters_x_rfm', clustersTimesRfm],
    ['one_segment', everyone],
  ] as const) {
    rows.push(await evaluate(name, segmenter, calib, calibNext, test, testNext));
    console.log(JSON.stringify(rows.at(-1)));
  }
  const testSegments = await clusters(test);
  const result = {
    date: new Date().toISOString(),
    split: {
      ...SEGMENT_SPLIT,
      calibrationPersons: calib.length,
      calibrationBuyersAmongThem: calib.filter((p) => calibNext.has(p.personId)).length,
      testPersons: test.length,
      testBuyersAmongThem: test.filter((p) => testNext.has(p.personId)).length,
    },
    model: { dir: path.relative(PROJECT_ROOT, modelDir), k: definitions.length, kSelection: config.k_selection },
    segmentsAtTest: definitions.map((d) => {
      const members = test.filter((_, i) => testSegments[i] === String(d.id));
      return { id: d.id, name: d.name, persons: members.length, nextPeriodBuyers: members.filter((p) => testNext.has(p.personId)).length };
    }),
    shrinkPersons: SHRINK,
    results: rows,
    elapsedMs: Date.now() - started,
  };
  const out = process.env.BENCH_OUT ?? path.join(PROJECT_ROOT, 'bench', 'results', `segments-${result.date.slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.relative(PROJECT_ROOT, out)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
