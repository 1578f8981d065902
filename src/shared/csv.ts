/**
 * A small CSV reader (RFC 4180: comma-separated, fields optionally in double quotes, "" for a quote
 * inside quotes, quoted fields may hold commas and line breaks; LF, CRLF or CR line ends; empty lines
 * skipped; a leading BOM dropped). Text is pushed in chunks and complete records come out with the
 * physical line each ends on, so a caller can name the line of a bad cell even after multi-line
 * records (a CRLF inside quotes is one line break). A quote inside an unquoted field, text after a closing quote or an unterminated quoted
 * field is a CsvSyntaxError with its line. Used by the seed and the geography source: it scans with
 * indexOf and slices instead of building fields character by character, several times faster than a
 * general-purpose parser on the Olist files.
 */

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} at line ${line}`);
  }
}

export type CsvRecordSink = (fields: string[], line: number) => void;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Line breaks in `text` from `start` to `end` (CRLF counts once). */
function lineBreaks(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}

export class CsvParser {
  /** Text of a record not yet complete at the end of the last chunk. */
  private carry = '';
  /** Physical lines before `carry`. */
  private linesBefore = 0;
  private started = false;

  /** Parses `chunk` (after what was left over); each complete record goes to `sink`. */
  push(chunk: string, sink: CsvRecordSink): void {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const text = this.carry.length > 0 ? this.carry + chunk : chunk;
    const used = this.parse(text, false, sink);
    this.carry = used < text.length ? text.slice(used) : '';
  }

  /** The last record (one without a line end after it); CsvSyntaxError for an unterminated quote. */
  end(sink: CsvRecordSink): void {
    if (this.carry.length > 0) this.parse(this.carry, true, sink);
    this.carry = '';
  }

  /** Records from `text` to `sink`; answers how far it consumed (the start of an incomplete record when not `final`). */
  private parse(text: string, final: boolean, sink: CsvRecordSink): number {
    const n = text.length;
    let i = 0;
    while (i < n) {
      const recordStart = i;
      let c = text.charCodeAt(i);
      if (c === LF || c === CR) {
        // An empty line (a CR at the chunk's end may be the first half of a CRLF).
        if (c === CR && i + 1 >= n && !final) return recordStart;
        i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        this.linesBefore++;
        continue;
      }
      const fields: string[] = [];
      let inner = 0;
      for (;;) {
        if (i < n && text.charCodeAt(i) === QUOTE) {
          let value = '';
          let from = i + 1;
          let j = from;
          for (;;) {
            const q = text.indexOf('"', j);
            if (q === -1 || (q + 1 >= n && !final)) {
              if (!final) return recordStart;
              throw new CsvSyntaxError('unterminated quoted field (it starts here)', this.linesBefore + 1 + inner);
            }
            if (text.charCodeAt(q + 1) === QUOTE) {
              value += text.slice(from, q + 1);
              j = from = q + 2;
              continue;
            }
            value += text.slice(from, q);
            inner += lineBreaks(text, i + 1, q);
            i = q + 1;
            break;
          }
          fields.push(value);
          c = i < n ? text.charCodeAt(i) : -1;
          if (c !== -1 && c !== COMMA && c !== LF && c !== CR) throw new CsvSyntaxError('text after a closing quote', this.linesBefore + 1 + inner);
        } else {
          let j = i;
          while (j < n) {
            c = text.charCodeAt(j);
            if (c === COMMA || c === LF || c === CR) break;
            if (c === QUOTE) throw new CsvSyntaxError('a quote inside an unquoted field', this.linesBefore + 1 + inner);
            j++;
          }
          if (j >= n && !final) return recordStart;
          fields.push(text.slice(i, j));
          i = j;
        }
        if (i >= n) {
          // Only when final: the last record has no line end.
          sink(fields, this.linesBefore + 1 + inner);
          this.linesBefore += inner;
          return n;
        }
        c = text.charCodeAt(i);
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === CR) {
          if (i + 1 >= n && !final) return recordStart;
          i += text.charCodeAt(i + 1) === LF ? 2 : 1;
        } else i++;
        const line = this.linesBefore + 1 + inner;
        this.linesBefore = line;
        sink(fields, line);
        break;
      }
    }
    return n;
  }
}

/** Every record of a whole CSV text (see CsvParser). */
export function parseCsv(text: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const parser = new CsvParser();
  const sink: CsvRecordSink = (fields, line) => out.push({ fields, line });
  parser.push(text, sink);
  parser.end(sink);
  return out;
}
