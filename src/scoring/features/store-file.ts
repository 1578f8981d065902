/**
 * A binary file of named sections (typed arrays, string lists) behind a small JSON header:
 *   "FGSTORE1" | u32 LE header length | header JSON | padding to 8 | sections, each 8-byte aligned.
 * The header carries the caller's metadata, each section's name, type, offset and length, and a CRC-32
 * of the data, so a truncated or altered file is refused (StoreFileError) instead of read as garbage.
 * Typed-array sections are read back as views on the file's one buffer (no copy).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const MAGIC = 'FGSTORE1';

export type Section = Float64Array | Float32Array | Int32Array | (string | null)[];

type SectionType = 'f64' | 'f32' | 'i32' | 'strings';

interface SectionEntry {
  name: string;
  type: SectionType;
  offset: number;
  byteLength: number;
}

interface Header<M> {
  meta: M;
  crc32: number;
  dataLength: number;
  sections: SectionEntry[];
}

export class StoreFileError extends Error {}

function typeOf(section: Section): SectionType {
  if (Array.isArray(section)) return 'strings';
  if (section instanceof Float64Array) return 'f64';
  if (section instanceof Float32Array) return 'f32';
  return 'i32';
}

const align8 = (n: number) => (n + 7) & ~7;

/** Writes the file atomically (a temporary file renamed over the old one). */
export function writeStoreFile<M>(file: string, meta: M, sections: Record<string, Section>): void {
  const entries: SectionEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, section] of Object.entries(sections)) {
    const bytes = Array.isArray(section) ? Buffer.from(JSON.stringify(section), 'utf8') : Buffer.from(section.buffer, section.byteOffset, section.byteLength);
    entries.push({ name, type: typeOf(section), offset, byteLength: bytes.length });
    chunks.push(bytes, Buffer.alloc(align8(bytes.length) - bytes.length));
    offset += align8(bytes.length);
  }
  const data = Buffer.concat(chunks, offset);
  const header: Header<M> = { meta, crc32: zlib.crc32(data), dataLength: data.length, sections: entries };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align8(MAGIC.length + 4 + headerBytes.length));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(prefix, MAGIC.length + 4);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, prefix);
    fs.writeSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Only the header's metadata (cheap: reads the first bytes), or null when the file is missing. */
export function readStoreMeta<M>(file: string): M | null {
  if (!fs.existsSync(file)) return null;
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length + 4);
    if (fs.readSync(fd, head, 0, head.length, 0) !== head.length || head.toString('latin1', 0, MAGIC.length) !== MAGIC)
      throw new StoreFileError('not a feature store file');
    const length = head.readUInt32LE(MAGIC.length);
    const bytes = Buffer.alloc(length);
    if (fs.readSync(fd, bytes, 0, length, head.length) !== length) throw new StoreFileError('truncated header');
    return parseHeader<M>(bytes.toString('utf8')).meta;
  } finally {
    fs.closeSync(fd);
  }
}

function parseHeader<M>(text: string): Header<M> {
  try {
    const header = JSON.parse(text) as Header<M>;
    if (!header || !Array.isArray(header.sections) || typeof header.crc32 !== 'number') throw new Error('bad header');
    return header;
  } catch {
    throw new StoreFileError('unreadable header');
  }
}

/**
 * The metadata and every section; StoreFileError when the file is not one of ours or is damaged.
 * The file is read in one call into one buffer and checked with one CRC pass; typed-array sections are
 * views on that buffer (sections are 8-byte aligned in the file), string sections are parsed from it.
 */
export function readStoreFile<M>(file: string): { meta: M; sections: Map<string, Section> } {
  const bytes = alignedFileBytes(file);
  const size = bytes.length;
  if (size < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new StoreFileError('not a feature store file');
  const length = bytes.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + length > size) throw new StoreFileError('truncated header');
  const header = parseHeader<M>(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + length));
  const start = align8(MAGIC.length + 4 + length);
  if (size !== start + header.dataLength) throw new StoreFileError(`size ${size} B, expected ${start + header.dataLength} B`);
  let expected = 0;
  for (const entry of header.sections) {
    if (entry.offset !== expected || entry.offset + entry.byteLength > header.dataLength) throw new StoreFileError(`section ${entry.name} out of place`);
    expected += align8(entry.byteLength);
  }
  // Node 20's crc32 answers 0, not the running value, for an empty buffer: an empty data part is CRC 0.
  const crc = header.dataLength > 0 ? zlib.crc32(bytes.subarray(start)) : 0;
  if (expected !== header.dataLength || crc !== header.crc32) throw new StoreFileError('checksum mismatch');
  const sections = new Map<string, Section>();
  for (const entry of header.sections) {
    const at = bytes.byteOffset + start + entry.offset;
    if (entry.type === 'strings')
      sections.set(entry.name, parseStrings(entry.name, bytes.toString('utf8', start + entry.offset, start + entry.offset + entry.byteLength)));
    else if (entry.type === 'f64') sections.set(entry.name, new Float64Array(bytes.buffer, at, entry.byteLength / 8));
    else if (entry.type === 'f32') sections.set(entry.name, new Float32Array(bytes.buffer, at, entry.byteLength / 4));
    else sections.set(entry.name, new Int32Array(bytes.buffer, at, entry.byteLength / 4));
  }
  return { meta: header.meta, sections };
}

/** The whole file in one buffer starting on an 8-byte boundary (typed-array views need it; a large read always does). */
function alignedFileBytes(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  if (bytes.byteOffset % 8 === 0) return bytes;
  const copy = Buffer.from(new ArrayBuffer(bytes.length));
  bytes.copy(copy);
  return copy;
}

function parseStrings(name: string, text: string): (string | null)[] {
  try {
    const list = JSON.parse(text) as unknown;
    if (!Array.isArray(list)) throw new Error('not a list');
    return list as (string | null)[];
  } catch {
    throw new StoreFileError(`section ${name} is unreadable`);
  }
}
