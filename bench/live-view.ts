/**
 * Cost of one change event on the feature store, with and without the recommendation side following it
 * (live-updates.ts): a day of history (default 2018-08-20, every order's changes, deliveries and reviews
 * included) applied in time order to a serving store over the orders before that day
 *   - "index only": a store that never built its as-of view (what applyChange cost before);
 *   - "view built": the view and template in use (candidates and rows computed for some persons first);
 *   - "read back": the same, the view restored from its packed form (the first event walks the index).
 * Per event type p50/p99/max, the first event's cost, and one person's candidates + rows after the day
 * (template rows computed again on use) against the same request repeated. Writes
 * bench/results/live-view-<date>.json.
 *
 *   npm run build && node dist/bench/live-view.js [-- --from 2018-08-20 --to 2018-08-21]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ChangeEvent } from '../src/events';
import { applyChange, asOfMs, FeatureStore, loadSnapshot, type Snapshot } from '../src/scoring/features';
import { readHistory } from '../src/seed';
import { configFromEnv, PROJECT_ROOT } from '../src/shared';
import { openEmbeddedSources } from '../src/sources';
import { gitCommit } from './harness';

const { values } = parseArgs({ options: { from: { type: 'string', default: '2018-08-20' }, to: { type: 'string', default: '2018-08-21' } } });

function ordersBefore(snap: Snapshot, to: number): Snapshot {
  const orders = snap.orders.filter((o) => o.purchase < to).map((o) => ({ ...o }));
  const kept = new Set(orders.map((o) => o.orderId));
  const keep = <T>(map: Map<string, T[]>) => new Map([...map].filter(([id]) => kept.has(id)).map(([id, list]) => [id, [...list]]));
  return { ...snap, orders, items: keep(snap.items), payments: keep(snap.payments), reviews: keep(snap.reviews), accounts: new Map(snap.accounts) };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    n: ms.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    totalMs: round(ms.reduce((a, b) => a + b, 0)),
  };
}

function timed<T>(f: () => T): [T, number] {
  const started = process.hrtime.bigint();
  const value = f();
  return [value, Number(process.hrtime.bigint() - started) / 1e6];
}

async function main(): Promise<void> {
  const sources = await openEmbeddedSources(configFromEnv().dataDir);
  const full = await loadSnapshot(sources);
  await sources.close();
  const known = new Set(full.orders.map((o) => o.orderId));
  const history: ChangeEvent[] = (await readHistory(configFromEnv().datasetDir, values.from!, values.to!)).filter(
    (e) => e.entity.kind !== 'order' || known.has(e.entity.key),
  );
  const cut = asOfMs(values.from!);
  const persons = [...new Set(full.orders.filter((o) => o.purchase < cut).map((o) => o.personId))].slice(0, 20);

  const runs: Record<string, unknown> = {};
  for (const mode of ['index only', 'view built', 'read back'] as const) {
    const snap = ordersBefore(full, cut);
    let store = FeatureStore.fromSnapshot(snap, { asOf: snap.orders.reduce((m, o) => Math.max(m, o.purchase), 0) + 1000 });
    if (mode !== 'index only') for (const p of persons) store.recommendationRows(p, store.candidatesFor(p, 100));
    if (mode === 'read back') {
      store = new FeatureStore(store.index, store.asOf).withRestored(store.asOfView().pack(), store.productTemplate());
      for (const p of persons) store.recommendationRows(p, store.candidatesFor(p, 100));
    }
    const byType = new Map<string, number[]>();
    const all: number[] = [];
    history.forEach((event) => {
      const [, ms] = timed(() => applyChange(store, event));
      all.push(ms);
      byType.set(event.type, [...(byType.get(event.type) ?? []), ms]);
    });
    const run: Record<string, unknown> = {
      events: summary(all.slice(1)),
      firstEventMs: round(all[0]),
      byType: Object.fromEntries([...byType].map(([type, ms]) => [type, summary(ms)])),
    };
    if (mode !== 'index only') {
      const person = persons[0];
      const [, firstRequestMs] = timed(() => store.recommendationRows(person, store.candidatesFor(person, 100)));
      const [, repeatMs] = timed(() => store.recommendationRows(person, store.candidatesFor(person, 100)));
      run.requestAfterDay = { firstRequestMs: round(firstRequestMs), sameRequestAgainMs: round(repeatMs) };
    }
    runs[mode] = run;
    console.log(mode, JSON.stringify(run.events), 'first', run.firstEventMs, run.requestAfterDay ? JSON.stringify(run.requestAfterDay) : '');
  }
  const result = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10), node: process.version },
    day: { from: values.from, to: values.to, events: history.length },
    runs,
  };
  const file = path.join(PROJECT_ROOT, 'bench', 'results', `live-view-${result.date.slice(0, 10)}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.relative(PROJECT_ROOT, file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
