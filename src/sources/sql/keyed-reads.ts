/**
 * Rows of one model by a list of key values: the by-id batches every DataLoader of the sources runs.
 * The serving path spends most of its source time here, and for one order detail Prisma's client costs
 * ~0.8 ms a statement against ~0.05 ms for the same SQL run by better-sqlite3 itself (docs/performance.md).
 *
 * Two implementations with the same answers: `prismaKeyedReads` (a `findMany` with `in` and `orderBy`, any
 * engine) and, for the SQLite files of the embedded default, `SqliteKeyedReads`, which runs one kept
 * statement per (model, key, order) on its own read-only connection. The Prisma schema stays the source of
 * truth: the table, columns and field names come from the generated client's data model, and each row has
 * the shape and types Prisma would have returned (test/sources/sql/keyed-reads.test.ts compares them).
 * `SqliteKeyedReads` also keeps the rows of recently read keys until the file changes (KeptRows below).
 */
import Database from 'better-sqlite3';
import type { SourceQueryLog } from '../query-log';
import { dataVersionReader } from './data-version';

export interface KeyedReads<Models extends object> {
  /**
   * Every row of `model` whose `key` is one of `keys`; the rows of each key ordered by `orderBy` (ascending)
   * when given. Callers align rows to their keys, so the order across keys is unspecified. The rows may be
   * shared with other callers: read them, never change them.
   */
  rowsWhereIn<M extends keyof Models & string>(
    model: M,
    key: keyof Models[M] & string,
    keys: readonly string[],
    orderBy?: readonly (keyof Models[M] & string)[],
  ): Promise<Models[M][]>;
  close(): Promise<void>;
}

type FindMany = (args: object) => Promise<unknown[]>;

/** The same reads through the Prisma client's model API (database servers, and connectors built in tests). */
export function prismaKeyedReads<Models extends object>(client: object): KeyedReads<Models> {
  return {
    async rowsWhereIn(model, key, keys, orderBy = []) {
      const delegate = (client as Record<string, { findMany: FindMany }>)[model[0].toLowerCase() + model.slice(1)];
      if (!delegate) throw new Error(`The Prisma client has no model ${model}`);
      const rows = await delegate.findMany({
        where: { [key]: { in: [...keys] } },
        ...(orderBy.length > 0 ? { orderBy: orderBy.map((field) => ({ [field]: 'asc' })) } : {}),
      });
      return rows as Models[typeof model][];
    },
    async close() {},
  };
}

/** What the generated client knows of each model (Prisma's runtime data model, read from the client). */
interface RuntimeModel {
  dbName: string | null;
  fields: { name: string; kind: string; type: string; dbName: string | null }[];
}

/** Scalar types whose SQLite values better-sqlite3 returns exactly as Prisma does (string, number, null). */
const PLAIN_TYPES = new Set(['String', 'Int', 'Float']);

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

function runtimeModels(client: object): Record<string, RuntimeModel> {
  const dataModel = (client as { _runtimeDataModel?: { models?: Record<string, RuntimeModel> } })._runtimeDataModel;
  if (!dataModel?.models) throw new Error('This Prisma client exposes no runtime data model (_runtimeDataModel): keyed reads need it');
  return dataModel.models;
}

/**
 * Keyed reads on a SQLite file, outside Prisma's client. The keys travel as one JSON array parameter
 * (`IN (SELECT value FROM json_each(?))`, which SQLite answers from the key's index), so a batch of any size
 * reuses one prepared statement.
 */
export class SqliteKeyedReads<Models extends object> implements KeyedReads<Models> {
  private readonly db: Database.Database;
  private readonly models: Record<string, RuntimeModel>;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly kept: KeptRows | null;

  /** `keptRows`: how many rows to keep between batches (0: none, every batch runs its statement). */
  constructor(
    client: object,
    file: string,
    private readonly system: string,
    private readonly queryLog?: SourceQueryLog,
    keptRows = DEFAULT_KEPT_ROWS,
  ) {
    this.models = runtimeModels(client);
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.kept = keptRows > 0 ? new KeptRows(this.db, keptRows) : null;
  }

