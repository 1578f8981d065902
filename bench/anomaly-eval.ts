/**
 * Evaluation of Order.anomaly (src/scoring/anomalies, model models/order_anomaly/<newest>) on the
 * orders purchased from ANOMALY_SPLIT.trainTo on (the model was fit on the earlier ones):
 *  - against the inconsistencies the fusion rules flag (src/fusion/rules: order.expected_dates,
 *    order.status_contradicts_timestamps, payment.type_not_defined): ROC-AUC of the score for flagged
 *    vs unflagged orders, overall and per rule, and the share of flagged orders among the top 1 %;
 *  - the same for the rule-blind variant (trained without the status and milestone-consistency
 *    features, data/knowledge/order_anomaly_blind from training/anomalies.py --drop …), when present,
 *    to see what the score finds without being told the rules' own checks;
 *  - baseline: the largest robust z-score over the features (|x − median| / (1.4826 · MAD) of the
 *    training orders; features with MAD 0: any difference counts as 10);
 *  - a sample to read: the 10 highest-scored test orders and 10 drawn at random (seed 17), with their
 *    facts and reasons; labels read by hand are in bench/anomaly-labels.json (precision per half).
 * Writes bench/results/anomalies-<date>.json (BENCH_OUT). Run: npm run bench:anomalies (seeded ./data).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { expectedDatesRule, paymentTypeRule, statusTimelineRule } from '../src/fusion/rules';
import { ANOMALY_FEATURES, ANOMALY_SPLIT, anomalyRows, orderFactsRows, scoreAnomalies, type AnomalyModelConfig, type OrderFactsRow } from '../src/scoring';
import { asOfMs, loadSnapshot, localText, rng } from '../src/scoring/features';
import { configFromEnv, PROJECT_ROOT } from '../src/shared';
import { openEmbeddedSources } from '../src/sources';
import { rocAuc, round } from './knowledge-metrics';

const text = (ms: number) => (Number.isFinite(ms) ? localText(ms) : null);

/** The rules that flag an order (their names). */
function flagsOf(row: OrderFactsRow): string[] {
  const o = row.order;
  const facts = { status: o.status, purchasedAt: text(o.purchase), approvedAt: text(o.approved), carrierAt: text(o.carrier), deliveredAt: text(o.delivered) };
  const out: string[] = [];
  if (expectedDatesRule.apply(facts, undefined).flag) out.push(expectedDatesRule.name);
  if (statusTimelineRule.apply(facts, undefined).flag) out.push(statusTimelineRule.name);
  if (row.payments.some((p) => paymentTypeRule.apply(p.type, undefined).flag)) out.push(paymentTypeRule.name);
  return out;
}

async function scorer(dir: string) {
  const session = await InferenceSession.create(path.join(dir, 'model.onnx'));
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as AnomalyModelConfig & Record<string, unknown>;
  const score = async (rows: Float32Array, n: number) => {
    const out = new Float32Array(n);
    const width = ANOMALY_FEATURES.length;
    for (let i = 0; i < n; i += 20_000) {
      const m = Math.min(20_000, n - i);
      const res = await session.run({ features: new Tensor('float32', rows.slice(i * width, (i + m) * width), [m, width]) });
      out.set(res.score.data as Float32Array, i);
    }
    return out;
  };
  return { config, score };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : 0;
}

