import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { olistDatasetDir } from './olist-oracle';

/**
 * A dataset folder holding the first `rows` data rows of every real Olist file (gzip kept).
 * Cutting every table at the same depth leaves real orphans (items of orders that were cut),
 * which is what reconciliation tests want. Remove the folder when done.
 */
export function cutDataset(rows: number): string {
  const source = olistDatasetDir();
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-dataset-cut-'));
  for (const name of fs.readdirSync(source).filter((file) => file.endsWith('.csv.gz'))) {
    const lines = zlib.gunzipSync(fs.readFileSync(path.join(source, name))).toString('utf8').split('\n');
    fs.writeFileSync(path.join(target, name), zlib.gzipSync(`${lines.slice(0, rows + 1).join('\n')}\n`));
  }
  return target;
}