  async rowsWhereIn<M extends keyof Models & string>(
    model: M,
    key: keyof Models[M] & string,
    keys: readonly string[],
    orderBy: readonly (keyof Models[M] & string)[] = [],
  ): Promise<Models[M][]> {
    const statement = this.statement(model, key, orderBy);
    if (!this.kept) return this.run<Models[M]>(statement, keys);
    this.kept.forgetIfChanged();
    const prefix = `${model}\u0000${key}\u0000${orderBy.join(',')}\u0000`;
    const rows: Models[M][] = [];
    const missing: string[] = [];
    for (const value of new Set(keys)) {
      const kept = this.kept.get(prefix + value) as Models[M][] | undefined;
      if (kept) rows.push(...kept);
      else missing.push(value);
    }
    if (missing.length === 0) return rows;
    const fresh = this.run<Models[M]>(statement, missing);
    const byKey = new Map(missing.map((value) => [value, [] as Models[M][]]));
    let aligned = true;
    for (const row of fresh) {
      const group = byKey.get(row[key] as string);
      if (group) group.push(row);
      else aligned = false; // a key SQLite matched differently from the string asked for: keep nothing of this batch
      rows.push(row);
    }
    if (aligned) for (const [value, group] of byKey) this.kept.keep(prefix + value, group);
    return rows;
  }

  /** Frozen whether kept or not, so that code changing a row it was given fails in every test, not only where rows are kept. */
  private run<Row>(statement: Database.Statement, keys: readonly string[]): Row[] {
    this.queryLog?.record(this.system);
    const rows = statement.all(JSON.stringify(keys)) as Row[];
    for (const row of rows) Object.freeze(row);
    return rows;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private statement(model: string, key: string, orderBy: readonly string[]): Database.Statement {
    const id = `${model}\u0000${key}\u0000${orderBy.join(',')}`;
    let statement = this.statements.get(id);
    if (!statement) {
      statement = this.db.prepare(this.selectSql(model, key, orderBy));
      this.statements.set(id, statement);
    }
    return statement;
  }

  private selectSql(modelName: string, key: string, orderBy: readonly string[]): string {
    const model = this.models[modelName];
    if (!model) throw new Error(`The ${this.system} schema has no model ${modelName}`);
    const scalars = model.fields.filter((field) => field.kind === 'scalar');
    const unsupported = scalars.filter((field) => !PLAIN_TYPES.has(field.type));
    if (unsupported.length > 0)
      throw new Error(
        `${modelName}: keyed reads return String, Int and Float columns as Prisma does; ${unsupported.map((f) => `${f.name} (${f.type})`).join(', ')} would differ`,
      );
    const column = (fieldName: string) => {
      const field = scalars.find((candidate) => candidate.name === fieldName);
      if (!field) throw new Error(`${modelName} has no scalar field ${fieldName}`);
      return quote(field.dbName ?? field.name);
    };
    const select = scalars.map((field) => `${quote(field.dbName ?? field.name)} AS ${quote(field.name)}`).join(', ');
    const order = orderBy.length > 0 ? ` ORDER BY ${orderBy.map(column).join(', ')}` : '';
    return `SELECT ${select} FROM ${quote(model.dbName ?? modelName)} WHERE ${column(key)} IN (SELECT value FROM json_each(?))${order}`;
  }
}

/**
 * Rows kept per SQLite file by default: the by-key reads of a few thousand requests, ~5–7 MB of heap
 * (measured with 30,000: orders 21.7 MB, customers 16.3 MB, products 14.4 MB).
 */
export const DEFAULT_KEPT_ROWS = 10_000;

/**
 * The rows of recently read keys, returned again while the file is unchanged: its data version
 * (./data-version.ts), read on the keyed reads' own read-only connection before every batch; when it has
 * moved, everything kept is forgotten. The version is read before the statement runs, so rows kept under a version were
 * read at or after it. Bounded by rows (a key with no rows counts as one), least recently used dropped first.
 */
class KeptRows {
  private readonly byKey = new Map<string, readonly unknown[]>();
  private readonly dataVersion: () => number;
  private version: number | undefined = undefined;
  private rowCount = 0;

  constructor(
    db: Database.Database,
    private readonly maxRows: number,
  ) {
    this.dataVersion = dataVersionReader(db);
  }

  forgetIfChanged(): void {
    const version = this.dataVersion();
    if (version === this.version) return;
    this.version = version;
    this.byKey.clear();
    this.rowCount = 0;
  }

  get(id: string): readonly unknown[] | undefined {
    const rows = this.byKey.get(id);
    if (rows) {
      this.byKey.delete(id);
      this.byKey.set(id, rows);
    }
    return rows;
  }

  keep(id: string, rows: readonly unknown[]): void {
    const weight = Math.max(1, rows.length);
    if (weight > this.maxRows / 10) return; // one key's rows may not push out most of the others
    this.byKey.set(id, rows);
    this.rowCount += weight;
    for (const [oldest, oldRows] of this.byKey) {
      if (this.rowCount <= this.maxRows) break;
      this.byKey.delete(oldest);
      this.rowCount -= Math.max(1, oldRows.length);
    }
  }
}
