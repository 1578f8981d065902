/**
 * A SQLite file's change counter as one connection sees it: `PRAGMA data_version` moves whenever another
 * connection commits to the file (this process's Prisma client, an event consumer, a seed or a replay in
 * another process), never for the asking connection's own writes. What is kept until a store changes
 * (result-memo.ts, the kept rows of keyed-reads.ts) reads it on a read-only connection of its own.
 */
import type Database from 'better-sqlite3';

export function dataVersionReader(db: Database.Database): () => number {
  const statement = db.prepare('PRAGMA data_version').pluck();
  return () => statement.get() as number;
}
