/**
 * Prepared statements kept between queries for the SQLite stores. Prisma's better-sqlite3 adapter (7.10)
 * prepares every statement afresh (`db.prepare(sql).bind(args)`), which the order-detail profile under
 * load put at ~7 % of the gateway's CPU (docs/performance.md). This keeps the last `capacity` statements
 * by SQL text and binds each query's arguments at execution instead: the same SQL with the same
 * arguments runs, so results and errors are the same; only the compilation is skipped.
 *
 * It reaches into the adapter's connection (`adapter.client`, the better-sqlite3 Database), which the
 * adapter does not publish: the package is pinned, and test/sources/sql/statement-cache.test.ts checks
 * both that statements are reused and that answers equal an uncached client's.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';

export const STATEMENT_CACHE_CAPACITY = 500;

/** What the adapter calls on `prepare(sql)` and `.bind(args)`: run, reader, columns, raw().all. */
class BoundStatement {
  constructor(
    private readonly statement: Statement,
    private readonly args: unknown[],
  ) {}

  get reader(): boolean {
    return this.statement.reader;
  }

  run() {
    return this.statement.run(this.args);
  }

  columns() {
    return this.statement.columns();
  }

  raw() {
    // Raw mode is a property of the statement; the adapter reads every result raw.
    this.statement.raw(true);
    return { all: () => this.statement.all(this.args) };
  }
}

class ReusableStatement {
  constructor(private readonly statement: Statement) {}

  bind(args: unknown[]): BoundStatement {
    return new BoundStatement(this.statement, args);
  }

  run() {
    return this.statement.run();
  }
}

/** Replaces `db.prepare` by a least-recently-used cache of statements, `capacity` at most. */
export function cacheStatements(db: Database, capacity = STATEMENT_CACHE_CAPACITY): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  (db as unknown as { prepare(sql: string): ReusableStatement }).prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
    } else {
      statement = prepare(sql);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return new ReusableStatement(statement);
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
