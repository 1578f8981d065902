import path from 'node:path';
import { parseArgs } from 'node:util';
import { reconcileSources } from '../fusion';
import { configFromEnv } from '../shared';
import { sourcesConfigFromEnv } from '../config/fusion-config';
import { openSources } from '../sources';
import type { CommandHelp } from './command-help';

export const REPORT_HELP: CommandHelp = {
  summary: 'prints the reconciliation of every source row, per table (as Query.dataQuality)',
  usage: `Usage: fusion-gateway report [--data DIR] [--json]

  --data DIR  the embedded stores (default: FUSION_DATA_DIR or ./data); FUSION_CONFIG picks other back-ends
  --json      the whole report as JSON
Exits with 1 when a table does not balance (read = served + merged + rejected).`,
};

/** `report [--data DIR] [--json]`: the reconciliation of every source row, per table (same as Query.dataQuality). */
export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const dataDir = values.data ? path.resolve(values.data) : configFromEnv().dataDir;
  const sources = await openSources(sourcesConfigFromEnv(process.env, values.data ? dataDir : undefined));
  try {
    const report = await reconcileSources(sources);
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      const header = ['table', 'source', 'read', 'served', 'merged', 'rejected', 'flagged', 'balanced'];
      const rows = report.tables.map((t) => [t.table, t.source, t.read, t.served, t.merged, t.rejected, t.flagged, t.balanced ? 'yes' : 'NO']);
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
      const line = (cells: (string | number)[]) =>
        cells.map((cell, i) => (typeof cell === 'number' ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join('  ');
      console.log(line(header));
      for (const row of rows) console.log(line(row));
      console.log('\nflags by rule:');
      for (const table of report.tables) {
        for (const { rule, count } of table.flagsByRule) console.log(`  ${table.table.padEnd(22)} ${rule.padEnd(38)} ${count}`);
        for (const { reason, count } of table.rejectionsByReason) console.log(`  ${table.table.padEnd(22)} rejected: ${reason.padEnd(28)} ${count}`);
      }
      console.log(`\n${report.balanced ? 'Every table balances' : 'SOME TABLES DO NOT BALANCE'}: read = served + merged + rejected`);
    }
    return report.balanced ? 0 : 1;
  } finally {
    await sources.close();
  }
}
