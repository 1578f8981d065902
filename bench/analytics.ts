/**
 * Latency of ten typical BI questions to Query.orderStats (docs/analytics.md), p50 of 10 timed runs each
 * after one warm-up, one request at a time over HTTP to an in-process gateway (scoring off), as a BI token.
 * Embedded back-end always; the back-ends FUSION_CONFIG names too when it is set (their answers must
 * equal the embedded ones first). Target: p50 ≤ 100 ms per question.
 * Writes bench/results/analytics-<date>.json and prints figure vs target, met/missed.
 *
 *   npm run bench:analytics [-- --runs 10 --out FILE]
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sourcesConfigFromEnv } from '../src/config/fusion-config';
import { defaultSecurityConfig } from '../src/config/security-config';
import { startEmbeddedGateway, type RunningServer } from '../src/gateway';
import { signToken } from '../src/security';
import { configFromEnv, PROJECT_ROOT } from '../src/shared';
import { openEmbeddedSources, openSources, type Sources } from '../src/sources';
import { gitCommit } from './harness';

const TARGET_MS = 100;

const MEASURES = 'orderCount distinctPersons itemsTotal freightTotal paymentTotal averageOrderValue lateDeliveryShare meanDeliveryDays';
const range = (from: string, to: string) => `purchasedFrom: "${from}", purchasedTo: "${to}"`;
/** What a BI dashboard asks: recent periods, a few dimensions, a top-N page. */
export const ANALYTICS_QUESTIONS: { name: string; query: string }[] = [
  {
    name: 'revenue by day, last month',
    query: `{ orderStats(groupBy: [PURCHASE_DAY], filter: { ${range('2018-08-01T00:00:00-03:00', '2018-08-31T23:59:59-03:00')} }) { totalGroups groups { purchaseDay orderCount paymentTotal averageOrderValue } } }`,
  },
  {
    name: 'orders by week and status, last quarter',
    query: `{ orderStats(groupBy: [PURCHASE_WEEK, ORDER_STATUS], filter: { ${range('2018-06-01T00:00:00-03:00', '2018-08-31T23:59:59-03:00')} }) { totalGroups groups { purchaseWeek orderStatus orderCount distinctPersons } } }`,
  },
  {
    name: 'payment mix, last quarter',
    query: `{ orderStats(groupBy: [PAYMENT_TYPE], filter: { ${range('2018-06-01T00:00:00-03:00', '2018-08-31T23:59:59-03:00')} }) { groups { paymentType orderCount paymentTotal averageOrderValue } } }`,
  },
  {
    name: 'top 20 sellers by revenue, last month',
    query: `{ orderStats(groupBy: [SELLER], filter: { ${range('2018-08-01T00:00:00-03:00', '2018-08-31T23:59:59-03:00')} }, orderBy: [{ by: ITEMS_TOTAL, direction: DESC }], first: 20) { totalGroups groups { sellerId ${MEASURES} } } }`,
  },
  {
    name: 'customer states, last month',
    query: `{ orderStats(groupBy: [CUSTOMER_STATE], filter: { ${range('2018-08-01T00:00:00-03:00', '2018-08-31T23:59:59-03:00')} }, orderBy: [{ by: ORDER_COUNT, direction: DESC }]) { groups { customerState ${MEASURES} } } }`,
  },
  {
    name: 'top 10 categories, last month',
    query: `{ orderStats(groupBy: [PRODUCT_CATEGORY], filter: { ${range('2018-08-01T00:00:00-03:00', '2018-08-31T23:59:59-03:00')} }, orderBy: [{ by: ITEMS_TOTAL, direction: DESC }], first: 10) { groups { productCategory orderCount itemsTotal freightTotal } } }`,
  },
  {
    name: 'late deliveries by seller state, Q2 2018',
    query: `{ orderStats(groupBy: [SELLER_STATE], filter: { statuses: [DELIVERED], ${range('2018-04-01T00:00:00-03:00', '2018-06-30T23:59:59-03:00')} }, orderBy: [{ by: LATE_DELIVERY_SHARE, direction: DESC }]) { groups { sellerState orderCount lateDeliveryShare meanDeliveryDays } } }`,
  },
  {
    name: 'review score by category, last month',
    query: `{ orderStats(groupBy: [PRODUCT_CATEGORY], filter: { ${range('2018-08-01T00:00:00-03:00', '2018-08-31T23:59:59-03:00')} }, orderBy: [{ by: MEAN_REVIEW_SCORE, direction: ASC }], first: 10) { groups { productCategory orderCount meanReviewScore } } }`,
  },
  {
    name: 'monthly orders and buyers, all time',
    query: '{ orderStats(groupBy: [PURCHASE_MONTH]) { groups { purchaseMonth orderCount distinctPersons } } }',
  },
  {
    name: 'monthly revenue, SP customers, 2018',
    query: `{ orderStats(groupBy: [PURCHASE_MONTH], filter: { customerStates: ["SP"], ${range('2018-01-01T00:00:00-02:00', '2018-08-31T23:59:59-03:00')} }) { groups { purchaseMonth ${MEASURES} } } }`,
  },
];

