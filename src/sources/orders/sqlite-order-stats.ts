/**
 * Order statistics on the embedded SQLite order store, outside Prisma's client: its own connection to
 * orders.db, the fact tables (built when a store seeded before them lacks them) and the TEMP lookup tables
 * of that connection, refilled whenever the caller hands in a different lookup map than the one loaded
 * (the maps are cached and replaced as a whole by fusion, so identity is their version). Answers are kept
 * until the store or a lookup changes (../sql/result-memo.ts).
 */
import Database from 'better-sqlite3';
import type { SourceQueryLog } from '../query-log';
import { NO_MEMO, type ResultMemo } from '../sql/result-memo';
import { ACCOUNT_KEYS, ensureOrderStatsFacts, ORDER_FACTS } from './order-stats-facts.sql';
import {
  LOOKUP_TABLES,
  lookupsNeeded,
  lookupStatsRow,
  lookupStatsStatement,
  type LookupStatsQuery,
  type LookupStatsRow,
  type LookupTable,
  type OrderStatsLookups,
} from './order-stats-lookups.sql';

type LookupRow = (string | number | null)[];

const ROWS_OF: { [T in LookupTable]: (map: NonNullable<OrderStatsLookups[T]>, db: Database.Database) => Iterable<LookupRow> } = {
  /** Every numbered account of the store, with its person as a number (an account the map lacks is its own person). */
  *accounts(map, db) {
    const persons = new Map<string, number>();
    for (const { account_key: key, customer_id: customerId } of db.prepare(`SELECT account_key, customer_id FROM ${ACCOUNT_KEYS}`).iterate() as Iterable<{
      account_key: number;
      customer_id: string;
    }>) {
      const account = map.get(customerId);
      const personId = account?.personId ?? customerId;
      let person = persons.get(personId);
      if (person === undefined) {
        person = persons.size;
        persons.set(personId, person);
      }
      yield [key, person, account?.state ?? null];
    }
  },
  *sellers(map) {
    for (const [sellerId, state] of map) yield [sellerId, state];
  },
  *products(map) {
    for (const [productId, category] of map) yield [productId, category.en, category.pt];
  },
  *reviews(map) {
    for (const [orderId, review] of map) yield [orderId, review.n, review.sum];
  },
};

/** Larger answers (a day × seller grid) are recomputed rather than held. */
const MAX_KEPT_GROUPS = 20_000;

export class SqliteOrderStats {
  private readonly db: Database.Database;
  private readonly loaded = new Map<LookupTable, object>();
  private readonly statements = new Map<string, Database.Statement>();
  private factsReady = false;
  /** Bumped whenever a lookup table is refilled: part of every kept answer's key. */
  private lookupsVersion = 0;

  constructor(
    private readonly file: string,
    private readonly queryLog?: SourceQueryLog,
    private readonly memo: ResultMemo = NO_MEMO,
  ) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
    for (const table of Object.values(LOOKUP_TABLES)) {
      // A text key is the table's own key (no rowid); an integer key already is the rowid.
      const layout = table.columns[0].includes('INTEGER PRIMARY KEY') ? '' : ' WITHOUT ROWID';
      this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${table.name.slice('temp.'.length)} (${table.columns.join(', ')})${layout}`);
    }
  }

  /** One row per group; the rows may be shared with other callers (kept answers), so they are read-only. */
  async run(query: LookupStatsQuery, lookups: OrderStatsLookups): Promise<readonly Readonly<LookupStatsRow>[]> {
    this.ensureFacts();
    for (const table of lookupsNeeded(query)) this.load(table, lookups);
    const { sql, values } = lookupStatsStatement(query);
    return this.memo.remember(
      `orderStats ${this.lookupsVersion} ${sql} ${JSON.stringify(values)}`,
      async () => {
        let statement = this.statements.get(sql);
        if (!statement) {
          statement = this.db.prepare(sql);
          if (this.statements.size > 200) this.statements.clear();
          this.statements.set(sql, statement);
        }
        this.queryLog?.record('orders');
        return (statement.all(...values) as Record<string, unknown>[]).map((row) => lookupStatsRow(row, query.groupBy.length));
      },
      { keepIf: (rows) => rows.length <= MAX_KEPT_GROUPS },
    );
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** A store seeded before the fact tables existed gets them once, through a short-lived writer. */
  private ensureFacts(): void {
    if (this.factsReady) return;
    const present = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(ORDER_FACTS);
    if (present) {
      this.factsReady = true;
      return;
    }
    const writer = new Database(this.file, { fileMustExist: true });
    try {
      writer.pragma('busy_timeout = 30000');
      ensureOrderStatsFacts(writer);
    } finally {
      writer.close();
    }
    this.factsReady = true;
  }

  private load<T extends LookupTable>(table: T, lookups: OrderStatsLookups): void {
    const map = lookups[table];
    if (!map) throw new Error(`order stats: the ${table} lookup was not given`);
    if (this.loaded.get(table) === map) return;
    const { name, columns } = LOOKUP_TABLES[table];
    const insert = this.db.prepare(`INSERT INTO ${name} VALUES (${columns.map(() => '?').join(', ')})`);
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM ${name}`);
      // Rows are collected first: the accounts' rows are read from the store on this same connection.
      for (const row of [...ROWS_OF[table](map as NonNullable<OrderStatsLookups[T]>, this.db)]) insert.run(...row);
    })();
    this.loaded.set(table, map);
    this.lookupsVersion += 1;
  }
}
