import fs from 'node:fs';
import zlib from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { CsvParser, CsvSyntaxError } from '../shared/csv';
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
 * Streams a dataset CSV (plain or gzip, with or without a BOM) as header-keyed rows (shared/csv.ts).
 * A missing column, a ragged row, a quoting error or a broken gzip stream becomes a DatasetError naming the file and line.
 */
export async function* readCsvRows(file: string, table: DatasetTable, progress: CsvProgress = {}): AsyncGenerator<CsvRecord> {
  const input = fs.createReadStream(file);
  let bytesRead = 0;
  input.on('data', (chunk) => {
    bytesRead += chunk.length;
    progress.onBytes?.(bytesRead);
  });
  const decoded = file.endsWith('.gz') ? input.pipe(zlib.createGunzip()) : input;
  if (decoded !== input) input.on('error', (error) => decoded.destroy(error));
  const parser = new CsvParser();
  const text = new StringDecoder('utf8');
  let header: string[] | null = null;
  let ready: CsvRecord[] = [];
  const sink = (fields: string[], line: number) => {
    if (!header) {
      const missing = table.requiredColumns.filter((column) => !fields.includes(column));
      if (missing.length > 0) throw new DatasetError(file, `malformed: header lacks column(s) ${missing.join(', ')}`);
      header = fields;
      return;
    }
    if (fields.length !== header.length) throw new DatasetError(file, `malformed at line ${line}: ${fields.length} fields, the header has ${header.length}`);
    const row: CsvRow = {};
    for (let k = 0; k < header.length; k++) row[header[k]] = fields[k];
    ready.push({ row, line });
  };
  const parse = (step: () => void) => {
    try {
      step();
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new DatasetError(file, `malformed at line ${error.line}: ${error.message}`);
      throw error;
    }
  };

  try {
    try {
      for await (const chunk of decoded as AsyncIterable<Buffer | string>) {
        parse(() => parser.push(typeof chunk === 'string' ? chunk : text.write(chunk), sink));
        // Records of one chunk are handed out together (one chunk is 64 KiB: a few hundred rows).
        const batch = ready;
        ready = [];
        yield* batch;
      }
    } catch (error) {
      if (error instanceof DatasetError) throw error;
      throw new DatasetError(file, `cannot be read: ${(error as Error).message}`);
    }
    parse(() => {
      parser.push(text.end(), sink);
      parser.end(sink);
    });
    yield* ready;
  } finally {
    input.destroy();
  }
}