interface Figure {
  p50: number;
  min: number;
  max: number;
  runs: number;
  met: boolean;
}

function figure(samples: number[]): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const p50 = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { p50: round(p50), min: round(sorted[0]), max: round(sorted[sorted.length - 1]), runs: sorted.length, met: p50 <= TARGET_MS };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: process.env.BENCH_RUNS ?? '10' }, out: { type: 'string' } } });
  const runs = Number(values.runs);
  const dataDir = configFromEnv().dataDir;
  const security = defaultSecurityConfig(dataDir);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${await signToken(security, { role: 'bi', subject: 'bench-analytics' })}` };
  const configured = sourcesConfigFromEnv();
  const backends: { name: string; sources: Sources }[] = [{ name: 'embedded', sources: await openEmbeddedSources(dataDir) }];
  if (configured.origin.kind === 'file') backends.push({ name: 'production', sources: await openSources(configured) });
  const servers: RunningServer[] = [];
  try {
    const results: Record<string, Record<string, Figure>> = {};
    const answers = new Map<string, string>();
    for (const backend of backends) {
      const server = await startEmbeddedGateway({ dataDir, port: 0, host: '127.0.0.1', sources: backend.sources, scoring: false });
      servers.push(server);
      const url = `http://127.0.0.1:${server.port}/graphql`;
      const ask = async (query: string) => {
        const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
        const text = await response.text();
        if (response.status !== 200 || text.includes('"errors"')) throw new Error(`${backend.name}: HTTP ${response.status} ${text.slice(0, 300)}`);
        return text;
      };
      results[backend.name] = {};
      for (const question of ANALYTICS_QUESTIONS) {
        const first = await ask(question.query); // warm-up (and the reference maps' first read)
        const previous = answers.get(question.name);
        if (previous !== undefined && previous !== first) throw new Error(`${backend.name} answers "${question.name}" differently from embedded`);
        answers.set(question.name, first);
        const samples: number[] = [];
        for (let run = 0; run < runs; run += 1) {
          const started = process.hrtime.bigint();
          await ask(question.query);
          samples.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        results[backend.name][question.name] = figure(samples);
      }
    }
    const stamp = new Date().toISOString();
    const out = values.out ?? path.join(PROJECT_ROOT, 'bench', 'results', `analytics-${stamp.slice(0, 10)}.json`);
    const report = {
      benchmark: 'analytics',
      date: stamp,
      ...gitCommit(),
      method: `in-process gateway (scoring off), BI token, one request at a time over HTTP; per question 1 warm-up then ${runs} timed runs; p50 in ms; target ≤ ${TARGET_MS} ms`,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
      backends: Object.fromEntries(backends.map((backend) => [backend.name, backend.sources.backends ?? 'sqlite + jsonl + csv (embedded default)'])),
      targetMs: TARGET_MS,
      questions: ANALYTICS_QUESTIONS,
      results,
    };
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    const names = backends.map((backend) => backend.name);
    console.log(`${'question'.padEnd(42)} ${names.map((name) => `${name} p50 ms`.padStart(18)).join(' ')}  target`);
    for (const question of ANALYTICS_QUESTIONS) {
      const cells = names.map((name) => {
        const f = results[name][question.name];
        return `${f.p50.toFixed(1)} ${f.met ? 'met' : 'MISSED'}`.padStart(18);
      });
      console.log(`${question.name.padEnd(42)} ${cells.join(' ')}  ≤ ${TARGET_MS}`);
    }
    for (const name of names) {
      const met = Object.values(results[name]).filter((f) => f.met).length;
      console.log(`${name}: ${met}/${ANALYTICS_QUESTIONS.length} questions met the target`);
    }
    console.log(`wrote ${path.relative(PROJECT_ROOT, out)}`);
  } finally {
    for (const server of servers) await server.close();
    for (const backend of backends) await backend.sources.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
