import fs from 'node:fs';
import zlib from 'node:zlib';
import { parse } from 'csv-parse';
import { DatasetError, type DatasetTable } from './dataset-files';

export type CsvRow = Record<string, string>;

/** A data row with the physical line it ends on (quoted cells may span lines). */
export interface CsvRecord {
  row: CsvRow;
  line: number;
}

export interface CsvProgress {
  /** Bytes of the file on disk consumed so far (compressed bytes for .gz). */
  onBytes?: (bytesRead: number) => void;
}

/**
 * Streams a dataset CSV (plain or gzip, with or without a BOM) as header-keyed rows.
 * A missing column, a ragged row or a broken gzip stream becomes a DatasetError naming the file and line.
 */
export async function* readCsvRows(file: string, table: DatasetTable, progress: CsvProgress = {}): AsyncGenerator<CsvRecord> {
  const input = fs.createReadStream(file);
  let bytesRead = 0;
  input.on('data', (chunk) => {
    bytesRead += chunk.length;
    progress.onBytes?.(bytesRead);
  });
  const decoded = file.endsWith('.gz') ? input.pipe(zlib.createGunzip()) : input;
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    columns: (header: string[]) => {
      const missing = table.requiredColumns.filter((column) => !header.includes(column));
      if (missing.length > 0) throw new DatasetError(file, `malformed: header lacks column(s) ${missing.join(', ')}`);
      return header;
    },
  });
  decoded.on('error', (error: Error) => parser.destroy(new DatasetError(file, `cannot be read: ${error.message}`)));
  input.on('error', (error) => parser.destroy(new DatasetError(file, `cannot be read: ${error.message}`)));
  decoded.pipe(parser);

  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: CsvRow; info: { lines: number } }>) {
      yield { row: record, line: info.lines };
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    const line = (error as { lines?: number }).lines;
    throw new DatasetError(file, `malformed${line ? ` at line ${line}` : ''}: ${(error as Error).message}`);
  } finally {
    input.destroy();
  }
}
