/**
 * Prepared statements kept between queries for the SQLite stores. Prisma's better-sqlite3 adapter (7.10)
 * prepares every statement afresh (`db.prepare(sql).bind(args)`), which the order-detail profile under
 * load put at ~7 % of the gateway's CPU (docs/performance.md). This keeps the last `capacity` statements
 * by SQL text, with their column lists, and binds each query's arguments at execution instead: the
 * same SQL with the same arguments runs, so results and errors are the same; only the compilation
 * (and describing the result columns again) is skipped.
 *
 * It reaches into the adapter's connection (`adapter.client`, the better-sqlite3 Database), which the
 * adapter does not publish: the package is pinned, and test/sources/sql/statement-cache.test.ts checks
 * both that statements are reused and that answers equal an uncached client's.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { ColumnDefinition, Database, Statement } from 'better-sqlite3';

export const STATEMENT_CACHE_CAPACITY = 500;

/** A kept statement and, once asked for, its result columns (better-sqlite3 builds them anew on every call). */
interface Entry {
  statement: Statement;
  columns?: ColumnDefinition[];
}

/** What the adapter calls on `prepare(sql).bind(args)`: reader, run, columns, raw().all. */
class BoundStatement {
  constructor(
    private readonly entry: Entry,
    private readonly args: unknown[],
    private readonly onWrite: () => void,
  ) {}

  get reader(): boolean {
    return this.entry.statement.reader;
  }

  run() {
    this.onWrite();
    return this.entry.statement.run(this.args);
  }

  columns() {
    return (this.entry.columns ??= this.entry.statement.columns());
  }

  raw() {
    // Raw mode is a property of the statement; the adapter reads every result raw.
    this.entry.statement.raw(true);
    return { all: () => this.entry.statement.all(this.args) };
  }
}

/**
 * Replaces `db.prepare` by a least-recently-used cache of statements, `capacity` at most. Any statement that
 * is run rather than read (a write, DDL, BEGIN) empties the cache, so a read after a schema change is
 * prepared (and described) afresh, as without the cache; the serving path only reads.
 */
export function cacheStatements(db: Database, capacity = STATEMENT_CACHE_CAPACITY): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Entry>();
  // A kept statement still answers its old column list after a schema change (better-sqlite3 describes it
  // as first prepared), so anything that writes drops every kept statement: only reads are reused.
  const onWrite = () => cache.clear();
  (db as unknown as { prepare(sql: string): unknown }).prepare = (sql: string) => {
    let entry = cache.get(sql);
    if (entry) {
      cache.delete(sql);
    } else {
      entry = { statement: prepare(sql) };
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, entry);
    const kept = entry;
    return {
      bind: (args: unknown[]) => new BoundStatement(kept, args, onWrite),
      run: () => {
        onWrite();
        return kept.statement.run();
      },
    };
  };
}

/** Prisma's better-sqlite3 adapter factory whose connections keep their prepared statements. */
export class StatementCachingSqliteAdapter extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    cacheStatements((adapter as unknown as { client: Database }).client);
    return adapter;
  }
}
