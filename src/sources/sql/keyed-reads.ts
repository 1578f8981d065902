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
 */
import Database from 'better-sqlite3';
import type { SourceQueryLog } from '../query-log';

export interface KeyedReads<Models extends object> {
  /** Every row of `model` whose `key` is one of `keys`, ordered by `orderBy` (ascending) when given. */
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

  constructor(
    client: object,
    file: string,
    private readonly system: string,
    private readonly queryLog?: SourceQueryLog,
  ) {
    this.models = runtimeModels(client);
    this.db = new Database(file, { readonly: true, fileMustExist: true });
  }

  async rowsWhereIn<M extends keyof Models & string>(
    model: M,
    key: keyof Models[M] & string,
    keys: readonly string[],
    orderBy: readonly (keyof Models[M] & string)[] = [],
  ): Promise<Models[M][]> {
    const statement = this.statement(model, key, orderBy);
    this.queryLog?.record(this.system);
    return statement.all(JSON.stringify(keys)) as Models[M][];
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
