import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared';
import type { RawSqlClient, SqlProvider, SqlSystem } from './clients';
import { placeholderStyle, placeholders } from './bulk-insert';

export type { SqlProvider } from './clients';

const LEDGER = '_fusion_migrations';

/** prisma/migrations/<system>/<provider>/NNNN_name.sql, applied in name order. */
export function migrationFiles(system: SqlSystem, provider: SqlProvider): string[] {
  const dir = path.join(PROJECT_ROOT, 'prisma', 'migrations', system, provider);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Applies the pending SQL migrations of one system and records each in a ledger table
 * (name + checksum), so a run applies only what is new and refuses a migration edited after it ran.
 * Prisma's own `migrate` needs the schema engine binary, which cannot be installed here.
 */
export async function applyMigrations(client: RawSqlClient, system: SqlSystem, provider: SqlProvider): Promise<string[]> {
  await client.$executeRawUnsafe(
    `CREATE TABLE IF NOT EXISTS ${LEDGER} (name VARCHAR(255) NOT NULL PRIMARY KEY, checksum VARCHAR(64) NOT NULL, applied_at VARCHAR(32) NOT NULL)`,
  );
  const applied = new Map(
    (await client.$queryRawUnsafe<{ name: string; checksum: string }[]>(`SELECT name, checksum FROM ${LEDGER}`)).map((row) => [row.name, row.checksum]),
  );
  const ran: string[] = [];
  for (const file of migrationFiles(system, provider)) {
    const name = path.basename(file);
    const sql = fs.readFileSync(file, 'utf8');
    const checksum = crypto.createHash('sha256').update(sql).digest('hex');
    const previous = applied.get(name);
    if (previous !== undefined) {
      if (previous !== checksum) throw new Error(`Migration ${system}/${provider}/${name} was edited after it was applied`);
      continue;
    }
    for (const statement of splitStatements(sql)) await client.$executeRawUnsafe(statement);
    await client.$executeRawUnsafe(
      `INSERT INTO ${LEDGER} (name, checksum, applied_at) VALUES (${placeholders(placeholderStyle(provider), 3).join(', ')})`,
      name,
      checksum,
      new Date().toISOString(),
    );
    ran.push(name);
  }
  return ran;
}

function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
