/**
 * Small dataset folders for seed tests: the header and the first N data lines of each real dataset file,
 * byte for byte (BOM and CRLF included), written gzip-compressed or plain. Referential integrity between
 * the tables is not kept (the seed does not check it).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { olistDatasetDir } from './olist-oracle';

export interface MiniDatasetOptions {
  /** Data lines to keep per file (default 300). */
  rows?: number;
  /** Write .csv.gz (default) or plain .csv files. */
  gzip?: boolean;
  /** Base names (without .gz) of files to leave out. */
  omit?: string[];
  /** Rewrites a file's text before it is written (base name without .gz). */
  edit?: Record<string, (text: string) => string>;
}

/** Base names (without .gz) of the shipped dataset files. */
export function shippedFiles(): string[] {
  return fs
    .readdirSync(olistDatasetDir())
    .filter((name) => name.endsWith('.csv.gz'))
    .map((name) => name.slice(0, -'.gz'.length))
    .sort();
}

const headCache = new Map<string, string>();

/** The header line and the first `rows` data lines of a shipped file, as text (line endings kept). */
export function headOf(baseName: string, rows: number): string {
  const key = `${baseName}:${rows}`;
  let text = headCache.get(key);
  if (text === undefined) {
    const all = zlib.gunzipSync(fs.readFileSync(path.join(olistDatasetDir(), `${baseName}.gz`))).toString('utf8');
    text = sliceLines(all, rows + 1);
    headCache.set(key, text);
  }
  return text;
}

/** The first `lines` lines of `text` (each with its line ending). */
function sliceLines(text: string, lines: number): string {
  let end = 0;
  for (let i = 0; i < lines; i += 1) {
    const next = text.indexOf('\n', end);
    if (next === -1) return text;
    end = next + 1;
  }
  return text.slice(0, end);
}

/** Writes a dataset folder and returns its path. */
export function writeMiniDataset(dir: string, options: MiniDatasetOptions = {}): string {
  const rows = options.rows ?? 300;
  fs.mkdirSync(dir, { recursive: true });
  for (const baseName of shippedFiles()) {
    if (options.omit?.includes(baseName)) continue;
    let text = headOf(baseName, rows);
    const edit = options.edit?.[baseName];
    if (edit) text = edit(text);
    writeDatasetFile(dir, baseName, text, options.gzip ?? true);
  }
  return dir;
}

export function writeDatasetFile(dir: string, baseName: string, text: string | Buffer, gzip: boolean): string {
  const file = path.join(dir, gzip ? `${baseName}.gz` : baseName);
  fs.writeFileSync(file, gzip ? zlib.gzipSync(text) : text);
  return file;
}

/** The file a mini dataset holds for a base name (.csv or .csv.gz). */
export function datasetFile(dir: string, baseName: string): string {
  const plain = path.join(dir, baseName);
  return fs.existsSync(plain) ? plain : `${plain}.gz`;
}

/** Parses a dataset file (gzip or plain) into header-keyed rows, independently of the seed's reader. */
export function parseDatasetFile(file: string): Record<string, string>[] {
  const raw = fs.readFileSync(file);
  const text = file.endsWith('.gz') ? zlib.gunzipSync(raw) : raw;
  return parse(text, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
}
