/**
 * Where the serving feature store is persisted and what it was built from. Only the embedded default
 * stores (files under the data folder) are fingerprinted: the size and modification time of each store
 * file, the seed manifest and the as-of setting. Other back-ends (FUSION_CONFIG) have no files to
 * compare, so their store is always built from the sources.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { embeddedStorePaths, type Sources } from '../sources';

export function persistedStoreFile(dataDir: string): string {
  return path.join(dataDir, 'feature-store.bin');
}

/** True when `sources` are the embedded default over `dataDir` (they describe no other back-end). */
export function persistable(dataDir: string, sources: Sources): boolean {
  return sources.backends === undefined && fs.existsSync(embeddedStorePaths(dataDir).manifest);
}

export function storeFingerprint(dataDir: string, asOf: string | null): string {
  const paths = embeddedStorePaths(dataDir);
  const files = [paths.manifest, paths.sqlite('crm'), paths.sqlite('catalog'), paths.sqlite('orders'), paths.reviews, paths.geography];
  const stats = files.flatMap((file) =>
    [file, `${file}-wal`].map((f) => {
      const stat = fs.statSync(f, { throwIfNoEntry: false });
      return [path.relative(dataDir, f), stat ? stat.size : null, stat ? stat.mtimeMs : null];
    }),
  );
  return crypto
    .createHash('sha256')
    .update(JSON.stringify({ asOf: asOf ?? 'latest', stats }))
    .digest('hex');
}
