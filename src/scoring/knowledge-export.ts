/**
 * `features knowledge`: the training files of the segment and anomaly models (training/segments.py,
 * training/anomalies.py), written from the same feature code serving uses:
 *   segments_train.csv  person_id, <SEGMENT_FEATURES> — every person known at SEGMENT_SPLIT.trainAsOf
 *   anomaly_train.csv   order_id, <ANOMALY_FEATURES> — every order purchased before ANOMALY_SPLIT.trainTo
 */
import fs from 'node:fs';
import path from 'node:path';
import { ANOMALY_FEATURES, ANOMALY_SPLIT, anomalyRows, orderFactsRows } from './anomalies';
import { asOfMs, type Snapshot } from './features';
import { SEGMENT_FEATURES, SEGMENT_SPLIT, personBehaviours, segmentRows } from './segments';

function writeCsv(file: string, header: readonly string[], ids: readonly string[], rows: Float32Array): void {
  const width = header.length - 1;
  const lines = [header.join(',')];
  ids.forEach((id, r) => lines.push([id, ...Array.from(rows.subarray(r * width, (r + 1) * width), (v) => String(v))].join(',')));
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

export function exportKnowledgeSets(snap: Snapshot, outDir: string): { persons: number; orders: number } {
  fs.mkdirSync(outDir, { recursive: true });
  const persons = [...personBehaviours(snap, asOfMs(SEGMENT_SPLIT.trainAsOf)).values()];
  writeCsv(
    path.join(outDir, 'segments_train.csv'),
    ['person_id', ...SEGMENT_FEATURES.map((f) => f.name)],
    persons.map((p) => p.personId),
    segmentRows(persons),
  );
  const trainTo = asOfMs(ANOMALY_SPLIT.trainTo);
  const orders = orderFactsRows(snap, (t) => t < trainTo);
  writeCsv(
    path.join(outDir, 'anomaly_train.csv'),
    ['order_id', ...ANOMALY_FEATURES.map((f) => f.name)],
    orders.map((o) => o.order.orderId),
    anomalyRows(orders),
  );
  return { persons: persons.length, orders: orders.length };
}