function report(scores: ArrayLike<number>, flags: readonly string[][]) {
  const flagged = flags.map((f) => f.length > 0);
  const rules = [...new Set(flags.flat())].sort();
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const top = order.slice(0, Math.ceil(scores.length / 100));
  return {
    rocAuc: round(rocAuc(scores, flagged)),
    flaggedShareOfTop1pct: round(top.filter((i) => flagged[i]).length / top.length),
    perRule: Object.fromEntries(
      rules.map((rule) => {
        // This rule's orders against the unflagged ones.
        const keep = flags.map((f) => f.includes(rule) || f.length === 0);
        const s = Array.from(scores).filter((_, i) => keep[i]);
        const y = flags.filter((_, i) => keep[i]).map((f) => f.includes(rule));
        return [rule, { orders: y.filter(Boolean).length, rocAuc: round(rocAuc(s, y)) }];
      }),
    ),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const sources = await openEmbeddedSources(configFromEnv().dataDir);
  const snap = await loadSnapshot(sources);
  await sources.close();
  const cut = asOfMs(ANOMALY_SPLIT.trainTo);
  const train = orderFactsRows(snap, (t) => t < cut);
  const test = orderFactsRows(snap, (t) => t >= cut);
  const flags = test.map(flagsOf);
  const x = anomalyRows(test);
  const width = ANOMALY_FEATURES.length;

  const modelDir = process.env.ANOMALY_MODEL_DIR ?? path.join(PROJECT_ROOT, 'models', 'order_anomaly', '1');
  const model = await scorer(modelDir);
  const scores = await model.score(x, test.length);
  const results: Record<string, unknown> = { isolation_forest: report(scores, flags) };

  const blindDir = path.join(PROJECT_ROOT, 'data', 'knowledge', 'order_anomaly_blind');
  if (fs.existsSync(path.join(blindDir, 'model.onnx'))) {
    const blind = await scorer(blindDir);
    results.isolation_forest_rule_blind = { droppedFeatures: blind.config.dropped_features, ...report(await blind.score(x, test.length), flags) };
  }

  // Baseline: the largest robust z-score.
  const trainX = anomalyRows(train);
  const centre: number[] = [];
  const spread: number[] = [];
  for (let j = 0; j < width; j++) {
    const col = Array.from({ length: train.length }, (_, r) => trainX[r * width + j]);
    const m = median(col);
    centre.push(m);
    spread.push(1.4826 * median(col.map((v) => Math.abs(v - m))));
  }
  const robust = new Float64Array(test.length);
  for (let r = 0; r < test.length; r++) {
    let worst = 0;
    for (let j = 0; j < width; j++) {
      const d = Math.abs(x[r * width + j] - centre[j]);
      worst = Math.max(worst, spread[j] > 0 ? d / spread[j] : d > 0 ? 10 : 0);
    }
    robust[r] = worst;
  }
  results.max_robust_z_baseline = report(robust, flags);

  // The sample to read.
  const order = Array.from({ length: test.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const random = rng(17);
  const drawn = new Set<number>();
  while (drawn.size < 10) drawn.add(Math.floor(random() * test.length));
  const picks = [...order.slice(0, 10).map((i) => ['top', i] as const), ...[...drawn].map((i) => ['random', i] as const)];
  const explained = await scoreAnomalies(
    picks.map(([, i]) => test[i]),
    { config: model.config, modelVersion: 'order_anomaly/1', score: model.score },
  );
  const labelsFile = path.join(PROJECT_ROOT, 'bench', 'anomaly-labels.json');
  const labels: Record<string, { unusual: boolean; note: string }> = fs.existsSync(labelsFile) ? JSON.parse(fs.readFileSync(labelsFile, 'utf8')) : {};
  const sample = picks.map(([from, i], k) => {
    const row = test[i];
    const o = row.order;
    return {
      from,
      orderId: o.orderId,
      score: round(scores[i]),
      level: explained[k].level,
      flags: flags[i],
      status: o.status,
      purchased: text(o.purchase),
      approved: text(o.approved),
      carrier: text(o.carrier),
      delivered: text(o.delivered),
      estimated: text(o.estimated),
      items: row.items.map((it) => ({ price: it.price, freight: it.freight, seller: it.sellerId.slice(0, 8) })),
      payments: row.payments.map((p) => ({ type: p.type, installments: p.installments, value: p.value })),
      reasons: explained[k].reasons.map((r) => `${r.text} (${r.effect === null ? '—' : `+${r.effect.toFixed(3)}`})`),
      label: labels[o.orderId] ?? null,
    };
  });
  const precision = (from: string) => {
    const labelled = sample.filter((s) => s.from === from && s.label);
    return labelled.length ? { labelled: labelled.length, unusual: labelled.filter((s) => s.label!.unusual).length } : null;
  };
  const labelled = sample.filter((s) => s.label);
  const result = {
    date: new Date().toISOString(),
    split: { trainTo: ANOMALY_SPLIT.trainTo, trainOrders: train.length, testOrders: test.length, flaggedTestOrders: flags.filter((f) => f.length).length },
    model: { dir: path.relative(PROJECT_ROOT, modelDir), thresholds: model.config.thresholds },
    levelsAtTest: {
      MEDIUM: Array.from(scores).filter((s) => s >= model.config.thresholds!.medium! && s < model.config.thresholds!.high!).length,
      HIGH: Array.from(scores).filter((s) => s >= model.config.thresholds!.high!).length,
    },
    results,
    labelledSample: {
      top10: precision('top'),
      random10: precision('random'),
      rocAucOfScoreOnLabels: labelled.length
        ? round(
            rocAuc(
              labelled.map((s) => s.score),
              labelled.map((s) => s.label!.unusual),
            ),
          )
        : null,
    },
    sample,
    elapsedMs: Date.now() - started,
  };
  const out = process.env.BENCH_OUT ?? path.join(PROJECT_ROOT, 'bench', 'results', `anomalies-${result.date.slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ split: result.split, results, labelledSample: result.labelledSample }, null, 1));
  console.log(`wrote ${path.relative(PROJECT_ROOT, out)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
