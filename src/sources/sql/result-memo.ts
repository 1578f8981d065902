/**
 * Answers of reads that scan a store (counts, grouped statistics) kept until that store changes.
 * SQLite's `PRAGMA data_version` changes whenever another connection commits to the file: this process's
 * Prisma client, an event consumer, a seed or a replay in another process. An answer is returned again
 * only while the version it was computed under is still the file's. Database servers offer no such cheap
 * version, so their connectors use NO_MEMO and compute every time.
 */
import Database from 'better-sqlite3';
import { dataVersionReader } from './data-version';

export interface ResultMemo {
  /** `compute()`'s answer, or the one kept for `key` if the store has not changed since it was computed. */
  remember<T>(key: string, compute: () => Promise<T>, options?: { keepIf?: (value: T) => boolean }): Promise<T>;
  close(): Promise<void>;
}

export const NO_MEMO: ResultMemo = {
  remember: (_key, compute) => compute(),
  async close() {},
};

interface Kept {
  version: number;
  value: Promise<unknown>;
}

/** Longer keys (filters listing thousands of ids) are computed every time: they would hold megabytes each. */
const MAX_KEY_LENGTH = 8_192;

/** Kept answers of one SQLite file, the least recently used dropped first past `maxEntries`. */
export class SqliteResultMemo implements ResultMemo {
  private readonly db: Database.Database;
  private readonly dataVersion: () => number;
  private readonly kept = new Map<string, Kept>();

  constructor(
    file: string,
    private readonly maxEntries = 500,
  ) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.dataVersion = dataVersionReader(this.db);
  }

  remember<T>(key: string, compute: () => Promise<T>, options: { keepIf?: (value: T) => boolean } = {}): Promise<T> {
    if (key.length > MAX_KEY_LENGTH) return compute();
    // Read before computing: a commit landing during the computation moves the version on, so the answer
    // (which may or may not include it) is never returned under the newer version.
    const version = this.dataVersion();
    const kept = this.kept.get(key);
    if (kept && kept.version === version) {
      this.kept.delete(key);
      this.kept.set(key, kept);
      return kept.value as Promise<T>;
    }
    // The promise is kept, so concurrent requests for the same answer share one computation.
    const value = compute();
    const entry: Kept = { version, value };
    this.kept.set(key, entry);
    if (this.kept.size > this.maxEntries) this.kept.delete(this.kept.keys().next().value!);
    const forget = () => {
      if (this.kept.get(key) === entry) this.kept.delete(key);
    };
    value.then((answer) => {
      if (options.keepIf && !options.keepIf(answer)) forget();
    }, forget);
    return value;
  }

  async close(): Promise<void> {
    this.kept.clear();
    this.db.close();
  }
}
